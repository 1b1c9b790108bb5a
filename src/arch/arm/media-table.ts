/**
 * The instructions whose operands are registers only (optionally a rotation of the last one): the
 * ARMv6 media and DSP instructions (parallel add/subtract, saturating add/subtract, the halfword
 * and dual multiplies, packing, extends with add, bit reversal) and Thumb-2's 32-bit forms of the
 * multiplies. One row per mnemonic gives its encoding in each instruction set; a32-table.ts and
 * thumb-table.ts turn the rows into their own 'regs' rows.
 *
 * `fields` lists, in operand order, the bit where each register number goes (a field given as a
 * list takes the register at each of those bits: Thumb-2's clz and rev write Rm twice). Bits are
 * as in the Arm ARM (DDI 0406C) sections A5.4 (A32 media), A5.2.7 (halfword multiplies) and
 * A6.3.13-17 (Thumb-2); a 32-bit Thumb instruction is written hw1 << 16 | hw2.
 *
 * Worked example: `sadd16 r1, r2, r3` in A32 is cond 0110 0001 Rn=0010 Rd=0001 1111 0001 Rm=0011:
 * the row's bits 0x06100f10 with Rd at 12, Rn at 16, Rm at 0 give 0xe6121f13.
 */

export type Field = number | readonly number[];

export interface MediaRow {
  readonly mn: string;
  /** The A32 fixed bits (condition left 0) and register fields; absent: no A32 form. */
  readonly a32?: { readonly bits: number; readonly fields: readonly Field[] };
  /** The Thumb-2 fixed bits and register fields; absent: no Thumb form here. */
  readonly t32?: { readonly bits: number; readonly fields: readonly Field[] };
  /** The last register may be rotated by `ror #8`, `#16` or `#24` (the extends). */
  readonly rot?: boolean;
  /** Needs ARMv6T2/ARMv7 in A32 (rbit); every Thumb-2 form needs ARMv7. */
  readonly v7?: boolean;
  /** The long multiplies: RdLo and RdHi (operands 1 and 2) must differ. */
  readonly long?: boolean;
}

/** Operand orders, as bit positions: A32 first, then Thumb-2. */
const D_N_M: [Field[], Field[]] = [[12, 16, 0], [8, 16, 0]];
const D_M_N: [Field[], Field[]] = [[12, 0, 16], [8, 0, 16]];
/** Multiplies: Rd, Rn, Rm (A32 puts Rd at 16 and Rm at 8). */
const MUL3: [Field[], Field[]] = [[16, 0, 8], [8, 16, 0]];
const MUL4: [Field[], Field[]] = [[16, 0, 8, 12], [8, 16, 0, 12]];
/** RdLo, RdHi, Rn, Rm. */
const LONG: [Field[], Field[]] = [[12, 16, 0, 8], [12, 8, 16, 0]];

const rows: MediaRow[] = [];
const add = (mn: string, a32: number | undefined, t32: number | undefined, [fa, ft]: [Field[], Field[]], extra: Partial<MediaRow> = {}): void => {
  rows.push({ mn, ...(fa === LONG[0] ? { long: true } : {}), ...(a32 !== undefined ? { a32: { bits: a32, fields: fa } } : {}), ...(t32 !== undefined ? { t32: { bits: t32 >>> 0, fields: ft } } : {}), ...extra });
};

// Parallel add and subtract: a prefix (signed, saturating, halving; unsigned ones) and an operation.
// A32 op1 (22-20) and op2 (7-5); Thumb-2 op1 (22-20) and U (6), H (5), Q (4) of hw2.
const PREFIX: [string, number, number][] = [['s', 0b001, 0x00], ['q', 0b010, 0x10], ['sh', 0b011, 0x20], ['u', 0b101, 0x40], ['uq', 0b110, 0x50], ['uh', 0b111, 0x60]];
const OPERATION: [string[], number, number][] = [
  [['add16'], 0b000, 0b001], [['asx', 'addsubx'], 0b001, 0b010], [['sax', 'subaddx'], 0b010, 0b110],
  [['sub16'], 0b011, 0b101], [['add8'], 0b100, 0b000], [['sub8'], 0b111, 0b100],
];
for (const [p, a32op1, t32bits] of PREFIX)
  for (const [names, a32op2, t32op1] of OPERATION)
    for (const op of names) add(p + op, 0x06000f10 | (a32op1 << 20) | (a32op2 << 5), 0xfa80f000 | (t32op1 << 20) | t32bits, D_N_M);

// Saturating add/subtract: qadd Rd, Rm, Rn.
add('qadd', 0x01000050, 0xfa80f080, D_M_N);
add('qsub', 0x01200050, 0xfa80f0a0, D_M_N);
add('qdadd', 0x01400050, 0xfa80f090, D_M_N);
add('qdsub', 0x01600050, 0xfa80f0b0, D_M_N);

// Halfword multiplies: x picks the half of Rn (A32 bit 5, Thumb bit 5), y that of Rm (bit 6, bit 4).
for (const [x, xb] of [['b', 0], ['t', 1]] as const) {
  for (const [y, yb] of [['b', 0], ['t', 1]] as const) {
    const a = (xb << 5) | (yb << 6);
    const t = (xb << 5) | (yb << 4);
    add(`smla${x}${y}`, 0x01000080 | a, 0xfb100000 | t, MUL4);
    add(`smul${x}${y}`, 0x01600080 | a, 0xfb10f000 | t, MUL3);
    add(`smlal${x}${y}`, 0x01400080 | a, 0xfbc00080 | t, LONG);
  }
  add(`smlaw${x}`, 0x01200080 | (xb << 6), 0xfb300000 | (xb << 4), MUL4);
  add(`smulw${x}`, 0x012000a0 | (xb << 6), 0xfb30f000 | (xb << 4), MUL3);
}

// Dual and most-significant-word multiplies: the `x` (exchange) or `r` (round) variant sets one bit.
for (const [mn, a32, t32, shape] of [
  ['smlad', 0x07000010, 0xfb200000, MUL4], ['smuad', 0x0700f010, 0xfb20f000, MUL3],
  ['smlsd', 0x07000050, 0xfb400000, MUL4], ['smusd', 0x0700f050, 0xfb40f000, MUL3],
  ['smlald', 0x07400010, 0xfbc000c0, LONG], ['smlsld', 0x07400050, 0xfbd000c0, LONG],
] as const) {
  add(mn, a32, t32, shape);
  add(`${mn}x`, a32 | 0x20, t32 | 0x10, shape);
}
for (const [mn, a32, t32, shape] of [['smmla', 0x07500010, 0xfb500000, MUL4], ['smmul', 0x0750f010, 0xfb50f000, MUL3], ['smmls', 0x075000d0, 0xfb600000, MUL4]] as const) {
  add(mn, a32, t32, shape);
  add(`${mn}r`, a32 | 0x20, t32 | 0x10, shape);
}
add('usad8', 0x0780f010, 0xfb70f000, MUL3);
add('usada8', 0x07800010, 0xfb700000, MUL4);
add('umaal', 0x00400090, 0xfbe00060, LONG);
// Thumb-2 forms of the ARMv4 multiplies (A32 has them in a32-table.ts, with an `s` form).
add('mla', undefined, 0xfb000000, MUL4);
add('mls', undefined, 0xfb000010, MUL4);
add('smull', undefined, 0xfb800000, LONG);
add('umull', undefined, 0xfba00000, LONG);
add('smlal', undefined, 0xfbc00000, LONG);
add('umlal', undefined, 0xfbe00000, LONG);

add('sel', 0x06800fb0, 0xfaa0f080, D_N_M);

// One source register: Rd, Rm. Thumb-2 writes Rm in both halfwords.
const D_M: [Field[], Field[]] = [[12, 0], [8, [16, 0]]];
add('clz', 0x016f0f10, 0xfab0f080, D_M);
add('rev', 0x06bf0f30, 0xfa90f080, D_M);
add('rev16', 0x06bf0fb0, 0xfa90f090, D_M);
add('revsh', 0x06ff0fb0, 0xfa90f0b0, D_M);
add('rbit', 0x06ff0f30, 0xfa90f0a0, D_M, { v7: true });

// Extends (Rd, Rm{, ror #n}) and extends with add (Rd, Rn, Rm{, ror #n}): Rn = 1111 is the plain one.
for (const [mn, a32, t32] of [
  ['sxtab16', 0x06800070, 0xfa20f080], ['sxtab', 0x06a00070, 0xfa40f080], ['sxtah', 0x06b00070, 0xfa00f080],
  ['uxtab16', 0x06c00070, 0xfa30f080], ['uxtab', 0x06e00070, 0xfa50f080], ['uxtah', 0x06f00070, 0xfa10f080],
] as const) {
  add(mn, a32, t32, D_N_M, { rot: true });
  add(mn.replace('a', ''), a32 | 0xf0000, t32 | 0xf0000, [[12, 0], [8, 0]], { rot: true });
}

export const MEDIA_TABLE: readonly MediaRow[] = rows;
