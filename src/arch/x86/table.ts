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
 *   `MRI` r/m, register and an immediate (shld) ·
 *   `D` relative branch · `FD`/`TD` accumulator from/to an absolute address (moffs) ·
 *   `P` a far pointer `selector:offset` written in the instruction (offset, then selector).
 *   Fixed operands (`al`, `eax`, `cl`, `one`) are implied by the opcode and not encoded.
 * - `op`: opcode bytes. `digit`: the /digit in ModRM.reg.
 * - `os`: operand size when it is not the size of the first sized operand (0 = no operand size,
 *   no 66/REX.W). `d64`: operand size defaults to 64 bits in 64-bit mode (no REX.W needed).
 * - `as`: the instruction's address size (jcxz/jecxz/jrcxz), which may need a 67 prefix.
 * - `mode`: `no64` (invalid in 64-bit mode) or `only64`.
 * - `defaultSize`: a memory operand without a size is taken to have the mode's natural size
 *   (nasm does this for `jmp [eax]` and `call [eax]`).
 * - `impliedSize`: a memory operand without a size is taken to have the size its kind names: the
 *   instruction allows no other (nasm: `movsxd rax, [rbx]` reads a dword, `lldt [eax]` a word).
 * - `pre`: a mandatory prefix (F3 of popcnt), written after 66/67 and before REX.
 * - `plainIfReg`: with a register destination nasm takes this form only for a plain number, never
 *   for an address (a label, `$`): `mov rax, label` is the 10-byte B8+r imm64 under --flat.
 *
 * Worked example: `{ mn: 'add', en: 'MI', ops: ['rm32', 'imm8s'], op: [0x83], digit: 0 }` encodes
 * `add ebx, -1` as 83 C3 FF: opcode 83; ModRM mod=11 (register), reg=/0, rm=3 (ebx); then the
 * immediate as a signed byte. The operand size is 32 (from rm32), so no 66 prefix or REX.W.
 *
 * Among rows that fit, the encoder takes the shortest encoding; on a tie, the row listed first.
 * Rows are ordered so that ties give what nasm gives (e.g. `MR` before `RM` for `add eax, ebx`).
 */
export type Encoding = 'ZO' | 'O' | 'OI' | 'I' | 'M' | 'MI' | 'MR' | 'RM' | 'RMI' | 'MRI' | 'D' | 'FD' | 'TD' | 'P';

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
  readonly impliedSize?: boolean;
  readonly pre?: number;
  readonly plainIfReg?: boolean;
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

/** `reg, r/m` at 16/32/64 bits behind a mandatory prefix (popcnt, lzcnt, tzcnt). */
function rm3pre<M extends string>(mn: M, pre: number, op: readonly number[]) {
  return rm3(mn, op).map((f) => ({ ...f, pre }));
}

/** `r/m16` system forms that take no operand size (lldt, ltr, verr …): /digit of `op`. */
function sys16<M extends string>(mn: M, op: readonly number[], digit: number): Form {
  return { mn, en: 'M', ops: ['rm16'], op, digit, os: 0, impliedSize: true };
}

/** sldt/str/smsw: a register of any size (its operand size), or a word in memory. */
function storeSys<M extends string>(mn: M, op: readonly number[], digit: number, os64: 0 | 64): Form[] {
  return [
    { mn, en: 'M', ops: ['r16'], op, digit },
    { mn, en: 'M', ops: ['r32'], op, digit },
    { mn, en: 'M', ops: ['r64'], op, digit, os: os64, mode: 'only64' },
    { mn, en: 'M', ops: ['m16'], op, digit, os: 0, impliedSize: true },
  ];
}

/** lar/lsl: a register of any size from a selector in a word (or in a register of the same size). */
function selectorLoad<M extends string>(mn: M, op: readonly number[]): Form[] {
  return [
    { mn, en: 'RM', ops: ['r16', 'rm16'], op },
    { mn, en: 'RM', ops: ['r32', 'rm16'], op, impliedSize: true },
    { mn, en: 'RM', ops: ['r32', 'r32'], op },
    { mn, en: 'RM', ops: ['r64', 'rm16'], op, impliedSize: true },
    { mn, en: 'RM', ops: ['r64', 'r64'], op },
  ];
}

/** lds/les/lfs/lgs/lss: a register and the far pointer in memory it is loaded from with a segment. */
function farLoad<M extends string>(mn: M, op: readonly number[], mode?: 'no64'): Form[] {
  const m = mode ? { mode } : {};
  return [
    { mn, en: 'RM', ops: ['r16', 'mnosize'], op, ...m },
    { mn, en: 'RM', ops: ['r32', 'mnosize'], op, ...m },
    ...(mode ? [] : [{ mn, en: 'RM', ops: ['r64', 'mnosize'], op, mode: 'only64' } as Form]),
  ];
}

/** Instructions without operands whose bytes are the same in every mode. */
function plain(list: readonly (readonly [string, readonly number[]])[], mode?: 'no64' | 'only64'): Form[] {
  return list.map(([mn, op]) => ({ mn, en: 'ZO', ops: [], op, os: 0, ...(mode ? { mode } : {}) }));
}

/**
 * The rest of the integer base ISA and the system instructions. Listed after the forms above so
 * that the generated golden files keep their earlier lines (the generator draws operands in table
 * order); ties within a mnemonic still go to the earlier row.
 */
const SYSTEM_FORMS: readonly Form[] = [
  // --- flags, stack and segment registers ---
  { mn: 'pushfw', en: 'ZO', ops: [], op: [0x9c], os: 16 },
  { mn: 'pushfd', en: 'ZO', ops: [], op: [0x9c], os: 32, mode: 'no64' },
  { mn: 'pushfq', en: 'ZO', ops: [], op: [0x9c], os: 64, mode: 'only64', d64: true },
  { mn: 'popfw', en: 'ZO', ops: [], op: [0x9d], os: 16 },
  { mn: 'popfd', en: 'ZO', ops: [], op: [0x9d], os: 32, mode: 'no64' },
  { mn: 'popfq', en: 'ZO', ops: [], op: [0x9d], os: 64, mode: 'only64', d64: true },
  { mn: 'push', en: 'ZO', ops: ['es'], op: [0x06], os: 0, mode: 'no64' },
  { mn: 'push', en: 'ZO', ops: ['cs'], op: [0x0e], os: 0, mode: 'no64' },
  { mn: 'push', en: 'ZO', ops: ['ss'], op: [0x16], os: 0, mode: 'no64' },
  { mn: 'push', en: 'ZO', ops: ['ds'], op: [0x1e], os: 0, mode: 'no64' },
  { mn: 'push', en: 'ZO', ops: ['fs'], op: [0x0f, 0xa0], os: 0 },
  { mn: 'push', en: 'ZO', ops: ['gs'], op: [0x0f, 0xa8], os: 0 },
  // (no `pop cs`: 0F is the two-byte opcode escape; nasm emits it anyway, tinyelf refuses it)
  { mn: 'pop', en: 'ZO', ops: ['es'], op: [0x07], os: 0, mode: 'no64' },
  { mn: 'pop', en: 'ZO', ops: ['ss'], op: [0x17], os: 0, mode: 'no64' },
  { mn: 'pop', en: 'ZO', ops: ['ds'], op: [0x1f], os: 0, mode: 'no64' },
  { mn: 'pop', en: 'ZO', ops: ['fs'], op: [0x0f, 0xa1], os: 0 },
  { mn: 'pop', en: 'ZO', ops: ['gs'], op: [0x0f, 0xa9], os: 0 },
  // mov to a segment register takes no operand size; from one, a register takes its own size
  // and a word in memory none (nasm: `mov eax, ds` is 8c d8 in 32-bit mode, `mov [eax], ds` 8c 18).
  { mn: 'mov', en: 'RM', ops: ['sreg', 'rm16'], op: [0x8e], os: 0, impliedSize: true },
  { mn: 'mov', en: 'RM', ops: ['sreg', 'r32'], op: [0x8e], os: 0 },
  { mn: 'mov', en: 'RM', ops: ['sreg', 'r64'], op: [0x8e], os: 0, mode: 'only64' },
  { mn: 'mov', en: 'MR', ops: ['r16', 'sreg'], op: [0x8c], os: 16 },
  { mn: 'mov', en: 'MR', ops: ['r32', 'sreg'], op: [0x8c], os: 32 },
  { mn: 'mov', en: 'MR', ops: ['r64', 'sreg'], op: [0x8c], os: 0, mode: 'only64' },
  { mn: 'mov', en: 'MR', ops: ['m16', 'sreg'], op: [0x8c], os: 0, impliedSize: true },
  // Control and debug registers: the general register is the full width of the mode, no REX.W.
  { mn: 'mov', en: 'MR', ops: ['r32', 'creg'], op: [0x0f, 0x20], os: 0, mode: 'no64' },
  { mn: 'mov', en: 'MR', ops: ['r64', 'creg'], op: [0x0f, 0x20], os: 0, mode: 'only64' },
  { mn: 'mov', en: 'RM', ops: ['creg', 'r32'], op: [0x0f, 0x22], os: 0, mode: 'no64' },
  { mn: 'mov', en: 'RM', ops: ['creg', 'r64'], op: [0x0f, 0x22], os: 0, mode: 'only64' },
  { mn: 'mov', en: 'MR', ops: ['r32', 'dreg'], op: [0x0f, 0x21], os: 0, mode: 'no64' },
  { mn: 'mov', en: 'MR', ops: ['r64', 'dreg'], op: [0x0f, 0x21], os: 0, mode: 'only64' },
  { mn: 'mov', en: 'RM', ops: ['dreg', 'r32'], op: [0x0f, 0x23], os: 0, mode: 'no64' },
  { mn: 'mov', en: 'RM', ops: ['dreg', 'r64'], op: [0x0f, 0x23], os: 0, mode: 'only64' },
  { mn: 'enter', en: 'I', ops: ['imm16', 'imm8'], op: [0xc8], os: 0 },
  ...farLoad('lds', [0xc5], 'no64'),
  ...farLoad('les', [0xc4], 'no64'),
  ...farLoad('lss', [0x0f, 0xb2]),
  ...farLoad('lfs', [0x0f, 0xb4]),
  ...farLoad('lgs', [0x0f, 0xb5]),

  // --- control flow: near returns by operand size, far returns, far jumps and calls ---
  { mn: 'retn', en: 'ZO', ops: [], op: [0xc3], os: 0 },
  { mn: 'retn', en: 'I', ops: ['imm16'], op: [0xc2], os: 0 },
  { mn: 'retw', en: 'ZO', ops: [], op: [0xc3], os: 16 },
  // (nasm writes no 66 for `retw imm`: the imm16 form takes the mode's size)
  { mn: 'retw', en: 'I', ops: ['imm16'], op: [0xc2], os: 0 },
  { mn: 'retd', en: 'ZO', ops: [], op: [0xc3], os: 32, mode: 'no64' },
  { mn: 'retd', en: 'I', ops: ['imm16'], op: [0xc2], os: 32, mode: 'no64' },
  { mn: 'retq', en: 'ZO', ops: [], op: [0xc3], os: 64, mode: 'only64', d64: true },
  { mn: 'retq', en: 'I', ops: ['imm16'], op: [0xc2], os: 64, mode: 'only64', d64: true },
  { mn: 'retf', en: 'ZO', ops: [], op: [0xcb], os: 0 },
  { mn: 'retf', en: 'I', ops: ['imm16'], op: [0xca], os: 0 },
  { mn: 'retfw', en: 'ZO', ops: [], op: [0xcb], os: 16 },
  { mn: 'retfw', en: 'I', ops: ['imm16'], op: [0xca], os: 16 },
  { mn: 'retfd', en: 'ZO', ops: [], op: [0xcb], os: 32 },
  { mn: 'retfd', en: 'I', ops: ['imm16'], op: [0xca], os: 32 },
  { mn: 'retfq', en: 'ZO', ops: [], op: [0xcb], os: 64, mode: 'only64' },
  { mn: 'retfq', en: 'I', ops: ['imm16'], op: [0xca], os: 64, mode: 'only64' },
  { mn: 'iret', en: 'ZO', ops: [], op: [0xcf], os: 0 },
  { mn: 'iretw', en: 'ZO', ops: [], op: [0xcf], os: 16 },
  { mn: 'iretd', en: 'ZO', ops: [], op: [0xcf], os: 32 },
  { mn: 'iretq', en: 'ZO', ops: [], op: [0xcf], os: 64, mode: 'only64' },
  { mn: 'jmp', en: 'P', ops: ['ptr16'], op: [0xea], os: 16, mode: 'no64' },
  { mn: 'jmp', en: 'P', ops: ['ptr32'], op: [0xea], os: 32, mode: 'no64' },
  { mn: 'call', en: 'P', ops: ['ptr16'], op: [0x9a], os: 16, mode: 'no64' },
  { mn: 'call', en: 'P', ops: ['ptr32'], op: [0x9a], os: 32, mode: 'no64' },
  { mn: 'jmp', en: 'M', ops: ['far16'], op: [0xff], digit: 5 },
  { mn: 'jmp', en: 'M', ops: ['far32'], op: [0xff], digit: 5 },
  { mn: 'jmp', en: 'M', ops: ['far64'], op: [0xff], digit: 5, mode: 'only64' },
  { mn: 'call', en: 'M', ops: ['far16'], op: [0xff], digit: 3 },
  { mn: 'call', en: 'M', ops: ['far32'], op: [0xff], digit: 3 },
  { mn: 'call', en: 'M', ops: ['far64'], op: [0xff], digit: 3, mode: 'only64' },
  ...plain([['int1', [0xf1]], ['icebp', [0xf1]]]),
  ...plain([['into', [0xce]]], 'no64'),
  ...plain([['sysexit', [0x0f, 0x35]], ['sysret', [0x0f, 0x07]], ['rsm', [0x0f, 0xaa]]]),
  ...plain([['swapgs', [0x0f, 0x01, 0xf8]]], 'only64'),

  // --- BCD and table lookup ---
  ...plain([['aaa', [0x37]], ['aas', [0x3f]], ['daa', [0x27]], ['das', [0x2f]], ['aad', [0xd5, 0x0a]], ['aam', [0xd4, 0x0a]]], 'no64'),
  { mn: 'aad', en: 'I', ops: ['imm8'], op: [0xd5], os: 0, mode: 'no64' },
  { mn: 'aam', en: 'I', ops: ['imm8'], op: [0xd4], os: 0, mode: 'no64' },
  ...plain([['xlatb', [0xd7]], ['xlat', [0xd7]]]),

  // --- bits and bytes ---
  { mn: 'shld', en: 'MRI', ops: ['rm16', 'r16', 'imm8'], op: [0x0f, 0xa4] },
  { mn: 'shld', en: 'MRI', ops: ['rm32', 'r32', 'imm8'], op: [0x0f, 0xa4] },
  { mn: 'shld', en: 'MRI', ops: ['rm64', 'r64', 'imm8'], op: [0x0f, 0xa4] },
  { mn: 'shld', en: 'MR', ops: ['rm16', 'r16', 'cl'], op: [0x0f, 0xa5] },
  { mn: 'shld', en: 'MR', ops: ['rm32', 'r32', 'cl'], op: [0x0f, 0xa5] },
  { mn: 'shld', en: 'MR', ops: ['rm64', 'r64', 'cl'], op: [0x0f, 0xa5] },
  { mn: 'shrd', en: 'MRI', ops: ['rm16', 'r16', 'imm8'], op: [0x0f, 0xac] },
  { mn: 'shrd', en: 'MRI', ops: ['rm32', 'r32', 'imm8'], op: [0x0f, 0xac] },
  { mn: 'shrd', en: 'MRI', ops: ['rm64', 'r64', 'imm8'], op: [0x0f, 0xac] },
  { mn: 'shrd', en: 'MR', ops: ['rm16', 'r16', 'cl'], op: [0x0f, 0xad] },
  { mn: 'shrd', en: 'MR', ops: ['rm32', 'r32', 'cl'], op: [0x0f, 0xad] },
  { mn: 'shrd', en: 'MR', ops: ['rm64', 'r64', 'cl'], op: [0x0f, 0xad] },
  ...rm3pre('popcnt', 0xf3, [0x0f, 0xb8]),
  ...rm3pre('lzcnt', 0xf3, [0x0f, 0xbd]),
  ...rm3pre('tzcnt', 0xf3, [0x0f, 0xbc]),
  { mn: 'movbe', en: 'RM', ops: ['r16', 'm16'], op: [0x0f, 0x38, 0xf0] },
  { mn: 'movbe', en: 'RM', ops: ['r32', 'm32'], op: [0x0f, 0x38, 0xf0] },
  { mn: 'movbe', en: 'RM', ops: ['r64', 'm64'], op: [0x0f, 0x38, 0xf0] },
  { mn: 'movbe', en: 'MR', ops: ['m16', 'r16'], op: [0x0f, 0x38, 0xf1] },
  { mn: 'movbe', en: 'MR', ops: ['m32', 'r32'], op: [0x0f, 0x38, 0xf1] },
  { mn: 'movbe', en: 'MR', ops: ['m64', 'r64'], op: [0x0f, 0x38, 0xf1] },
  { mn: 'cmpxchg8b', en: 'M', ops: ['m64'], op: [0x0f, 0xc7], digit: 1, os: 0, impliedSize: true },
  { mn: 'cmpxchg16b', en: 'M', ops: ['mnosize'], op: [0x0f, 0xc7], digit: 1, os: 64, mode: 'only64' },
  { mn: 'arpl', en: 'MR', ops: ['rm16', 'r16'], op: [0x63], os: 0, mode: 'no64' },
  { mn: 'bound', en: 'RM', ops: ['r16', 'mnosize'], op: [0x62], mode: 'no64' },
  { mn: 'bound', en: 'RM', ops: ['r32', 'mnosize'], op: [0x62], mode: 'no64' },

  // --- processor identification, time stamps, random numbers, model-specific registers ---
  ...plain([['rdtscp', [0x0f, 0x01, 0xf9]], ['rdmsr', [0x0f, 0x32]], ['wrmsr', [0x0f, 0x30]], ['rdpmc', [0x0f, 0x33]]]),
  { mn: 'rdrand', en: 'M', ops: ['r16'], op: [0x0f, 0xc7], digit: 6 },
  { mn: 'rdrand', en: 'M', ops: ['r32'], op: [0x0f, 0xc7], digit: 6 },
  { mn: 'rdrand', en: 'M', ops: ['r64'], op: [0x0f, 0xc7], digit: 6 },
  { mn: 'rdseed', en: 'M', ops: ['r16'], op: [0x0f, 0xc7], digit: 7 },
  { mn: 'rdseed', en: 'M', ops: ['r32'], op: [0x0f, 0xc7], digit: 7 },
  { mn: 'rdseed', en: 'M', ops: ['r64'], op: [0x0f, 0xc7], digit: 7 },

  // --- fences, caches, TLB, descriptor tables, task and machine state ---
  ...plain([['lfence', [0x0f, 0xae, 0xe8]], ['mfence', [0x0f, 0xae, 0xf0]], ['sfence', [0x0f, 0xae, 0xf8]]]),
  ...plain([['clac', [0x0f, 0x01, 0xca]], ['stac', [0x0f, 0x01, 0xcb]]]),
  ...plain([['wbinvd', [0x0f, 0x09]], ['invd', [0x0f, 0x08]], ['clts', [0x0f, 0x06]]]),
  { mn: 'invlpg', en: 'M', ops: ['mnosize'], op: [0x0f, 0x01], digit: 7, os: 0 },
  { mn: 'clflush', en: 'M', ops: ['mnosize'], op: [0x0f, 0xae], digit: 7, os: 0 },
  { mn: 'sgdt', en: 'M', ops: ['mnosize'], op: [0x0f, 0x01], digit: 0, os: 0 },
  { mn: 'sidt', en: 'M', ops: ['mnosize'], op: [0x0f, 0x01], digit: 1, os: 0 },
  { mn: 'lgdt', en: 'M', ops: ['mnosize'], op: [0x0f, 0x01], digit: 2, os: 0 },
  { mn: 'lidt', en: 'M', ops: ['mnosize'], op: [0x0f, 0x01], digit: 3, os: 0 },
  sys16('lldt', [0x0f, 0x00], 2),
  sys16('ltr', [0x0f, 0x00], 3),
  sys16('verr', [0x0f, 0x00], 4),
  sys16('verw', [0x0f, 0x00], 5),
  sys16('lmsw', [0x0f, 0x01], 6),
  ...storeSys('sldt', [0x0f, 0x00], 0, 0),
  ...storeSys('str', [0x0f, 0x00], 1, 64),
  ...storeSys('smsw', [0x0f, 0x01], 4, 64),
  ...selectorLoad('lar', [0x0f, 0x02]),
  ...selectorLoad('lsl', [0x0f, 0x03]),
  { mn: 'monitor', en: 'ZO', ops: [], op: [0x0f, 0x01, 0xc8], os: 0 },
  { mn: 'monitor', en: 'ZO', ops: ['eax', 'ecx', 'edx'], op: [0x0f, 0x01, 0xc8], os: 0, mode: 'no64' },
  { mn: 'monitor', en: 'ZO', ops: ['rax', 'ecx', 'edx'], op: [0x0f, 0x01, 0xc8], os: 0, mode: 'only64' },
  { mn: 'mwait', en: 'ZO', ops: [], op: [0x0f, 0x01, 0xc9], os: 0 },
  { mn: 'mwait', en: 'ZO', ops: ['eax', 'ecx'], op: [0x0f, 0x01, 0xc9], os: 0 },

  // --- ports ---
  { mn: 'in', en: 'I', ops: ['al', 'imm8'], op: [0xe4], os: 0 },
  { mn: 'in', en: 'I', ops: ['ax', 'imm8'], op: [0xe5], os: 16 },
  { mn: 'in', en: 'I', ops: ['eax', 'imm8'], op: [0xe5], os: 32 },
  { mn: 'in', en: 'ZO', ops: ['al', 'dx'], op: [0xec], os: 0 },
  { mn: 'in', en: 'ZO', ops: ['ax', 'dx'], op: [0xed], os: 16 },
  { mn: 'in', en: 'ZO', ops: ['eax', 'dx'], op: [0xed], os: 32 },
  { mn: 'out', en: 'I', ops: ['imm8', 'al'], op: [0xe6], os: 0 },
  { mn: 'out', en: 'I', ops: ['imm8', 'ax'], op: [0xe7], os: 16 },
  { mn: 'out', en: 'I', ops: ['imm8', 'eax'], op: [0xe7], os: 32 },
  { mn: 'out', en: 'ZO', ops: ['dx', 'al'], op: [0xee], os: 0 },
  { mn: 'out', en: 'ZO', ops: ['dx', 'ax'], op: [0xef], os: 16 },
  { mn: 'out', en: 'ZO', ops: ['dx', 'eax'], op: [0xef], os: 32 },
  { mn: 'insb', en: 'ZO', ops: [], op: [0x6c], os: 0 },
  { mn: 'insw', en: 'ZO', ops: [], op: [0x6d], os: 16 },
  { mn: 'insd', en: 'ZO', ops: [], op: [0x6d], os: 32 },
  { mn: 'outsb', en: 'ZO', ops: [], op: [0x6e], os: 0 },
  { mn: 'outsw', en: 'ZO', ops: [], op: [0x6f], os: 16 },
  { mn: 'outsd', en: 'ZO', ops: [], op: [0x6f], os: 32 },
];

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
  { mn: 'mov', en: 'MI', ops: ['rm64', 'imm32s'], op: [0xc7], digit: 0, plainIfReg: true },
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
  { mn: 'movsxd', en: 'RM', ops: ['r64', 'rm32'], op: [0x63], mode: 'only64', impliedSize: true },
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
  ...SYSTEM_FORMS,
];

/** Instruction prefixes written as words before a mnemonic, and their bytes. */
export const PREFIXES: Readonly<Record<string, number>> = {
  lock: 0xf0, rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2,
};

/** Address-size prefix words: the address size the instruction is to use (67 when not the mode's). */
export const ADDRESS_SIZE_PREFIXES: Readonly<Record<string, 16 | 32 | 64>> = { a16: 16, a32: 32, a64: 64 };

/** Operand-size prefix words: the operand size the instruction is to use (66 or REX.W when not the mode's). */
export const OPERAND_SIZE_PREFIXES: Readonly<Record<string, 16 | 32 | 64>> = { o16: 16, o32: 32, o64: 64 };
