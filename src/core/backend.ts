import type { SourceLoc } from './errors.js';
import type { Expr, TokenStream } from './expr.js';
import type { LexOptions, Token } from './lexer.js';
import type { Item } from './assembler.js';
import type { Preprocessor } from './preprocessing.js';

/**
 * What `Backend.parseLine` is told (`file`, `line`) and tells (`mnemonic`, `column`, and for an
 * instruction it encoded already, where its bytes are).
 */
export interface LineOut {
  file: string;
  line: number;
  mnemonic: string;
  column: number;
  /** When parseLine returns `ENCODED`: the instruction's bytes are `bytes[bytesAt, bytesAt + size)`. */
  bytes: Uint8Array | undefined;
  bytesAt: number;
  size: number;
  /**
   * When parseLine returns `ENCODED`: what the item keeps as its instruction, for readers other
   * than the assembler (the ELF planner reads an ARM instruction's mode), or undefined. It may be
   * one object for many lines. The front end clears it before every line.
   */
  insn: unknown;
}

/**
 * What `Backend.parseLine` returns for an instruction whose bytes depend on nothing but itself and
 * that it has encoded already (see `LineOut`): the front end keeps only the bytes.
 */
export const ENCODED: unique symbol = Symbol('encoded');

/** The architectures tinyelf assembles for. */
export type ArchName = 'i386' | 'x86_64' | 'arm' | 'aarch64';

/** What an encoder may ask while it encodes one instruction. */
export interface EncodeContext {
  /** Address of the instruction's first byte. */
  readonly address: number;
  /** True in the last pass: every symbol is known and a value that does not fit is an error. */
  readonly final: boolean;
  /**
   * The encoding must be at least this many bytes long: sizes only grow from pass to pass, which
   * is what makes branch relaxation end. An encoder always has a longer form (rel32, disp32, …)
   * or a fixed size, so it can honour this.
   */
  readonly atLeast: number;
  /** Where the instruction was written, for error messages. */
  readonly loc: SourceLoc;
  /** The expression's value, or undefined while a symbol in it is not known yet (never when final). */
  value(e: Expr): bigint | undefined;
  /**
   * Is the expression an address rather than a plain number: does it count one more label (or
   * `$`, `$$`) added than subtracted, as nasm's relocatable values do (`label`, `label+4`, `$`;
   * not `end-start`)? Symbols defined by `equ` count as their definitions.
   */
  isAddress?(e: Expr): boolean;
}

/**
 * What the architecture-neutral core needs from an architecture: how to read an instruction in
 * the text syntax and how to encode it. `I` is the architecture's own instruction type.
 */
export interface Backend<I = unknown, S = unknown> {
  readonly arch: ArchName;
  readonly endian: 'little' | 'big';
  /** Comment characters and number forms of the text syntax. */
  readonly lex: LexOptions;
  /**
   * Optional: the text dialect's preprocessor (nasm's `%define`, `%macro`, `%include`, …), run over
   * a source before the front end reads it.
   */
  readonly preprocess?: Preprocessor;
  /** Fresh per-source syntax state (x86 `bits`, ARM `.thumb`, …). */
  initialState(): S;
  /**
   * Reads one instruction: `mnemonic` has been consumed, `ts` is positioned at the first operand.
   * Must consume the whole line or throw an AsmError naming what was expected.
   */
  parseInstruction(mnemonic: Token, ts: TokenStream, state: S): I;
  /**
   * Optional fast path of the text front end: reads a whole line, `source[start, end)`, that is one
   * plain instruction straight from its text, without tokens (nor a string of the line), and sets
   * `out` to its lower-case mnemonic and the mnemonic's column (`out.file` and `out.line` say where
   * the line is). Returns the instruction, or `ENCODED` with its bytes in `out`, or undefined to
   * have the line read the usual way; it must only accept lines that the usual way reads as the
   * same instruction.
   */
  parseLine?(source: string, start: number, end: number, state: S, out: LineOut): I | typeof ENCODED | undefined;
  /** Handles an architecture directive (`bits 32`, `.thumb`, …); returns false if it is not one. */
  directive?(name: string, ts: TokenStream, state: S): boolean;
  /** True when `name` (lower case) starts an instruction (so `name:`-less labels can be told apart). */
  isMnemonic(name: string, state: S): boolean;
  /** Optional: true when `name` can never be a label (nasm: register names, `byte`, `strict`, …). */
  isReserved?(name: string): boolean;
  encode(insn: I, ctx: EncodeContext): Uint8Array;
  /**
   * Optional: true when the instruction's bytes depend on nothing but the instruction itself (not
   * its address, symbols, the pass or `atLeast` beyond its first encoding). The core then encodes
   * it once and keeps the bytes. Asked after the instruction's first successful encoding.
   */
  isFixed?(insn: I): boolean;
  /**
   * Optional fast path of `encode`: writes the same bytes into `out` at `offset` (there are at
   * least 256 bytes of room) and returns their number, or -1 to have the core call `encode`.
   */
  encodeInto?(insn: I, ctx: EncodeContext, out: Uint8Array, offset: number): number;
  /**
   * Called once per section after the front end has read it all, with the section's items: the
   * backend may append items (ARM literal pools at the end of a section) or adjust labels.
   */
  finishSection?(items: Item[], state: S): void;
  /**
   * Optional: true when running `leading` (header bytes a layout cannot change, run because the
   * entry point lies in front of them) and then `insn` (the program's first instruction) does what
   * `insn` alone does. Absent: never, so no layout runs header bytes as code.
   */
  leadingBytesHarmless?(leading: Uint8Array, insn: Uint8Array): boolean;
  /** Bytes that fill `count` bytes of padding in code at `address` (x86: 0x90 NOPs, as nasm does). */
  codeFill(count: number, address: number, state?: S): Uint8Array;
}
