export { A64Builder, type Arg, type Target } from './builder.js';
export { aarch64Backend, a64Lex, parseOperands } from './syntax.js';
export { encodeA64, encodeBitmask, decodeBitmask, movSequence, isA64Mnemonic } from './encoder.js';
export { ROWS_BY_MNEMONIC, TABLE, LOAD_STORE, PAIRS, KIND_DOC, type Row, type Kind, type SourceRow } from './table.js';
export * from './registers.js';
export * from './operands.js';
