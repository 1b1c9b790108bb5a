import { isConstant, type Expr } from '../core/expr.js';

/**
 * Literal pools shared by the ARM and AArch64 backends: the values of `ldr rX, =value` that
 * did not become a `mov`, placed after `.ltorg`/`.pool` or at the end of the section.
 */
export interface LiteralPool {
  /** Entries in first-use order; `size` is 4 (ARM, AArch64 `w`) or 8 (AArch64 `x`). */
  entries: { e: Expr; key: string; size: 4 | 8 }[];
  /** Address of the first entry (after alignment padding) in the last pass that placed the pool. */
  at?: number;
  /** Address of each entry in that pass (AArch64, whose entries have mixed sizes). */
  addresses?: number[];
}

/**
 * Index of `e` in the pool, adding it unless an entry of the same value and size is already
 * there; with `onlyConstants`, expressions with symbols always get an entry of their own (as
 * llvm-mc 14 does for AArch64).
 */
export function poolIndex(pool: LiteralPool, e: Expr, size: 4 | 8, onlyConstants = false): number {
  const key = exprKey(e);
  const index = onlyConstants && !isConstant(e) ? -1 : pool.entries.findIndex((en) => en.key === key && en.size === size);
  return index >= 0 ? index : pool.entries.push({ e, key, size }) - 1;
}

/** A key that is equal for equal expressions (source places ignored). */
export function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'loc' ? undefined : typeof v === 'bigint' ? v.toString() : v));
}
