import type { SourceRow } from './table.js';

/**
 * The second half of the A64 table (format: table.ts): the rest of the integer base ISA —
 * carry arithmetic, one-source data processing, CRC32, the exclusive, acquire/release and LSE
 * atomic memory accesses, prefetch, unprivileged and non-temporal loads and stores, and the
 * system instructions. Kept apart from TABLE so that test/aarch64/gen.ts can generate each half
 * into its own golden file (the first half's file stays as it was).
 *
 * Architecture levels: tinyelf takes all of these without a flag. The LSE atomics (ld<op>, st<op>,
 * swp, cas, casp) are Armv8.1, ldapr is Armv8.3 (RCpc) and CRC32 is optional before Armv8.1;
 * llvm-mc needs `-mattr=+lse,+rcpc,+crc` for them and GNU as `-march=armv8.3-a`.
 */

const Rt31 = 31;
const Rn31 = 31 << 5;
const Ra31 = 31 << 10;

/** Data processing: carry, one source, multiply-subtract long, CRC32, bitfield aliases. */
const DATA_PROCESSING: SourceRow[] = [
  // Add/subtract with carry: sf op S 11010000 Rm 000000 Rn Rd
  { mn: 'adc', form: 'ADC', w: 0x1a000000, x: 0x9a000000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'adcs', form: 'ADCS', w: 0x3a000000, x: 0xba000000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'sbc', form: 'SBC', w: 0x5a000000, x: 0xda000000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'sbcs', form: 'SBCS', w: 0x7a000000, x: 0xfa000000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'ngc', form: 'NGC = SBC Rn=zr', w: 0x5a000000 | Rn31, x: 0xda000000 | Rn31, ops: ['Rd', 'Rm'] },
  { mn: 'ngcs', form: 'NGCS = SBCS Rn=zr', w: 0x7a000000 | Rn31, x: 0xfa000000 | Rn31, ops: ['Rd', 'Rm'] },

  // Data-processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd
  { mn: 'rbit', form: 'RBIT', w: 0x5ac00000, x: 0xdac00000, ops: ['Rd', 'Rn'] },
  { mn: 'rev16', form: 'REV16', w: 0x5ac00400, x: 0xdac00400, ops: ['Rd', 'Rn'] },
  { mn: 'rev', form: 'REV', w: 0x5ac00800, x: 0xdac00c00, ops: ['Rd', 'Rn'] },
  { mn: 'rev32', form: 'REV32', x: 0xdac00800, ops: ['Rd', 'Rn'] },
  { mn: 'rev64', form: 'REV64 = REV (64-bit)', x: 0xdac00c00, ops: ['Rd', 'Rn'] },
  { mn: 'clz', form: 'CLZ', w: 0x5ac01000, x: 0xdac01000, ops: ['Rd', 'Rn'] },
  { mn: 'cls', form: 'CLS', w: 0x5ac01400, x: 0xdac01400, ops: ['Rd', 'Rn'] },

  // Data-processing (3 source), the subtracting long forms: 1 00 11011 U 01 Rm 1 Ra Rn Rd
  { mn: 'smsubl', form: 'SMSUBL', x: 0x9b208000, ops: ['Xd', 'Wn', 'Wm', 'Xa'] },
  { mn: 'umsubl', form: 'UMSUBL', x: 0x9ba08000, ops: ['Xd', 'Wn', 'Wm', 'Xa'] },
  { mn: 'smnegl', form: 'SMNEGL = SMSUBL Ra=zr', x: 0x9b208000 | Ra31, ops: ['Xd', 'Wn', 'Wm'] },
  { mn: 'umnegl', form: 'UMNEGL = UMSUBL Ra=zr', x: 0x9ba08000 | Ra31, ops: ['Xd', 'Wn', 'Wm'] },

  // CRC32: sf 0 0 11010110 Rm 010 C sz Rn Rd (the x forms take a 64-bit Rm, the result stays 32-bit)
  { mn: 'crc32b', form: 'CRC32B', w: 0x1ac04000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'crc32h', form: 'CRC32H', w: 0x1ac04400, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'crc32w', form: 'CRC32W', w: 0x1ac04800, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'crc32x', form: 'CRC32X', x: 0x9ac04c00, ops: ['Wd', 'Wn', 'Xm'] },
  { mn: 'crc32cb', form: 'CRC32CB', w: 0x1ac05000, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'crc32ch', form: 'CRC32CH', w: 0x1ac05400, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'crc32cw', form: 'CRC32CW', w: 0x1ac05800, ops: ['Rd', 'Rn', 'Rm'] },
  { mn: 'crc32cx', form: 'CRC32CX', x: 0x9ac05c00, ops: ['Wd', 'Wn', 'Xm'] },

  // Bitfield aliases with a 64-bit destination. llvm-mc writes `uxtb x0, w1` as the 32-bit UBFM
  // (the upper half is zeroed either way) and `uxtw x0, w1` as UBFX x0, x1, #0, #32; GNU as
  // writes the latter as `mov w0, w1`: tinyelf follows llvm-mc (docs/isa.md lists it).
  { mn: 'uxtb', form: 'UXTB = UBFM #0, #7 (32-bit)', x: 0x53001c00, ops: ['Xd', 'Wn'] },
  { mn: 'uxth', form: 'UXTH = UBFM #0, #15 (32-bit)', x: 0x53003c00, ops: ['Xd', 'Wn'] },
  { mn: 'uxtw', form: 'UXTW = UBFM #0, #31', x: 0xd3407c00, ops: ['Xd', 'Wn'] },
  { mn: 'bfc', form: 'BFC = BFM Rn=zr', w: 0x33000000 | Rn31, x: 0xb3400000 | Rn31, ops: ['Rd', 'bfi_lsb', 'bfi_width'] },
];

/** The access sizes of the byte/halfword/register-sized memory forms: mnemonic suffix, size bits (31..30), register. */
interface Size {
  readonly suffix: string;
  readonly size: number;
  readonly t: 'W' | 'X';
}
const SIZES: readonly Size[] = [
  { suffix: 'b', size: 0, t: 'W' },
  { suffix: 'h', size: 1, t: 'W' },
  { suffix: '', size: 2, t: 'W' },
  { suffix: '', size: 3, t: 'X' },
];

/** A row per access size, `w`/`x` chosen by the register the size takes. */
function sized(mn: string, form: string, template: number, ops: (t: 'W' | 'X') => SourceRow['ops'], sizes: readonly Size[] = SIZES): SourceRow[] {
  return sizes.map(({ suffix, size, t }) => ({
    mn: mn + suffix,
    form: (form + suffix).toUpperCase(),
    [t === 'X' ? 'x' : 'w']: (template | (size << 30)) >>> 0,
    ops: ops(t),
  }));
}

/**
 * Load/store exclusive and load-acquire/store-release: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt,
 * unused register fields all ones. Templates below are for size 00.
 */
function exclusiveRows(): SourceRow[] {
  const rows: SourceRow[] = [];
  const status = (t: 'W' | 'X'): SourceRow['ops'] => ['Ws', `${t}t`, 'mem0'];
  const load = (t: 'W' | 'X'): SourceRow['ops'] => [`${t}t`, 'mem0'];
  rows.push(
    ...sized('stxr', 'stxr', 0x08007c00, status),
    ...sized('stlxr', 'stlxr', 0x0800fc00, status),
    ...sized('ldxr', 'ldxr', 0x085f7c00, load),
    ...sized('ldaxr', 'ldaxr', 0x085ffc00, load),
    ...sized('stlr', 'stlr', 0x089ffc00, load),
    ...sized('ldar', 'ldar', 0x08dffc00, load),
    // LDAPR (RCpc): size 111000 1 0 1 11111 1100 00 Rn Rt
    ...sized('ldapr', 'ldapr', 0x38bfc000, load),
  );
  // Pairs, 32- and 64-bit only: 1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt
  const words = SIZES.slice(2);
  rows.push(
    ...sized('stxp', 'stxp', 0x08200000, (t) => ['Ws', `${t}t`, `${t}t2`, 'mem0'], words),
    ...sized('stlxp', 'stlxp', 0x08208000, (t) => ['Ws', `${t}t`, `${t}t2`, 'mem0'], words),
    ...sized('ldxp', 'ldxp', 0x087f0000, (t) => [`${t}t`, `${t}t2`, 'mem0'], words),
    ...sized('ldaxp', 'ldaxp', 0x087f8000, (t) => [`${t}t`, `${t}t2`, 'mem0'], words),
  );
  return rows;
}

/**
 * LSE atomics. Atomic memory operations: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt, each with
 * acquire (A, bit 23, suffix `a`) and release (R, bit 22, suffix `l`) variants; st<op> is ld<op>
 * with Rt = zr (no acquire form). CAS: size 001000 1 L 1 Rs o0 11111 Rn Rt (L = acquire, o0 =
 * release); CASP: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt with even/odd register pairs. Their address
 * is `[xN]` alone (llvm-mc refuses the `, #0` the exclusives allow).
 */
function atomicRows(): SourceRow[] {
  const rows: SourceRow[] = [];
  const OPS = ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin'];
  const ORDER = [
    { suffix: '', bits: 0 },
    { suffix: 'a', bits: 0x00800000 },
    { suffix: 'al', bits: 0x00c00000 },
    { suffix: 'l', bits: 0x00400000 },
  ];
  OPS.forEach((op, opc) => {
    for (const o of ORDER) rows.push(...sized(`ld${op}${o.suffix}`, `ld${op}${o.suffix}`, 0x38200000 | o.bits | (opc << 12), (t) => [`${t}s`, `${t}t`, 'mem_base']));
    for (const o of ORDER.filter((x) => !x.suffix.includes('a'))) {
      rows.push(...sized(`st${op}${o.suffix}`, `st${op}${o.suffix}`, 0x38200000 | o.bits | (opc << 12) | Rt31, (t) => [`${t}s`, 'mem_base']));
    }
  });
  for (const o of ORDER) rows.push(...sized(`swp${o.suffix}`, `swp${o.suffix}`, 0x38208000 | o.bits, (t) => [`${t}s`, `${t}t`, 'mem_base']));
  const CAS_ORDER = [
    { suffix: '', bits: 0 },
    { suffix: 'a', bits: 0x00400000 },
    { suffix: 'al', bits: 0x00408000 },
    { suffix: 'l', bits: 0x00008000 },
  ];
  for (const o of CAS_ORDER) {
    rows.push(...sized(`cas${o.suffix}`, `cas${o.suffix}`, 0x08a07c00 | o.bits, (t) => [`${t}s`, `${t}t`, 'mem_base']));
    rows.push(
      { mn: `casp${o.suffix}`, form: `CASP${o.suffix.toUpperCase()}`, w: 0x08207c00 | o.bits, x: 0x48207c00 | o.bits, ops: ['even_s', 'next_reg', 'even_t', 'next_reg', 'mem_base'] },
    );
  }
  return rows;
}

/** Prefetch, unprivileged loads/stores, non-temporal pairs. */
function memoryRows(): SourceRow[] {
  const rows: SourceRow[] = [
    // PRFM is LDR (64-bit) with opc 10 and the prefetch operation in Rt; unlike ldr, llvm-mc does
    // not turn an offset it cannot scale into the unscaled form: prfum is written as such.
    { mn: 'prfm', form: 'PRFM (immediate)', x: 0xf9800000, ops: ['prfop', 'mem_u12'], scale: 3 },
    { mn: 'prfm', form: 'PRFM (register)', x: 0xf8a00800, ops: ['prfop', 'mem_reg'], scale: 3 },
    { mn: 'prfm', form: 'PRFM (literal)', x: 0xd8000000, ops: ['prfop', 'rel19'] },
    { mn: 'prfum', form: 'PRFUM', x: 0xf8800000, ops: ['prfop', 'mem_s9'], scale: 3 },
  ];
  // Unprivileged: size 111 0 00 opc 0 imm9 10 Rn Rt
  const UNPRIVILEGED = [
    { mn: 'sttrb', t: 'Wt', bits: 0x38000800 },
    { mn: 'ldtrb', t: 'Wt', bits: 0x38400800 },
    { mn: 'ldtrsb', t: 'Xt', bits: 0x38800800 },
    { mn: 'ldtrsb', t: 'Wt', bits: 0x38c00800 },
    { mn: 'sttrh', t: 'Wt', bits: 0x78000800 },
    { mn: 'ldtrh', t: 'Wt', bits: 0x78400800 },
    { mn: 'ldtrsh', t: 'Xt', bits: 0x78800800 },
    { mn: 'ldtrsh', t: 'Wt', bits: 0x78c00800 },
    { mn: 'sttr', t: 'Wt', bits: 0xb8000800 },
    { mn: 'ldtr', t: 'Wt', bits: 0xb8400800 },
    { mn: 'ldtrsw', t: 'Xt', bits: 0xb8800800 },
    { mn: 'sttr', t: 'Xt', bits: 0xf8000800 },
    { mn: 'ldtr', t: 'Xt', bits: 0xf8400800 },
  ] as const;
  for (const u of UNPRIVILEGED) rows.push({ mn: u.mn, form: u.mn.toUpperCase(), [u.t === 'Xt' ? 'x' : 'w']: u.bits, ops: [u.t, 'mem_s9'] });
  // Non-temporal pairs: opc 101 0 000 L imm7 Rt2 Rn Rt
  rows.push(
    { mn: 'stnp', form: 'STNP', w: 0x28000000, ops: ['Wt', 'Wt2', 'pair_off'], scale: 2 },
    { mn: 'ldnp', form: 'LDNP', w: 0x28400000, ops: ['Wt', 'Wt2', 'pair_off'], scale: 2 },
    { mn: 'stnp', form: 'STNP', x: 0xa8000000, ops: ['Xt', 'Xt2', 'pair_off'], scale: 3 },
    { mn: 'ldnp', form: 'LDNP', x: 0xa8400000, ops: ['Xt', 'Xt2', 'pair_off'], scale: 3 },
  );
  return rows;
}

/**
 * System instructions: 1101010100 L op0 op1 CRn CRm op2 Rt. Hints are op0=0 CRn=2 (CRm:op2 the
 * hint number), barriers CRn=3, MSR (immediate) CRn=4 with the value in CRm.
 */
const SYSTEM: SourceRow[] = [
  { mn: 'hint', form: 'HINT', x: 0xd503201f, ops: ['hint_imm'] },
  { mn: 'dgh', form: 'DGH = HINT #6', x: 0xd50320df, ops: [] },
  { mn: 'csdb', form: 'CSDB = HINT #20', x: 0xd503229f, ops: [] },
  // Pointer authentication and branch target identification in the hint space (a no-op where
  // the feature is absent, so llvm-mc takes them without a flag): HINT #n is 0xd503201f | n << 5.
  ...([
    ['xpaclri', 7], ['pacia1716', 8], ['pacib1716', 10], ['autia1716', 12], ['autib1716', 14],
    ['paciaz', 24], ['paciasp', 25], ['pacibz', 26], ['pacibsp', 27], ['autiaz', 28], ['autiasp', 29], ['autibz', 30], ['autibsp', 31],
  ] as const).map(([mn, n]): SourceRow => ({ mn, form: `${mn.toUpperCase()} = HINT #${n}`, x: (0xd503201f | (n << 5)) >>> 0, ops: [] })),
  { mn: 'bti', form: 'BTI = HINT #32', x: 0xd503241f, ops: [] },
  { mn: 'bti', form: 'BTI c|j|jc = HINT #34/36/38', x: 0xd503241f, ops: ['bti_target'] },
  { mn: 'clrex', form: 'CLREX', x: 0xd5033f5f, ops: [] },
  { mn: 'clrex', form: 'CLREX #imm', x: 0xd503305f, ops: ['crm_imm'] },
  { mn: 'dsb', form: 'DSB', x: 0xd503309f, ops: ['barrier'] },
  { mn: 'dmb', form: 'DMB', x: 0xd50330bf, ops: ['barrier'] },
  { mn: 'isb', form: 'ISB (sy)', x: 0xd5033fdf, ops: [] },
  { mn: 'isb', form: 'ISB', x: 0xd50330df, ops: ['barrier_isb'] },
  { mn: 'ssbb', form: 'SSBB = DSB #0', x: 0xd503309f, ops: [] },
  { mn: 'pssbb', form: 'PSSBB = DSB #4', x: 0xd503349f, ops: [] },
  { mn: 'mrs', form: 'MRS', x: 0xd5200000, ops: ['Xt', 'sysreg_read'] },
  { mn: 'msr', form: 'MSR (immediate)', x: 0xd500401f, ops: ['pstate', 'crm_imm'] },
  { mn: 'msr', form: 'MSR (register)', x: 0xd5000000, ops: ['sysreg_write', 'Xt'] },
  { mn: 'sys', form: 'SYS (Rt = xzr)', x: 0xd5080000 | Rt31, ops: ['sys_op1', 'sys_crn', 'sys_crm', 'sys_op2'] },
  { mn: 'sys', form: 'SYS', x: 0xd5080000, ops: ['sys_op1', 'sys_crn', 'sys_crm', 'sys_op2', 'Xt'] },
  { mn: 'sysl', form: 'SYSL', x: 0xd5280000, ops: ['Xt', 'sys_op1', 'sys_crn', 'sys_crm', 'sys_op2'] },
  ...(['dc', 'ic', 'at', 'tlbi'] as const).flatMap((alias): SourceRow[] => [
    { mn: alias, form: `${alias.toUpperCase()} = SYS`, x: 0xd5080000 | Rt31, ops: ['sys_operation'] },
    { mn: alias, form: `${alias.toUpperCase()} = SYS`, x: 0xd5080000, ops: ['sys_operation', 'Xt'] },
  ]),
  // Exception return and debug: 1101011 opc 11111 000000 11111 00000; 11010100 101 imm16 000 LL
  { mn: 'eret', form: 'ERET', x: 0xd69f03e0, ops: [] },
  { mn: 'drps', form: 'DRPS', x: 0xd6bf03e0, ops: [] },
  ...[1, 2, 3].flatMap((ll): SourceRow[] => [
    { mn: `dcps${ll}`, form: `DCPS${ll}`, x: 0xd4a00000 | ll, ops: [] },
    { mn: `dcps${ll}`, form: `DCPS${ll}`, x: 0xd4a00000 | ll, ops: ['imm16'] },
  ]),
];

export const EXTRA_TABLE: readonly SourceRow[] = [...DATA_PROCESSING, ...exclusiveRows(), ...atomicRows(), ...memoryRows(), ...SYSTEM];
