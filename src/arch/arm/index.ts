export { armBackend, splitMnemonic, type ArmOptions, type ArmState } from './syntax.js';
export type { ArmInsn, Operand as ArmOperand, Isa as ArmIsa } from './operands.js';
export { A32_TABLE, type A32Row } from './a32-table.js';
export { THUMB_TABLE, type ThumbRow } from './thumb-table.js';
