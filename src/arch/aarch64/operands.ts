import { num, type Expr } from '../../core/expr.js';
import type { SourceLoc } from '../../core/errors.js';
import type { LiteralPool } from '../literal-pool.js';
import type { Reg } from './registers.js';

/** Shift applied to a register operand (`x2, lsl #3`). */
export type ShiftOp = 'lsl' | 'lsr' | 'asr' | 'ror';
/** Extend applied to a register operand (`w2, uxtw #2`). */
export type ExtendOp = 'uxtb' | 'uxth' | 'uxtw' | 'uxtx' | 'sxtb' | 'sxth' | 'sxtw' | 'sxtx';

export const SHIFT_OPS: ReadonlySet<string> = new Set<ShiftOp>(['lsl', 'lsr', 'asr', 'ror']);
/** Extend name → the 3-bit `option` field value (Arm ARM: DecodeRegExtend). */
export const EXTEND_OPTION: Readonly<Record<ExtendOp, number>> = {
  uxtb: 0, uxth: 1, uxtw: 2, uxtx: 3, sxtb: 4, sxth: 5, sxtw: 6, sxtx: 7,
};

/** Condition name → the 4-bit `cond` field (hs/lo are the cs/cc aliases). */
export const CONDITIONS: ReadonlyMap<string, number> = new Map([
  ['eq', 0], ['ne', 1], ['cs', 2], ['hs', 2], ['cc', 3], ['lo', 3], ['mi', 4], ['pl', 5], ['vs', 6],
  ['vc', 7], ['hi', 8], ['ls', 9], ['ge', 10], ['lt', 11], ['gt', 12], ['le', 13], ['al', 14], ['nv', 15],
]);

/** A register, possibly shifted or extended: `x2`, `x2, lsl #3`, `w2, sxtw #2`. */
export interface RegOperand {
  readonly kind: 'reg';
  readonly reg: Reg;
  readonly shift?: { readonly op: ShiftOp | ExtendOp; readonly amount?: Expr };
  /** Where the operand was written (text syntax), for error messages. */
  readonly loc?: SourceLoc;
}

/** `#expr` (or a bare number), with an optional `lsl #n` (add/sub and movz/movk/movn). */
export interface ImmOperand {
  readonly kind: 'imm';
  readonly value: Expr;
  readonly lsl?: Expr;
  /** Written with `#`; branch targets are written without it. */
  readonly hash: boolean;
  /** Where the operand was written (text syntax), for error messages. */
  readonly loc?: SourceLoc;
}

/** `[base]`, `[base, #off]`, `[base, #off]!`, `[base], #off`, `[base, index{, extend #n}]`. */
export interface MemOperand {
  readonly kind: 'mem';
  readonly base: Reg;
  readonly mode: 'offset' | 'pre' | 'post';
  readonly offset?: Expr;
  readonly index?: RegOperand;
  /** Where the operand was written (text syntax), for error messages. */
  readonly loc?: SourceLoc;
}

/** A condition name (`eq`, `hs`, …) for csel/cset and friends. */
export interface CondOperand {
  readonly kind: 'cond';
  readonly cond: number;
  readonly name: string;
  /** Where the operand was written (text syntax), for error messages. */
  readonly loc?: SourceLoc;
}

/** `=expr` after `ldr`: the value, made by one movz or loaded from a literal pool. */
export interface LitOperand {
  readonly kind: 'lit';
  readonly value: Expr;
  readonly loc?: SourceLoc;
}

export type Operand = RegOperand | ImmOperand | MemOperand | CondOperand | LitOperand;

/** One A64 instruction as the front ends produce it: the mnemonic and its operands, unencoded. */
export interface A64Insn {
  readonly mn: string;
  readonly ops: readonly Operand[];
  /** `ldr xN, =value` from a pool: the pool and the entry (bound when the section ends). */
  lit?: { pool: LiteralPool; index: number };
  /** The `.pool` marker (`.ltorg`/`.pool`, or one added at the end of a section). */
  readonly pool?: LiteralPool;
  /**
   * A branch to a label as the text fast path read it (b, bl, b.cond, cbz, cbnz): its word with
   * every field but the offset filled in, which fast.ts's encodeBranchInto adds in each pass.
   */
  readonly branchWord?: number;
}

// Constructors, for the builder and the tests.
export const r = (reg: Reg): RegOperand => ({ kind: 'reg', reg });
export const shifted = (reg: Reg, op: ShiftOp | ExtendOp, amount?: number | bigint | Expr): RegOperand => ({
  kind: 'reg',
  reg,
  shift: { op, ...(amount === undefined ? {} : { amount: toExpr(amount) }) },
});
export const imm = (v: number | bigint | Expr, lsl?: number): ImmOperand => ({
  kind: 'imm',
  value: toExpr(v),
  hash: true,
  ...(lsl === undefined ? {} : { lsl: num(lsl) }),
});
export const target = (e: Expr): ImmOperand => ({ kind: 'imm', value: e, hash: false });
export const cond = (name: string): CondOperand => {
  const c = CONDITIONS.get(name);
  if (c === undefined) throw new Error(`unknown condition '${name}'`);
  return { kind: 'cond', cond: c, name };
};
export const mem = (base: Reg, offset?: number | bigint | Expr | RegOperand, mode: 'offset' | 'pre' | 'post' = 'offset'): MemOperand => {
  if (offset !== undefined && typeof offset === 'object' && 'kind' in offset && offset.kind === 'reg') {
    return { kind: 'mem', base, mode, index: offset };
  }
  return { kind: 'mem', base, mode, ...(offset === undefined ? {} : { offset: toExpr(offset as number | bigint | Expr) }) };
};

export function toExpr(v: number | bigint | Expr): Expr {
  return typeof v === 'object' ? v : num(v);
}
