/**
 * A seeded generator of the x86-64 throughput program (see /work/shared/targets.md): by default
 * 10,000 instructions mixing mov/lea with SIB and disp8/disp32 operands, ALU with imm8/imm32, and
 * jcc/jmp to 1,250 labels (70% near, 30% up to 40 labels away, forward and backward).
 *
 *   const prog = genX86();            // plain data, same for every consumer
 *   const text = x86Text(prog);       // nasm source
 *   const calls = x86Calls(prog);     // builder calls, registers resolved
 *   const a = new X86Builder('x86_64'); x86Build(calls, prog.labels, a); a.assemble();
 *
 * Both forms assemble to the same bytes (a test checks it against the text front end).
 */
import { X86Builder, mem, type MemArgs } from '../src/arch/x86/index.js';
import { REGISTERS, type Reg } from '../src/arch/x86/registers.js';
import { rng } from '../test/helpers/rng.js';

export interface GenOptions {
  /** Number of instructions (labels are extra). */
  instructions?: number;
  labels?: number;
  seed?: number;
}

export interface MemSpec {
  base: string;
  index?: string;
  scale?: 1 | 2 | 4 | 8;
  disp?: number;
}

export type GenInsn =
  | { k: 'rm'; mn: 'mov' | 'lea'; reg: string; m: MemSpec }
  | { k: 'mr'; mn: 'mov'; m: MemSpec; reg: string }
  | { k: 'ri'; mn: string; reg: string; imm: number }
  | { k: 'mi'; mn: string; size: 32 | 64; m: MemSpec; imm: number }
  | { k: 'rr'; mn: string; dst: string; src: string }
  | { k: 'br'; mn: string; label: number };

export interface GenProgram {
  /** `labelAt[i]` = label bound before instruction i, or -1. */
  labelAt: Int32Array;
  insns: GenInsn[];
  labels: number;
}

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const ALU = ['add', 'sub', 'and', 'or', 'xor', 'cmp', 'adc', 'sbb'];
const JCC = ['je', 'jne', 'jl', 'jge', 'jle', 'jg', 'jb', 'jae', 'jbe', 'ja', 'js', 'jns'];

export function genX86(opts: GenOptions = {}): GenProgram {
  const n = opts.instructions ?? 10_000;
  const nLabels = opts.labels ?? 1_250;
  const r = rng(opts.seed ?? 1);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const every = n / nLabels;
  const labelAt = new Int32Array(n).fill(-1);
  for (let l = 0; l < nLabels; l++) labelAt[Math.floor(l * every)] = l;

  const memSpec = (): MemSpec => {
    const m: MemSpec = { base: pick(R64) };
    const u = r();
    if (u < 0.5) {
      let index = pick(R64);
      while (index === 'rsp') index = pick(R64);
      m.index = index;
      m.scale = pick([1, 2, 4, 8] as const);
    }
    const d = r();
    if (d < 0.45) m.disp = Math.floor(r() * 256) - 128; // disp8
    else if (d < 0.8) m.disp = (r() < 0.5 ? -1 : 1) * (0x100 + Math.floor(r() * 0x100000)); // disp32
    return m;
  };
  const imm = (): number => (r() < 0.6 ? Math.floor(r() * 256) - 128 : (r() < 0.5 ? -1 : 1) * (0x1000 + Math.floor(r() * 0x7fff0000)));

  const insns: GenInsn[] = [];
  let label = 0;
  for (let i = 0; i < n; i++) {
    if (labelAt[i]! >= 0) label = labelAt[i]!;
    const u = r();
    if (u < 0.22) insns.push({ k: 'rm', mn: 'mov', reg: pick(r() < 0.5 ? R64 : R32), m: memSpec() });
    else if (u < 0.3) insns.push({ k: 'mr', mn: 'mov', m: memSpec(), reg: pick(r() < 0.5 ? R64 : R32) });
    else if (u < 0.45) insns.push({ k: 'rm', mn: 'lea', reg: pick(r() < 0.7 ? R64 : R32), m: memSpec() });
    else if (u < 0.63) insns.push({ k: 'ri', mn: pick(ALU), reg: pick(r() < 0.5 ? R64 : R32), imm: imm() });
    else if (u < 0.7) insns.push({ k: 'mi', mn: pick(ALU), size: r() < 0.5 ? 64 : 32, m: memSpec(), imm: imm() });
    else if (u < 0.8) {
      const big = r() < 0.5;
      insns.push({ k: 'rr', mn: pick(['mov', ...ALU, 'test']), dst: pick(big ? R64 : R32), src: pick(big ? R64 : R32) });
    } else {
      // 70% near (this label or the next/previous two), 30% up to 40 labels away.
      const span = r() < 0.7 ? 2 : 40;
      let t = label + Math.floor(r() * (2 * span + 1)) - span;
      t = Math.max(0, Math.min(nLabels - 1, t));
      insns.push({ k: 'br', mn: r() < 0.25 ? 'jmp' : pick(JCC), label: t });
    }
  }
  return { labelAt, insns, labels: nLabels };
}

function memText(m: MemSpec): string {
  let s = m.base;
  if (m.index) s += `+${m.index}*${m.scale}`;
  if (m.disp !== undefined) s += m.disp < 0 ? `-${-m.disp}` : `+${m.disp}`;
  return `[${s}]`;
}

/** The program as nasm source (`bits 64`, labels `L0:` … on their own lines). */
export function x86Text(p: GenProgram): string {
  const out: string[] = ['bits 64'];
  for (let i = 0; i < p.insns.length; i++) {
    const l = p.labelAt[i]!;
    if (l >= 0) out.push(`L${l}:`);
    const x = p.insns[i]!;
    switch (x.k) {
      case 'rm': out.push(`    ${x.mn} ${x.reg}, ${memText(x.m)}`); break;
      case 'mr': out.push(`    ${x.mn} ${memText(x.m)}, ${x.reg}`); break;
      case 'ri': out.push(`    ${x.mn} ${x.reg}, ${x.imm}`); break;
      case 'mi': out.push(`    ${x.mn} ${x.size === 64 ? 'qword' : 'dword'} ${memText(x.m)}, ${x.imm}`); break;
      case 'rr': out.push(`    ${x.mn} ${x.dst}, ${x.src}`); break;
      case 'br': out.push(`    ${x.mn} L${x.label}`); break;
    }
  }
  out.push('');
  return out.join('\n');
}

const reg = (name: string): Reg => REGISTERS.get(name)!;

function memArgs(m: MemSpec, size?: 32 | 64): MemArgs {
  const a: MemArgs = { base: reg(m.base) };
  if (m.index) {
    a.index = reg(m.index);
    a.scale = m.scale!;
  }
  if (m.disp !== undefined) a.disp = m.disp;
  if (size) a.size = size;
  return a;
}

/** One builder call with its arguments resolved to registers and `mem()` argument objects. */
export type BuildCall =
  | { k: 0; mn: string; a: Reg; b: Reg } // reg, reg
  | { k: 1; mn: string; a: Reg; m: MemArgs } // reg, mem
  | { k: 2; mn: string; m: MemArgs; b: Reg } // mem, reg
  | { k: 3; mn: string; a: Reg; imm: number } // reg, imm
  | { k: 4; mn: string; m: MemArgs; imm: number } // mem, imm
  | { k: 5; mn: string; label: number } // branch
  | { k: 6; label: number }; // bind

/** The program as builder calls (registers looked up once, outside any timing). */
export function x86Calls(p: GenProgram): BuildCall[] {
  const calls: BuildCall[] = [];
  for (let i = 0; i < p.insns.length; i++) {
    const l = p.labelAt[i]!;
    if (l >= 0) calls.push({ k: 6, label: l });
    const x = p.insns[i]!;
    switch (x.k) {
      case 'rm': calls.push({ k: 1, mn: x.mn, a: reg(x.reg), m: memArgs(x.m) }); break;
      case 'mr': calls.push({ k: 2, mn: x.mn, m: memArgs(x.m), b: reg(x.reg) }); break;
      case 'ri': calls.push({ k: 3, mn: x.mn, a: reg(x.reg), imm: x.imm }); break;
      case 'mi': calls.push({ k: 4, mn: x.mn, m: memArgs(x.m, x.size), imm: x.imm }); break;
      case 'rr': calls.push({ k: 0, mn: x.mn, a: reg(x.dst), b: reg(x.src) }); break;
      case 'br': calls.push({ k: 5, mn: x.mn, label: x.label }); break;
    }
  }
  return calls;
}

/**
 * Replays the calls through the builder API the way a user writes code: labels made with
 * `a.label()`, memory operands with `mem({...})` at the call, numbers and labels as immediates.
 */
export function x86Build(calls: readonly BuildCall[], labelCount: number, a: X86Builder): X86Builder {
  const labels = new Array(labelCount);
  for (let i = 0; i < labelCount; i++) labels[i] = a.label();
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    switch (c.k) {
      case 0: a.insn(c.mn, c.a, c.b); break;
      case 1: a.insn(c.mn, c.a, mem(c.m)); break;
      case 2: a.insn(c.mn, mem(c.m), c.b); break;
      case 3: a.insn(c.mn, c.a, c.imm); break;
      case 4: a.insn(c.mn, mem(c.m), c.imm); break;
      case 5: a.insn(c.mn, labels[c.label]); break;
      case 6: a.bind(labels[c.label]); break;
    }
  }
  return a;
}

/** Convenience: the default 10k program's nasm text. */
export function x86Program10k(seed = 1): { text: string; program: GenProgram } {
  const program = genX86({ seed });
  return { text: x86Text(program), program };
}
