/**
 * Reading a GNU-syntax assembly line straight from its characters, for the ARM and AArch64 text
 * fast paths (arm/fast.ts, aarch64/fast.ts): a cursor over the line, and the tokens the two
 * syntaxes spell alike — blanks, the end of the line and comments, lower-case words, decimal and
 * 0x numbers, plain symbol names, shift names, the comma between operands — read without making
 * tokens. Each reader moves the cursor past what it read and returns a number or a slice of the
 * line. Registers, the `#` rules (a sign, how many digits) and which names a label may not be are
 * each syntax's own, in its fast.ts. Below the cursor: how both hand back the bytes of a line they
 * encode at once.
 */
import { ENCODED, type EncodeContext, type LineOut } from '../core/backend.js';
import { noLoc } from '../core/errors.js';
import type { Expr } from '../core/expr.js';

export const isLower = (c: number): boolean => c >= 97 && c <= 122;
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** A character that may continue a GNU identifier or number token. */
export const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;

/** What unsignedNumber returns for a number that needs more than 53 bits; its value is in `big`. */
export const BIG = -2;

/** What afterOperand returns at the end of the line (a position otherwise). */
export const END_OF_LINE = -1;

/** No one-character line comment (AArch64 has only `//`). */
export const NO_LINE_COMMENT = -1;

/** The shift names by their SHIFT_TYPE number (the encodings' `shift` field). */
export const SHIFT_NAME = ['lsl', 'lsr', 'asr', 'ror'] as const;

/**
 * A cursor over one line at a time: `lp` is the next character to read, `end` the end of the line,
 * `start` its start (columns count from it). The fast paths read and move `lp` themselves too, so
 * it is an object's field (an importer cannot assign another module's `let`); and each keeps its
 * own cursor in a const of its module rather than importing a shared one, because V8 reads an
 * imported binding (a cell) more slowly in these loops: about a tenth of parseLine's time, measured.
 */
export class LineCursor {
  lp = 0;
  end = 0;
  start = 0;
  /** The value of the last number unsignedNumber read when it returned BIG (else undefined). */
  big: bigint | undefined = undefined;

  /** `lineComment`: the character code of the syntax's one-character comment (ARM's `@`), or NO_LINE_COMMENT. */
  constructor(readonly lineComment: number) {}

  /** Puts the cursor at the start of the line `[start, end)`. */
  startLine(start: number, end: number): void {
    this.lp = this.start = start;
    this.end = end;
  }

  /** Moves the cursor past blanks and tabs. */
  skipSpace(s: string): void {
    let lp = this.lp;
    const end = this.end;
    while (lp < end) {
      const c = s.charCodeAt(lp);
      if (c !== 32 && c !== 9) break;
      lp++;
    }
    this.lp = lp;
  }

  /** At the end of the line, or at a comment, which runs to it: `//`, or the one-character comment. */
  atEol(s: string): boolean {
    const lp = this.lp;
    if (lp >= this.end) return true;
    const c = s.charCodeAt(lp);
    return c === this.lineComment || (c === 47 && s.charCodeAt(lp + 1) === 47);
  }

  /** Whether a token read ends at the cursor: the line ends there, or a character that cannot continue it. */
  atTokenEnd(s: string): boolean {
    return this.lp >= this.end || !isWordChar(s.charCodeAt(this.lp));
  }

  /**
   * A lower-case word [a-z][a-z0-9]* with the cursor past it ('' when there is none). It need not be
   * a whole token: the caller looks at what follows (AArch64's `b.eq` goes on after `b`).
   */
  word(s: string): string {
    const start = this.lp, end = this.end;
    if (start >= end || !isLower(s.charCodeAt(start))) return '';
    let lp = start + 1;
    while (lp < end) {
      const c = s.charCodeAt(lp);
      if (!isLower(c) && !isDigit(c)) break;
      lp++;
    }
    this.lp = lp;
    return s.slice(start, lp);
  }

  /**
   * A decimal or 0x number as a whole token at the cursor, of at most `maxDecimal` / `maxHex`
   * digits: its value, with the cursor past it. Decimal numbers are exact below 2^53, and so are
   * hex numbers of up to 13 digits; a longer hex number gives BIG (its value in `big`). -1 when
   * there is none (no digit, `0x` alone, too many digits, a character that continues the token).
   */
  unsignedNumber(s: string, maxDecimal: number, maxHex: number): number {
    this.big = undefined;
    const start = this.lp, end = this.end;
    let c = s.charCodeAt(start);
    if (!isDigit(c)) return -1;
    let v = 0;
    let lp = start;
    if (c === 48 && s.charCodeAt(start + 1) === 120) {
      const digits = (lp = start + 2);
      while (lp < end) {
        c = s.charCodeAt(lp);
        const d = isDigit(c) ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (d < 0) break;
        v = v * 16 + d;
        lp++;
      }
      this.lp = lp;
      const n = lp - digits;
      if (n === 0 || n > maxHex || (lp < end && isWordChar(s.charCodeAt(lp)))) return -1;
      if (n > 13) {
        this.big = BigInt('0x' + s.slice(digits, lp));
        return BIG;
      }
      return v;
    }
    while (lp < end && isDigit((c = s.charCodeAt(lp)))) {
      v = v * 10 + (c - 48);
      lp++;
    }
    this.lp = lp;
    return lp - start > maxDecimal || (lp < end && isWordChar(s.charCodeAt(lp))) ? -1 : v;
  }

  /**
   * A plain symbol name [A-Za-z_][A-Za-z0-9_]* as a whole token at the cursor, with the cursor past
   * it; undefined for anything else. Which names are registers or operand words is the caller's.
   */
  symbolName(s: string): string | undefined {
    const start = this.lp, end = this.end;
    let c = s.charCodeAt(start);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return undefined;
    let lp = start + 1;
    for (; lp < end; lp++) {
      c = s.charCodeAt(lp);
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
    }
    this.lp = lp;
    if (lp < end && isWordChar(c)) return undefined;
    return s.slice(start, lp);
  }

  /**
   * A shift name with an immediate amount (lsl, lsr, asr, ror) as a whole token at the cursor: its
   * SHIFT_TYPE number, with the cursor past it; else -1 (and the cursor unmoved).
   */
  shiftName(s: string): number {
    const lp = this.lp;
    if (lp + 3 > this.end || (lp + 3 < this.end && isWordChar(s.charCodeAt(lp + 3)))) return -1;
    const a = s.charCodeAt(lp), b = s.charCodeAt(lp + 1), c = s.charCodeAt(lp + 2);
    let t = -1;
    if (a === 108 && b === 115) t = c === 108 ? 0 : c === 114 ? 1 : -1; // lsl, lsr
    else if (a === 97 && b === 115 && c === 114) t = 2; // asr
    else if (a === 114 && b === 111 && c === 114) t = 3; // ror
    if (t >= 0) this.lp = lp + 3;
    return t;
  }

  /**
   * What follows an operand (blanks aside): END_OF_LINE; the position of the next operand, after a
   * comma (the cursor is there too); or -2 for anything else — no comma, or nothing after one —
   * which no plain operand list has.
   */
  afterOperand(s: string): number {
    this.skipSpace(s);
    if (this.atEol(s)) return END_OF_LINE;
    if (s.charCodeAt(this.lp) !== 44) return -2;
    this.lp++;
    this.skipSpace(s);
    return this.atEol(s) ? -2 : this.lp;
  }
}

/**
 * The context to encode an instruction whose bytes depend on nothing but itself (no symbol, no
 * address): the fast paths encode such lines as they read them.
 */
export const FIXED_CONTEXT: EncodeContext = {
  address: 0,
  final: true,
  atLeast: 0,
  loc: noLoc,
  value: (e: Expr) => (e.k === 'num' ? e.v : undefined),
};

/** Writes the 32-bit word `w` little-endian into `out` at `at` (both syntaxes' instruction words). */
export function putWord(out: Uint8Array, at: number, w: number): void {
  out[at] = w & 0xff;
  out[at + 1] = (w >>> 8) & 0xff;
  out[at + 2] = (w >>> 16) & 0xff;
  out[at + 3] = w >>> 24;
}

/**
 * Where a fast path puts the bytes it encodes, in its syntax's per-source state: the current
 * 64 KiB block and the next free byte in it (both unset until the first line).
 */
export interface EncodedBlocks {
  buf?: Uint8Array | undefined;
  pos?: number;
}

/** The current block with at least `need` bytes free at `state.pos`; a fresh one (pos 0) when it has fewer. */
export function room(state: EncodedBlocks, need: number): Uint8Array {
  let buf = state.buf;
  if (buf === undefined || buf.length - (state.pos ?? 0) < need) {
    buf = state.buf = new Uint8Array(1 << 16);
    state.pos = 0;
  }
  return buf;
}

/**
 * parseLine's answer for a line encoded into `buf` (room's block) at `state.pos`, `size` bytes:
 * `out` says where they are, and `state.pos` moves past them.
 */
export function encoded(state: EncodedBlocks, out: LineOut, buf: Uint8Array, size: number): typeof ENCODED {
  const at = state.pos ?? 0;
  out.bytes = buf;
  out.bytesAt = at;
  out.size = size;
  state.pos = at + size;
  return ENCODED;
}

/** parseLine's answer for a line that is one instruction word: written into the block, as `encoded`. */
export function emitWord(state: EncodedBlocks, out: LineOut, w: number): typeof ENCODED {
  const buf = room(state, 4);
  putWord(buf, state.pos ?? 0, w);
  return encoded(state, out, buf, 4);
}
