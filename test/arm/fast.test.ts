/**
 * The ARM text fast path (src/arch/arm/fast.ts, Backend.parseLine) against the token path, in
 * A32 and Thumb state: random lines of the forms it reads and of forms next to them (register
 * shifts, index registers, lists, odd labels, comments, upper case, IT blocks, widths, ARMv6/v7)
 * must give the same bytes, or the same error with the same file:line:column, with and without
 * it. And the Thumb encoder's shortcut past rows that cannot fit must pick the row that trying
 * every row picks.
 */
import { describe, expect, it } from 'vitest';
import { armBackend } from '../../src/arch/arm/syntax.js';
import { encodeThumbTryingEveryRow, thumbBytes } from '../../src/arch/arm/thumb-encoder.js';
import type { ArmInsn } from '../../src/arch/arm/operands.js';
import { genArm } from '../../bench/gen.js';
import { expectSameBothWays, randomLine, withoutFastPath, type LineWords } from '../helpers/fast-path.js';
import { rng } from '../helpers/rng.js';
import { a32MoreForms, thumbMoreForms } from './gen.js';
import { statements, TARGETS } from './oracle.js';

/**
 * expectSameBothWays for `isa`, each way with a fresh backend (one keeps the mode of the
 * instruction it encoded last, for code fill).
 */
function sameBothWays(isa: 'v6' | 'v7', src: string, what: Record<string, unknown>): string {
  return expectSameBothWays(armBackend({ isa }), withoutFastPath(armBackend({ isa })), src, what);
}

const MN = ['add', 'adds', 'addeq', 'addseq', 'addeqs', 'sub', 'rsb', 'and', 'orr', 'eor', 'bic', 'mov', 'movs', 'moveq', 'mvn', 'cmp', 'cmn', 'tst', 'teq', 'ldr', 'str', 'ldrb', 'strb', 'ldrh', 'strh', 'ldrd', 'ldrsb', 'b', 'bl', 'bne', 'blt', 'bls', 'blx', 'bx', 'lsl', 'lsr', 'asr', 'ror', 'mul', 'mla', 'push', 'pop', 'nop', 'movw', 'movt', 'adr', 'svc', 'it', 'ldm', 'stmdb', 'add.w', 'Add', 'db', 'equ', 'align', 'times', 'clz', 'udiv'];
const REG = ['r0', 'r1', 'r7', 'r12', 'sp', 'lr', 'pc', 'fp', 'ip', 'R3', 'r16', 'r1!', 'sb'];
const IMM = ['#0', '#1', '#255', '#256', '#0xff', '#0xff00', '#0x3c0', '#0xf000000f', '#0x101', '#4095', '#4096', '#-1', '#-4', '#-0', '#0x', '#4294967295', '#4294967296', '#-0xff', '#1+1', '# 4', '#0b1', '#08', '#31', '#32'];
const MEM = ['[r1]', '[r1, #4]', '[r1,#-8]', '[ r2 , #4095 ]', '[r1, #4096]', '[r1, #4]!', '[r1]!', '[r1], #8', '[r1], #-4', '[sp, #16]', '[r1, r2]', '[r1, -r2]', '[r1, r2, lsl #2]', '[pc, #4]', '[r1, #255]'];
const SHIFT = ['lsl #3', 'lsl #0', 'lsl #31', 'lsl #32', 'lsr #32', 'lsr #0', 'asr #1', 'ror #2', 'ror #0', 'rrx', 'lsl r3', 'lsl'];
const LABEL = ['L1', 'L2', 'loop_a', 'eq', 'equ', 'r1', 'Lnone', '1f', 'L1+4', '.', 'foo.bar', '{r4, lr}', '{r0-r3}', '=5', '=L1'];
const WORDS: LineWords = { mnemonics: MN, registers: REG, immediates: IMM, memory: MEM, shifts: SHIFT, labels: LABEL, tails: ['', '', ' ', ' @ note', '\t// x', ' ; semi', ':'] };

function plainLine(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const a = pick(['r0', 'r5', 'r12', 'lr']), b = pick(['r1', 'r2', 'sp', 'pc']), c = pick(['r3', 'r4', 'r11']);
  const cond = pick(['', '', 'eq', 'ne', 'lt', 'hi']);
  switch (Math.floor(r() * 8)) {
    case 0: return `${pick(['add', 'sub', 'rsb', 'adc'])}${pick(['', 's'])}${cond} ${a}, ${b}, #${pick(['0', '255', '256', '1020', '0xff000000', '4095', '-1'])}`;
    case 1: return `${pick(['and', 'orr', 'eor', 'bic'])}${cond} ${a}, ${b}, #${pick(['0xff', '0xff00', '1', '0x3c0', '0xf000000f', '0x101'])}`;
    case 2: return `${pick(['add', 'sub', 'and', 'orr', 'eor', 'mov', 'mvn'])} ${a}, ${b}${pick(['', `, ${c}`])}${pick(['', ', lsl #3', ', lsr #32', ', asr #1', ', ror #31', ', lsl #0'])}`;
    case 3: return `${pick(['ldr', 'str', 'ldrb', 'strb'])}${cond} ${a}, [${b}${pick(['', ', #4', ', #-1020', ', #4095', ', #-4095', ', #0'])}]${pick(['', '!'])}`;
    case 4: return `${pick(['ldr', 'str', 'ldrh'])} ${a}, [${b}], #${pick(['4', '-8', '255'])}`;
    case 5: return `${pick(['mov', 'mvn', 'movs'])}${cond} ${a}, #${pick(['0', '255', '256', '0xffffffff', '0x1234', '-1'])}`;
    case 6: return `${pick(['cmp', 'cmn', 'tst', 'teq'])}${cond} ${a}, ${pick(['#0', '#255', '#-1', c, `${c}, lsl #2`])}`;
    default: return `${pick(['b', 'bl', 'bne', 'bge', 'blt'])} ${pick(['L1', 'L2', 'loop_a'])}`;
  }
}

describe('A32 text line fast path (Backend.parseLine)', () => {
  it('gives the token path bytes and errors on random lines', () => {
    const r = rng(0xa32f);
    let same = 0;
    for (let i = 0; i < 4000; i++) {
      const l = randomLine(r, WORDS, plainLine);
      const isa = r() < 0.5 ? 'v6' : 'v7';
      const mode = r() < 0.15 ? '.thumb\n.syntax unified\n' : r() < 0.1 ? '.thumb\n.arm\n' : '';
      const src = `${mode}L1:\n${l}\nloop_a: nop\neq: nop\nL2:\n`;
      if (!sameBothWays(isa, src, { line: l, isa, mode }).startsWith('error')) same++;
    }
    expect(same).toBeGreaterThan(1000); // the corpus does reach lines that assemble
  });

  it('encodes the forms it encodes directly as the encoder does, at their edges', () => {
    // fast.ts encodes these from its operand slots without the encoder: every register, shift,
    // value and writeback edge must give the encoder's bytes or error; branches near their reach.
    const r = rng(0xa32ed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const regs = ['r0', 'r1', 'r9', 'r10', 'r15', 'sp', 'lr', 'pc', 'fp', 'ip', 'sb', 'sl'];
    const imms = ['#0', '#-0', '#1', '#-1', '#255', '#256', '#1020', '#1021', '#0xff000000', '#0xf000000f', '#0xffffffff', '#4294967295', '#0x1234', '#65535', '#-256', '#-255'];
    const shifts = ['', '', ', lsl #0', ', lsl #1', ', lsl #31', ', lsl #32', ', lsr #0', ', lsr #1', ', lsr #32', ', lsr #33', ', asr #32', ', ror #0', ', ror #31', ', ror #32', ', lsl #-0'];
    const mems = ['[r1]', '[pc]', '[r1, #0]', '[r1, #-0]', '[r1, #4095]', '[r1, #-4095]', '[r1, #4096]', '[r1, #-4096]', '[r1, #4]!', '[r0, #4]!', '[pc, #4]!', '[r1], #4', '[r0], #-4', '[pc], #4', '[r1], #-0'];
    const dp = ['add', 'adds', 'addeq', 'sub', 'subsne', 'rsb', 'adc', 'sbc', 'rsc', 'and', 'ands', 'orr', 'eor', 'bic', 'mov', 'movs', 'mvn', 'mvnlt', 'cmp', 'cmps', 'cmn', 'tst', 'teq'];
    const ls = ['ldr', 'str', 'ldrb', 'strb', 'ldreq', 'strbne', 'ldrs'];
    for (let i = 0; i < 5000; i++) {
      const x = r();
      const src2 = r() < 0.5 ? pick(imms) : `${pick(regs)}${pick(shifts)}`;
      const l =
        x < 0.6 ? `${pick(dp)} ${pick(regs)}, ${r() < 0.4 ? `${pick(regs)}, ` : ''}${src2}`
        : x < 0.9 ? `${pick(ls)} ${pick(regs)}, ${pick(mems)}`
        : `${pick(['b', 'bl', 'beq', 'blne', 'bs'])} ${pick(['L1', 'L2', 'Lodd', 'Lthumb', 'nowhere'])}`;
      // Lodd: not a multiple of 4 away; Lthumb: odd (bl becomes blx).
      const src = `.arm\nL1:\n${l}\nL2: nop\n.byte 0\nLodd: nop\n.thumb\n.thumb_func\nLthumb: nop\n`;
      sameBothWays('v7', src, { line: l });
    }
    // Just out of b's reach (32 MiB) and just in it.
    for (const skip of [33554424, 33554420]) {
      const src = `.arm\n  beq Lfar\n  b Lback\n.skip ${skip}\nLfar: nop\nLback: nop\n`;
      sameBothWays('v7', src, { skip });
    }
  });

  it('gives the token path bytes on the benchmark program', () => {
    const src = genArm('arm', 2000, 250);
    sameBothWays('v6', src, {});
    sameBothWays('v7', src, {});
  });

  it('keeps the mode code fill uses when every instruction is read by the fast path', () => {
    const src = 'add r0, r1, #1\n.balign 16\nmov r0, #2\n.thumb\n';
    sameBothWays('v7', src, {});
  });
});

/** Thumb lines: every 16-bit form's edges (low/high registers, flags in and out of IT, ranges) and the 32-bit forms next to them. */
function thumbLine(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lo = () => pick(['r0', 'r1', 'r3', 'r7']);
  const any = () => pick(['r0', 'r2', 'r7', 'r8', 'r12', 'sp', 'lr', 'pc']);
  const s = () => pick(['', '', 's']);
  switch (Math.floor(r() * 12)) {
    case 0: return `${pick(['add', 'sub'])}${s()} ${pick([lo(), any()])}, ${pick([lo(), any()])}, #${pick(['0', '1', '7', '8', '255', '256', '4095', '4096', '-1', '-7', '0xff00', '0x3c0', '0xf000000f'])}`;
    case 1: return `${pick(['add', 'sub', 'mov', 'cmp'])}${s()} ${pick([lo(), any()])}, #${pick(['0', '3', '255', '256', '-1', '1020', '0x1234', '65535', '65536'])}`;
    case 2: return `${pick(['and', 'orr', 'eor', 'bic', 'adc', 'sbc', 'mvn', 'tst', 'cmn', 'mul'])}${s()} ${pick([lo(), any()])}, ${pick([lo(), any()])}${pick(['', `, ${lo()}`, `, ${any()}`, ', #1', ', #0xff'])}`;
    case 3: return `${pick(['add', 'sub', 'rsb'])}${s()} ${pick([lo(), any()])}, ${pick([lo(), any()])}, ${pick([lo(), any(), '#0'])}${pick(['', '', ', lsl #2', ', asr #1'])}`;
    case 4: return `${pick(['lsl', 'lsr', 'asr', 'ror'])}${s()} ${pick([lo(), any()])}, ${pick([lo(), any()])}${pick(['', ', #0', ', #1', ', #31', ', #32', `, ${lo()}`])}`;
    case 5: return `${pick(['ldr', 'str', 'ldrb', 'strb', 'ldrh', 'strh'])} ${pick([lo(), any()])}, [${pick([lo(), any()])}${pick(['', ', #0', ', #4', ', #2', ', #31', ', #124', ', #128', ', #1020', ', #4095', ', #-4', ', #-255'])}]${pick(['', '', '!'])}`;
    case 6: return `${pick(['ldr', 'str'])} ${pick([lo(), any()])}, [${pick(['sp', 'pc', lo()])}, ${pick(['#0', '#4', '#1020', '#1024', '#3', lo(), any()])}]`;
    case 7: return `${pick(['ldr', 'str', 'ldrb'])} ${pick([lo(), any()])}, [${pick([lo(), any()])}], #${pick(['4', '-4', '255', '256'])}`;
    case 8: return `${pick(['add', 'sub'])} ${pick(['sp', lo()])}, ${pick(['sp, ', ''])}${pick(['#4', '#508', '#512', '#1020', '#3'])}`;
    case 9: return `${pick(['mov', 'movs', 'mvn'])} ${pick([lo(), any()])}, ${pick([lo(), any()])}`;
    case 10: return `${pick(['b', 'beq', 'bne', 'bl', 'bgt'])} ${pick(['L1', 'L2', 'loop_a'])}`;
    default: return `${pick(['nop', 'svc #0', 'svc #255', 'svc #256', 'sxtb r0, r1', 'uxth r2, r9', 'rev r1, r2', 'push {r4, lr}', 'pop {r0-r3, pc}', 'push {r8}', 'cbz r1, L2', 'add.w r0, r1, #1', 'adds.n r0, #1', 'udiv r0, r1, r2'])}`;
  }
}

describe('Thumb text line fast path', () => {
  it('gives the token path bytes and errors on random Thumb lines, in and out of IT blocks', () => {
    const r = rng(0x7b0b);
    let assembled = 0;
    for (let i = 0; i < 4000; i++) {
      const l = r() < 0.6 ? thumbLine(r) : randomLine(r, WORDS, thumbLine);
      const isa = r() < 0.5 ? 'v6' : 'v7';
      const it = r() < 0.15 ? `${['it eq', 'ite ne', 'itt lt'][Math.floor(r() * 3)]}
` : '';
      // (in an IT block the line mostly takes the block's condition, as it must to assemble)
      const line = it && r() < 0.8 ? withCondition(l, 'eq') : l;
      const src = `.syntax unified\n.thumb\nL1:\n${it}${line}\n${it ? 'nop\nnop\n' : ''}loop_a: nop\nL2:\n`;
      if (!sameBothWays(isa, src, { line, isa, it }).startsWith('error')) assembled++;
    }
    expect(assembled).toBeGreaterThan(1000); // the corpus does reach lines that assemble
  });

  it('gives the token path bytes on a long Thumb program, where branches grow', () => {
    sameBothWays('v7', genArm('thumb', 3000, 375), {});
  });

  it('pads with Thumb no-ops after Thumb lines it encoded, also when the section starts in Thumb state', () => {
    const src = 'adds r0, #1\n.balign 16\nadds r1, #2\n.arm\nmov r0, #1\n.balign 16\n.thumb\nadds r0, #1\n.balign 8\n';
    for (const isa of ['v6', 'v7'] as const) {
      const bytes = expectSameBothWays(armBackend({ isa, thumb: true }), withoutFastPath(armBackend({ isa, thumb: true })), src, { isa });
      expect(bytes.slice(4, 8)).toBe(isa === 'v7' ? '00bf' : 'c046'); // nop / mov r8, r8 after the first adds
    }
  });
});

/** `line` with condition `cond` after its mnemonic and `s` suffix (`adds r0, #1` → `addseq r0, #1`). */
function withCondition(line: string, cond: string): string {
  return line.replace(/^(\w+?)(s?)( |$)/, `$1$2${cond}$3`);
}

describe('Thumb encoder', () => {
  it('passes over only rows that cannot fit: the row it picks is the one trying every row picks', () => {
    // Both backends read every line by the token path; one encodes Thumb by trying every row.
    const r = rng(0x7e0);
    const everyRow = (isa: 'v6' | 'v7') => {
      const b = withoutFastPath(armBackend({ isa }));
      return { ...b, isFixed: undefined, encodeInto: undefined, encode: (insn: ArmInsn, ctx: Parameters<typeof b.encode>[1]) => (insn.thumb && !insn.mn.startsWith('.') ? thumbBytes(encodeThumbTryingEveryRow(insn, ctx)) : b.encode(insn, ctx)) };
    };
    let assembled = 0;
    for (let i = 0; i < 4000; i++) {
      const l = thumbLine(r);
      const isa = r() < 0.5 ? 'v6' : 'v7';
      const it = r() < 0.15 ? 'it eq\n' : '';
      const src = `.syntax unified\n.thumb\nL1:\n${it}${it ? withCondition(l, 'eq') : l}\nloop_a: nop\nL2:\n`;
      const a = expectSameBothWays(withoutFastPath(armBackend({ isa })), everyRow(isa), src, { line: l, isa, it });
      if (!a.startsWith('error')) assembled++;
    }
    expect(assembled).toBeGreaterThan(1500);
  });
});

describe('the fast path and the token path agree on every generated form beyond the core (issue 16)', () => {
  for (const t of TARGETS) {
    it(t.name, () => {
      const fast = armBackend({ isa: t.isa });
      const slow = withoutFastPath(armBackend({ isa: t.isa }));
      const forms = t.thumb ? thumbMoreForms(t.isa === 'v6' ? 116 : 117, t.isa) : a32MoreForms(t.isa === 'v6' ? 106 : 107, t.isa);
      let assembled = 0;
      for (const f of forms) {
        const src = (t.thumb ? '.syntax unified\n.thumb\n' : '') + statements(f).join('\n') + '\n';
        if (!expectSameBothWays(fast, slow, src, { form: f, target: t.name }).startsWith('error')) assembled++;
      }
      // (most of them are Thumb-2, refused for Thumb on ARMv6)
      expect(assembled).toBeGreaterThan(t.name === 'thumb-v6' ? 10 : forms.length / 3);
    });
  }
});
