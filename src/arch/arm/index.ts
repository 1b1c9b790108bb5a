export { armBackend, splitMnemonic, type ArmOptions, type ArmState } from './syntax.js';
export type { ArmInsn, Operand as ArmOperand, Isa as ArmIsa } from './operands.js';
export { A32_TABLE, type A32Row } from './a32-table.js';
export { THUMB_TABLE, type ThumbRow } from './thumb-table.js';
export { ArmBuilder, lit, mem, list, wb, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, sp, lr, pc } from './builder.js';
