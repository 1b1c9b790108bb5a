/**
 * `--flat` promises `nasm -f bin`'s bytes, including nasm's own choices where they are longer
 * than the shortest form: to nasm a label (or `$`) is relocatable even in flat output, so an
 * immediate or displacement that holds one is never shortened. Generated programs mix labels,
 * label differences, `$`, constants and `equ` values of each kind as immediates and
 * displacements, and must give nasm's bytes exactly; without --flat tinyelf keeps the shortest.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { assembleText } from '../../src/core/frontend.js';
import { x86Backend } from '../../src/arch/x86/syntax.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNasm, hex, NASM, nasmBytes, rng, type Bits } from './gen.js';
import { missing } from '../helpers/oracles.js';

const ORIGIN: Record<Bits, number> = { 16: 0x7c00, 32: 0x08048000, 64: 0x400000 };
const REGS: Record<Bits, string[]> = {
  16: ['ax', 'bx', 'cx', 'si', 'di', 'bp'],
  32: ['eax', 'ebx', 'ecx', 'esi', 'edi', 'ebp'],
  64: ['rax', 'rbx', 'rcx', 'rsi', 'rdi', 'r9', 'r13', 'eax', 'ebp', 'r10d'],
};
const BASES: Record<Bits, string[]> = {
  16: ['bx', 'bp', 'si', 'bx+si', 'bp+di'],
  32: ['eax', 'ebx', 'esp', 'ebp', 'ecx+edx*4'],
  64: ['rax', 'rbx', 'rsp', 'rbp', 'r12', 'r13', 'rcx+rdx*8'],
};

/**
 * A program of `count` instructions in `bits`-bit mode. Values are drawn from: plain numbers,
 * labels, label+k, label differences (plain numbers to nasm), `$`, `$-$$`, and `equ` names
 * standing for each of those.
 */
export function flatProgram(bits: Bits, seed: number, count = 40): string {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const labels = ['l0', 'l1', 'l2', 'l3', 'l4'];
  // Half the programs at address 0, where labels are small enough for the short forms nasm does not take.
  const out = [`bits ${bits}`, `org ${rand() < 0.5 ? 0 : ORIGIN[bits]}`, 'l0:'];
  // equ values: plain numbers, addresses, and differences of addresses (plain numbers again).
  // The differences are of labels whose distance no instruction's size changes (the data at the
  // end, or labels already placed): where an instruction's own size moves a difference across a
  // size boundary, nasm and tinyelf may settle on different sizes that are both consistent.
  out.push('small equ 5', 'big equ 0x1234', 'minus3 equ -3', 'addr equ l2+4', 'span equ d2-d1', 'near_span equ d1-d0');
  const values = (): string => pick([
    () => String(pick([0, 1, 3, 100, 127, 128, -1, -128, 300, 0x1234])),
    () => pick(labels),
    () => `${pick(labels)}+${pick([1, 2, 16, 200])}`,
    () => `${pick(labels.slice(0, placed))}-${pick(labels.slice(0, placed))}`,
    () => pick(['d1-d0', 'd2-d0', 'd0-d2']),
    () => '$',
    () => '$-$$',
    () => pick(['small', 'big', 'minus3', 'addr', 'span', 'near_span']),
  ])();
  let placed = 1;
  const reg = () => pick(REGS[bits]);
  const mem = () => `[${pick(BASES[bits])}+${values()}]`;
  for (let n = 0; n < count; n++) {
    const r = reg();
    const shapes = [
      () => `mov ${r}, ${values()}`,
      () => `${pick(['add', 'sub', 'cmp', 'and', 'or', 'xor', 'adc', 'sbb'])} ${r}, ${values()}`,
      () => `test ${r}, ${values()}`,
      () => `push ${r.length === 2 || bits === 64 ? '' : 'dword '}${values()}`,
      () => `imul ${r}, ${r}, ${values()}`,
      () => `imul ${r}, ${values()}`,
      () => `mov ${r}, ${mem()}`,
      () => `mov ${mem()}, ${r}`,
      () => `lea ${r}, ${mem()}`,
      () => `${pick(['add', 'mov', 'cmp'])} dword ${mem()}, ${values()}`,
      () => `mov ${r}, [${values()}]`,
      () => `${pick(['jmp', 'jz', 'call', 'jnc'])} ${pick(labels)}`,
      () => `times ${pick([1, 60, 130])} db 0x90`,
      () => `dd ${values()}`,
    ];
    // 16-bit registers only in 16-bit addressing modes' programs, where a 32-bit register would need 66
    let line = pick(shapes)();
    if (bits !== 64 && /\br(ax|bx|cx|si|di)\b|r9|r13|r10d/.test(line)) continue;
    if (bits === 16 && /push dword/.test(line)) line = line.replace('dword ', '');
    out.push(line);
    if (placed < labels.length && rand() < 0.12) out.push(`${labels[placed++]}:`);
  }
  while (placed < labels.length) out.push(`${labels[placed++]}:`, 'nop');
  out.push('d0:', 'times 10 db 0', 'd1:', 'times 200 db 0', 'd2:');
  return out.join('\n') + '\n';
}

/** nasm's bytes, or undefined when nasm refuses the program (a value that does not fit, …). */
function nasmOrUndefined(src: string): Uint8Array | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-flat-'));
  try {
    writeFileSync(join(dir, 'a.asm'), src);
    const r = spawnSync(NASM, ['-f', 'bin', '-o', join(dir, 'a.bin'), join(dir, 'a.asm')], { encoding: 'utf8' });
    return r.status === 0 ? readFileSync(join(dir, 'a.bin')) : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tinyFlat(src: string, bits: Bits): Uint8Array | Error {
  try {
    return assemble(src, { arch: bits === 64 ? 'x86_64' : 'i386' });
  } catch (e) {
    return e as Error;
  }
}

describe.skipIf(missing('nasm', hasNasm()))('--flat gives nasm -f bin bytes for labels, constants and equ values mixed', () => {
  for (const bits of [64, 32, 16] as Bits[]) {
    it(`bits ${bits}: generated programs`, () => {
      let compared = 0, refused = 0;
      const failures: string[] = [];
      for (let seed = 1; seed <= 60; seed++) {
        const src = flatProgram(bits, seed * 7919 + bits);
        const want = nasmOrUndefined(src);
        const got = tinyFlat(src, bits);
        if (want === undefined) {
          // nasm refused it: tinyelf must refuse it too (never bytes nasm would not give).
          refused++;
          if (!(got instanceof Error)) failures.push(`seed ${seed}: nasm refuses the program, tinyelf assembled it\n${src}`);
          continue;
        }
        if (got instanceof Error) {
          // tinyelf is stricter about values that do not fit (nasm warns and truncates): allowed
          // only with a located error naming the value.
          if (!/does not fit/.test(got.message)) failures.push(`seed ${seed}: ${got.message}\n${src}`);
          refused++;
          if (process.env.TINYELF_FLAT_DEBUG) console.log(got.message);
          continue;
        }
        compared++;
        if (hex(got) !== hex(want)) failures.push(`seed ${seed}:\n${src}\n  nasm:    ${hex(want)}\n  tinyelf: ${hex(got)}`);
      }
      expect(failures.slice(0, 3).join('\n\n')).toBe('');
      expect(compared).toBeGreaterThan(40);
      expect(refused).toBeLessThan(20);
    });
  }

  it('hand-picked cases, each against nasm', () => {
    const src = [
      'bits 64', 'org 0x400000', 'start:',
      'mov rax, start', 'mov rsi, msg', 'mov rdx, msglen', 'mov rdi, $', 'mov rdi, $-$$',
      'push start', 'push 5', 'add rsp, 8', 'add rbx, start', 'imul eax, ebx, start',
      'mov eax, [rbx+start]', 'mov eax, [rbx+msg-start]', 'lea rcx, [rbp+msg]', 'movsxd rax, [rbx]',
      'msg: db "hi", 10', 'msglen equ $-msg',
    ].join('\n');
    expect(hex(assemble(src, { arch: 'x86_64' }))).toBe(hex(nasmBytes(src)));
  });
});

describe.skipIf(missing('nasm', hasNasm()))('without --flat the shortest forms stay', () => {
  it('an address is encoded as nasm encodes the same value written as a plain number', () => {
    const src = 'bits 64\nmov rax, l\nmov eax, [rbx+l]\npush l\nimul ecx, edx, l\nl:\n';
    const out = assembleText(src, x86Backend(64));
    const b = out.bytes;
    // the same lines with l's address as a plain number: nasm's shortest forms
    const plain = src.replace(/\bl\b(?!:)/g, String(out.symbols.get('l'))).replace('l:\n', '');
    expect(hex(b)).toBe(hex(nasmBytes(plain)));
    // and under --flat, nasm's own bytes for the labels
    expect(hex(assemble(src, { arch: 'x86_64' }))).toBe(hex(nasmBytes(src)));
    expect(assemble(src, { arch: 'x86_64' }).length).toBeGreaterThan(b.length);
  });
});
