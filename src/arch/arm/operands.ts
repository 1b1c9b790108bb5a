import type { SourceLoc } from '../../core/errors.js';
import type { Expr } from '../../core/expr.js';
import type { LiteralPool } from '../literal-pool.js';
import type { Reg, ShiftType } from './registers.js';

/**
 * Typed operands of one ARM instruction, as the text syntax and the builder produce them. The
 * encoders classify them against each table row's operand kinds.
 */

/** `lsl #3`, `ror r2`, `rrx` after a register. */
export interface Shift {
  type: ShiftType;
  /** Amount as an immediate (`#n`), absent for rrx. */
  imm?: Expr;
  /** Amount in a register (A32 register-shifted register, Thumb-2 lsl.w rd, rn, rm). */
  reg?: Reg;
}

export type Operand =
  /** `r3`, `r3!` (ldm/stm base), `r3, lsl #2` (the shift belongs to the register). */
  | { k: 'reg'; r: Reg; wb?: boolean; shift?: Shift; loc: SourceLoc }
  /** `#expr`; `minus` when written `#-…` (`adr r0, #-0` subtracts). */
  | { k: 'imm'; e: Expr; minus?: boolean; loc: SourceLoc }
  /** A bare expression: a branch or adr target, a literal load's label. */
  | { k: 'expr'; e: Expr; loc: SourceLoc }
  /** `=expr`: load this value from the literal pool (or with mov/mvn when it fits). */
  | { k: 'lit'; e: Expr; loc: SourceLoc }
  /** `{r0-r3, lr}` as a bit mask; `user` for `{…}^` (ldm/stm of the user registers). */
  | { k: 'list'; mask: number; user?: boolean; loc: SourceLoc }
  /**
   * `[rn]`, `[rn, #imm]`, `[rn, #imm]!`, `[rn], #imm`, `[rn, -rm, lsl #2]`, `[rn], rm`.
   * `pre` is false for post-indexed forms; `wb` means the base is written back. `minus` says the
   * immediate offset was written with a leading `-`: `#-0` subtracts (U = 0), as GNU as and llvm-mc
   * encode it, though its value is 0.
   */
  | { k: 'mem'; base: Reg; imm?: Expr; minus?: boolean; reg?: { r: Reg; sub: boolean; shift?: Shift }; pre: boolean; wb: boolean; loc: SourceLoc };

export type Isa = 'v6' | 'v7';

/** Shared by every instruction of one source: what the encoder needs beyond the instruction itself. */
export interface ArmShared {
  isa: Isa;
}

/** A literal pool: the values of `ldr rX, =value` placed after `.ltorg`/`.pool` or at the end of a section. */
export type Pool = LiteralPool;

export interface ArmInsn {
  /** Base mnemonic without condition, `s`, or width: `add`, `ldm` (with `amode`), `b`, `it`. */
  mn: string;
  /** The `s` suffix (flags are set). */
  s: boolean;
  /** Condition field (14 = always). */
  cond: number;
  /** Thumb state (else A32). */
  thumb: boolean;
  isa: Isa;
  /** `.w` / `.n` qualifier. */
  width?: 'w' | 'n';
  /** Thumb: inside an IT block (16-bit data-processing forms then do not set flags). */
  inIT?: boolean;
  /** Thumb, inside an IT block: whether this is its last instruction (tbb/tbh must be). */
  itLast?: boolean;
  /** ldm/stm addressing mode. */
  amode?: 'ia' | 'ib' | 'da' | 'db';
  /** `it` mask pattern after the first condition: e.g. 'te' for itte. */
  itPattern?: string;
  ops: Operand[];
  /** For `ldr rX, =value`: the pool holding the value and its index (bound when the section ends). */
  lit?: { pool: Pool; index: number };
  /** Zero-size markers: `.pool` (a literal pool), mode switches (so code fill knows the mode). */
  pool?: Pool;
  /**
   * A32 `b`/`bl` to a label as the text fast path read it: the word with every field but the
   * offset filled in, which fast.ts's encodeBranchInto adds in each pass.
   */
  branchWord?: number;
  loc: SourceLoc;
}
