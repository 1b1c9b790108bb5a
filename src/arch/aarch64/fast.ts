/**
 * The AArch64 text front end's fast path (Backend.parseLine): a line of the plainest form —
 * lower-case mnemonic, then registers, `#` plus a decimal or 0x number, `[xN]` / `[xN, #n]` /
 * `[xN, #n]!` / `[xN], #n`, `lsl|lsr|asr|ror #n` after a register (or `lsl #n` after an
 * immediate), a plain label — is read straight from the characters, into the operands the token
 * path (syntax.ts) would make. An instruction whose bytes depend on nothing but itself is encoded
 * at once by the one encoder (encodeA64Into), so its bytes are the token path's bytes; any other
 * line, any line the encoder refuses, and anything unusual (comments aside) returns undefined and
 * is read the usual way. test/aarch64/fast.test.ts compares both paths.
 */
import { ENCODED, type EncodeContext, type LineOut } from '../../core/backend.js';
import { noLoc, type SourceLoc } from '../../core/errors.js';
import type { Expr } from '../../core/expr.js';
import { encodeA64Into, isA64Mnemonic, isFixedA64 } from './encoder.js';
import { CONDITIONS, EXTEND_OPTION, SHIFT_OPS, type A64Insn, type MemOperand, type Operand, type ShiftOp } from './operands.js';
import { REGISTERS } from './registers.js';

/** Per-source state of the AArch64 syntax: where parseLine puts the bytes it encodes. */
export interface A64State {
  buf: Uint8Array | undefined;
  pos: number;
}

/** Cursor over the source, and the end of the line. */
let lp = 0;
let lineEnd = 0;
let lineStart = 0;

function skipSpace(s: string): void {
  while (lp < lineEnd) {
    const c = s.charCodeAt(lp);
    if (c !== 32 && c !== 9) break;
    lp++;
  }
}

/** At the end of the line, or at a `//` comment (which runs to it). */
function atEol(s: string): boolean {
  return lp >= lineEnd || (s.charCodeAt(lp) === 47 && s.charCodeAt(lp + 1) === 47);
}

const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** A character that may continue a GNU identifier or number token. */
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;

/** A lower-case word [a-z][a-z0-9]* (empty when none; `lp` is past it). */
function word(s: string): string {
  const start = lp;
  if (lp >= lineEnd || !isLower(s.charCodeAt(lp))) return '';
  lp++;
  while (lp < lineEnd) {
    const c = s.charCodeAt(lp);
    if (!isLower(c) && !isDigit(c)) break;
    lp++;
  }
  return s.slice(start, lp);
}

/** The lower-case word at `lp` if it is a whole token ('' otherwise); `lp` does not move. */
function peekWord(s: string): string {
  const at = lp;
  const w = word(s);
  const whole = !(lp < lineEnd && isWordChar(s.charCodeAt(lp)));
  lp = at;
  return whole ? w : '';
}

/** `#` and a decimal or 0x number, as a bigint; undefined for anything else (`lp` past it). */
function hashNumber(s: string): bigint | undefined {
  if (s.charCodeAt(lp) !== 35) return undefined;
  lp++;
  const start = lp;
  let c = s.charCodeAt(lp);
  if (!isDigit(c)) return undefined;
  let v: bigint;
  if (c === 48 && (s.charCodeAt(lp + 1) === 120)) {
    lp += 2;
    const h = lp;
    while (lp < lineEnd) {
      c = s.charCodeAt(lp);
      if (!(isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) break;
      lp++;
    }
    if (lp === h || lp - h > 16) return undefined;
    v = lp - h <= 12 ? BigInt(parseInt(s.slice(h, lp), 16)) : BigInt('0x' + s.slice(h, lp));
  } else {
    let n = 0;
    while (lp < lineEnd && isDigit((c = s.charCodeAt(lp)))) {
      n = n * 10 + (c - 48);
      lp++;
    }
    if (lp - start > 15) return undefined;
    v = BigInt(n);
  }
  if (lp < lineEnd && isWordChar(s.charCodeAt(lp))) return undefined;
  return v;
}

/** A GNU label name the token path reads as a plain symbol: [A-Za-z_][A-Za-z0-9_]*, not a register or operand word. */
function label(s: string): string | undefined {
  const start = lp;
  let c = s.charCodeAt(lp);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return undefined;
  for (lp++; lp < lineEnd; lp++) {
    c = s.charCodeAt(lp);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  if (lp < lineEnd && isWordChar(c)) return undefined;
  const name = s.slice(start, lp);
  const lower = name.toLowerCase();
  if (REGISTERS.has(lower) || SHIFT_OPS.has(lower) || lower in EXTEND_OPTION || CONDITIONS.has(lower) || lower === 'equ') return undefined;
  return name;
}

const CONST_CTX: EncodeContext = {
  address: 0,
  final: true,
  atLeast: 0,
  loc: noLoc,
  value: (e: Expr) => (e.k === 'num' ? e.v : undefined),
};

const num = (v: bigint): Expr => ({ k: 'num', v });

/**
 * Reads `source[start, end)` if it is one plain instruction; see the file comment. Sets
 * `out.mnemonic` and `out.column`; returns ENCODED (bytes in `out`), the instruction, or undefined.
 */
export function parseLineA64(s: string, start: number, end: number, state: A64State, out: LineOut): A64Insn | typeof ENCODED | undefined {
  lp = lineStart = start;
  lineEnd = end;
  skipSpace(s);
  const mnAt = lp;
  let mn = word(s);
  if (mn.length === 0) return undefined;
  if (mn === 'b' && s.charCodeAt(lp) === 46) {
    // b.cond
    lp++;
    const c = word(s);
    if (c.length === 0) return undefined;
    mn = `b.${c}`;
  }
  if (lp < lineEnd && isWordChar(s.charCodeAt(lp))) return undefined;
  if (!isA64Mnemonic(mn)) return undefined;
  const afterMn = lp;
  skipSpace(s);
  const ops: Operand[] = [];
  /** Column (1-based) of each operand, for the operands' locations when the instruction is returned. */
  const cols: number[] = [];
  if (!atEol(s)) {
    if (lp === afterMn) return undefined;
    for (;;) {
      const col = lp - lineStart + 1;
      const c = s.charCodeAt(lp);
      const prev = ops[ops.length - 1];
      let pw = '';
      if (c === 35) {
        const v = hashNumber(s);
        if (v === undefined) return undefined;
        // `[xN], #imm` is post-index (as parseOperands merges it).
        if (prev?.kind === 'mem' && prev.mode === 'offset' && prev.offset === undefined && prev.index === undefined) {
          ops[ops.length - 1] = { kind: 'mem', base: prev.base, mode: 'post', offset: num(v) };
        } else {
          ops.push({ kind: 'imm', value: num(v), hash: true });
          cols.push(col);
        }
      } else if (c === 91) {
        lp++;
        skipSpace(s);
        const b = word(s);
        const base = REGISTERS.get(b);
        if (base === undefined) return undefined;
        skipSpace(s);
        let offset: Expr | undefined;
        if (s.charCodeAt(lp) === 44) {
          lp++;
          skipSpace(s);
          const v = hashNumber(s);
          if (v === undefined) return undefined;
          offset = num(v);
          skipSpace(s);
        }
        if (s.charCodeAt(lp) !== 93) return undefined;
        lp++;
        let mode: MemOperand['mode'] = 'offset';
        if (s.charCodeAt(lp) === 33) {
          if (offset === undefined) return undefined;
          mode = 'pre';
          lp++;
        }
        ops.push(offset === undefined ? { kind: 'mem', base, mode } : { kind: 'mem', base, mode, offset });
        cols.push(col);
      } else if (isLower(c) && (REGISTERS.has((pw = peekWord(s))) || SHIFT_OPS.has(pw))) {
        const w = word(s);
        const reg = REGISTERS.get(w);
        if (reg !== undefined) {
          ops.push({ kind: 'reg', reg });
          cols.push(col);
        } else if (SHIFT_OPS.has(w)) {
          // `, lsl #n` joins the register (or, lsl only, the immediate) before it.
          skipSpace(s);
          const v = hashNumber(s);
          if (v === undefined) return undefined;
          if (prev?.kind === 'reg' && prev.shift === undefined) ops[ops.length - 1] = { kind: 'reg', reg: prev.reg, shift: { op: w as ShiftOp, amount: num(v) } };
          else if (prev?.kind === 'imm' && prev.lsl === undefined && w === 'lsl') ops[ops.length - 1] = { kind: 'imm', value: prev.value, lsl: num(v), hash: prev.hash };
          else return undefined;
        } else return undefined;
      } else {
        const name = label(s);
        // (after a bare `[xN]`, the token path makes any immediate, a label too, a post-index)
        if (name === undefined || prev?.kind === 'mem') return undefined;
        ops.push({ kind: 'imm', value: { k: 'sym', name, loc: noLoc }, hash: false });
        cols.push(col);
      }
      skipSpace(s);
      if (atEol(s)) break;
      if (s.charCodeAt(lp) !== 44) return undefined;
      lp++;
      skipSpace(s);
      if (atEol(s)) return undefined;
    }
  }
  out.mnemonic = mn;
  out.column = mnAt - lineStart + 1;
  const insn: A64Insn = { mn, ops };
  if (isFixedA64(insn)) {
    let buf = state.buf;
    if (buf === undefined || buf.length - state.pos < 256) {
      buf = state.buf = new Uint8Array(1 << 16);
      state.pos = 0;
    }
    let n: number;
    try {
      n = encodeA64Into(insn, CONST_CTX, buf, state.pos);
    } catch {
      return undefined; // the token path reports it, with its place
    }
    if (n <= 0) return undefined;
    out.bytes = buf;
    out.bytesAt = state.pos;
    out.size = n;
    state.pos += n;
    return ENCODED;
  }
  // Encoded in every pass: the operands get their places (errors name them), as the token path's.
  const file = out.file, line = out.line;
  const placed: Operand[] = ops.map((o, i) => withLoc(o, { file, line, column: cols[i]! }));
  return { mn, ops: placed };
}

function withLoc(o: Operand, loc: SourceLoc): Operand {
  switch (o.kind) {
    case 'reg':
      return o.shift === undefined ? { kind: 'reg', reg: o.reg, loc } : { kind: 'reg', reg: o.reg, shift: o.shift, loc };
    case 'imm': {
      const value: Expr = o.value.k === 'sym' ? { k: 'sym', name: o.value.name, loc } : o.value;
      return o.lsl === undefined ? { kind: 'imm', value, hash: o.hash, loc } : { kind: 'imm', value, lsl: o.lsl, hash: o.hash, loc };
    }
    case 'mem':
      return o.offset === undefined ? { kind: 'mem', base: o.base, mode: o.mode, loc } : { kind: 'mem', base: o.base, mode: o.mode, offset: o.offset, loc };
    default:
      return o;
  }
}
