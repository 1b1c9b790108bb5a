/** The x86 / x86-64 backend: nasm syntax, encoder, instruction table and builder API. */
export { x86Backend, parseX86Instruction, type X86State } from './syntax.js';
export { encodeX86 } from './encoder.js';
export { FORMS, CONDITIONS, PREFIXES, type Form, type Encoding } from './table.js';
export type { OpKind, Operand, MemOperand, ImmOperand, RegOperand, X86Insn, Size } from './operands.js';
export { X86Builder, Label, mem, byte, word, dword, qword, rel, imm, short, near, far, farPtr, X86_MNEMONICS, type X86Mnemonic, type BuilderOperand, type ImmValue, type MemArgs } from './builder.js';
export * from './registers.js';
