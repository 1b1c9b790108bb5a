/**
 * The builder's fast path (src/arch/x86/fast.ts and the fast layout in builder.ts) against the
 * general encoder and the core's layout: the same bytes, instruction by instruction and for whole
 * programs with branches, for every register pair and every displacement/immediate class.
 */
import { describe, expect, it } from 'vitest';
import { X86Builder, mem, qword, dword, type BuilderOperand } from '../../src/arch/x86/index.js';
import { REGISTERS, type Reg } from '../../src/arch/x86/registers.js';
import { rng } from '../helpers/rng.js';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'].map((n) => REGISTERS.get(n)!);
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'].map((n) => REGISTERS.get(n)!);
const OTHER = ['ax', 'al', 'ah', 'sil', 'r9w', 'r10b'].map((n) => REGISTERS.get(n)!);
const IMMS = [0, 1, -1, 2, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536, 0x7fffffff, -0x80000000, 0x80000000, 0xffffffff, 0x100000000, -0x80000001, 1.5];
const DISPS = [undefined, 0, 1, -1, 127, 128, -128, -129, 0x12345, -0x12345, 0x7fffffff, -0x80000000];
const MNS = ['mov', 'lea', 'test', 'add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'push', 'pop', 'inc', 'dec', 'not', 'neg', 'ret', 'syscall', 'nop', 'cqo', 'cdq', 'cdqe', 'leave', 'pause', 'imul', 'shl'];

/** Bytes through the general path only (a builder that has left the fast path). */
function general(mn: string, ops: () => BuilderOperand[]): Uint8Array | string {
  const g = new X86Builder('x86_64');
  g.items();
  try {
    g.insn(mn, ...ops());
    return g.assemble();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}
function fast(mn: string, ops: () => BuilderOperand[]): Uint8Array | string {
  const f = new X86Builder('x86_64');
  try {
    f.insn(mn, ...ops());
    return f.assemble();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}
const hex = (b: Uint8Array | string) => (typeof b === 'string' ? b : Buffer.from(b).toString('hex'));

describe('x86 builder fast path', () => {
  it('every form, register and immediate class encodes as the general path does', () => {
    const r = rng(11);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    const reg = (): Reg => (r() < 0.45 ? pick(R64) : r() < 0.9 ? pick(R32) : pick(OTHER));
    const memOp = () => {
      const base = r() < 0.9 ? pick(R64) : r() < 0.5 ? pick(R32) : undefined;
      const index = r() < 0.5 ? pick(R64) : undefined;
      const scale = pick([1, 2, 4, 8] as const);
      const disp = pick(DISPS);
      const size = pick([undefined, 32, 64, 16, 8] as const);
      return () => mem({ ...(base ? { base } : {}), ...(index ? { index, scale } : {}), ...(disp !== undefined ? { disp } : {}), ...(size ? { size } : {}) });
    };
    let fastHits = 0;
    for (let i = 0; i < 30000; i++) {
      const mn = pick(MNS);
      const shape = Math.floor(r() * 7);
      let ops: () => BuilderOperand[];
      if (shape === 0) { const a = reg(), b = reg(); ops = () => [a, b]; }
      else if (shape === 1) { const a = reg(), v = pick(IMMS); ops = () => [a, v]; }
      else if (shape === 2) { const a = reg(), m = memOp(); ops = () => [a, m()]; }
      else if (shape === 3) { const m = memOp(), b = reg(); ops = () => [m(), b]; }
      else if (shape === 4) { const m = memOp(), v = pick(IMMS); ops = () => [m(), v]; }
      else if (shape === 5) { const a = reg(); ops = () => [a]; }
      else ops = () => [];
      const g = general(mn, ops);
      const f = fast(mn, ops);
      if (typeof g !== 'string') fastHits++;
      expect(hex(f), `${mn} ${ops().map((o) => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? String(v) : v))).join(', ')}`).toBe(hex(g));
    }
    expect(fastHits).toBeGreaterThan(5000);
  });

  it('programs with branches lay out as the core does (shortest branches), and mix with the general path', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
      const nl = 1 + Math.floor(r() * 60);
      const n = Math.floor(r() * 800);
      const script: ((a: X86Builder, L: ReturnType<X86Builder['label']>[]) => void)[] = [];
      const bound = new Set<number>();
      for (let i = 0; i < n; i++) {
        const u = r();
        if (u < 0.1) {
          const l = Math.floor(r() * nl);
          if (!bound.has(l)) { bound.add(l); script.push((a, L) => void a.bind(L[l]!)); }
        } else if (u < 0.4) {
          const l = Math.floor(r() * nl);
          const mn = pick(['jmp', 'je', 'jnz', 'jc', 'jg', 'call', 'jle']);
          script.push((a, L) => void a.insn(mn, L[l]!));
        } else if (u < 0.45) {
          const big = r() < 0.5;
          script.push((a) => void a.insn('mov', R64[3]!, big ? 0x1234567 : 5));
        } else if (u < 0.46 && seed % 4 === 0) {
          script.push((a) => void a.db(1, 2, 3)); // leaves the fast path
        } else if (u < 0.47 && seed % 5 === 0) {
          script.push((a) => void a.insn('mov', R64[0]!, 0x123456789)); // general-only instruction
        } else {
          const pad = Math.floor(r() * 3);
          script.push((a) => void (pad === 0 ? a.insn('add', qword({ base: R64[5]!, disp: 1000 }), 100000) : pad === 1 ? a.insn('xor', R32[1]!, R32[2]!) : a.insn('mov', R32[9]!, dword({ base: R64[12]! }))));
        }
      }
      for (let l = 0; l < nl; l++) if (!bound.has(l)) script.push((a, L) => void a.bind(L[l]!));
      const run = (toGeneral: boolean) => {
        const a = new X86Builder('x86_64');
        const L = Array.from({ length: nl }, () => a.label());
        if (toGeneral) a.items();
        for (const s of script) s(a, L);
        return a.assemble();
      };
      expect(hex(run(false)), `seed ${seed}`).toBe(hex(run(true)));
    }
  });

  it('an unbound label, a label from elsewhere, and items() after fast statements', () => {
    const a = new X86Builder('x86_64');
    const l = a.label('nowhere');
    a.insn('jmp', l);
    expect(() => a.assemble()).toThrow(/nowhere/);
    const b = new X86Builder('x86_64');
    const other = new X86Builder('x86_64').label('x');
    b.bind(other);
    b.insn('jmp', other);
    expect(hex(b.assemble())).toBe('ebfe');
    const c = new X86Builder('x86_64');
    const top = c.here('top');
    c.insn('add', R64[0]!, 1);
    c.insn('jnz', top);
    expect(c.items().map((it) => it.kind)).toEqual(['label', 'insn', 'insn']);
    expect(hex(c.assemble())).toBe('4883c00175fa');
    expect(c.assembleFull().symbols.get('top')).toBe(0n);
  });
});
