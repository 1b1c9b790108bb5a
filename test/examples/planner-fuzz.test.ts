/**
 * The layout planner on random programs, checked by the kernel: each program (straight-line ALU
 * work, forward branches, byte loads from a data table, an exit with the result) is built for the
 * `strict` profile — the conventional header, code in order, nothing packed — and for `linux` and
 * `portable`, where the planner cuts the code into header holes, joins the runs with jumps, moves
 * the table and (x86-64) may enter through the ELF magic. All are run natively; every layout must
 * exit with the strict build's status.
 */
import { describe, expect, it } from 'vitest';
import { layoutElf, programFromSource, type ArchName } from '../../src/index.js';
import { mapLimit, nativeAvailable, runBinary } from '../helpers/run.js';
import { rng } from '../helpers/rng.js';

const REGS = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'];
const ALU = ['add', 'sub', 'xor', 'and', 'or'];
const JCC = ['je', 'jne', 'jb', 'jae', 'jl', 'jge', 'jle', 'jg'];

function randomProgram(arch: 'i386' | 'x86_64', seed: number): string {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const reg = (): string => pick(REGS);
  const table = Array.from({ length: 16 }, () => int(0, 255));
  const tableRef = (k: number): string => (arch === 'x86_64' ? `[rel table + ${k}]` : `[table + ${k}]`);
  const lines: string[] = [arch === 'x86_64' ? 'bits 64' : 'bits 32', 'section .text'];
  // The first instruction decides whether the x86-64 entry through the magic may be used.
  lines.push(pick([`push ${int(0, 100)}`, `mov ${reg()}, ${int(0, 1000)}`, `xor ${reg()}, ${reg()}`, `lea ${reg()}, [${arch === 'x86_64' ? 'r' : 'e'}ax + ${int(1, 9)}]`, `add eax, ${int(1, 50)}`]));
  const n = int(4, 40);
  let label = 0;
  const pending: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pending.length && r() < 0.3) lines.push(`L${pending.shift()}:`);
    const x = r();
    if (x < 0.2) lines.push(`mov ${reg()}, ${r() < 0.5 ? int(0, 200) : int(0, 0x7fffffff)}`);
    else if (x < 0.4) lines.push(`${pick(ALU)} ${reg()}, ${reg()}`);
    else if (x < 0.55) lines.push(`${pick(ALU)} ${reg()}, ${r() < 0.6 ? int(-128, 127) : int(-0x8000000, 0x7ffffff)}`);
    else if (x < 0.62) lines.push(`${pick(['inc', 'dec', 'not', 'neg'])} ${reg()}`);
    else if (x < 0.7) lines.push(`lea ${reg()}, [${reg()} + ${reg()}*${pick([1, 2, 4, 8])} + ${int(-300, 300)}]`);
    else if (x < 0.8) lines.push(`movzx ${reg()}, byte ${tableRef(int(0, 15))}`);
    else if (x < 0.88) lines.push(`push ${int(-100, 100)}`, `pop ${arch === 'x86_64' ? 'r' + reg().slice(1) : reg()}`);
    else {
      lines.push(`cmp ${reg()}, ${int(-5, 300)}`, `${pick(JCC)} L${label}`);
      pending.push(label++);
    }
  }
  for (const l of pending) lines.push(`L${l}:`);
  lines.push(
    ...(arch === 'x86_64'
      ? ['mov edi, eax', 'xor edi, ebx', 'mov eax, 60', 'syscall']
      : ['xor eax, ebx', 'mov ebx, eax', 'mov eax, 1', 'int 0x80']),
    'section .rodata',
    `table: db ${table.join(', ')}`,
  );
  return lines.join('\n') + '\n';
}

const ARCHES = (['x86_64', 'i386'] as const).filter((a) => nativeAvailable(a) || process.env.CI);
const PROGRAMS = 60;

describe('the planner on random programs (run natively, against the strict layout)', () => {
  for (const arch of ARCHES) {
    it(`${arch}: ${PROGRAMS} programs give the strict build's exit status on the linux and portable layouts`, async () => {
      const builds = Array.from({ length: PROGRAMS }, (_, i) => {
        const source = randomProgram(arch, 0x5eed + i);
        const program = programFromSource(source, { arch: arch as ArchName, file: `fuzz-${i}.s` });
        return { source, layouts: (['strict', 'linux', 'portable'] as const).map((loader) => layoutElf({ arch, program, loader })) };
      });
      const runs = builds.flatMap((b, i) => b.layouts.map((l) => ({ i, l })));
      const results = await mapLimit(runs, 8, ({ l }) => runBinary(l.bytes, { arch, via: 'native' }));
      const status = new Map<string, number | null>();
      results.forEach((res, k) => status.set(`${runs[k]!.i}/${runs[k]!.l.loader}`, res.signal ? -1 : res.status));
      const wrong: string[] = [];
      builds.forEach((b, i) => {
        const want = status.get(`${i}/strict`);
        for (const l of b.layouts.slice(1)) {
          const got = status.get(`${i}/${l.loader}`);
          if (got !== want) wrong.push(`program ${i} (${l.loader}, phoff ${l.phoff}, ${l.bytes.length} B): status ${got}, strict ${want}\n${b.source}`);
        }
      });
      expect(wrong.slice(0, 3)).toEqual([]);
      // Not vacuous: the strict builds ran (no signal), and the planner did pack.
      expect(builds.every((_, i) => status.get(`${i}/strict`)! >= 0)).toBe(true);
      expect(builds.filter((b) => b.layouts[1]!.bytes.length < b.layouts[0]!.bytes.length).length).toBeGreaterThan(PROGRAMS / 2);
      if (arch === 'x86_64') expect(builds.filter((b) => b.layouts[1]!.entry === 0x500000001n).length).toBeGreaterThan(5);
    }, 120_000);
  }
});
