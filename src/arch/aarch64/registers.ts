/**
 * A64 general-purpose registers. Register number 31 means either the stack pointer or the zero
 * register depending on the instruction field, so the operand keeps which one the source named:
 * `sp`/`wsp` (sp: true) versus `xzr`/`wzr` (sp: false).
 */
export interface Reg {
  readonly kind: 'reg';
  /** 0–31 as encoded in a register field. */
  readonly num: number;
  readonly width: 32 | 64;
  /** True for sp/wsp (number 31 read as the stack pointer). */
  readonly sp: boolean;
  readonly name: string;
}

function reg(num: number, width: 32 | 64, sp: boolean, name: string): Reg {
  return Object.freeze({ kind: 'reg', num, width, sp, name });
}

/** x0–x30 and w0–w30, indexed by number. */
export const X: readonly Reg[] = Array.from({ length: 31 }, (_, i) => reg(i, 64, false, `x${i}`));
export const W: readonly Reg[] = Array.from({ length: 31 }, (_, i) => reg(i, 32, false, `w${i}`));
export const sp = reg(31, 64, true, 'sp');
export const wsp = reg(31, 32, true, 'wsp');
export const xzr = reg(31, 64, false, 'xzr');
export const wzr = reg(31, 32, false, 'wzr');

export const [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15] = X as Reg[];
export const [x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, x29, x30] = X.slice(16) as Reg[];
export const [w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, w14, w15] = W as Reg[];
export const [w16, w17, w18, w19, w20, w21, w22, w23, w24, w25, w26, w27, w28, w29, w30] = W.slice(16) as Reg[];
/** The procedure-call names GNU as and llvm-mc accept. */
export const fp = X[29]!;
export const lr = X[30]!;

/** Every register spelling, lower case, for the parser (one map lookup per identifier). */
export const REGISTERS: ReadonlyMap<string, Reg> = new Map<string, Reg>([
  ...X.map((r) => [r.name, r] as const),
  ...W.map((r) => [r.name, r] as const),
  ['sp', sp],
  ['wsp', wsp],
  ['xzr', xzr],
  ['wzr', wzr],
  ['fp', fp],
  ['lr', lr],
]);
