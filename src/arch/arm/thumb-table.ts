/**
 * The Thumb instruction set: the 16-bit forms (ARMv6 Thumb-1 and ARMv7) and the 32-bit Thumb-2
 * forms small programs need (ARMv7 only; bl/blx exist as 32-bit pairs on ARMv6 too).
 *
 * Format: `size` is 2 or 4 bytes; `bits` is the fixed part (a 32-bit form is written as
 * hw1<<16 | hw2, hw1 being stored first); `form` names how the encoder fills the remaining
 * fields; `syntax` is the operand shape shown in error messages. `flags` says how a 16-bit
 * data-processing form treats the `s` suffix: 'it' = sets flags outside an IT block only (so
 * `adds` outside, `add` inside), 'none' = never sets flags (no `s`), 'always' = compares (no `s`).
 * Rows of one mnemonic are listed shortest first: the encoder takes the first that fits.
 * Bit ranges follow the Arm ARM (DDI 0406C) section A6.
 *
 * Worked example: `{ mn: 'add', size: 2, form: 'rd_rn_imm3', bits: 0x1c00, flags: 'it' }` encodes
 * `adds r1, r2, #3` as 000 11 1 0 imm3=011 (8-6) Rn=010 (5-3) Rd=001 (2-0) = 0x1cd1, stored d1 1c.
 * `adds r1, r2, #9` does not fit imm3, so the next rows are tried: imm8 needs Rd = Rn, and in
 * ARMv7 `adds.w r1, r2, #9` (the modified-immediate row, 4 bytes) is used.
 */

import { MEDIA_TABLE, type Field } from './media-table.js';

export type ThumbForm =
  // 16-bit
  | 'shift_imm' // 000 op(12-11) imm5(10-6) Rm(5-3) Rd(2-0)
  | 'rd_rn_rm' // 000 11 0 opc(9) Rm(8-6) Rn(5-3) Rd(2-0)
  | 'rd_rn_imm3' // 000 11 1 opc(9) imm3(8-6) Rn(5-3) Rd(2-0)
  | 'rdn_imm8' // 001 op(12-11) Rdn(10-8) imm8(7-0)
  | 'alu' // 010000 op(9-6) Rm(5-3) Rdn(2-0)
  | 'hireg' // 010001 op(9-8) DN(7) Rm(6-3) Rdn(2-0)
  | 'bx' // 010001 11 L(7) Rm(6-3) 000
  | 'ldst_lit' // 01001 Rt(10-8) imm8(7-0), word offset from Align(pc, 4)
  | 'ldst_reg' // 0101 opc(11-9) Rm(8-6) Rn(5-3) Rt(2-0)
  | 'ldst_imm5' // 011 B L imm5(10-6) Rn Rt  /  1000 L imm5 Rn Rt (halfword)
  | 'ldst_sp' // 1001 L Rt(10-8) imm8(7-0)
  | 'adr' // 1010 0 Rd(10-8) imm8(7-0)
  | 'add_rd_sp' // 1010 1 Rd(10-8) imm8(7-0)
  | 'sp_imm7' // 1011 0000 S imm7(6-0)
  | 'cbz' // 1011 op 0 i 1 imm5(7-3) Rn(2-0)
  | 'ext' // 1011 0010 op(7-6) Rm Rd (sxth sxtb uxth uxtb), 1011 1010 op Rm Rd (rev)
  | 'push' // 1011 L 10 R register_list(7-0)
  | 'it' // 1011 1111 firstcond(7-4) mask(3-0)
  | 'nop' // 1011 1111 0000 0000 (v7) / mov r8, r8 (v6)
  | 'ldm' // 1100 L Rn(10-8) register_list(7-0)
  | 'bcond' // 1101 cond(11-8) imm8
  | 'svc' // 1101 1111 imm8
  | 'b' // 11100 imm11
  // 32-bit
  | 'bl' // 11110 S imm10 | 11 J1 1 J2 imm11  (blx: 11 J1 0 J2 imm10L 0)
  | 'b_w' // 11110 S imm10 | 10 J1 1 J2 imm11
  | 'bcond_w' // 11110 S cond imm6 | 10 J1 0 J2 imm11
  | 'dp_imm' // 11110 i 0 op(24-21) S Rn | 0 imm3 Rd imm8 (modified immediate)
  | 'dp_reg' // 11101 01 op(24-21) S Rn | 0 imm3 Rd imm2 type Rm
  | 'shift_w' // mov.w with a shift, or 11111 010 0 type S Rn | 1111 Rd 0000 Rm
  | 'imm12' // 11110 i 10 op 0 0 Rn | 0 imm3 Rd imm8 (addw/subw)
  | 'movw' // 11110 i 10 T 1 0 0 imm4 | 0 imm3 Rd imm8
  | 'ldst_w' // 11111 00 0 S U size L Rn | Rt imm12 / 1 P U W imm8 / 000000 imm2 Rm
  | 'push_w' // 11101 00 op 0 W L 1101 | register list
  | 'nop_w' // 11110 0111 010 1111 | 10 0 0 0 000 00000000
  | 'ldm_w' // 11101 00 op(24-23) 0 W L Rn | register list
  | 'mul_w' // 11111 0110 000 Rn | 1111 Rd 0000 Rm
  // beyond the core (thumb-more.ts)
  | 'regs' // registers at the bits `fields` names (media-table.ts); rotation in bits 5-4
  | 'sat' // 11110 0 11 U 0 sh 0 Rn | 0 imm3 Rd imm2 0 sat_imm
  | 'pkh' // 11101 01 0110 0 Rn | 0 imm3 Rd imm2 tb 0 Rm
  | 'bitfield' // 11110 0 11 op 0 Rn | 0 imm3 Rd imm2 0 msb|widthm1
  | 'hint' // 1011 1111 op(7-4) 0000
  | 'hint_w' // 11110 0111 010 1111 | 10 0 0 0 000 op(7-0)
  | 'barrier' // 11110 0111 011 1111 | 10 0 0 1111 opc option
  | 'fixed' // a 32-bit word without operands (clrex)
  | 'imm8' // bkpt/udf: 1011 1110 imm8 / 1101 1110 imm8
  | 'udf_w' // 11110 111 1111 imm4 | 1010 imm12
  | 'preload' // 11111 00 S 1 U 01 Rn | 1111 imm12 / 1111 1100 imm8 / 1111 000000 imm2 Rm
  | 'excl' // 11101 00 0 01 0 L Rn | Rt Rd imm8 (and the byte, halfword, pair forms)
  | 'ldrd' // 11101 00 P U 1 W L Rn | Rt Rt2 imm8
  | 'tb' // 11101 000 1101 Rn | 1111 0000 000 H Rm
  | 'ldst_t' // 11111 00 S 0 size 1 L Rn | Rt 1110 imm8 (unprivileged)
  | 'rrx_w' // 11101 01 0010 S 1111 | 0 000 Rd 00 11 Rm
  | 'neg_w' // rsb.w Rd, Rm, #0: 11110 0 0 1110 S Rm | 0 000 Rd 00000000
  | 'adr_w'; // addw/subw Rd, pc, #imm12: 11110 i 10 0000/0101 0 1111 | 0 imm3 Rd imm8

export interface ThumbRow {
  readonly mn: string;
  readonly size: 2 | 4;
  readonly form: ThumbForm;
  readonly bits: number;
  readonly syntax: string;
  readonly flags?: 'it' | 'none' | 'always';
  /** 32-bit forms: whether the mnemonic takes `s` (S bit 20). */
  readonly s?: boolean;
  /** Needs ARMv7 (Thumb-2). */
  readonly v7?: boolean;
  /** Modified-immediate rows: the complementary mnemonic for NOT/negated values. */
  readonly alt?: { readonly mn: string; readonly via: 'not' | 'neg' };
  /** Scale of an immediate offset (ldst_imm5, ldst_sp). */
  readonly scale?: 1 | 2 | 4;
  /** 'regs': the bit of each register operand (media-table.ts). */
  readonly fields?: readonly Field[];
  /** 'regs': the last register may be rotated (ror #8/16/24). */
  readonly rot?: boolean;
  /** 'regs': a long multiply, whose RdLo and RdHi must differ. */
  readonly long?: boolean;
}

const T16 = (mn: string, form: ThumbForm, bits: number, syntax: string, extra: Partial<ThumbRow> = {}): ThumbRow => ({ mn, size: 2, form, bits, syntax, ...extra });
const T32 = (mn: string, form: ThumbForm, bits: number, syntax: string, extra: Partial<ThumbRow> = {}): ThumbRow => ({ mn, size: 4, form, bits: bits >>> 0, syntax, v7: true, ...extra });

/** Data-processing (modified immediate and shifted register) opcodes, bits 24-21. */
const T2_DP: readonly [string, number, 'rd,rn' | 'rd' | 'rn', ThumbRow['alt']?][] = [
  ['and', 0, 'rd,rn', { mn: 'bic', via: 'not' }],
  ['tst', 0, 'rn'],
  ['bic', 1, 'rd,rn', { mn: 'and', via: 'not' }],
  ['orr', 2, 'rd,rn', { mn: 'orn', via: 'not' }],
  ['mov', 2, 'rd', { mn: 'mvn', via: 'not' }],
  ['orn', 3, 'rd,rn', { mn: 'orr', via: 'not' }],
  ['mvn', 3, 'rd', { mn: 'mov', via: 'not' }],
  ['eor', 4, 'rd,rn'],
  ['teq', 4, 'rn'],
  ['add', 8, 'rd,rn', { mn: 'sub', via: 'neg' }],
  ['cmn', 8, 'rn', { mn: 'cmp', via: 'neg' }],
  ['adc', 10, 'rd,rn', { mn: 'sbc', via: 'not' }],
  ['sbc', 11, 'rd,rn', { mn: 'adc', via: 'not' }],
  ['sub', 13, 'rd,rn', { mn: 'add', via: 'neg' }],
  ['cmp', 13, 'rn', { mn: 'cmn', via: 'neg' }],
  ['rsb', 14, 'rd,rn'],
];

const ALU16: readonly [string, number, ThumbRow['flags']][] = [
  ['and', 0, 'it'], ['eor', 1, 'it'], ['lsl', 2, 'it'], ['lsr', 3, 'it'], ['asr', 4, 'it'], ['adc', 5, 'it'], ['sbc', 6, 'it'], ['ror', 7, 'it'],
  ['tst', 8, 'always'], ['rsb', 9, 'it'], ['neg', 9, 'it'], ['cmp', 10, 'always'], ['cmn', 11, 'always'], ['orr', 12, 'it'], ['mul', 13, 'it'],
  ['bic', 14, 'it'], ['mvn', 15, 'it'],
];

const rows: ThumbRow[] = [
  // ---- 16-bit (listed first: shortest wins) ----
  T16('lsl', 'shift_imm', 0x0000, 'Rd, Rm, #imm5', { flags: 'it' }),
  T16('lsr', 'shift_imm', 0x0800, 'Rd, Rm, #imm5', { flags: 'it' }),
  T16('asr', 'shift_imm', 0x1000, 'Rd, Rm, #imm5', { flags: 'it' }),
  T16('mov', 'shift_imm', 0x0000, 'Rd, Rm (low registers, movs)', { flags: 'it' }),
  T16('add', 'rd_rn_rm', 0x1800, 'Rd, Rn, Rm', { flags: 'it' }),
  T16('sub', 'rd_rn_rm', 0x1a00, 'Rd, Rn, Rm', { flags: 'it' }),
  T16('add', 'rd_rn_imm3', 0x1c00, 'Rd, Rn, #imm3', { flags: 'it' }),
  T16('sub', 'rd_rn_imm3', 0x1e00, 'Rd, Rn, #imm3', { flags: 'it' }),
  T16('mov', 'rdn_imm8', 0x2000, 'Rd, #imm8', { flags: 'it' }),
  T16('cmp', 'rdn_imm8', 0x2800, 'Rn, #imm8', { flags: 'always' }),
  T16('add', 'rdn_imm8', 0x3000, 'Rdn, #imm8', { flags: 'it' }),
  T16('sub', 'rdn_imm8', 0x3800, 'Rdn, #imm8', { flags: 'it' }),
  ...ALU16.map(([mn, op, flags]) => T16(mn, 'alu', 0x4000 | (op << 6), mn === 'neg' || mn === 'rsb' ? 'Rd, Rm, #0' : mn === 'mul' ? 'Rdm, Rn, Rdm' : 'Rdn, Rm', { flags })),
  T16('add', 'hireg', 0x4400, 'Rdn, Rm (any registers)', { flags: 'none' }),
  T16('cmp', 'hireg', 0x4500, 'Rn, Rm (any registers)', { flags: 'always' }),
  T16('mov', 'hireg', 0x4600, 'Rd, Rm (any registers)', { flags: 'none' }),
  T16('bx', 'bx', 0x4700, 'Rm'),
  T16('blx', 'bx', 0x4780, 'Rm'),
  T16('ldr', 'ldst_lit', 0x4800, 'Rt, label'),
  ...(['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'] as const).map((mn, op) => T16(mn, 'ldst_reg', 0x5000 | (op << 9), 'Rt, [Rn, Rm]')),
  T16('str', 'ldst_imm5', 0x6000, 'Rt, [Rn, #imm5*4]', { scale: 4 }),
  T16('ldr', 'ldst_imm5', 0x6800, 'Rt, [Rn, #imm5*4]', { scale: 4 }),
  T16('strb', 'ldst_imm5', 0x7000, 'Rt, [Rn, #imm5]', { scale: 1 }),
  T16('ldrb', 'ldst_imm5', 0x7800, 'Rt, [Rn, #imm5]', { scale: 1 }),
  T16('strh', 'ldst_imm5', 0x8000, 'Rt, [Rn, #imm5*2]', { scale: 2 }),
  T16('ldrh', 'ldst_imm5', 0x8800, 'Rt, [Rn, #imm5*2]', { scale: 2 }),
  T16('str', 'ldst_sp', 0x9000, 'Rt, [sp, #imm8*4]', { scale: 4 }),
  T16('ldr', 'ldst_sp', 0x9800, 'Rt, [sp, #imm8*4]', { scale: 4 }),
  T16('adr', 'adr', 0xa000, 'Rd, label'),
  T16('add', 'add_rd_sp', 0xa800, 'Rd, sp, #imm8*4', { flags: 'none' }),
  T16('add', 'sp_imm7', 0xb000, 'sp, sp, #imm7*4', { flags: 'none' }),
  T16('sub', 'sp_imm7', 0xb080, 'sp, sp, #imm7*4', { flags: 'none' }),
  T16('cbz', 'cbz', 0xb100, 'Rn, label', { v7: true }),
  T16('cbnz', 'cbz', 0xb900, 'Rn, label', { v7: true }),
  T16('sxth', 'ext', 0xb200, 'Rd, Rm'),
  T16('sxtb', 'ext', 0xb240, 'Rd, Rm'),
  T16('uxth', 'ext', 0xb280, 'Rd, Rm'),
  T16('uxtb', 'ext', 0xb2c0, 'Rd, Rm'),
  T16('rev', 'ext', 0xba00, 'Rd, Rm'),
  T16('rev16', 'ext', 0xba40, 'Rd, Rm'),
  T16('revsh', 'ext', 0xbac0, 'Rd, Rm'),
  T16('push', 'push', 0xb400, '{r0-r7, lr}'),
  T16('pop', 'push', 0xbc00, '{r0-r7, pc}'),
  T16('it', 'it', 0xbf00, 'cond', { v7: true }),
  T16('nop', 'nop', 0xbf00, ''),
  T16('stm', 'ldm', 0xc000, 'Rn!, {r0-r7}'),
  T16('ldm', 'ldm', 0xc800, 'Rn{!}, {r0-r7}'),
  T16('b', 'bcond', 0xd000, 'label (within -256..254)'),
  T16('svc', 'svc', 0xdf00, '#imm8'),
  T16('b', 'b', 0xe000, 'label (within -2048..2046)'),
  // ---- 32-bit ----
  T32('bl', 'bl', 0xf000d000, 'label', { v7: false }),
  T32('blx', 'bl', 0xf000c000, 'label', { v7: false }),
  T32('b', 'bcond_w', 0xf0008000, 'label (within ±1 MB)'),
  T32('b', 'b_w', 0xf0009000, 'label (within ±16 MB)'),
  ...T2_DP.map(([mn, op, shape, alt]) =>
    T32(mn, 'dp_imm', 0xf0000000 | (op << 21) | (shape === 'rn' ? 0x100f00 : 0) | (shape === 'rd' ? 0xf0000 : 0), `${shape === 'rn' ? 'Rn' : shape === 'rd' ? 'Rd' : 'Rd, Rn'}, #modified-immediate`, { s: shape !== 'rn', ...(alt ? { alt } : {}) })),
  T32('add', 'imm12', 0xf2000000, 'Rd, Rn, #imm12'),
  T32('addw', 'imm12', 0xf2000000, 'Rd, Rn, #imm12'),
  T32('sub', 'imm12', 0xf2a00000, 'Rd, Rn, #imm12'),
  T32('subw', 'imm12', 0xf2a00000, 'Rd, Rn, #imm12'),
  T32('mov', 'movw', 0xf2400000, 'Rd, #imm16'),
  T32('movw', 'movw', 0xf2400000, 'Rd, #imm16'),
  T32('movt', 'movw', 0xf2c00000, 'Rd, #imm16'),
  ...T2_DP.map(([mn, op, shape]) =>
    T32(mn, 'dp_reg', 0xea000000 | (op << 21) | (shape === 'rn' ? 0x100f00 : 0) | (shape === 'rd' ? 0xf0000 : 0), `${shape === 'rn' ? 'Rn' : shape === 'rd' ? 'Rd' : 'Rd, Rn'}, Rm{, shift}`, { s: shape !== 'rn' })),
  T32('lsl', 'shift_w', 0xfa00f000, 'Rd, Rm, #imm / Rd, Rn, Rm', { s: true }),
  T32('lsr', 'shift_w', 0xfa20f000, 'Rd, Rm, #imm / Rd, Rn, Rm', { s: true }),
  T32('asr', 'shift_w', 0xfa40f000, 'Rd, Rm, #imm / Rd, Rn, Rm', { s: true }),
  T32('ror', 'shift_w', 0xfa60f000, 'Rd, Rm, #imm / Rd, Rn, Rm', { s: true }),
  T32('mul', 'mul_w', 0xfb00f000, 'Rd, Rn, Rm'),
  // Loads/stores: hw1 = 11111 00 S U size(22-21) L(20) Rn
  ...([['str', 0xf8400000], ['ldr', 0xf8500000], ['strb', 0xf8000000], ['ldrb', 0xf8100000], ['strh', 0xf8200000], ['ldrh', 0xf8300000], ['ldrsb', 0xf9100000], ['ldrsh', 0xf9300000]] as const).map(([mn, bits]) =>
    T32(mn, 'ldst_w', bits, 'Rt, [Rn, #imm12] / [Rn, #±imm8]{!} / [Rn], #±imm8 / [Rn, Rm{, lsl #0-3}] / label')),
  T32('nop', 'nop_w', 0xf3af8000, ''),
  T32('stm', 'ldm_w', 0xe8800000, 'Rn{!}, {registers}'),
  T32('ldm', 'ldm_w', 0xe8900000, 'Rn{!}, {registers}'),
  T32('push', 'push_w', 0xe92d0000, '{registers}'),
  T32('pop', 'push_w', 0xe8bd0000, '{registers}'),
  ...MORE(),
];

/** Beyond the core: media and DSP, saturation, bit fields, hints, barriers, exclusives, and more. */
function MORE(): ThumbRow[] {
  const hint16 = (mn: string, op: number): ThumbRow => T16(mn, 'hint', 0xbf00 | (op << 4), '', { v7: true });
  const hint32 = (mn: string, op: number): ThumbRow => T32(mn, 'hint_w', 0xf3af8000 | op, '');
  const memT = (mn: string, bits: number): ThumbRow => T32(mn, 'ldst_t', bits, 'Rt, [Rn{, #imm8}]');
  return [
    ...MEDIA_TABLE.flatMap((m): ThumbRow[] => (m.t32 ? [T32(m.mn, 'regs', m.t32.bits, m.t32.fields.map((_, i) => `R${i + 1}`).join(', ') + (m.rot ? '{, ror #8|16|24}' : ''), { fields: m.t32.fields, ...(m.rot ? { rot: true } : {}), ...(m.long ? { long: true } : {}) })] : [])),
    T32('ssat', 'sat', 0xf3000000, 'Rd, #1-32, Rn{, lsl #n | asr #n}'),
    T32('usat', 'sat', 0xf3800000, 'Rd, #0-31, Rn{, lsl #n | asr #n}'),
    T32('ssat16', 'sat', 0xf3200000, 'Rd, #1-16, Rn'),
    T32('usat16', 'sat', 0xf3a00000, 'Rd, #0-15, Rn'),
    T32('pkhbt', 'pkh', 0xeac00000, 'Rd, Rn, Rm{, lsl #n}'),
    T32('pkhtb', 'pkh', 0xeac00020, 'Rd, Rn, Rm{, asr #n}'),
    T32('bfc', 'bitfield', 0xf36f0000, 'Rd, #lsb, #width'),
    T32('bfi', 'bitfield', 0xf3600000, 'Rd, Rn, #lsb, #width'),
    T32('sbfx', 'bitfield', 0xf3400000, 'Rd, Rn, #lsb, #width'),
    T32('ubfx', 'bitfield', 0xf3c00000, 'Rd, Rn, #lsb, #width'),
    hint16('yield', 1), hint16('wfe', 2), hint16('wfi', 3), hint16('sev', 4),
    T16('hint', 'hint', 0xbf00, '#0-15', { v7: true }),
    hint32('yield', 1), hint32('wfe', 2), hint32('wfi', 3), hint32('sev', 4), hint32('hint', 0),
    T32('dbg', 'hint_w', 0xf3af80f0, '#0-15'),
    T32('dmb', 'barrier', 0xf3bf8f50, '{option}'),
    T32('dsb', 'barrier', 0xf3bf8f40, '{option}'),
    T32('isb', 'barrier', 0xf3bf8f60, '{sy}'),
    T32('clrex', 'fixed', 0xf3bf8f2f, ''),
    T16('bkpt', 'imm8', 0xbe00, '{#imm8}'),
    T16('udf', 'imm8', 0xde00, '#imm8'),
    T32('udf', 'udf_w', 0xf7f0a000, '#imm16'),
    T32('pld', 'preload', 0xf810f000, '[Rn, #imm12] / [Rn, #-imm8] / [Rn, Rm{, lsl #0-3}] / label'),
    T32('pli', 'preload', 0xf910f000, '[Rn, #imm12] / [Rn, #-imm8] / [Rn, Rm{, lsl #0-3}] / label'),
    T32('ldrex', 'excl', 0xe8500f00, 'Rt, [Rn{, #imm8*4}]'),
    T32('strex', 'excl', 0xe8400000, 'Rd, Rt, [Rn{, #imm8*4}]'),
    T32('ldrexb', 'excl', 0xe8d00f4f, 'Rt, [Rn]'),
    T32('strexb', 'excl', 0xe8c00f40, 'Rd, Rt, [Rn]'),
    T32('ldrexh', 'excl', 0xe8d00f5f, 'Rt, [Rn]'),
    T32('strexh', 'excl', 0xe8c00f50, 'Rd, Rt, [Rn]'),
    T32('ldrexd', 'excl', 0xe8d0007f, 'Rt, Rt2, [Rn]'),
    T32('strexd', 'excl', 0xe8c00070, 'Rd, Rt, Rt2, [Rn]'),
    T32('ldrd', 'ldrd', 0xe8500000, 'Rt, Rt2, [Rn, #±imm8*4]{!} / [Rn], #±imm8*4 / label'),
    T32('strd', 'ldrd', 0xe8400000, 'Rt, Rt2, [Rn, #±imm8*4]{!} / [Rn], #±imm8*4'),
    T32('tbb', 'tb', 0xe8d0f000, '[Rn, Rm]'),
    T32('tbh', 'tb', 0xe8d0f010, '[Rn, Rm, lsl #1]'),
    memT('strt', 0xf8400e00), memT('ldrt', 0xf8500e00), memT('strbt', 0xf8000e00), memT('ldrbt', 0xf8100e00),
    memT('strht', 0xf8200e00), memT('ldrht', 0xf8300e00), memT('ldrsbt', 0xf9100e00), memT('ldrsht', 0xf9300e00),
    T32('rrx', 'rrx_w', 0xea4f0030, 'Rd, Rm', { s: true }),
    // neg rd, rm is rsb rd, rm, #0; adr.w is addw/subw rd, pc, #imm12; swi is svc's old name
    T32('neg', 'neg_w', 0xf1c00000, 'Rd, Rm'),
    T32('adr', 'adr_w', 0xf20f0000, 'Rd, label'),
    T16('swi', 'svc', 0xdf00, '#imm8'),
  ];
}

export const THUMB_TABLE: readonly ThumbRow[] = rows;

export const THUMB_ROWS = new Map<string, ThumbRow[]>();
for (const r of THUMB_TABLE) {
  const list = THUMB_ROWS.get(r.mn) ?? [];
  list.push(r);
  THUMB_ROWS.set(r.mn, list);
}
