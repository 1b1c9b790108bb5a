import { CONDITIONS } from './operands.js';
import { LazyMap } from '../../core/lazy.js';
import { EXTRA_TABLE } from './table-extra.js';

/**
 * Every A64 instruction form tinyelf knows, one row each: a fixed 32-bit template plus named
 * operand kinds that fill its fields. The encoder (encoder.ts) tries a mnemonic's rows in table
 * order and keeps the first whose operand kinds all accept the operands, so rows are ordered
 * shortest/preferred first (llvm-mc's choices: `add x0, x1, x2` is shifted-register before
 * extended-register; `ldr` tries the scaled unsigned offset before unscaled `ldur`).
 *
 * Format of a row:
 *   { mn: 'add', form: 'ADD (immediate)', w: 0x11000000, x: 0x91000000, ops: ['Rd|SP', 'Rn|SP', 'aimm'] }
 *   - `w` / `x`: the template with every operand field zero, for the 32-bit and the 64-bit form;
 *     a row gives either or both. In `ops`, `R` becomes `W` or `X` for that form.
 *   - Register kinds: `Rd` (bits 4..0), `Rn` (9..5), `Rm` (20..16), `Ra` (14..10), `Rt` (4..0),
 *     `Rt2` (14..10), `Rs` (20..16). `|SP` means register 31 is sp/wsp (else it is xzr/wzr and
 *     naming sp is an error). `Rn=Rm` writes one operand into both fields (cinc, ror).
 *   - Other kinds are described at KIND_DOC below; `scale` is log2 of a load/store's access size.
 *   Worked example, ADD (immediate), Arm ARM C6.2.4:
 *     31 sf | 30 op=0 | 29 S=0 | 28..23 100010 | 22 sh | 21..10 imm12 | 9..5 Rn | 4..0 Rd
 *     `add x0, sp, #16` → 0x91000000 | imm12 16<<10 | Rn 31<<5 | Rd 0 = 0x910043e0.
 *
 * Aliases are ordinary rows whose template already holds the fixed fields: `cmp x1, #2` is SUBS
 * with Rd = 31 baked in (0xf100001f), `mul` is MADD with Ra = 31.
 */

type RegField = 'd' | 'n' | 'm' | 'a' | 't' | 't2' | 's';
type RegLetter = 'R' | 'W' | 'X';
export type RegKind = `${RegLetter}${RegField}` | `${RegLetter}${RegField}|SP` | `${RegLetter}n=${RegLetter}m`;

/** What each non-register kind accepts and where it goes. */
export const KIND_DOC = {
  aimm: 'ADD/SUB imm12 (21..10) with sh (22): 0..4095, optionally `lsl #12` (or a multiple of 4096 below 2^24)',
  aimm_neg: 'as aimm, for a negative value written to the opposite instruction (add #-1 = sub #1)',
  limm: 'bitmask immediate N (22), immr (21..16), imms (15..10)',
  rm_shift: 'shifted register: Rm (20..16), shift (23..22) lsl/lsr/asr, imm6 (15..10)',
  rm_shift_ror: 'as rm_shift, ror allowed too (logical instructions)',
  rm_extend: 'extended register: Rm (20..16), option (15..13), imm3 (12..10) 0..4',
  imm16_hw: 'MOVZ/MOVN/MOVK imm16 (20..5) with `lsl #0/16/32/48` in hw (22..21)',
  movz_imm: 'MOV (wide immediate): a value one MOVZ makes',
  movn_imm: 'MOV (inverted wide immediate): a value one MOVN makes',
  mov_seq: 'MOV of any value: MOVZ or MOVN then MOVKs (a multi-instruction pseudo row)',
  lsl_amt: 'LSL (immediate) as UBFM: immr = -n mod width, imms = width-1-n',
  immr: 'bitfield immr (21..16), 0..width-1',
  imms: 'bitfield imms / EXTR lsb (15..10), 0..width-1',
  cond: 'condition (15..12)',
  cond_inv: 'condition, inverted, for cset/cinc (15..12); al and nv are rejected',
  rel26: 'B/BL target: imm26 (25..0) = (target - pc) / 4, ±128 MiB',
  rel19: 'B.cond/CBZ/LDR (literal) target: imm19 (23..5), ±1 MiB',
  rel14: 'TBZ target: imm14 (18..5), ±32 KiB',
  adr: 'ADR target: immlo (30..29), immhi (23..5), ±1 MiB',
  adrp: 'ADRP target page: (target page - pc page) / 4096 in immlo:immhi, ±4 GiB',
  tbit: 'TBZ bit number: b5 (31), b40 (23..19); below 32 for W',
  imm16: 'SVC/HVC/BRK imm16 (20..5)',
  imm5: 'CCMP/CCMN immediate (20..16), 0..31',
  nzcv: 'CCMP/CCMN flags (3..0), 0..15',
  bfx_lsb: 'UBFX/SBFX/BFXIL lsb: immr (21..16) = lsb',
  bfx_width: 'UBFX/SBFX/BFXIL width: imms (15..10) = lsb + width - 1 (lsb from the operand before)',
  bfi_lsb: 'UBFIZ/SBFIZ/BFI lsb: immr (21..16) = -lsb mod width',
  bfi_width: 'UBFIZ/SBFIZ/BFI width: imms (15..10) = width - 1 (at most register width - lsb)',
  mem_u12: '[Xn|SP{, #imm}]: Rn (9..5), imm12 (21..10) = offset >> scale',
  mem_s9: '[Xn|SP{, #simm}]: Rn, imm9 (20..12), unscaled',
  mem_pre: '[Xn|SP, #simm]!: Rn, imm9 (20..12)',
  mem_post: '[Xn|SP], #simm: Rn, imm9 (20..12)',
  mem_reg: '[Xn|SP, Rm{, extend {#amount}}]: Rn, Rm (20..16), option (15..13), S (12)',
  pair_off: '[Xn|SP{, #imm}] for LDP/STP: Rn, imm7 (21..15) = offset >> scale',
  pair_pre: '[Xn|SP, #imm]! for LDP/STP',
  pair_post: '[Xn|SP], #imm for LDP/STP',
  mem0: '[Xn|SP] or [Xn|SP, #0] (exclusives, acquire/release): Rn (9..5)',
  mem_base: '[Xn|SP] (LSE atomics): Rn (9..5)',
  even_s: 'CASP first register of a pair: Rs (20..16), even',
  even_t: 'CASP first register of a pair: Rt (4..0), even',
  next_reg: 'CASP second register of a pair: the one after the operand before (no field of its own)',
  prfop: 'prefetch operation (4..0): pld|pli|pst + l1|l2|l3 + keep|strm, or #0..31',
  hint_imm: 'HINT number CRm:op2 (11..5), 0..127',
  bti_target: 'BTI target c, j or jc: op2 (7..6)',
  crm_imm: 'CRm (11..8), 0..15 (clrex, msr immediate)',
  barrier: 'DMB/DSB option CRm (11..8): sy, ish, ishld, … or #0..15',
  barrier_isb: 'ISB option CRm (11..8): sy or #0..15',
  sysreg_read: 'system register mrs may read: op0:op1:CRn:CRm:op2 (20..5), by name or s<op0>_<op1>_c<n>_c<m>_<op2>',
  sysreg_write: 'system register msr may write, as sysreg_read',
  pstate: 'MSR (immediate) PSTATE field: op1 (18..16), op2 (7..5): spsel, daifset, daifclr',
  sys_op1: 'SYS op1 (18..16), #0..7',
  sys_crn: 'SYS CRn (15..12), c0..c15',
  sys_crm: 'SYS CRm (11..8), c0..c15',
  sys_op2: 'SYS op2 (7..5), #0..7',
  sys_operation: 'DC/IC/AT/TLBI operation name: op1:CRn:CRm:op2 (18..5)',
} as const;

export type OtherKind = keyof typeof KIND_DOC;
export type Kind = RegKind | OtherKind;

export interface SourceRow {
  mn: string;
  /** The Arm ARM's name for the form (the section title), for readers and error messages. */
  form: string;
  w?: number;
  x?: number;
  ops: readonly Kind[];
  scale?: number;
}

/** One expanded row: a single template of a single width. */
export interface Row {
  readonly mn: string;
  readonly form: string;
  readonly bits: number;
  readonly width: 32 | 64;
  readonly ops: readonly Kind[];
  readonly scale: number;
}

const Rd31 = 31;
const Rn31 = 31 << 5;
const Rm31 = 31 << 16;
const Ra31 = 31 << 10;

export const TABLE: readonly SourceRow[] = [
  // ---- Data processing, immediate --------------------------------------------------------
  // ADD/ADDS/SUB/SUBS (immediate): sf op S 100010 sh imm12 Rn Rd
  { mn: 'add', form: 'ADD (immediate)', w: 0x11000000, x: 0x91000000, ops: ['Rd|SP', 'Rn|SP', 'aimm'] },
  { mn: 'add', form: 'SUB (immediate) for a negative value', w: 0x51000000, x: 0xd1000000, ops: ['Rd|SP', 'Rn|SP', 'aimm_neg'] },
  { mn: 'adds', form: 'ADDS (immediate)', w: 0x31000000, x: 0xb1000000, ops: ['Rd', 'Rn|SP', 'aimm'] },
  { mn: 'adds', form: 'SUBS (immediate) for a negative value', w: 0x71000000, x: 0xf1000000, ops: ['Rd', 'Rn|SP', 'aimm_neg'] },
  { mn: 'sub', form: 'SUB (immediate)', w: 0x51000000, x: 0xd1000000, ops: ['Rd|SP', 'Rn|SP', 'aimm'] },
  { mn: 'sub', form: 'ADD (immediate) for a negative value', w: 0x11000000, x: 0x91000000, ops: ['Rd|SP', 'Rn|SP', 'aimm_neg'] },
  { mn: 'subs', form: 'SUBS (immediate)', w: 0x71000000, x: 0xf1000000, ops: ['Rd', 'Rn|SP', 'aimm'] },
  { mn: 'subs', form: 'ADDS (immediate) for a negative value', w: 0x31000000, x: 0xb1000000, ops: ['Rd', 'Rn|SP', 'aimm_neg'] },
  { mn: 'cmp', form: 'CMP (immediate) = SUBS Rd=zr', w: 0x71000000 | Rd31, x: 0xf1000000 | Rd31, ops: ['Rn|SP', 'aimm'] },
  { mn: 'cmp', form: 'CMN (immediate) for a negative value', w: 0x31000000 | Rd31, x: 0xb1000000 | Rd31, ops: ['Rn|SP', 'aimm_neg'] },
  { mn: 'cmn', form: 'CMN (immediate) = ADDS Rd=zr', w: 0x31000000 | Rd31, x: 0xb1000000 | Rd31, ops: ['Rn|SP', 'aimm'] },
  { mn: 'cmn', form: 'CMP (immediate) for a negative value', w: 0x71000000 | Rd31, x: 0xf1000000 | Rd31, ops: ['Rn|SP', 'aimm_neg'] },

  // Logical (immediate): sf opc 100100 N immr imms Rn Rd
  { mn: 'and', form: 'AND (immediate)', w: 0x12000000, x: 0x92000000, ops: ['Rd|SP', 'Rn', 'limm'] },
  { mn: 'orr', form: 'ORR (immediate)', w: 0x32000000, x: 0xb2000000, ops: ['Rd|SP', 'Rn', 'limm'] },
  { mn: 'eor', form: 'EOR (immediate)', w: 0x52000000, x: 0xd2000000, ops: ['Rd|SP', 'Rn', 'limm'] },
  { mn: 'ands', form: 'ANDS (immediate)', w: 0x72000000, x: 0xf2000000, ops: ['Rd', 'Rn', 'limm'] },
  { mn: 'tst', form: 'TST (immediate) = ANDS Rd=zr', w: 0x72000000 | Rd31, x: 0xf2000000 | Rd31, ops: ['Rn', 'limm'] },

  // Move wide (immediate): sf opc 100101 hw imm16 Rd
  { mn: 'movn', form: 'MOVN', w: 0x12800000, x: 0x92800000, ops: ['Rd', 'imm16_hw'] },
  { mn: 'movz', form: 'MOVZ', w: 0x52800000, x: 0xd2800000, ops: ['Rd', 'imm16_hw'] },
  { mn: 'movk', form: 'MOVK', w: 0x72800000, x: 0xf2800000, ops: ['Rd', 'imm16_hw'] },

  // MOV in all its forms, in llvm-mc's order of preference.
  { mn: 'mov', form: 'MOV (register) = ORR Rn=zr', w: 0x2a000000 | Rn31, x: 0xaa000000 | Rn31, ops: ['Rd', 'Rm'] },
  { mn: 'mov', form: 'MOV (to/from SP) = ADD #0', w: 0x11000000, x: 0x91000000, ops: ['Rd|SP', 'Rn|SP'] },
  { mn: 'mov', form: 'MOV (wide immediate) = MOVZ', w: 0x52800000, x: 0xd2800000, ops: ['Rd', 'movz_imm'] },
  { mn: 'mov', form: 'MOV (inverted wide immediate) = MOVN', w: 0x12800000, x: 0x92800000, ops: ['Rd', 'movn_imm'] },
  { mn: 'mov', form: 'MOV (bitmask immediate) = ORR Rn=zr', w: 0x32000000 | Rn31, x: 0xb2000000 | Rn31, ops: ['Rd|SP', 'limm'] },
  { mn: 'mov', form: 'MOVZ/MOVN + MOVK sequence', w: 0, x: 0, ops: ['Rd', 'mov_seq'] },

  // PC-relative addressing: op immlo 10000 immhi Rd
  { mn: 'adr', form: 'ADR', x: 0x10000000, ops: ['Rd', 'adr'] },
  { mn: 'adrp', form: 'ADRP', x: 0x90000000, ops: ['Rd', 'adrp'] },

  // Bitfield: sf opc 100110 N immr imms Rn Rd (N = sf)
  { mn: 'sbfm', form: 'SBFM', w: 0x13000000, x: 0x93400000, ops: ['Rd', 'Rn', 'immr', 'imms'] },
  { mn: 'bfm', form: 'BFM', w: 0x33000000, x: 0xb3400000, ops: ['Rd', 'Rn', 'immr', 'imms'] },
  { mn: 'ubfm', form: 'UBFM', w: 0x53000000, x: 0xd3400000, ops: ['Rd', 'Rn', 'immr', 'imms'] },
  { mn: 'lsl', form: 'LSL (immediate) = UBFM', w: 0x53000000, x: 0xd3400000, ops: ['Rd', 'Rn', 'lsl_amt'] },
  { mn: 'lsr', form: 'LSR (immediate) = UBFM imms=width-1', w: 0x53007c00, x: 0xd340fc00, ops: ['Rd', 'Rn', 'immr'] },
  { mn: 'asr', form: 'ASR (immediate) = SBFM imms=width-1', w: 0x13007c00, x: 0x9340fc00, ops: ['Rd', 'Rn', 'immr'] },
  { mn: 'sbfx', form: 'SBFX = SBFM', w: 0x13000000, x: 0x93400000, ops: ['Rd', 'Rn', 'bfx_lsb', 'bfx_width'] },
  { mn: 'ubfx', form: 'UBFX = UBFM', w: 0x53000000, x: 0xd3400000, ops: ['Rd', 'Rn', 'bfx_lsb', 'bfx_width'] },
  { mn: 'bfxil', form: 'BFXIL = BFM', w: 0x33000000, x: 0xb3400000, ops: ['Rd', 'Rn', 'bfx_lsb', 'bfx_width'] },
  { mn: 'sbfiz', form: 'SBFIZ = SBFM', w: 0x13000000, x: 0x93400000, ops: ['Rd', 'Rn', 'bfi_lsb', 'bfi_width'] },
  { mn: 'ubfiz', form: 'UBFIZ = UBFM', w: 0x53000000, x: 0xd3400000, ops: ['Rd', 'Rn', 'bfi_lsb', 'bfi_width'] },
  { mn: 'bfi', form: 'BFI = BFM', w: 0x33000000, x: 0xb3400000, ops: ['Rd', 'Rn', 'bfi_lsb', 'bfi_width'] },
  { mn: 'sxtb', form: 'SXTB = SBFM #0, #7', w: 0x13001c00, x: 0x93401c00, ops: ['Rd', 'Wn'] },
  { mn: 'sxth', form: 'SXTH = SBFM #0, #15', w: 0x13003c00, x: 0x93403c00, ops: ['Rd', 'Wn'] },
  { mn: 'sxtw', form: 'SXTW = SBFM #0, #31', x: 0x93407c00, ops: ['Rd', 'Wn'] },
  { mn: 'uxtb', form: 'UXTB = UBFM #0, #7', w: 0x53001c00, ops: ['Rd', 'Rn'] },
  { mn: 'uxth', form: 'UXTH = UBFM #0, #15', w: 0x53003c00, ops: ['Rd', 'Rn'] },
  // Extract: sf 00 100111 N 0 Rm imms Rn Rd
  { mn: 'extr', form: 'EXTR', w: 0x13800000, x: 0x93c00000, ops: ['Rd', 'Rn', 'Rm', 'imms'] },
  { mn: 'ror', form: 'ROR (immediate) = EXTR Rm=Rn', w: 0x13800000, x: 0x93c00000, ops: ['Rd', 'Rn=Rm', 'imms'] },

  // ---- Data processing, register ---------------------------------------------------------
  // Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd
  { mn: 'add', form: 'ADD (shifted register)', w: 0x0b000000, x: 0x8b000000, ops: ['Rd', 'Rn', 'rm_shift'] },
  { mn: 'adds', form: 'ADDS (shifted register)', w: 0x2b000000, x: 0xab000000, ops: ['Rd', 'Rn', 'rm_shift'] },
  { mn: 'sub', form: 'SUB (shifted register)', w: 0x4b000000, x: 0xcb000000, ops: ['Rd', 'Rn', 'rm_shift'] },
  { mn: 'subs', form: 'SUBS (shifted register)', w: 0x6b000000, x: 0xeb000000, ops: ['Rd', 'Rn', 'rm_shift'] },
  { mn: 'cmp', form: 'CMP (shifted register) = SUBS Rd=zr', w: 0x6b000000 | Rd31, x: 0xeb000000 | Rd31, ops: ['Rn', 'rm_shift'] },
  { mn: 'cmn', form: 'CMN (shifted register) = ADDS Rd=zr', w: 0x2b000000 | Rd31, x: 0xab000000 | Rd31, ops: ['Rn', 'rm_shift'] },
  { mn: 'neg', form: 'NEG (shifted register) = SUB Rn=zr', w: 0x4b000000 | Rn31, x: 0xcb000000 | Rn31, ops: ['Rd', 'rm_shift'] },
  { mn: 'negs', form: 'NEGS = SUBS Rn=zr', w: 0x6b000000 | Rn31, x: 0xeb000000 | Rn31, ops: ['Rd', 'rm_shift'] },
  // Add/subtract (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd
  { mn: 'add', form: 'ADD (extended register)', w: 0x0b200000, x: 0x8b200000, ops: ['Rd|SP', 'Rn|SP', 'rm_extend'] },
  { mn: 'adds', form: 'ADDS (extended register)', w: 0x2b200000, x: 0xab200000, ops: ['Rd', 'Rn|SP', 'rm_extend'] },
  { mn: 'sub', form: 'SUB (extended register)', w: 0x4b200000, x: 0xcb200000, ops: ['Rd|SP', 'Rn|SP', 'rm_extend'] },
  { mn: 'subs', form: 'SUBS (extended register)', w: 0x6b200000, x: 0xeb200000, ops: ['Rd', 'Rn|SP', 'rm_extend'] },
  { mn: 'cmp', form: 'CMP (extended register)', w: 0x6b200000 | Rd31, x: 0xeb200000 | Rd31, ops: ['Rn|SP', 'rm_extend'] },
  { mn: 'cmn', form: 'CMN (extended register)', w: 0x2b200000 | Rd31, x: 0xab200000 | Rd31, ops: ['Rn|SP', 'rm_extend'] },

  // Logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd
  { mn: 'and', form: 'AND (shifted register)', w: 0x0a000000, x: 0x8a000000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'bic', form: 'BIC (shifted register)', w: 0x0a200000, x: 0x8a200000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'orr', form: 'ORR (shifted register)', w: 0x2a000000, x: 0xaa000000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'orn', form: 'ORN (shifted register)', w: 0x2a200000, x: 0xaa200000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'eor', form: 'EOR (shifted register)', w: 0x4a000000, x: 0xca000000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'eon', form: 'EON (shifted register)', w: 0x4a200000, x: 0xca200000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'ands', form: 'ANDS (shifted register)', w: 0x6a000000, x: 0xea000000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'bics', form: 'BICS (shifted register)', w: 0x6a200000, x: 0xea200000, ops: ['Rd', 'Rn', 'rm_shift_ror'] },
  { mn: 'tst', form: 'TST (shifted register) = ANDS Rd=zr', w: 0x6a000000 | Rd31, x: 0xea000000 | Rd31, ops: ['Rn', 'rm_shift_ror'] },
  { mn: 'mvn', form: 'MVN = ORN Rn=zr', w: 0x2a200000 | Rn31, x: 0xaa200000 | Rn31, ops: ['Rd', 'rm_shift_ror'] },

  // Data-processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd
  { mn: 'udiv', form: 'UDIV', w: 0x1ac00800, x: 0x9ac00800, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'sdiv', form: 'SDIV', w: 0x1ac00c00, x: 0x9ac00c00, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'lslv', form: 'LSLV', w: 0x1ac02000, x: 0x9ac02000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'lsrv', form: 'LSRV', w: 0x1ac02400, x: 0x9ac02400, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'asrv', form: 'ASRV', w: 0x1ac02800, x: 0x9ac02800, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'rorv', form: 'RORV', w: 0x1ac02c00, x: 0x9ac02c00, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'lsl', form: 'LSL (register) = LSLV', w: 0x1ac02000, x: 0x9ac02000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'lsr', form: 'LSR (register) = LSRV', w: 0x1ac02400, x: 0x9ac02400, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'asr', form: 'ASR (register) = ASRV', w: 0x1ac02800, x: 0x9ac02800, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'ror', form: 'ROR (register) = RORV', w: 0x1ac02c00, x: 0x9ac02c00, ops: ['Rd', 'Rn', 'Rm'] },

  // Data-processing (3 source): sf 00 11011 op31 Rm o0 Ra Rn Rd
  { mn: 'madd', form: 'MADD', w: 0x1b000000, x: 0x9b000000, ops: ['Rd', 'Rn', 'Rm', 'Ra'] },
  { mn: 'msub', form: 'MSUB', w: 0x1b008000, x: 0x9b008000, ops: ['Rd', 'Rn', 'Rm', 'Ra'] },
  { mn: 'mul', form: 'MUL = MADD Ra=zr', w: 0x1b000000 | Ra31, x: 0x9b000000 | Ra31, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'mneg', form: 'MNEG = MSUB Ra=zr', w: 0x1b008000 | Ra31, x: 0x9b008000 | Ra31, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'smaddl', form: 'SMADDL', x: 0x9b200000, ops: ['Xd', 'Wn', 'Wm', 'Xa'] },
  { mn: 'umaddl', form: 'UMADDL', x: 0x9ba00000, ops: ['Xd', 'Wn', 'Wm', 'Xa'] },
  { mn: 'smull', form: 'SMULL = SMADDL Ra=zr', x: 0x9b200000 | Ra31, ops: ['Xd', 'Wn', 'Wm'] },
  { mn: 'umull', form: 'UMULL = UMADDL Ra=zr', x: 0x9ba00000 | Ra31, ops: ['Xd', 'Wn', 'Wm'] },
  { mn: 'smulh', form: 'SMULH', x: 0x9b400000 | Ra31, ops: ['Xd', 'Xn', 'Xm'] },
  { mn: 'umulh', form: 'UMULH', x: 0x9bc00000 | Ra31, ops: ['Xd', 'Xn', 'Xm'] },

  // Conditional select: sf op 0 11010100 Rm cond op2 Rn Rd
  { mn: 'csel', form: 'CSEL', w: 0x1a800000, x: 0x9a800000, ops: ['Rd', 'Rn', 'Rm', 'cond'] },
  { mn: 'csinc', form: 'CSINC', w: 0x1a800400, x: 0x9a800400, ops: ['Rd', 'Rn', 'Rm', 'cond'] },
  { mn: 'csinv', form: 'CSINV', w: 0x5a800000, x: 0xda800000, ops: ['Rd', 'Rn', 'Rm', 'cond'] },
  { mn: 'csneg', form: 'CSNEG', w: 0x5a800400, x: 0xda800400, ops: ['Rd', 'Rn', 'Rm', 'cond'] },
  { mn: 'cset', form: 'CSET = CSINC zr, zr, !cond', w: 0x1a800400 | Rm31 | Rn31, x: 0x9a800400 | Rm31 | Rn31, ops: ['Rd', 'cond_inv'] },
  { mn: 'csetm', form: 'CSETM = CSINV zr, zr, !cond', w: 0x5a800000 | Rm31 | Rn31, x: 0xda800000 | Rm31 | Rn31, ops: ['Rd', 'cond_inv'] },
  { mn: 'cinc', form: 'CINC = CSINC Rn, Rn, !cond', w: 0x1a800400, x: 0x9a800400, ops: ['Rd', 'Rn=Rm', 'cond_inv'] },
  { mn: 'cinv', form: 'CINV = CSINV Rn, Rn, !cond', w: 0x5a800000, x: 0xda800000, ops: ['Rd', 'Rn=Rm', 'cond_inv'] },
  { mn: 'cneg', form: 'CNEG = CSNEG Rn, Rn, !cond', w: 0x5a800400, x: 0xda800400, ops: ['Rd', 'Rn=Rm', 'cond_inv'] },

  // Conditional compare: sf op 1 11010010 imm5|Rm cond o2(11) 0 o2(10) Rn 0 nzcv
  { mn: 'ccmn', form: 'CCMN (immediate)', w: 0x3a400800, x: 0xba400800, ops: ['Rn', 'imm5', 'nzcv', 'cond'] },
  { mn: 'ccmn', form: 'CCMN (register)', w: 0x3a400000, x: 0xba400000, ops: ['Rn', 'Rm', 'nzcv', 'cond'] },
  { mn: 'ccmp', form: 'CCMP (immediate)', w: 0x7a400800, x: 0xfa400800, ops: ['Rn', 'imm5', 'nzcv', 'cond'] },
  { mn: 'ccmp', form: 'CCMP (register)', w: 0x7a400000, x: 0xfa400000, ops: ['Rn', 'Rm', 'nzcv', 'cond'] },

  // ---- Branches, exceptions, system ------------------------------------------------------
  { mn: 'b', form: 'B: 000101 imm26', x: 0x14000000, ops: ['rel26'] },
  { mn: 'bl', form: 'BL: 100101 imm26', x: 0x94000000, ops: ['rel26'] },
  // CBZ/CBNZ: sf 011010 op imm19 Rt
  { mn: 'cbz', form: 'CBZ', w: 0x34000000, x: 0xb4000000, ops: ['Rt', 'rel19'] },
  { mn: 'cbnz', form: 'CBNZ', w: 0x35000000, x: 0xb5000000, ops: ['Rt', 'rel19'] },
  // TBZ/TBNZ: b5 011011 op b40 imm14 Rt (the W row first: llvm-mc writes bits below 32 with W)
  { mn: 'tbz', form: 'TBZ', w: 0x36000000, x: 0x36000000, ops: ['Rt', 'tbit', 'rel14'] },
  { mn: 'tbnz', form: 'TBNZ', w: 0x37000000, x: 0x37000000, ops: ['Rt', 'tbit', 'rel14'] },
  // Unconditional branch (register): 1101011 opc op2 op3 Rn op4
  { mn: 'br', form: 'BR', x: 0xd61f0000, ops: ['Xn'] },
  { mn: 'blr', form: 'BLR', x: 0xd63f0000, ops: ['Xn'] },
  { mn: 'ret', form: 'RET (x30)', x: 0xd65f03c0, ops: [] },
  { mn: 'ret', form: 'RET', x: 0xd65f0000, ops: ['Xn'] },
  // Exception generation: 11010100 opc imm16 op2 LL
  { mn: 'svc', form: 'SVC', x: 0xd4000001, ops: ['imm16'] },
  { mn: 'hvc', form: 'HVC', x: 0xd4000002, ops: ['imm16'] },
  { mn: 'smc', form: 'SMC', x: 0xd4000003, ops: ['imm16'] },
  { mn: 'brk', form: 'BRK', x: 0xd4200000, ops: ['imm16'] },
  { mn: 'hlt', form: 'HLT', x: 0xd4400000, ops: ['imm16'] },
  // Hints: 1101010100 0 00 011 0010 CRm op2 11111
  { mn: 'nop', form: 'NOP', x: 0xd503201f, ops: [] },
  { mn: 'yield', form: 'YIELD', x: 0xd503203f, ops: [] },
  { mn: 'wfe', form: 'WFE', x: 0xd503205f, ops: [] },
  { mn: 'wfi', form: 'WFI', x: 0xd503207f, ops: [] },
  { mn: 'sev', form: 'SEV', x: 0xd503209f, ops: [] },
  { mn: 'sevl', form: 'SEVL', x: 0xd50320bf, ops: [] },
];

/**
 * Loads and stores, one line per access (they share five addressing forms, so the rows are
 * derived below rather than written five times). `uoff` is the unsigned-offset template:
 *   size (31..30) 111 V=0 01 opc (23..22) imm12 (21..10) Rn (9..5) Rt (4..0)
 * Clearing bit 24 gives the 9-bit-offset group (unscaled/post/pre by bits 11..10 = 00/01/11);
 * setting bit 21 and bit 11 there gives register offset. `literal`: opc 011 V 00 imm19 Rt.
 */
export const LOAD_STORE: readonly { mn: string; unscaled: string; t: RegKind; uoff: number; scale: number; literal?: number }[] = [
  { mn: 'strb', unscaled: 'sturb', t: 'Wt', uoff: 0x39000000, scale: 0 },
  { mn: 'ldrb', unscaled: 'ldurb', t: 'Wt', uoff: 0x39400000, scale: 0 },
  { mn: 'ldrsb', unscaled: 'ldursb', t: 'Xt', uoff: 0x39800000, scale: 0 },
  { mn: 'ldrsb', unscaled: 'ldursb', t: 'Wt', uoff: 0x39c00000, scale: 0 },
  { mn: 'strh', unscaled: 'sturh', t: 'Wt', uoff: 0x79000000, scale: 1 },
  { mn: 'ldrh', unscaled: 'ldurh', t: 'Wt', uoff: 0x79400000, scale: 1 },
  { mn: 'ldrsh', unscaled: 'ldursh', t: 'Xt', uoff: 0x79800000, scale: 1 },
  { mn: 'ldrsh', unscaled: 'ldursh', t: 'Wt', uoff: 0x79c00000, scale: 1 },
  { mn: 'str', unscaled: 'stur', t: 'Wt', uoff: 0xb9000000, scale: 2 },
  { mn: 'ldr', unscaled: 'ldur', t: 'Wt', uoff: 0xb9400000, scale: 2, literal: 0x18000000 },
  { mn: 'ldrsw', unscaled: 'ldursw', t: 'Xt', uoff: 0xb9800000, scale: 2, literal: 0x98000000 },
  { mn: 'str', unscaled: 'stur', t: 'Xt', uoff: 0xf9000000, scale: 3 },
  { mn: 'ldr', unscaled: 'ldur', t: 'Xt', uoff: 0xf9400000, scale: 3, literal: 0x58000000 },
];

/**
 * Load/store pair: opc (31..30) 101 V=0 mode (24..23) L (22) imm7 (21..15) Rt2 (14..10) Rn Rt.
 * `off` is the signed-offset template (mode 10); post-index is mode 01, pre-index 11.
 */
export const PAIRS: readonly { mn: string; t: RegLetter; off: number; scale: number }[] = [
  { mn: 'stp', t: 'W', off: 0x29000000, scale: 2 },
  { mn: 'ldp', t: 'W', off: 0x29400000, scale: 2 },
  { mn: 'ldpsw', t: 'X', off: 0x69400000, scale: 2 },
  { mn: 'stp', t: 'X', off: 0xa9000000, scale: 3 },
  { mn: 'ldp', t: 'X', off: 0xa9400000, scale: 3 },
];

function derivedRows(): SourceRow[] {
  const rows: SourceRow[] = [];
  const at = (t: RegKind): 'w' | 'x' => (t[0] === 'W' ? 'w' : 'x');
  for (const l of LOAD_STORE) {
    const nine = l.uoff & ~0x01000000;
    const k = at(l.t);
    rows.push(
      { mn: l.mn, form: `${l.mn.toUpperCase()} (unsigned offset)`, [k]: l.uoff, ops: [l.t, 'mem_u12'], scale: l.scale },
      { mn: l.mn, form: `${l.unscaled.toUpperCase()} (unscaled offset)`, [k]: nine, ops: [l.t, 'mem_s9'], scale: l.scale },
      { mn: l.mn, form: `${l.mn.toUpperCase()} (pre-index)`, [k]: nine | 0xc00, ops: [l.t, 'mem_pre'], scale: l.scale },
      { mn: l.mn, form: `${l.mn.toUpperCase()} (post-index)`, [k]: nine | 0x400, ops: [l.t, 'mem_post'], scale: l.scale },
      { mn: l.mn, form: `${l.mn.toUpperCase()} (register)`, [k]: nine | 0x00200800, ops: [l.t, 'mem_reg'], scale: l.scale },
      { mn: l.unscaled, form: l.unscaled.toUpperCase(), [k]: nine, ops: [l.t, 'mem_s9'], scale: l.scale },
    );
    if (l.literal !== undefined) rows.push({ mn: l.mn, form: `${l.mn.toUpperCase()} (literal)`, [k]: l.literal, ops: [l.t, 'rel19'], scale: l.scale });
  }
  for (const p of PAIRS) {
    const k = p.t === 'W' ? 'w' : 'x';
    const t: RegKind = `${p.t}t`;
    const t2: RegKind = `${p.t}t2`;
    const base = p.off & ~0x01800000;
    rows.push(
      { mn: p.mn, form: `${p.mn.toUpperCase()} (signed offset)`, [k]: p.off, ops: [t, t2, 'pair_off'], scale: p.scale },
      { mn: p.mn, form: `${p.mn.toUpperCase()} (pre-index)`, [k]: base | 0x01800000, ops: [t, t2, 'pair_pre'], scale: p.scale },
      { mn: p.mn, form: `${p.mn.toUpperCase()} (post-index)`, [k]: base | 0x00800000, ops: [t, t2, 'pair_post'], scale: p.scale },
    );
  }
  // B.cond: 0101010 0 imm19 0 cond, one mnemonic per condition.
  for (const [name, c] of CONDITIONS) rows.push({ mn: `b.${name}`, form: 'B.cond', x: 0x54000000 | c, ops: ['rel19'] });
  return rows;
}

function expand(src: SourceRow): Row[] {
  const out: Row[] = [];
  for (const [width, bits, letter] of [[32, src.w, 'W'], [64, src.x, 'X']] as const) {
    if (bits === undefined) continue;
    const ops = src.ops.map((k) => k.replace(/R/g, letter) as Kind);
    out.push({ mn: src.mn, form: src.form, bits, width, ops, scale: src.scale ?? 0 });
  }
  return out;
}

/** The table's rows by mnemonic, in preference order: the first half (TABLE and the derived rows) or the second (EXTRA_TABLE). */
export function rowsByMnemonic(half: 'first' | 'second' | 'both'): Map<string, Row[]> {
  const sources = half === 'first' ? [...TABLE, ...derivedRows()] : half === 'second' ? EXTRA_TABLE : [...TABLE, ...derivedRows(), ...EXTRA_TABLE];
  const m = new Map<string, Row[]>();
  for (const src of sources) {
    for (const row of expand(src)) {
      let list = m.get(row.mn);
      if (!list) m.set(row.mn, (list = []));
      list.push(row);
    }
  }
  return m;
}

/** All rows by mnemonic, in preference order (built once). */
export const ROWS_BY_MNEMONIC: ReadonlyMap<string, readonly Row[]> = new LazyMap(() => rowsByMnemonic('both'));
