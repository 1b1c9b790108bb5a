/**
 * The A32 instruction set (ARMv6 and ARMv7), one row per form.
 *
 * Format: `bits` is the fixed part of the 32-bit word with the condition field (31-28) left 0;
 * `form` names how the encoder fills the remaining fields from the operands (see a32-encoder.ts);
 * `ops` is the operand shape. Bit ranges follow the Arm ARM (DDI 0406C) section A5.
 *
 * Worked example: `{ mn: 'add', form: 'dp', bits: 4 << 21, ops: 'rd,rn,op2', alt: sub/neg }`
 * encodes `addne r0, r1, #0x100` as
 *   cond=0001 (31-28) | 001 (27-25: immediate) | opcode=0100 (24-21) | S=0 (20) | Rn=1 (19-16)
 *   | Rd=0 (15-12) | rotate=1100 (11-8) | imm8=0x01 (7-0)  = 0x12810c01,
 * since 0x100 = 0x01 rotated right by 2*12. `add r0, r1, #-1` does not fit, so the `alt` row
 * `sub` with the negated value is used: `sub r0, r1, #1`, as GNU as and llvm-mc do.
 */

import { MEDIA_TABLE, type Field } from './media-table.js';

export type A32Form =
  /** Data processing: cond 00 I opcode(24-21) S(20) Rn(19-16) Rd(15-12) operand2(11-0). */
  | 'dp'
  /** lsl/lsr/asr/ror/rrx: `mov` with a shifted register operand (opcode 1101). */
  | 'shift'
  /** mul/mla/mls: cond 0000 0xxS Rd(19-16) Ra(15-12) Rm(11-8) 1001 Rn(3-0). */
  | 'mul'
  /** umull/smull/umlal/smlal: cond 0000 1xxS RdHi(19-16) RdLo(15-12) Rm(11-8) 1001 Rn(3-0). */
  | 'mull'
  /** ldr/str/ldrb/strb: cond 01 I P U B W L Rn(19-16) Rt(15-12) imm12 | imm5 type 0 Rm. */
  | 'ldst'
  /** ldrh/strh/ldrsb/ldrsh/ldrd/strd: cond 000 P U I W L Rn Rt imm4H(11-8) 1 S H 1 imm4L|Rm(3-0). */
  | 'ldstx'
  /** ldm/stm: cond 100 P U 0 W L Rn(19-16) register_list(15-0). */
  | 'ldm'
  /** push/pop: stmdb sp! / ldmia sp!, or str/ldr of a single register. */
  | 'push'
  /** b/bl: cond 101 L imm24 (word offset from pc+8). */
  | 'b'
  /** blx label: 1111 101 H imm24 (halfword offset), or blx Rm: cond 0001 0010 1111 1111 1111 0011 Rm. */
  | 'blx'
  /** bx Rm: cond 0001 0010 1111 1111 1111 0001 Rm. */
  | 'bx'
  /** svc: cond 1111 imm24. */
  | 'svc'
  /** nop: v7 hint cond 0011 0010 0000 1111 0000 0000 0000 0000; v6 `mov r0, r0`. */
  | 'nop'
  /** movw/movt (v7): cond 0011 0x00 imm4(19-16) Rd(15-12) imm12(11-0). */
  | 'movw'
  /** adr: add/sub Rd, pc, #imm (pc reads as the instruction's address + 8). */
  | 'adr'
  /** neg rd, rm: rsb rd, rm, #0. */
  | 'neg'
  /** Registers only, each at the bit its `fields` entry names (media-table.ts). */
  | 'regs'
  /** ssat/usat Rd, #sat, Rn{, lsl|asr #n}: sat_imm (20-16), imm5 (11-7), sh (6); the 16-bit ones sat_imm (19-16). */
  | 'sat'
  /** pkhbt/pkhtb Rd, Rn, Rm{, lsl|asr #n}: imm5 (11-7). */
  | 'pkh'
  /** bfc/bfi/sbfx/ubfx: Rd, {Rn,} #lsb, #width: msb or width-1 (20-16), lsb (11-7). */
  | 'bitfield'
  /** Hints: cond 0011 0010 0000 1111 0000 op(7-0); `hint #n` and `dbg #n` take op from the operand. */
  | 'hint'
  /** dmb/dsb/isb {option}: 1111 0101 0111 1111 1111 0000 0opc option(3-0). */
  | 'barrier'
  /** A word with no operands (clrex). */
  | 'fixed'
  /** bkpt/udf #imm16: imm12 (19-8), imm4 (3-0). */
  | 'imm16'
  /** pld/pldw/pli [Rn, #±imm12] | [Rn, ±Rm{, shift}] | label: 1111 01 R(25: register) ... U(23). */
  | 'preload'
  /** ldrex/strex families: Rt (15-12) or Rd (15-12) and Rt (3-0), Rn (19-16). */
  | 'excl'
  /** swp/swpb Rt, Rt2, [Rn]. */
  | 'swp';

export interface A32Row {
  readonly mn: string;
  readonly form: A32Form;
  readonly bits: number;
  /** Data processing operand shape. */
  readonly ops?: 'rd,rn,op2' | 'rd,op2' | 'rn,op2';
  /** The form used when the immediate does not fit but its bitwise NOT / negation does. */
  readonly alt?: { readonly mn: string; readonly via: 'not' | 'neg' };
  /** The `s` suffix is accepted. */
  readonly s?: boolean;
  /** Needs ARMv7 (v6T2 and later). */
  readonly v7?: boolean;
  /** 'regs': the bit of each register operand (see media-table.ts). */
  readonly fields?: readonly Field[];
  /** 'regs': the last register may be rotated (ror #8/16/24, bits 11-10). */
  readonly rot?: boolean;
  /** 'regs': a long multiply, whose RdLo and RdHi must differ. */
  readonly long?: boolean;
  /** Loads and stores with translation (ldrt, strbt, ldrht, …): post-indexed only, W set. */
  readonly user?: boolean;
  /** Has no condition field (bits 31-28 are part of the encoding). */
  readonly uncond?: boolean;
}

const dp = (mn: string, opcode: number, ops: A32Row['ops'], alt?: A32Row['alt']): A32Row => ({
  mn,
  form: 'dp',
  // compare/test instructions always set flags: S (bit 20) is part of their opcode
  bits: (opcode << 21) | (ops === 'rn,op2' ? 1 << 20 : 0),
  ops,
  s: ops !== 'rn,op2',
  ...(alt ? { alt } : {}),
});

const A32_CORE: readonly A32Row[] = [
  dp('and', 0b0000, 'rd,rn,op2', { mn: 'bic', via: 'not' }),
  dp('eor', 0b0001, 'rd,rn,op2'),
  dp('sub', 0b0010, 'rd,rn,op2', { mn: 'add', via: 'neg' }),
  dp('rsb', 0b0011, 'rd,rn,op2'),
  dp('add', 0b0100, 'rd,rn,op2', { mn: 'sub', via: 'neg' }),
  dp('adc', 0b0101, 'rd,rn,op2', { mn: 'sbc', via: 'not' }),
  dp('sbc', 0b0110, 'rd,rn,op2', { mn: 'adc', via: 'not' }),
  dp('rsc', 0b0111, 'rd,rn,op2'),
  dp('tst', 0b1000, 'rn,op2'),
  dp('teq', 0b1001, 'rn,op2'),
  dp('cmp', 0b1010, 'rn,op2', { mn: 'cmn', via: 'neg' }),
  dp('cmn', 0b1011, 'rn,op2', { mn: 'cmp', via: 'neg' }),
  dp('orr', 0b1100, 'rd,rn,op2'),
  dp('mov', 0b1101, 'rd,op2', { mn: 'mvn', via: 'not' }),
  dp('bic', 0b1110, 'rd,rn,op2', { mn: 'and', via: 'not' }),
  dp('mvn', 0b1111, 'rd,op2', { mn: 'mov', via: 'not' }),
  // Shift pseudo-instructions: type (6-5) = lsl 00, lsr 01, asr 10, ror 11 (rrx = ror #0).
  { mn: 'lsl', form: 'shift', bits: 0x01a00000, s: true },
  { mn: 'lsr', form: 'shift', bits: 0x01a00020, s: true },
  { mn: 'asr', form: 'shift', bits: 0x01a00040, s: true },
  { mn: 'ror', form: 'shift', bits: 0x01a00060, s: true },
  { mn: 'rrx', form: 'shift', bits: 0x01a00060, s: true },
  { mn: 'neg', form: 'neg', bits: 0x02600000, s: true },
  { mn: 'mul', form: 'mul', bits: 0x00000090, s: true },
  { mn: 'mla', form: 'mul', bits: 0x00200090, s: true },
  { mn: 'mls', form: 'mul', bits: 0x00600090, v7: true },
  { mn: 'umull', form: 'mull', bits: 0x00800090, s: true },
  { mn: 'umlal', form: 'mull', bits: 0x00a00090, s: true },
  { mn: 'smull', form: 'mull', bits: 0x00c00090, s: true },
  { mn: 'smlal', form: 'mull', bits: 0x00e00090, s: true },
  // Word/byte loads and stores: L (20) = load, B (22) = byte.
  { mn: 'str', form: 'ldst', bits: 0x04000000 },
  { mn: 'ldr', form: 'ldst', bits: 0x04100000 },
  { mn: 'strb', form: 'ldst', bits: 0x04400000 },
  { mn: 'ldrb', form: 'ldst', bits: 0x04500000 },
  // Extra loads and stores: L (20), S:H (6-5).
  { mn: 'strh', form: 'ldstx', bits: 0x000000b0 },
  { mn: 'ldrh', form: 'ldstx', bits: 0x001000b0 },
  { mn: 'ldrsb', form: 'ldstx', bits: 0x001000d0 },
  { mn: 'ldrsh', form: 'ldstx', bits: 0x001000f0 },
  { mn: 'ldrd', form: 'ldstx', bits: 0x000000d0 },
  { mn: 'strd', form: 'ldstx', bits: 0x000000f0 },
  { mn: 'stm', form: 'ldm', bits: 0x08000000 },
  { mn: 'ldm', form: 'ldm', bits: 0x08100000 },
  { mn: 'push', form: 'push', bits: 0x092d0000 },
  { mn: 'pop', form: 'push', bits: 0x08bd0000 },
  { mn: 'b', form: 'b', bits: 0x0a000000 },
  { mn: 'bl', form: 'b', bits: 0x0b000000 },
  { mn: 'blx', form: 'blx', bits: 0x012fff30 },
  { mn: 'bx', form: 'bx', bits: 0x012fff10 },
  { mn: 'svc', form: 'svc', bits: 0x0f000000 },
  { mn: 'swi', form: 'svc', bits: 0x0f000000 },
  { mn: 'nop', form: 'nop', bits: 0x0320f000 },
  { mn: 'movw', form: 'movw', bits: 0x03000000, v7: true },
  { mn: 'movt', form: 'movw', bits: 0x03400000, v7: true },
  { mn: 'adr', form: 'adr', bits: 0x020f0000 },
];

const misc = (mn: string, form: A32Form, bits: number, extra: Partial<A32Row> = {}): A32Row => ({ mn, form, bits: bits >>> 0, ...extra });

/** Beyond the ARMv4 core: media, DSP, bit-field, hint, barrier, exclusive and translated forms. */
const MORE: A32Row[] = [
  ...MEDIA_TABLE.flatMap((m): A32Row[] => (m.a32 ? [{ mn: m.mn, form: 'regs', bits: m.a32.bits, fields: m.a32.fields, ...(m.rot ? { rot: true } : {}), ...(m.v7 ? { v7: true } : {}), ...(m.long ? { long: true } : {}) }] : [])),
  misc('ssat', 'sat', 0x06a00010),
  misc('usat', 'sat', 0x06e00010),
  misc('ssat16', 'sat', 0x06a00f30),
  misc('usat16', 'sat', 0x06e00f30),
  misc('pkhbt', 'pkh', 0x06800010),
  misc('pkhtb', 'pkh', 0x06800050),
  misc('bfc', 'bitfield', 0x07c0001f, { v7: true }),
  misc('bfi', 'bitfield', 0x07c00010, { v7: true }),
  misc('sbfx', 'bitfield', 0x07a00050, { v7: true }),
  misc('ubfx', 'bitfield', 0x07e00050, { v7: true }),
  // hint numbers: yield 1, wfe 2, wfi 3, sev 4 (ARMv6K and later)
  misc('yield', 'hint', 0x0320f001, { v7: true }),
  misc('wfe', 'hint', 0x0320f002, { v7: true }),
  misc('wfi', 'hint', 0x0320f003, { v7: true }),
  misc('sev', 'hint', 0x0320f004, { v7: true }),
  misc('hint', 'hint', 0x0320f000),
  misc('dbg', 'hint', 0x0320f0f0, { v7: true }),
  misc('dmb', 'barrier', 0xf57ff050, { v7: true, uncond: true }),
  misc('dsb', 'barrier', 0xf57ff040, { v7: true, uncond: true }),
  misc('isb', 'barrier', 0xf57ff060, { v7: true, uncond: true }),
  misc('clrex', 'fixed', 0xf57ff01f, { v7: true, uncond: true }),
  misc('bkpt', 'imm16', 0xe1200070, { uncond: true }),
  misc('udf', 'imm16', 0xe7f000f0, { uncond: true }),
  // preload: pld is 1111 0101 U101, pli 1111 0100 U101 (pldw needs the multiprocessing extension)
  misc('pld', 'preload', 0xf550f000, { uncond: true }),
  misc('pli', 'preload', 0xf450f000, { v7: true, uncond: true }),
  // (the byte, halfword and pair forms are ARMv6K: the ARM1176 of linux/arm/v6 has them)
  misc('ldrex', 'excl', 0x01900f9f),
  misc('strex', 'excl', 0x01800f90),
  misc('ldrexb', 'excl', 0x01d00f9f),
  misc('strexb', 'excl', 0x01c00f90),
  misc('ldrexh', 'excl', 0x01f00f9f),
  misc('strexh', 'excl', 0x01e00f90),
  misc('ldrexd', 'excl', 0x01b00f9f),
  misc('strexd', 'excl', 0x01a00f90),
  misc('swp', 'swp', 0x01000090),
  misc('swpb', 'swp', 0x01400090),
  // with translation: post-indexed, W (21) set
  misc('strt', 'ldst', 0x04200000, { user: true }),
  misc('ldrt', 'ldst', 0x04300000, { user: true }),
  misc('strbt', 'ldst', 0x04600000, { user: true }),
  misc('ldrbt', 'ldst', 0x04700000, { user: true }),
  misc('strht', 'ldstx', 0x002000b0, { user: true, v7: true }),
  misc('ldrht', 'ldstx', 0x003000b0, { user: true, v7: true }),
  misc('ldrsbt', 'ldstx', 0x003000d0, { user: true, v7: true }),
  misc('ldrsht', 'ldstx', 0x003000f0, { user: true, v7: true }),
];

export const A32_TABLE: readonly A32Row[] = [...A32_CORE, ...MORE];

export const A32_ROWS = new Map<string, A32Row[]>();
for (const r of A32_TABLE) {
  const list = A32_ROWS.get(r.mn) ?? [];
  list.push(r);
  A32_ROWS.set(r.mn, list);
}
