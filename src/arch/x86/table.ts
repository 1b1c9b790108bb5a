import type { OpKind } from './operands.js';

/**
 * The x86 instruction forms tinyelf encodes, one row per form, in the Intel manual's notation.
 *
 * Row fields:
 * - `mn`: mnemonic. `ops`: operand kinds in source order (see operands.ts).
 * - `en`: operand encoding, as in the manual's "Op/En" column:
 *   `ZO` no explicit operands · `O` register in the opcode's low 3 bits · `OI` that plus an immediate ·
 *   `I` immediate only · `M` ModRM r/m (with `digit` in ModRM.reg) · `MI` r/m and immediate ·
 *   `MR` r/m first, register second · `RM` register first, r/m second · `RMI` both plus an immediate ·
 *   `D` relative branch · `FD`/`TD` accumulator from/to an absolute address (moffs).
 *   Fixed operands (`al`, `eax`, `cl`, `one`) are implied by the opcode and not encoded.
 * - `op`: opcode bytes. `digit`: the /digit in ModRM.reg.
 * - `os`: operand size when it is not the size of the first sized operand (0 = no operand size,
 *   no 66/REX.W). `d64`: operand size defaults to 64 bits in 64-bit mode (no REX.W needed).
 * - `as`: the instruction's address size (jcxz/jecxz/jrcxz), which may need a 67 prefix.
 * - `mode`: `no64` (invalid in 64-bit mode) or `only64`.
 * - `defaultSize`: a memory operand without a size is taken to have the mode's natural size
 *   (nasm does this for `jmp [eax]` and `call [eax]`).
 *
 * Worked example: `{ mn: 'add', en: 'MI', ops: ['rm32', 'imm8s'], op: [0x83], digit: 0 }` encodes
 * `add ebx, -1` as 83 C3 FF: opcode 83; ModRM mod=11 (register), reg=/0, rm=3 (ebx); then the
 * immediate as a signed byte. The operand size is 32 (from rm32), so no 66 prefix or REX.W.
 *
 * Among rows that fit, the encoder takes the shortest encoding; on a tie, the row listed first.
 * Rows are ordered so that ties give what nasm gives (e.g. `MR` before `RM` for `add eax, ebx`).
 */
export type Encoding = 'ZO' | 'O' | 'OI' | 'I' | 'M' | 'MI' | 'MR' | 'RM' | 'RMI' | 'D' | 'FD' | 'TD';

export interface Form {
  readonly mn: string;
  readonly en: Encoding;
  readonly ops: readonly OpKind[];
  readonly op: readonly number[];
  readonly digit?: number;
  readonly os?: 0 | 8 | 16 | 32 | 64;
  readonly d64?: boolean;
  readonly as?: 16 | 32 | 64;
  readonly mode?: 'no64' | 'only64';
  readonly defaultSize?: boolean;
}

/** Condition codes in encoding order, with their aliases (nasm accepts all of them). */
export const CONDITIONS: readonly (readonly string[])[] = [
  ['o'], ['no'], ['b', 'c', 'nae'], ['ae', 'nb', 'nc'], ['e', 'z'], ['ne', 'nz'], ['be', 'na'], ['a', 'nbe'],
  ['s'], ['ns'], ['p', 'pe'], ['np', 'po'], ['l', 'nge'], ['ge', 'nl'], ['le', 'ng'], ['g', 'nle'],
];

/** The eight classic ALU operations: `op` is the base opcode (00 add … 38 cmp), `digit` the /digit of 80/81/83. */
function alu<M extends string>(mn: M, base: number, digit: number) {
  return [
    { mn, en: 'MR', ops: ['rm8', 'r8'], op: [base] },
    { mn, en: 'MR', ops: ['rm16', 'r16'], op: [base + 1] },
    { mn, en: 'MR', ops: ['rm32', 'r32'], op: [base + 1] },
    { mn, en: 'MR', ops: ['rm64', 'r64'], op: [base + 1] },
    { mn, en: 'RM', ops: ['r8', 'rm8'], op: [base + 2] },
    { mn, en: 'RM', ops: ['r16', 'rm16'], op: [base + 3] },
    { mn, en: 'RM', ops: ['r32', 'rm32'], op: [base + 3] },
    { mn, en: 'RM', ops: ['r64', 'rm64'], op: [base + 3] },
    // Sign-extended byte immediates before the accumulator forms: on a tie (`add ax, 5`) nasm uses 83.
    { mn, en: 'MI', ops: ['rm16', 'imm8s'], op: [0x83], digit },
    { mn, en: 'MI', ops: ['rm32', 'imm8s'], op: [0x83], digit },
    { mn, en: 'MI', ops: ['rm64', 'imm8s'], op: [0x83], digit },
    { mn, en: 'I', ops: ['al', 'imm8'], op: [base + 4] },
    { mn, en: 'I', ops: ['ax', 'imm16'], op: [base + 5] },
    { mn, en: 'I', ops: ['eax', 'imm32'], op: [base + 5] },
    { mn, en: 'I', ops: ['rax', 'imm32s'], op: [base + 5] },
    { mn, en: 'MI', ops: ['rm8', 'imm8'], op: [0x80], digit },
    { mn, en: 'MI', ops: ['rm16', 'imm16'], op: [0x81], digit },
    { mn, en: 'MI', ops: ['rm32', 'imm32'], op: [0x81], digit },
    { mn, en: 'MI', ops: ['rm64', 'imm32s'], op: [0x81], digit },
  ] as const;
}

/** Shifts and rotates: by 1 (D0/D1), by cl (D2/D3), by imm8 (C0/C1). */
function shift<M extends string>(mn: M, digit: number) {
  return [
    { mn, en: 'M', ops: ['rm8', 'one'], op: [0xd0], digit },
    { mn, en: 'M', ops: ['rm16', 'one'], op: [0xd1], digit },
    { mn, en: 'M', ops: ['rm32', 'one'], op: [0xd1], digit },
    { mn, en: 'M', ops: ['rm64', 'one'], op: [0xd1], digit },
    { mn, en: 'M', ops: ['rm8', 'cl'], op: [0xd2], digit },
    { mn, en: 'M', ops: ['rm16', 'cl'], op: [0xd3], digit },
    { mn, en: 'M', ops: ['rm32', 'cl'], op: [0xd3], digit },
    { mn, en: 'M', ops: ['rm64', 'cl'], op: [0xd3], digit },
    { mn, en: 'MI', ops: ['rm8', 'imm8'], op: [0xc0], digit },
    { mn, en: 'MI', ops: ['rm16', 'imm8'], op: [0xc1], digit },
    { mn, en: 'MI', ops: ['rm32', 'imm8'], op: [0xc1], digit },
    { mn, en: 'MI', ops: ['rm64', 'imm8'], op: [0xc1], digit },
  ] as const;
}

/** One-operand group-3/4/5 forms (F6/F7, FE/FF) with their /digit. */
function unary<M extends string>(mn: M, op8: number, op: number, digit: number) {
  return [
    { mn, en: 'M', ops: ['rm8'], op: [op8], digit },
    { mn, en: 'M', ops: ['rm16'], op: [op], digit },
    { mn, en: 'M', ops: ['rm32'], op: [op], digit },
    { mn, en: 'M', ops: ['rm64'], op: [op], digit },
  ] as const;
}

/** `reg, r/m` forms at 16/32/64 bits with a two-byte opcode (cmovcc, bsf, imul …). */
function rm3<M extends string>(mn: M, op: readonly number[]) {
  return [
    { mn, en: 'RM', ops: ['r16', 'rm16'], op },
    { mn, en: 'RM', ops: ['r32', 'rm32'], op },
    { mn, en: 'RM', ops: ['r64', 'rm64'], op },
  ] as const;
}

/** `r/m, reg` forms with an 8-bit variant (xadd, cmpxchg): op8 for bytes, op8+1 otherwise. */
function mr4<M extends string>(mn: M, prefix: readonly number[], op8: number) {
  return [
    { mn, en: 'MR', ops: ['rm8', 'r8'], op: [...prefix, op8] },
    { mn, en: 'MR', ops: ['rm16', 'r16'], op: [...prefix, op8 + 1] },
    { mn, en: 'MR', ops: ['rm32', 'r32'], op: [...prefix, op8 + 1] },
    { mn, en: 'MR', ops: ['rm64', 'r64'], op: [...prefix, op8 + 1] },
  ] as const;
}

/** bt/bts/btr/btc: `r/m, reg` (0F xx) and `r/m, imm8` (0F BA /digit). */
function bitTest<M extends string>(mn: M, op: number, digit: number) {
  return [
    { mn, en: 'MR', ops: ['rm16', 'r16'], op: [0x0f, op] },
    { mn, en: 'MR', ops: ['rm32', 'r32'], op: [0x0f, op] },
    { mn, en: 'MR', ops: ['rm64', 'r64'], op: [0x0f, op] },
    { mn, en: 'MI', ops: ['rm16', 'imm8'], op: [0x0f, 0xba], digit },
    { mn, en: 'MI', ops: ['rm32', 'imm8'], op: [0x0f, 0xba], digit },
    { mn, en: 'MI', ops: ['rm64', 'imm8'], op: [0x0f, 0xba], digit },
  ] as const;
}

/** String instructions: b/w/d/q suffixed forms of one opcode pair. */
function str<M extends string>(mn: M, op: number) {
  return [
    { mn: `${mn}b`, en: 'ZO', ops: [], op: [op], os: 0 },
    { mn: `${mn}w`, en: 'ZO', ops: [], op: [op + 1], os: 16 },
    { mn: `${mn}d`, en: 'ZO', ops: [], op: [op + 1], os: 32 },
    { mn: `${mn}q`, en: 'ZO', ops: [], op: [op + 1], os: 64 },
  ] as const;
}

/** jcc/setcc/cmovcc for every condition name. */
function conditional() {
  const rows: Form[] = [];
  CONDITIONS.forEach((names, cc) => {
    for (const c of names) {
      rows.push({ mn: `j${c}`, en: 'D', ops: ['rel8'], op: [0x70 + cc] });
      rows.push({ mn: `j${c}`, en: 'D', ops: ['rel32'], op: [0x0f, 0x80 + cc] });
      rows.push({ mn: `set${c}`, en: 'M', ops: ['rm8'], op: [0x0f, 0x90 + cc], digit: 0 });
      rows.push(...rm3(`cmov${c}`, [0x0f, 0x40 + cc]));
    }
  });
  return rows;
}

export const FORMS: readonly Form[] = [
  // --- data movement ---
  { mn: 'mov', en: 'MR', ops: ['rm8', 'r8'], op: [0x88] },
  { mn: 'mov', en: 'MR', ops: ['rm16', 'r16'], op: [0x89] },
  { mn: 'mov', en: 'MR', ops: ['rm32', 'r32'], op: [0x89] },
  { mn: 'mov', en: 'MR', ops: ['rm64', 'r64'], op: [0x89] },
  { mn: 'mov', en: 'RM', ops: ['r8', 'rm8'], op: [0x8a] },
  { mn: 'mov', en: 'RM', ops: ['r16', 'rm16'], op: [0x8b] },
  { mn: 'mov', en: 'RM', ops: ['r32', 'rm32'], op: [0x8b] },
  { mn: 'mov', en: 'RM', ops: ['r64', 'rm64'], op: [0x8b] },
  { mn: 'mov', en: 'FD', ops: ['al', 'moffs8'], op: [0xa0] },
  { mn: 'mov', en: 'FD', ops: ['ax', 'moffs16'], op: [0xa1] },
  { mn: 'mov', en: 'FD', ops: ['eax', 'moffs32'], op: [0xa1] },
  { mn: 'mov', en: 'FD', ops: ['rax', 'moffs64'], op: [0xa1] },
  { mn: 'mov', en: 'TD', ops: ['moffs8', 'al'], op: [0xa2] },
  { mn: 'mov', en: 'TD', ops: ['moffs16', 'ax'], op: [0xa3] },
  { mn: 'mov', en: 'TD', ops: ['moffs32', 'eax'], op: [0xa3] },
  { mn: 'mov', en: 'TD', ops: ['moffs64', 'rax'], op: [0xa3] },
  { mn: 'mov', en: 'OI', ops: ['r8', 'imm8'], op: [0xb0] },
  { mn: 'mov', en: 'OI', ops: ['r16', 'imm16'], op: [0xb8] },
  { mn: 'mov', en: 'OI', ops: ['r32', 'imm32'], op: [0xb8] },
  // nasm's shortcut: writing the 32-bit half zero-extends, so `mov rax, 1` is `mov eax, 1`.
  { mn: 'mov', en: 'OI', ops: ['r64', 'imm32u'], op: [0xb8], os: 32, mode: 'only64' },
  { mn: 'mov', en: 'MI', ops: ['rm8', 'imm8'], op: [0xc6], digit: 0 },
  { mn: 'mov', en: 'MI', ops: ['rm16', 'imm16'], op: [0xc7], digit: 0 },
  { mn: 'mov', en: 'MI', ops: ['rm32', 'imm32'], op: [0xc7], digit: 0 },
  { mn: 'mov', en: 'MI', ops: ['rm64', 'imm32s'], op: [0xc7], digit: 0 },
  { mn: 'mov', en: 'OI', ops: ['r64', 'imm64'], op: [0xb8] },
  { mn: 'movzx', en: 'RM', ops: ['r16', 'rm8'], op: [0x0f, 0xb6] },
  { mn: 'movzx', en: 'RM', ops: ['r32', 'rm8'], op: [0x0f, 0xb6] },
  { mn: 'movzx', en: 'RM', ops: ['r64', 'rm8'], op: [0x0f, 0xb6] },
  { mn: 'movzx', en: 'RM', ops: ['r32', 'rm16'], op: [0x0f, 0xb7] },
  { mn: 'movzx', en: 'RM', ops: ['r64', 'rm16'], op: [0x0f, 0xb7] },
  { mn: 'movsx', en: 'RM', ops: ['r16', 'rm8'], op: [0x0f, 0xbe] },
  { mn: 'movsx', en: 'RM', ops: ['r32', 'rm8'], op: [0x0f, 0xbe] },
  { mn: 'movsx', en: 'RM', ops: ['r64', 'rm8'], op: [0x0f, 0xbe] },
  { mn: 'movsx', en: 'RM', ops: ['r32', 'rm16'], op: [0x0f, 0xbf] },
  { mn: 'movsx', en: 'RM', ops: ['r64', 'rm16'], op: [0x0f, 0xbf] },
  { mn: 'movsx', en: 'RM', ops: ['r64', 'rm32'], op: [0x63], mode: 'only64' },
  { mn: 'movsxd', en: 'RM', ops: ['r64', 'rm32'], op: [0x63], mode: 'only64' },
  { mn: 'lea', en: 'RM', ops: ['r16', 'm'], op: [0x8d] },
  { mn: 'lea', en: 'RM', ops: ['r32', 'm'], op: [0x8d] },
  { mn: 'lea', en: 'RM', ops: ['r64', 'm'], op: [0x8d] },
  // xchg: the accumulator forms are one byte (90+r); nasm lists reg,r/m before r/m,reg.
  { mn: 'xchg', en: 'O', ops: ['ax', 'r16'], op: [0x90] },
  { mn: 'xchg', en: 'O', ops: ['r16', 'ax'], op: [0x90] },
  { mn: 'xchg', en: 'O', ops: ['eax', 'r32'], op: [0x90] },
  { mn: 'xchg', en: 'O', ops: ['r32', 'eax'], op: [0x90] },
  { mn: 'xchg', en: 'O', ops: ['rax', 'r64'], op: [0x90] },
  { mn: 'xchg', en: 'O', ops: ['r64', 'rax'], op: [0x90] },
  { mn: 'xchg', en: 'RM', ops: ['r8', 'rm8'], op: [0x86] },
  { mn: 'xchg', en: 'RM', ops: ['r16', 'rm16'], op: [0x87] },
  { mn: 'xchg', en: 'RM', ops: ['r32', 'rm32'], op: [0x87] },
  { mn: 'xchg', en: 'RM', ops: ['r64', 'rm64'], op: [0x87] },
  { mn: 'xchg', en: 'MR', ops: ['rm8', 'r8'], op: [0x86] },
  { mn: 'xchg', en: 'MR', ops: ['rm16', 'r16'], op: [0x87] },
  { mn: 'xchg', en: 'MR', ops: ['rm32', 'r32'], op: [0x87] },
  { mn: 'xchg', en: 'MR', ops: ['rm64', 'r64'], op: [0x87] },
  ...mr4('xadd', [0x0f], 0xc0),
  ...mr4('cmpxchg', [0x0f], 0xb0),
  { mn: 'bswap', en: 'O', ops: ['r32'], op: [0x0f, 0xc8] },
  { mn: 'bswap', en: 'O', ops: ['r64'], op: [0x0f, 0xc8] },

  // --- stack ---
  { mn: 'push', en: 'O', ops: ['r16'], op: [0x50] },
  { mn: 'push', en: 'O', ops: ['r32'], op: [0x50], mode: 'no64' },
  { mn: 'push', en: 'O', ops: ['r64'], op: [0x50], mode: 'only64', d64: true },
  { mn: 'push', en: 'M', ops: ['rm16'], op: [0xff], digit: 6 },
  { mn: 'push', en: 'M', ops: ['rm32'], op: [0xff], digit: 6, mode: 'no64' },
  { mn: 'push', en: 'M', ops: ['rm64'], op: [0xff], digit: 6, mode: 'only64', d64: true },
  { mn: 'push', en: 'I', ops: ['imm8s'], op: [0x6a], os: 16 },
  { mn: 'push', en: 'I', ops: ['imm8s'], op: [0x6a], os: 32, mode: 'no64' },
  { mn: 'push', en: 'I', ops: ['imm8s'], op: [0x6a], os: 64, mode: 'only64', d64: true },
  { mn: 'push', en: 'I', ops: ['imm16'], op: [0x68], os: 16 },
  { mn: 'push', en: 'I', ops: ['imm32'], op: [0x68], os: 32, mode: 'no64' },
  { mn: 'push', en: 'I', ops: ['imm32s'], op: [0x68], os: 64, mode: 'only64', d64: true },
  { mn: 'pop', en: 'O', ops: ['r16'], op: [0x58] },
  { mn: 'pop', en: 'O', ops: ['r32'], op: [0x58], mode: 'no64' },
  { mn: 'pop', en: 'O', ops: ['r64'], op: [0x58], mode: 'only64', d64: true },
  { mn: 'pop', en: 'M', ops: ['rm16'], op: [0x8f], digit: 0 },
  { mn: 'pop', en: 'M', ops: ['rm32'], op: [0x8f], digit: 0, mode: 'no64' },
  { mn: 'pop', en: 'M', ops: ['rm64'], op: [0x8f], digit: 0, mode: 'only64', d64: true },
  { mn: 'pusha', en: 'ZO', ops: [], op: [0x60], os: 0, mode: 'no64' },
  { mn: 'pushaw', en: 'ZO', ops: [], op: [0x60], os: 16, mode: 'no64' },
  { mn: 'pushad', en: 'ZO', ops: [], op: [0x60], os: 32, mode: 'no64' },
  { mn: 'popa', en: 'ZO', ops: [], op: [0x61], os: 0, mode: 'no64' },
  { mn: 'popaw', en: 'ZO', ops: [], op: [0x61], os: 16, mode: 'no64' },
  { mn: 'popad', en: 'ZO', ops: [], op: [0x61], os: 32, mode: 'no64' },
  { mn: 'pushf', en: 'ZO', ops: [], op: [0x9c], os: 0 },
  { mn: 'popf', en: 'ZO', ops: [], op: [0x9d], os: 0 },
  { mn: 'leave', en: 'ZO', ops: [], op: [0xc9], os: 0 },

  // --- arithmetic and logic ---
  ...alu('add', 0x00, 0),
  ...alu('or', 0x08, 1),
  ...alu('adc', 0x10, 2),
  ...alu('sbb', 0x18, 3),
  ...alu('and', 0x20, 4),
  ...alu('sub', 0x28, 5),
  ...alu('xor', 0x30, 6),
  ...alu('cmp', 0x38, 7),
  { mn: 'test', en: 'MR', ops: ['rm8', 'r8'], op: [0x84] },
  { mn: 'test', en: 'MR', ops: ['rm16', 'r16'], op: [0x85] },
  { mn: 'test', en: 'MR', ops: ['rm32', 'r32'], op: [0x85] },
  { mn: 'test', en: 'MR', ops: ['rm64', 'r64'], op: [0x85] },
  { mn: 'test', en: 'RM', ops: ['r8', 'rm8'], op: [0x84] },
  { mn: 'test', en: 'RM', ops: ['r16', 'rm16'], op: [0x85] },
  { mn: 'test', en: 'RM', ops: ['r32', 'rm32'], op: [0x85] },
  { mn: 'test', en: 'RM', ops: ['r64', 'rm64'], op: [0x85] },
  { mn: 'test', en: 'I', ops: ['al', 'imm8'], op: [0xa8] },
  { mn: 'test', en: 'I', ops: ['ax', 'imm16'], op: [0xa9] },
  { mn: 'test', en: 'I', ops: ['eax', 'imm32'], op: [0xa9] },
  { mn: 'test', en: 'I', ops: ['rax', 'imm32s'], op: [0xa9] },
  { mn: 'test', en: 'MI', ops: ['rm8', 'imm8'], op: [0xf6], digit: 0 },
  { mn: 'test', en: 'MI', ops: ['rm16', 'imm16'], op: [0xf7], digit: 0 },
  { mn: 'test', en: 'MI', ops: ['rm32', 'imm32'], op: [0xf7], digit: 0 },
  { mn: 'test', en: 'MI', ops: ['rm64', 'imm32s'], op: [0xf7], digit: 0 },
  // inc/dec r16/r32 have one-byte forms outside 64-bit mode (40+r / 48+r are REX there).
  { mn: 'inc', en: 'O', ops: ['r16'], op: [0x40], mode: 'no64' },
  { mn: 'inc', en: 'O', ops: ['r32'], op: [0x40], mode: 'no64' },
  ...unary('inc', 0xfe, 0xff, 0),
  { mn: 'dec', en: 'O', ops: ['r16'], op: [0x48], mode: 'no64' },
  { mn: 'dec', en: 'O', ops: ['r32'], op: [0x48], mode: 'no64' },
  ...unary('dec', 0xfe, 0xff, 1),
  ...unary('not', 0xf6, 0xf7, 2),
  ...unary('neg', 0xf6, 0xf7, 3),
  ...unary('mul', 0xf6, 0xf7, 4),
  ...unary('imul', 0xf6, 0xf7, 5),
  ...unary('div', 0xf6, 0xf7, 6),
  ...unary('idiv', 0xf6, 0xf7, 7),
  ...rm3('imul', [0x0f, 0xaf]),
  { mn: 'imul', en: 'RMI', ops: ['r16', 'rm16', 'imm8s'], op: [0x6b] },
  { mn: 'imul', en: 'RMI', ops: ['r32', 'rm32', 'imm8s'], op: [0x6b] },
  { mn: 'imul', en: 'RMI', ops: ['r64', 'rm64', 'imm8s'], op: [0x6b] },
  { mn: 'imul', en: 'RMI', ops: ['r16', 'rm16', 'imm16'], op: [0x69] },
  { mn: 'imul', en: 'RMI', ops: ['r32', 'rm32', 'imm32'], op: [0x69] },
  { mn: 'imul', en: 'RMI', ops: ['r64', 'rm64', 'imm32s'], op: [0x69] },
  ...shift('rol', 0),
  ...shift('ror', 1),
  ...shift('rcl', 2),
  ...shift('rcr', 3),
  ...shift('shl', 4),
  ...shift('sal', 4),
  ...shift('shr', 5),
  ...shift('sar', 7),
  ...bitTest('bt', 0xa3, 4),
  ...bitTest('bts', 0xab, 5),
  ...bitTest('btr', 0xb3, 6),
  ...bitTest('btc', 0xbb, 7),
  ...rm3('bsf', [0x0f, 0xbc]),
  ...rm3('bsr', [0x0f, 0xbd]),
  { mn: 'cbw', en: 'ZO', ops: [], op: [0x98], os: 16 },
  { mn: 'cwde', en: 'ZO', ops: [], op: [0x98], os: 32 },
  { mn: 'cdqe', en: 'ZO', ops: [], op: [0x98], os: 64 },
  { mn: 'cwd', en: 'ZO', ops: [], op: [0x99], os: 16 },
  { mn: 'cdq', en: 'ZO', ops: [], op: [0x99], os: 32 },
  { mn: 'cqo', en: 'ZO', ops: [], op: [0x99], os: 64 },

  // --- control flow ---
  { mn: 'jmp', en: 'D', ops: ['rel8'], op: [0xeb] },
  { mn: 'jmp', en: 'D', ops: ['rel32'], op: [0xe9] },
  { mn: 'jmp', en: 'M', ops: ['rm16'], op: [0xff], digit: 4, mode: 'no64', defaultSize: true },
  { mn: 'jmp', en: 'M', ops: ['rm32'], op: [0xff], digit: 4, mode: 'no64', defaultSize: true },
  { mn: 'jmp', en: 'M', ops: ['rm64'], op: [0xff], digit: 4, mode: 'only64', d64: true, defaultSize: true },
  { mn: 'call', en: 'D', ops: ['rel32'], op: [0xe8] },
  { mn: 'call', en: 'M', ops: ['rm16'], op: [0xff], digit: 2, mode: 'no64', defaultSize: true },
  { mn: 'call', en: 'M', ops: ['rm32'], op: [0xff], digit: 2, mode: 'no64', defaultSize: true },
  { mn: 'call', en: 'M', ops: ['rm64'], op: [0xff], digit: 2, mode: 'only64', d64: true, defaultSize: true },
  ...conditional(),
  { mn: 'loop', en: 'D', ops: ['rel8'], op: [0xe2] },
  { mn: 'loope', en: 'D', ops: ['rel8'], op: [0xe1] },
  { mn: 'loopz', en: 'D', ops: ['rel8'], op: [0xe1] },
  { mn: 'loopne', en: 'D', ops: ['rel8'], op: [0xe0] },
  { mn: 'loopnz', en: 'D', ops: ['rel8'], op: [0xe0] },
  { mn: 'jcxz', en: 'D', ops: ['rel8'], op: [0xe3], as: 16, mode: 'no64' },
  { mn: 'jecxz', en: 'D', ops: ['rel8'], op: [0xe3], as: 32 },
  { mn: 'jrcxz', en: 'D', ops: ['rel8'], op: [0xe3], as: 64, mode: 'only64' },
  { mn: 'ret', en: 'ZO', ops: [], op: [0xc3], os: 0 },
  { mn: 'ret', en: 'I', ops: ['imm16'], op: [0xc2], os: 0 },
  { mn: 'int', en: 'I', ops: ['imm8'], op: [0xcd], os: 0 },
  { mn: 'int3', en: 'ZO', ops: [], op: [0xcc], os: 0 },
  { mn: 'syscall', en: 'ZO', ops: [], op: [0x0f, 0x05], os: 0 },
  { mn: 'sysenter', en: 'ZO', ops: [], op: [0x0f, 0x34], os: 0 },

  // --- string instructions (take rep/repe/repne prefixes) ---
  ...str('movs', 0xa4),
  ...str('cmps', 0xa6),
  ...str('stos', 0xaa),
  ...str('lods', 0xac),
  ...str('scas', 0xae),

  // --- misc ---
  { mn: 'nop', en: 'ZO', ops: [], op: [0x90], os: 0 },
  { mn: 'nop', en: 'M', ops: ['rm16'], op: [0x0f, 0x1f], digit: 0 },
  { mn: 'nop', en: 'M', ops: ['rm32'], op: [0x0f, 0x1f], digit: 0 },
  { mn: 'nop', en: 'M', ops: ['rm64'], op: [0x0f, 0x1f], digit: 0 },
  { mn: 'pause', en: 'ZO', ops: [], op: [0xf3, 0x90], os: 0 },
  { mn: 'hlt', en: 'ZO', ops: [], op: [0xf4], os: 0 },
  { mn: 'ud2', en: 'ZO', ops: [], op: [0x0f, 0x0b], os: 0 },
  { mn: 'cpuid', en: 'ZO', ops: [], op: [0x0f, 0xa2], os: 0 },
  { mn: 'rdtsc', en: 'ZO', ops: [], op: [0x0f, 0x31], os: 0 },
  { mn: 'clc', en: 'ZO', ops: [], op: [0xf8], os: 0 },
  { mn: 'stc', en: 'ZO', ops: [], op: [0xf9], os: 0 },
  { mn: 'cli', en: 'ZO', ops: [], op: [0xfa], os: 0 },
  { mn: 'sti', en: 'ZO', ops: [], op: [0xfb], os: 0 },
  { mn: 'cld', en: 'ZO', ops: [], op: [0xfc], os: 0 },
  { mn: 'std', en: 'ZO', ops: [], op: [0xfd], os: 0 },
  { mn: 'cmc', en: 'ZO', ops: [], op: [0xf5], os: 0 },
  { mn: 'lahf', en: 'ZO', ops: [], op: [0x9f], os: 0 },
  { mn: 'sahf', en: 'ZO', ops: [], op: [0x9e], os: 0 },
];

/** Instruction prefixes written as words before a mnemonic, and their bytes. */
export const PREFIXES: Readonly<Record<string, number>> = {
  lock: 0xf0, rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2,
};
