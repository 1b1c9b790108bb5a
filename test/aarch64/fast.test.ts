/**
 * The AArch64 text fast path (src/arch/aarch64/fast.ts, Backend.parseLine) against the token
 * path: random lines of the forms it reads and of forms next to them (negative numbers, extends,
 * conditions, index registers, odd labels, comments, upper case) must give the same bytes, or
 * the same error with the same file:line:column, with and without it.
 */
import { describe, expect, it } from 'vitest';
import { aarch64Backend } from '../../src/arch/aarch64/syntax.js';
import { genArm } from '../../bench/gen.js';
import { assembleOrError, expectSameBothWays, randomLine, withoutFastPath, type LineWords } from '../helpers/fast-path.js';
import { rng } from '../helpers/rng.js';

const fast = aarch64Backend();
const slow = withoutFastPath(aarch64Backend());

const MN = ['add', 'adds', 'sub', 'subs', 'and', 'ands', 'orr', 'eor', 'bic', 'cmp', 'cmn', 'tst', 'mov', 'mvn', 'neg', 'movz', 'movk', 'ldr', 'str', 'ldrb', 'strb', 'ldrh', 'ldrsw', 'ldur', 'stp', 'ldp', 'lsl', 'asr', 'mul', 'madd', 'csel', 'b', 'bl', 'cbz', 'cbnz', 'tbz', 'b.eq', 'b.ne', 'b.hs', 'adr', 'adrp', 'ret', 'nop', 'svc', 'Add', 'b.xx', 'db', 'align', 'equ', 'times'];
const REG = ['x0', 'x1', 'x17', 'x30', 'w0', 'w5', 'w30', 'sp', 'wsp', 'xzr', 'wzr', 'fp', 'lr', 'X3', 'x31', 'w31'];
const IMM = ['#0', '#1', '#7', '#8', '#255', '#4095', '#4096', '#0x1000', '#0xff', '#0xff00', '#0x3c', '#0xfffffffffffffff0', '#0xffffffffffffffff', '#0x12345', '#65535', '#65536', '#-1', '#-8', '#0x', '#08', '#1_0', '# 4', '#99999999999999999999', '#0x1ffffffffffffffff', '#1+1', '#0b1', '#0X10'];
const MEM = ['[x1]', '[x1, #8]', '[x1,#16]', '[ x2 , #4 ]', '[x1, #-8]', '[x1, #7]', '[x1, #32760]', '[x1, #32768]', '[x1, #8]!', '[x1]!', '[x1], #8', '[sp, #16]', '[x1, x2]', '[x1, x2, lsl #3]', '[w1]', '[x1, #8] !', '[xzr]'];
const SHIFT = ['lsl #3', 'lsl #12', 'lsr #63', 'lsr #64', 'asr #1', 'ror #2', 'lsl #0', 'uxtw #2', 'sxtw', 'lsl', 'msl #8'];
const LABEL = ['L1', 'L2', 'loop_a', 'lo', 'eq', 'equ', 'x1', 'Lnone', '1f', 'L1+4', '.', 'foo.bar', 'lsl', 'uxtw'];
const WORDS: LineWords = { mnemonics: MN, registers: REG, immediates: IMM, memory: MEM, shifts: SHIFT, labels: LABEL, tails: ['', '', ' ', ' // note', '\t// x', ' @ at', ':'] };

/** Lines of the forms programs are made of (most assemble). */
function plainLine(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const x = pick(['x0', 'x9', 'x28', 'x30']), y = pick(['x1', 'x2', 'sp', 'xzr']), w = pick(['w3', 'w7', 'wzr']);
  const imm = pick(['#0', '#1', '#255', '#4095', '#4096', '#0x10', '#24576', '#0xfff000']);
  const mask = pick(['#0xff', '#0xff00', '#0x1', '#0xfffffffffffffff0', '#0x3c', '#0x5555555555555555', '#0x7', '#0x12']);
  switch (Math.floor(r() * 10)) {
    case 0: return `${pick(['add', 'sub', 'adds', 'subs'])} ${x}, ${y}, ${imm}${pick(['', ', lsl #12', ', lsl #0'])}`;
    case 1: return `${pick(['and', 'orr', 'eor', 'ands'])} ${pick([x, w])}, ${pick([y, w])}, ${mask}`;
    case 2: return `${pick(['add', 'sub', 'and', 'orr', 'eor', 'bic', 'adds'])} ${x}, ${y}, ${pick(['x4', 'x5', 'w6'])}${pick(['', ', lsl #3', ', lsr #63', ', asr #7', ', ror #5'])}`;
    case 3: return `${pick(['ldr', 'str', 'ldrb', 'strh', 'ldrsw'])} ${pick([x, w])}, [${y}${pick(['', ', #8', ', #4', ', #-16', ', #4088', ', #1'])}]${pick(['', '!'])}`;
    case 4: return `${pick(['ldr', 'str'])} ${x}, [${y}], #${pick(['8', '16', '255', '256'])}`;
    case 5: return `mov ${pick([x, w])}, ${pick(['#0', '#65535', '#65536', '#0x12345678', '#0xffff0000', '#0xffffffffffffffff', '#0x123456789abc', '#0xff'])}`;
    case 6: return `${pick(['cmp', 'cmn', 'tst'])} ${pick([x, w])}, ${pick([imm, mask, 'x4', 'w4'])}`;
    case 7: return `${pick(['b', 'bl', 'b.eq', 'b.lt', 'b.hi'])} ${pick(['L1', 'L2', 'loop_a'])}`;
    case 8: return `${pick(['cbz', 'cbnz'])} ${pick([x, w])}, ${pick(['L1', 'L2', 'lo'])}`;
    default: return `${pick(['mov', 'mvn', 'neg', 'mul', 'lsl', 'ret', 'nop'])} ${pick(['', `${x}, ${y}`, `${x}, ${y}, x3`, `${x}, x2, #3`])}`.trimEnd();
  }
}

describe('aarch64 text line fast path (Backend.parseLine)', () => {
  it('gives the token path bytes and errors on random lines', () => {
    const r = rng(0xfa57);
    let same = 0;
    for (let i = 0; i < 4000; i++) {
      const l = randomLine(r, WORDS, plainLine);
      const src = `L1:\n${l}\nloop_a: nop\nlo: nop\neq: nop\nL2:\n`;
      if (!expectSameBothWays(fast, slow, src, { line: l }).startsWith('error')) same++;
    }
    expect(same).toBeGreaterThan(1000); // the corpus does reach lines that assemble
  });

  it('encodes the forms it encodes directly as the encoder does, at their edges', () => {
    // fast.ts encodes these from its operand slots without the encoder: every register kind
    // (sp/zr/w/x, mixed widths), shift and value edge must give the encoder's bytes or error.
    const r = rng(0xd1ec7);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const regs = ['x0', 'x7', 'x30', 'w1', 'w30', 'sp', 'wsp', 'xzr', 'wzr', 'fp', 'lr'];
    const imms = ['#0', '#1', '#4095', '#4096', '#8192', '#16773120', '#16777216', '#4097', '#65535', '#65536', '#0x10000', '#0xffff0000', '#0x100000000', '#0xffff00000000', '#0xff', '#0xff00', '#0x3c', '#0xfffffffffffffff0', '#0xffffffff', '#0x5555555555555555', '#0x55555555', '#0x7fffffff', '#0x1fffffffffffff', '#9007199254740993', '#0xfffffffffffff'];
    const shifts = ['', '', ', lsl #0', ', lsl #12', ', lsl #16', ', lsl #31', ', lsl #32', ', lsl #48', ', lsl #63', ', lsl #64', ', lsr #5', ', asr #31', ', ror #3'];
    const mems = ['[x1]', '[sp]', '[xzr]', '[w1]', '[x1, #0]', '[x1, #1]', '[x1, #2]', '[x1, #4]', '[x1, #8]', '[x1, #255]', '[x1, #256]', '[x1, #4095]', '[x1, #8190]', '[x1, #16380]', '[x1, #32760]', '[x1, #32768]', '[x1, #8]!', '[x1, #255]!', '[x1, #256]!', '[x1], #0', '[x1], #255', '[x1], #256', '[sp, #16]!'];
    const lsMn = ['ldr', 'str', 'ldrb', 'strb', 'ldrh', 'strh', 'ldrsb', 'ldrsh', 'ldrsw'];
    const mn3 = ['add', 'sub', 'adds', 'subs', 'and', 'orr', 'eor', 'ands'];
    const mn2 = ['cmp', 'cmn', 'tst', 'mov', 'movz'];
    for (let i = 0; i < 6000; i++) {
      const x = r();
      const l =
        x < 0.35 ? `${pick(mn3)} ${pick(regs)}, ${pick(regs)}, ${r() < 0.5 ? pick(imms) : pick(regs)}${pick(shifts)}`
        : x < 0.6 ? `${pick(mn2)} ${pick(regs)}, ${r() < 0.5 ? pick(imms) : pick(regs)}${pick(shifts)}`
        : x < 0.9 ? `${pick(lsMn)} ${pick(regs)}, ${pick(mems)}`
        : `${pick(['b', 'bl', 'b.eq', 'b.al', 'b.nv', 'cbz', 'cbnz'])} ${pick(['', `${pick(regs)}, `])}${pick(['L1', 'L2', 'Lfar', 'Lodd', 'nowhere'])}`;
      // Lfar: just out of b.cond/cbz reach (1 MiB); Lodd: not a multiple of 4 away.
      const far = x >= 0.9 ? '.skip 1048572\n' : '';
      const src = `L1:\n${l}\nL2: nop\n${far}Lfar: nop\n.byte 0\nLodd: nop\n`;
      expectSameBothWays(fast, slow, src, { line: l });
    }
  });

  it('gives the token path bytes on the benchmark program', () => {
    const src = genArm('aarch64', 2000, 250);
    expect(assembleOrError(fast, src)).toBe(assembleOrError(slow, src));
  });

  it('gives the same places for errors in lines it reads', () => {
    const src = 'L:\n  b.eq Lfar\n  cbz x1, nowhere\n  add x0, x1, #4096000\nLfar:\n';
    expect(assembleOrError(fast, src)).toBe(assembleOrError(slow, src));
    expect(assembleOrError(fast, src)).toMatch(/t\.s:3:/);
  });
});
