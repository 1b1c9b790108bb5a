/**
 * Register, condition and shift names of the 32-bit ARM architecture (A32 and Thumb share them).
 * Numbers are the 4-bit fields the encodings use.
 */

export type Reg = number; // 0..15

export const SP = 13;
export const LR = 14;
export const PC = 15;

const REG_NAMES: Record<string, Reg> = {
  sb: 9, sl: 10, fp: 11, ip: 12, sp: 13, lr: 14, pc: 15,
};
for (let i = 0; i < 16; i++) REG_NAMES[`r${i}`] = i;

/** The register a (lower-case) name stands for, or undefined. */
export function regNumber(name: string): Reg | undefined {
  return REG_NAMES[name.toLowerCase()];
}

export function regName(r: Reg): string {
  return r === 13 ? 'sp' : r === 14 ? 'lr' : r === 15 ? 'pc' : `r${r}`;
}

/** Condition field values (bits 31-28 in A32); 14 is "always". */
export const CONDS: Record<string, number> = {
  eq: 0, ne: 1, cs: 2, hs: 2, cc: 3, lo: 3, mi: 4, pl: 5, vs: 6, vc: 7,
  hi: 8, ls: 9, ge: 10, lt: 11, gt: 12, le: 13, al: 14,
};
export const AL = 14;

/** Shift types as the 2-bit `type` field encodes them; rrx is ror with amount 0. */
export type ShiftType = 'lsl' | 'lsr' | 'asr' | 'ror' | 'rrx';
export const SHIFT_TYPE: Record<ShiftType, number> = { lsl: 0, lsr: 1, asr: 2, ror: 3, rrx: 3 };
export const SHIFT_NAMES: readonly ShiftType[] = ['lsl', 'lsr', 'asr', 'ror', 'rrx'];
