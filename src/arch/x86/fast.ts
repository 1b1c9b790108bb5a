/**
 * The builder's fast path (64-bit mode): the most common instructions whose operands are 32/64-bit
 * registers, int32 immediates and memory operands `[base + index*scale + disp32]` are encoded the
 * moment they are added, into the builder's byte buffer, with no operand objects and no BigInt.
 * Anything else returns -1 and goes through the general encoder; a test compares both paths
 * instruction by instruction, so the bytes are the general encoder's (nasm's) bytes.
 */
import type { MemOperand, X86Insn } from './operands.js';
import type { Reg } from './registers.js';
import { CONDITIONS } from './table.js';

/** ALU mnemonics: the /digit of 81/83 (the MR opcode is digit*8+1, RM digit*8+3, short imm digit*8+5). */
export const ALU: Readonly<Record<string, number>> = { add: 0, or: 1, adc: 2, sbb: 3, and: 4, sub: 5, xor: 6, cmp: 7 };

/** Branch kinds: 0..15 jcc (condition code), JMP, CALL. */
export const JMP = 16, CALL = 17;
export const BRANCH: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>([['jmp', JMP], ['call', CALL]]);
  CONDITIONS.forEach((names, cc) => { for (const c of names) m.set(`j${c}`, cc); });
  return m;
})();

/** Instructions without operands (64-bit mode bytes). */
const ZERO_OPS: Readonly<Record<string, readonly number[]>> = {
  ret: [0xc3], syscall: [0x0f, 0x05], nop: [0x90], hlt: [0xf4], int3: [0xcc], leave: [0xc9], ud2: [0x0f, 0x0b],
  cqo: [0x48, 0x99], cdq: [0x99], cdqe: [0x48, 0x98], cld: [0xfc], std: [0xfd], clc: [0xf8], stc: [0xf9], cmc: [0xf5],
  pause: [0xf3, 0x90], cpuid: [0x0f, 0xa2], rdtsc: [0x0f, 0x31],
};
/** inc/dec/not/neg r: opcode and /digit. */
const UNARY: Readonly<Record<string, number>> = { inc: 0xff00, dec: 0xff01, not: 0xf702, neg: 0xf703 };

/** Two-operand mnemonics: the ALU digit (0..7), or MOV, TEST, LEA. */
const MOV = 8, TEST = 9, LEA = 10;
const TWO_OPS: ReadonlyMap<string, number> = new Map([...Object.entries(ALU), ['mov', MOV], ['test', TEST], ['lea', LEA]]);

/**
 * What `encodeFastAs` needs of a mnemonic, looked up once (the builder's methods and the text
 * path's word table hold it): its two-operand code (ALU digit, MOV, TEST, LEA; -1: none), its bytes
 * without operands, and its one-register form (UNARY's opcode and digit, PUSH or POP; -1: none).
 */
export interface FastMnemonic {
  readonly two: number;
  readonly zero: readonly number[] | undefined;
  readonly one: number;
}
const PUSH = -2, POP = -3;

/** Every mnemonic `encodeFast` may encode (branches are in BRANCH). */
export const FAST_MNEMONICS: ReadonlyMap<string, FastMnemonic> = new Map(
  [...TWO_OPS.keys(), ...Object.keys(ZERO_OPS), ...Object.keys(UNARY), 'push', 'pop'].map((mn) => [
    mn,
    { two: TWO_OPS.get(mn) ?? -1, zero: ZERO_OPS[mn], one: mn === 'push' ? PUSH : mn === 'pop' ? POP : UNARY[mn] ?? -1 },
  ]),
);

/** A 32- or 64-bit general register (the fast path's only registers), else undefined. */
function gpr(o: unknown): Reg | undefined {
  if (typeof o !== 'object' || o === null || (o as Reg).kind !== 'reg') return undefined;
  const c = (o as Reg).cls;
  return c === 'r64' || c === 'r32' ? (o as Reg) : undefined;
}

function int32(o: unknown): boolean {
  return typeof o === 'number' && (o | 0) === o;
}

/** The displacement of a fast memory operand (NaN: not a fast memory operand). */
function memDisp(m: MemOperand): number {
  if (m.seg !== undefined || m.rel === true || m.wide || m.dispSize !== undefined) return NaN;
  const b = m.base;
  if (b === undefined || b.cls !== 'r64') return NaN;
  const x = m.index;
  if (x !== undefined && (x.cls !== 'r64' || x.num === 4)) return NaN;
  if (m.dispNumber !== undefined) return m.dispNumber;
  const d = m.disp;
  if (d === undefined) return 0;
  if (d.k !== 'num') return NaN;
  const v = d.v;
  if (v < -0x80000000n || v > 0x7fffffffn) return NaN;
  return Number(v);
}

function isMem(o: unknown): o is MemOperand {
  return typeof o === 'object' && o !== null && (o as MemOperand).t === 'mem';
}

/** Writes [REX] opcode(s) ModRM [SIB] [disp] for `reg` (0..15) and memory `m`; returns the new position. */
function modrmMem(b: Uint8Array, p: number, w: number, op: number, op2: number, reg: number, m: MemOperand, disp: number): number {
  const base = m.base!.num;
  const index = m.index === undefined ? -1 : m.index.num;
  const rex = w | ((reg >> 3) << 2) | (index > 7 ? 2 : 0) | (base >> 3);
  if (rex) b[p++] = 0x40 | rex;
  b[p++] = op;
  if (op2 >= 0) b[p++] = op2;
  const mod = disp === 0 && (base & 7) !== 5 ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;
  if (index < 0 && (base & 7) !== 4) {
    b[p++] = (mod << 6) | ((reg & 7) << 3) | (base & 7);
  } else {
    b[p++] = (mod << 6) | ((reg & 7) << 3) | 4;
    const ss = m.scale === 1 ? 0 : m.scale === 2 ? 1 : m.scale === 4 ? 2 : 3;
    b[p++] = (ss << 6) | ((index < 0 ? 4 : index & 7) << 3) | (base & 7);
  }
  if (mod === 1) b[p++] = disp & 0xff;
  else if (mod === 2) {
    b[p++] = disp & 0xff; b[p++] = (disp >> 8) & 0xff; b[p++] = (disp >> 16) & 0xff; b[p++] = (disp >>> 24) & 0xff;
  }
  return p;
}

/** [REX] opcode ModRM(mod=3) for `reg` and `rm` (register numbers 0..15). */
function modrmReg(b: Uint8Array, p: number, w: number, op: number, reg: number, rm: number): number {
  const rex = w | ((reg >> 3) << 2) | (rm >> 3);
  if (rex) b[p++] = 0x40 | rex;
  b[p++] = op;
  b[p++] = 0xc0 | ((reg & 7) << 3) | (rm & 7);
  return p;
}

function imm32(b: Uint8Array, p: number, v: number): number {
  b[p] = v & 0xff; b[p + 1] = (v >> 8) & 0xff; b[p + 2] = (v >> 16) & 0xff; b[p + 3] = (v >>> 24) & 0xff;
  return p + 4;
}

/**
 * Encodes `mn ops` at `b[p]` (at least 16 bytes free) in 64-bit mode; returns the position after
 * the instruction, or -1 when the instruction is not one the fast path knows (nothing is written
 * that matters then). Branches are not handled here.
 */
export function encodeFast(b: Uint8Array, p: number, mn: string, ops: readonly unknown[]): number {
  const fm = FAST_MNEMONICS.get(mn);
  return fm === undefined ? -1 : encodeFastAs(b, p, fm, ops);
}

/** `encodeFast` with the mnemonic looked up already. */
export function encodeFastAs(b: Uint8Array, p: number, fm: FastMnemonic, ops: readonly unknown[]): number {
  return encodeFastOperands(b, p, fm, ops.length, ops[0], ops[1]);
}

/**
 * `encodeFastAs` with the operands as arguments: `n` of them, of which `a` and `c` are the first
 * two (the builder's mnemonic methods need no array for them this way). -1 for more than two.
 */
export function encodeFastOperands(b: Uint8Array, p: number, fm: FastMnemonic, n: number, a: unknown, c: unknown): number {
  if (n === 2) {
    const alu = fm.two;
    if (alu < 0) return -1;
    const isMov = alu === MOV, isTest = alu === TEST, isLea = alu === LEA;
    const ra = gpr(a);
    if (ra !== undefined) {
      const w = ra.cls === 'r64' ? 8 : 0;
      const rc = gpr(c);
      if (rc !== undefined) {
        if (rc.cls !== ra.cls || isLea) return -1;
        const op = isMov ? 0x89 : isTest ? 0x85 : alu * 8 + 1;
        return modrmReg(b, p, w, op, rc.num, ra.num);
      }
      if (int32(c)) {
        const v = c as number;
        if (isLea) return -1;
        if (isMov) {
          if (w === 0 || v >= 0) {
            if (ra.num > 7) b[p++] = 0x41;
            b[p++] = 0xb8 + (ra.num & 7);
            return imm32(b, p, v);
          }
          p = modrmReg(b, p, w, 0xc7, 0, ra.num);
          return imm32(b, p, v);
        }
        if (isTest) {
          if (ra.num === 0) {
            if (w) b[p++] = 0x48;
            b[p++] = 0xa9;
          } else p = modrmReg(b, p, w, 0xf7, 0, ra.num);
          return imm32(b, p, v);
        }
        if (v >= -128 && v <= 127) {
          p = modrmReg(b, p, w, 0x83, alu, ra.num);
          b[p++] = v & 0xff;
          return p;
        }
        if (ra.num === 0) {
          if (w) b[p++] = 0x48;
          b[p++] = alu * 8 + 5;
        } else p = modrmReg(b, p, w, 0x81, alu, ra.num);
        return imm32(b, p, v);
      }
      if (isMem(c)) {
        const d = memDisp(c);
        if (d !== d) return -1;
        if (!isLea && c.size !== undefined && c.size !== ra.size) return -1;
        const op = isLea ? 0x8d : isMov ? 0x8b : isTest ? 0x85 : alu * 8 + 3;
        return modrmMem(b, p, w, op, -1, ra.num, c, d);
      }
      return -1;
    }
    if (isMem(a) && !isLea) {
      const d = memDisp(a);
      if (d !== d) return -1;
      const rc = gpr(c);
      if (rc !== undefined) {
        if (a.size !== undefined && a.size !== rc.size) return -1;
        const op = isMov ? 0x89 : isTest ? 0x85 : alu * 8 + 1;
        return modrmMem(b, p, rc.cls === 'r64' ? 8 : 0, op, -1, rc.num, a, d);
      }
      if (int32(c) && (a.size === 32 || a.size === 64)) {
        const v = c as number;
        const w = a.size === 64 ? 8 : 0;
        if (isMov || isTest) {
          p = modrmMem(b, p, w, isMov ? 0xc7 : 0xf7, -1, 0, a, d);
          return imm32(b, p, v);
        }
        if (v >= -128 && v <= 127) {
          p = modrmMem(b, p, w, 0x83, -1, alu, a, d);
          b[p++] = v & 0xff;
          return p;
        }
        p = modrmMem(b, p, w, 0x81, -1, alu, a, d);
        return imm32(b, p, v);
      }
    }
    return -1;
  }
  if (n === 0) {
    const z = fm.zero;
    if (z === undefined) return -1;
    for (let i = 0; i < z.length; i++) b[p++] = z[i]!;
    return p;
  }
  if (n === 1) {
    const r = gpr(a);
    if (r === undefined) return -1;
    const one = fm.one;
    if (one === PUSH || one === POP) {
      if (r.cls !== 'r64') return -1;
      if (r.num > 7) b[p++] = 0x41;
      b[p++] = (one === PUSH ? 0x50 : 0x58) + (r.num & 7);
      return p;
    }
    if (one < 0) return -1;
    return modrmReg(b, p, r.cls === 'r64' ? 8 : 0, one >> 8, one & 7, r.num);
  }
  return -1;
}

/** The text path's switch (tests compare both ways). */
export const fastText = { on: true };

const OPS0: unknown[] = [];
const OPS1: unknown[] = [undefined];
const OPS2: unknown[] = [undefined, undefined];
const I32_MIN_BIG = -0x80000000n, I32_MAX_BIG = 0x7fffffffn;

/**
 * The fast path for a parsed instruction (the text syntax): registers, memory operands and plain
 * constant immediates (no size, `strict` or `short`/`near`) in 64-bit mode without prefixes.
 * Returns the position after the instruction or -1 (then the row search encodes it).
 */
export function encodeFastInsn(insn: X86Insn, b: Uint8Array, p: number): number {
  if (insn.bits !== 64 || insn.prefixes.length !== 0 || !fastText.on || insn.seg !== undefined || insn.addrSize !== undefined || insn.opSize !== undefined) return -1;
  const ops = insn.ops;
  const n = ops.length;
  if (n > 2) return -1;
  const arr = n === 0 ? OPS0 : n === 1 ? OPS1 : OPS2;
  for (let i = 0; i < n; i++) {
    const o = ops[i]!;
    if (o.t === 'reg') arr[i] = o.reg;
    else if (o.t === 'mem') arr[i] = o;
    else {
      if (o.size !== undefined || o.strict || o.dist !== undefined || o.e.k !== 'num' || o.seg !== undefined) return -1;
      const v = o.e.v;
      if (v < I32_MIN_BIG || v > I32_MAX_BIG) return -1;
      arr[i] = Number(v);
    }
  }
  return encodeFast(b, p, insn.mn, arr);
}
