/**
 * Header bytes run as code before a program's first instruction.
 *
 * On x86-64 the ELF magic after 0x7f, "ELF" = 45 4c 46, is three REX prefixes. A layout whose
 * entry point is file offset 1 (where the 64-bit e_entry doubles as the program header's p_type
 * and p_flags) runs them in front of whatever the program starts with. A REX prefix changes an
 * instruction only through the register-number bits it extends (and W, the operand size), and
 * only the last REX before the opcode counts. This answers, conservatively, whether the first
 * instruction means the same with those prefixes in front: anything not known to be unaffected
 * is "no". test/x86/leading-bytes.test.ts checks every "yes" against objdump over nasm's
 * encodings of the whole x86-64 golden corpus.
 */

const isRex = (b: number): boolean => (b & 0xf0) === 0x40;

/** Legacy prefixes and REX: an instruction that starts with one is not judged (answer: no). */
const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

/** One-byte opcodes without ModRM whose register, if any, is not encoded in the opcode byte. */
const NO_REGISTER = new Set([
  // ALU on al/eax with an immediate (the eax forms are 32-bit while REX.W is clear)
  0x04, 0x05, 0x0c, 0x0d, 0x14, 0x15, 0x1c, 0x1d, 0x24, 0x25, 0x2c, 0x2d, 0x34, 0x35, 0x3c, 0x3d,
  0x68, 0x6a, // push imm32 / imm8 (64-bit push either way)
  0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, // jcc rel8
  0x98, 0x99, // cwde, cdq (REX.W would make them cdqe, cqo)
  0xa8, 0xa9, // test al/eax, imm
  0xc3, 0xcc, 0xcd, 0xe8, 0xe9, 0xeb, 0xf4, 0xf5, 0xf8, 0xf9, 0xfc, 0xfd,
]);

/** Opcodes whose low three bits name a register (extended by REX.B). */
const REGISTER_IN_OPCODE = (op: number): boolean =>
  (op >= 0x50 && op <= 0x5f) || (op >= 0x91 && op <= 0x97) || (op >= 0xb0 && op <= 0xbf);

/** mov ah/ch/dh/bh, imm8: with any REX these are spl/bpl/sil/dil. */
const HIGH_BYTE_REGISTER_IN_OPCODE = (op: number): boolean => op >= 0xb4 && op <= 0xb7;

/** ModRM opcodes whose reg field is an opcode extension (/digit), so REX.R does nothing. */
const DIGIT_MODRM = new Set([0x80, 0x81, 0x83, 0x8f, 0xc0, 0xc1, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3, 0xf6, 0xf7, 0xfe, 0xff]);
/** Of those, the ones on byte operands (r/m 4–7 would change from ah… to spl…). */
const DIGIT_MODRM_BYTE = new Set([0x80, 0xc0, 0xc6, 0xd0, 0xd2, 0xf6, 0xfe]);

/** Two-byte opcodes (after 0f) without ModRM and without a register: syscall, jcc rel32. */
const TWO_BYTE_NO_REGISTER = (op2: number): boolean => op2 === 0x05 || (op2 >= 0x80 && op2 <= 0x8f);

/**
 * True when running `leading` and then `insn` (the bytes of one instruction) in 64-bit mode does
 * exactly what `insn` alone does. Only REX prefixes are ever harmless here.
 */
export function leadingBytesHarmless64(leading: Uint8Array, insn: Uint8Array): boolean {
  if (leading.length === 0) return true;
  if (!leading.every(isRex) || insn.length === 0) return false;
  const rex = leading[leading.length - 1]!;
  const w = (rex & 8) !== 0;
  const b = (rex & 1) !== 0;
  if (w) return false;
  const op = insn[0]!;
  if (PREFIXES.has(op) || isRex(op)) return false;
  if (NO_REGISTER.has(op)) return true;
  if (REGISTER_IN_OPCODE(op)) return !b && !HIGH_BYTE_REGISTER_IN_OPCODE(op);
  if (op === 0x0f) return insn.length > 1 && TWO_BYTE_NO_REGISTER(insn[1]!);
  if (DIGIT_MODRM.has(op) && insn.length > 1) {
    const modrm = insn[1]!;
    const mod = modrm >> 6;
    const rm = modrm & 7;
    if (mod === 3) return !b && !(DIGIT_MODRM_BYTE.has(op) && rm >= 4);
    // Memory operands: REX.B extends the base; a SIB byte (REX.X extends its index) or RIP-relative
    // addressing is not judged.
    if (rm === 4 || (mod === 0 && rm === 5)) return false;
    return !b;
  }
  return false;
}
