/**
 * Seeded program generators for the assembler throughput section, each rendered in the dialect of
 * every assembler compared (so all of them assemble the same instructions).
 *
 * x86-64 (as targets.md describes): mov/lea with SIB and disp8/disp32 operands, ALU with imm8 and
 * imm32, and jcc/jmp to 1,250 labels, 70% of branches to a label at most 2 away, 30% up to 40
 * away. Labels start blocks of 8 instructions, the last a branch.
 */
import { rng } from '../test/helpers/rng.js';
export { rng };


export const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;
export const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'] as const;
export const ALU = ['add', 'sub', 'and', 'or', 'xor', 'cmp'] as const;
export const JCC = ['je', 'jne', 'jl', 'jge', 'jle', 'jg', 'jb', 'jae'] as const;

export interface Mem {
  base: number;
  index?: number;
  scale: 1 | 2 | 4 | 8;
  disp: number;
}
export type X86Op =
  | { k: 'load'; dst: number; m: Mem } // mov r64, qword [m]
  | { k: 'store'; m: Mem; src: number } // mov dword [m], r32
  | { k: 'lea'; dst: number; m: Mem }
  | { k: 'alui'; op: (typeof ALU)[number]; dst: number; imm: number } // op r64, imm8/imm32
  | { k: 'alur'; op: (typeof ALU)[number]; dst: number; src: number } // op r64, r64
  | { k: 'movi'; dst: number; imm: number } // mov r32, imm32
  | { k: 'cmpm'; m: Mem; imm: number } // cmp dword [m], imm8
  | { k: 'jcc'; cc: (typeof JCC)[number]; target: number }
  | { k: 'jmp'; target: number };

export interface X86Program {
  labels: number;
  /** ops[i] with labelAt[i] = label number bound just before it, or -1. */
  ops: X86Op[];
  labelAt: number[];
}

/**
 * The seeded draws both generators make: a pick from a list, an integer in a range, and the label
 * a block's closing branch goes to (70% at most 2 labels away, 30% 3 to 40, forward or back).
 */
function draws(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const branchTarget = (b: number, labels: number): number => {
    const far = r() < 0.3;
    const dist = far ? int(3, 40) : int(1, 2);
    let t = r() < 0.5 ? b + dist : b - dist;
    if (t < 0 || t >= labels) t = b + (t < 0 ? dist : -dist);
    return Math.min(labels - 1, Math.max(0, t));
  };
  return { r, pick, int, branchTarget };
}

export function genX86(count = 10_000, labels = 1_250, seed = 0x7e1f): X86Program {
  const { r, pick, int, branchTarget } = draws(seed);
  const disp = () => {
    const x = r();
    return x < 0.2 ? 0 : x < 0.65 ? int(-128, 127) : int(128, 0x7fff) * (r() < 0.5 ? -1 : 1) * 16;
  };
  const mem = (): Mem => {
    const base = int(0, 15);
    if (r() < 0.3) return { base, scale: 1, disp: disp() };
    let index = int(0, 15);
    if (index === 4) index = 5; // rsp cannot be an index
    return { base, index, scale: pick([1, 2, 4, 8] as const), disp: disp() };
  };
  const imm = () => (r() < 0.6 ? int(-128, 127) : int(128, 0x7fffffff) * (r() < 0.5 ? -1 : 1));
  const per = Math.floor(count / labels);
  const ops: X86Op[] = [];
  const labelAt: number[] = [];
  for (let b = 0; b < labels; b++) {
    for (let i = 0; i < per; i++) {
      labelAt.push(i === 0 ? b : -1);
      if (i === per - 1) {
        const t = branchTarget(b, labels);
        ops.push(r() < 0.2 ? { k: 'jmp', target: t } : { k: 'jcc', cc: pick(JCC), target: t });
        continue;
      }
      const x = r();
      if (x < 0.2) ops.push({ k: 'load', dst: int(0, 15), m: mem() });
      else if (x < 0.32) ops.push({ k: 'store', m: mem(), src: int(0, 15) });
      else if (x < 0.47) ops.push({ k: 'lea', dst: int(0, 15), m: mem() });
      else if (x < 0.72) ops.push({ k: 'alui', op: pick(ALU), dst: int(0, 15), imm: imm() });
      else if (x < 0.85) ops.push({ k: 'alur', op: pick(ALU), dst: int(0, 15), src: int(0, 15) });
      else if (x < 0.93) ops.push({ k: 'movi', dst: int(0, 15), imm: int(0, 0x7fffffff) });
      else ops.push({ k: 'cmpm', m: mem(), imm: int(-128, 127) });
    }
  }
  return { labels, ops, labelAt };
}

function memText(m: Mem, ptr: string): string {
  let s = R64[m.base]!;
  if (m.index !== undefined) s += ` + ${R64[m.index]}*${m.scale}`;
  if (m.disp) s += m.disp < 0 ? ` - ${-m.disp}` : ` + ${m.disp}`;
  return `${ptr}[${s}]`;
}

/** nasm syntax (tinyelf's text front end and nasm -f bin); `intel` gives GNU/LLVM Intel syntax. */
export function renderX86(p: X86Program, dialect: 'nasm' | 'intel'): string {
  const q = dialect === 'nasm' ? 'qword ' : 'qword ptr ';
  const d = dialect === 'nasm' ? 'dword ' : 'dword ptr ';
  const lines: string[] = dialect === 'nasm' ? ['bits 64'] : ['.intel_syntax noprefix'];
  p.ops.forEach((o, i) => {
    if (p.labelAt[i]! >= 0) lines.push(`L${p.labelAt[i]}:`);
    switch (o.k) {
      case 'load': lines.push(`mov ${R64[o.dst]}, ${memText(o.m, q)}`); break;
      case 'store': lines.push(`mov ${memText(o.m, d)}, ${R32[o.src]}`); break;
      case 'lea': lines.push(`lea ${R64[o.dst]}, ${memText(o.m, '')}`); break;
      case 'alui': lines.push(`${o.op} ${R64[o.dst]}, ${o.imm}`); break;
      case 'alur': lines.push(`${o.op} ${R64[o.dst]}, ${R64[o.src]}`); break;
      case 'movi': lines.push(`mov ${R32[o.dst]}, ${o.imm}`); break;
      case 'cmpm': lines.push(`cmp ${memText(o.m, d)}, ${o.imm}`); break;
      case 'jcc': lines.push(`${o.cc} L${o.target}`); break;
      case 'jmp': lines.push(`jmp L${o.target}`); break;
    }
  });
  return lines.join('\n') + '\n';
}

/**
 * AArch64, A32 and Thumb: the same shape (blocks of 8 between 1,250 labels, a branch ending each
 * block, 70% near / 30% up to 40 labels away): add/sub/and/orr/eor with immediates and shifted
 * registers, ldr/str with immediate offsets, mov immediates, then b / b.cond / cbz (AArch64) or
 * b / bCC (A32, Thumb). Thumb (ARMv7, so Thumb-2) draws the same numbers as A32 and keeps the
 * values Thumb-2 can encode: add/sub immediates up to 4095, Thumb-2 modified immediates, ldr
 * offsets that are not negative; its 16-bit branches grow where their targets are too far.
 */
export function genArm(kind: 'aarch64' | 'arm' | 'thumb', count = 10_000, labels = 1_250, seed = 0xa64): string {
  const { r, pick, int, branchTarget } = draws(seed);
  const per = Math.floor(count / labels);
  const a64 = kind === 'aarch64';
  const thumb = kind === 'thumb';
  const reg = () => (a64 ? `x${int(0, 28)}` : `r${int(0, 12)}`);
  const wreg = () => `w${int(0, 28)}`;
  const conds = ['eq', 'ne', 'lt', 'ge', 'le', 'gt', 'hi', 'ls'];
  const lines: string[] = a64 ? [] : [thumb ? '.thumb' : '.arm', '.syntax unified'];
  for (let b = 0; b < labels; b++) {
    lines.push(`L${b}:`);
    for (let i = 0; i < per; i++) {
      if (i === per - 1) {
        const t = branchTarget(b, labels);
        const y = r();
        if (a64) lines.push(y < 0.2 ? `b L${t}` : y < 0.4 ? `cbz ${reg()}, L${t}` : `b.${pick(conds)} L${t}`);
        else lines.push(y < 0.2 ? `b L${t}` : `b${pick(conds)} L${t}`);
        continue;
      }
      const x = r();
      const op = pick(['add', 'sub', 'and', 'orr', 'eor']);
      if (x < 0.3) {
        if (op === 'add' || op === 'sub') lines.push(`${op} ${reg()}, ${reg()}, #${int(0, 4095) & (a64 || thumb ? 4095 : 255)}`);
        else lines.push(`${op} ${reg()}, ${reg()}, #${a64 ? pick(['0xff', '0xff00', '0x1', '0xfffffffffffffff0', '0x3c']) : thumb ? pick(['0xff', '0xff00', '1', '0x3c0', '0xff00ff00']) : pick(['0xff', '0xff00', '1', '0x3c0', '0xf000000f'])}`);
      } else if (x < 0.55) lines.push(`${op} ${reg()}, ${reg()}, ${reg()}, lsl #${int(0, 31)}`);
      else if (x < 0.7) lines.push(a64 ? `ldr ${reg()}, [${reg()}, #${int(0, 511) * 8}]` : `ldr ${reg()}, [${reg()}, #${(thumb ? Math.abs(int(-255, 255)) : int(-255, 255)) * 4 || 4}]`);
      else if (x < 0.82) lines.push(a64 ? `str ${wreg()}, [${reg()}, #${int(0, 511) * 4}]` : `str ${reg()}, [${reg()}, #${int(0, 1023)}]`);
      else if (x < 0.92) lines.push(a64 ? `mov ${wreg()}, #${int(0, 65535)}` : `mov ${reg()}, #${int(0, 255)}`);
      else lines.push(`cmp ${reg()}, #${int(0, 255)}`);
    }
  }
  return lines.join('\n') + '\n';
}
