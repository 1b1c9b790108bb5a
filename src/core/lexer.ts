import { fail, type SourceLoc } from './errors.js';

/**
 * Tokens of one source line. The lexer is shared by every architecture's text syntax; only the
 * comment characters differ (nasm `;`, GNU `//`, `@` on ARM), so they are a parameter.
 */
export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** Identifier or punctuation text; the raw text for numbers and strings. */
  text: string;
  /** Numbers only. */
  value?: bigint;
  /** Strings only: the bytes after escapes are applied (UTF-8 for non-ASCII). */
  bytes?: Uint8Array;
  /** 1-based column of the token's first character. */
  column: number;
}

export interface LexOptions {
  /** Strings that start a comment running to the end of the line. */
  comments: readonly string[];
  /** Whether `0FFh`, `1010b`, `17o`/`17q` suffix numbers are read (nasm). */
  suffixNumbers: boolean;
}

export const nasmLex: LexOptions = { comments: [';'], suffixNumbers: true };

const PUNCT3 = ['<<<', '>>>'];
const PUNCT2 = ['<<', '>>', '//', '%%', '$$', '==', '!=', '<=', '>=', '&&', '||'];
const PUNCT1 = '+-*/%&|^~()[]{},:!#=$<>.';

const identStart = /[A-Za-z_.?@$]/;
const identPart = /[A-Za-z0-9_.?@$]/;

const textEncoder = new TextEncoder();

// Character classes by char code (ASCII), so the lexer reads codes instead of running regexes.
const C_SPACE = 1, C_DIGIT = 2, C_ALPHA = 4, C_IDSTART = 8, C_IDPART = 16, C_PUNCT = 32;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let k = 0;
  if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') k |= C_SPACE;
  if (/[0-9]/.test(ch)) k |= C_DIGIT;
  if (/[A-Za-z_]/.test(ch)) k |= C_ALPHA;
  if (identStart.test(ch)) k |= C_IDSTART;
  if (identPart.test(ch)) k |= C_IDPART;
  if (PUNCT1.includes(ch)) k |= C_PUNCT;
  CLASS[c] = k;
}
const cls = (c: number): number => (c < 128 ? CLASS[c]! : 0);
/** Single-character punctuation strings, shared by every token. */
const PUNCT_TEXT: string[] = [];
for (const ch of PUNCT1) PUNCT_TEXT[ch.charCodeAt(0)] = ch;
/** Two- and three-character punctuation by first character. */
const PUNCT_MULTI: (string[] | undefined)[] = [];
for (const p of [...PUNCT3, ...PUNCT2]) (PUNCT_MULTI[p.charCodeAt(0)] ??= []).push(p);

/**
 * Token texts seen recently, by a hash of their characters: mnemonics, registers and labels
 * repeat from line to line, and reusing the string saves an allocation per token.
 */
const INTERN = new Array<string | undefined>(4096).fill(undefined);

export function sliceInterned(text: string, i: number, j: number): string {
  const len = j - i;
  if (len > 16) return text.slice(i, j);
  let h = len;
  for (let q = i; q < j; q++) h = (Math.imul(h, 31) + text.charCodeAt(q)) | 0;
  const slot = (h ^ (h >>> 12)) & 4095;
  const old = INTERN[slot];
  if (old !== undefined && old.length === len) {
    let same = true;
    for (let q = 0; q < len; q++) {
      if (old.charCodeAt(q) !== text.charCodeAt(i + q)) {
        same = false;
        break;
      }
    }
    if (same) return old;
  }
  const fresh = text.slice(i, j);
  INTERN[slot] = fresh;
  return fresh;
}

/** BigInts of small decimal numbers (scales, small displacements and immediates), made once. */
const SMALL = Array.from({ length: 1024 }, (_, k) => BigInt(k));

function locAt(loc: Omit<SourceLoc, 'column'>, column: number): SourceLoc {
  return { file: loc.file, line: loc.line, column };
}

export function lexLine(text: string, loc: Omit<SourceLoc, 'column'>, opts: LexOptions): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const comments = opts.comments;
  let sawString = false;
  outer: while (i < n) {
    const code = text.charCodeAt(i);
    const k = cls(code);
    if (k & C_SPACE) {
      i++;
      continue;
    }
    for (let m = 0; m < comments.length; m++) {
      const cm = comments[m]!;
      if (cm.charCodeAt(0) === code && (cm.length === 1 || text.startsWith(cm, i))) break outer;
    }
    const column = i + 1;
    // Numbers: 0x.., 0b.., 0o.., decimal, nasm suffix forms (0FFh, 1010b, 17q).
    if (k & C_DIGIT) {
      let j = i + 1;
      let digits = true;
      for (; j < n; j++) {
        const kj = cls(text.charCodeAt(j));
        if ((kj & (C_DIGIT | C_ALPHA)) === 0) break;
        if ((kj & C_DIGIT) === 0) digits = false;
      }
      const raw = sliceInterned(text, i, j);
      // GNU numeric label references: `1b` (backward), `1f` (forward).
      if (!digits && !opts.suffixNumbers && /^[0-9]+[bf]$/.test(raw)) {
        out.push({ kind: 'ident', text: raw, column });
        i = j;
        continue;
      }
      const value = digits ? (j - i <= 3 && +raw < 1024 ? SMALL[+raw]! : BigInt(raw)) : parseNumber(raw, opts, locAt(loc, column));
      out.push({ kind: 'number', text: raw, value, column });
      i = j;
      continue;
    }
    if (code === 34 || code === 39 || code === 96) {
      sawString = true;
      const { bytes, end } = readString(text, i, locAt(loc, column));
      out.push({ kind: 'string', text: text.slice(i, end), bytes, column });
      i = end;
      continue;
    }
    // `$` alone or `$$` are the location counters; `$name` is an identifier (nasm escapes keywords so).
    if (code === 36 && !(i + 1 < n && cls(text.charCodeAt(i + 1)) & C_ALPHA)) {
      const two = i + 1 < n && text.charCodeAt(i + 1) === 36;
      out.push({ kind: 'punct', text: two ? '$$' : '$', column });
      i += two ? 2 : 1;
      continue;
    }
    if (k & C_IDSTART && !(code === 46 && i + 1 < n && !(cls(text.charCodeAt(i + 1)) & C_IDPART))) {
      let j = i + 1;
      while (j < n && cls(text.charCodeAt(j)) & C_IDPART) j++;
      out.push({ kind: 'ident', text: sliceInterned(text, i, j), column });
      i = j;
      continue;
    }
    const multi = code < 128 ? PUNCT_MULTI[code] : undefined;
    if (multi !== undefined) {
      for (let m = 0; m < multi.length; m++) {
        const p = multi[m]!;
        if (text.startsWith(p, i)) { out.push({ kind: 'punct', text: p, column }); i += p.length; continue outer; }
      }
    }
    if (k & C_PUNCT) {
      out.push({ kind: 'punct', text: PUNCT_TEXT[code]!, column });
      i++;
      continue;
    }
    fail(locAt(loc, column), `unexpected character '${text[i]!}'`);
  }
  out.push({ kind: 'end', text: '', column: sawString ? textEndColumn(text, opts) : plainEndColumn(text, comments) });
  return out;
}

/**
 * `textEndColumn` for a line without strings: no quote character comes before the lexer stopped,
 * so the first comment outside strings is the first comment anywhere.
 */
function plainEndColumn(text: string, comments: readonly string[]): number {
  let end = text.length;
  for (let m = 0; m < comments.length; m++) {
    const k = text.indexOf(comments[m]!);
    if (k >= 0 && k < end) end = k;
  }
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c === 32 || (c >= 9 && c <= 13)) end--;
    else if (c < 128 || !/\s/.test(text[end - 1]!)) break;
    else end--;
  }
  return end + 1;
}

function textEndColumn(text: string, opts: LexOptions): number {
  let end = text.length;
  for (const cm of opts.comments) {
    const k = indexOutsideStrings(text, cm);
    if (k >= 0 && k < end) end = k;
  }
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end + 1;
}

function indexOutsideStrings(text: string, needle: string): number {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '`') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

export function parseNumber(raw: string, opts: LexOptions, loc: SourceLoc): bigint {
  const s = raw.replace(/_/g, '').toLowerCase();
  let m: RegExpMatchArray | null;
  try {
    if ((m = s.match(/^0x([0-9a-f]+)$/))) return BigInt('0x' + m[1]);
    if ((m = s.match(/^0b([01]+)$/))) return BigInt('0b' + m[1]);
    if ((m = s.match(/^0o([0-7]+)$/))) return BigInt('0o' + m[1]);
    if ((m = s.match(/^0d([0-9]+)$/))) return BigInt(m[1]!);
    if (/^[0-9]+$/.test(s)) return BigInt(s);
    if (opts.suffixNumbers) {
      if ((m = s.match(/^([0-9][0-9a-f]*)h$/))) return BigInt('0x' + m[1]);
      if ((m = s.match(/^([01]+)[by]$/))) return BigInt('0b' + m[1]);
      if ((m = s.match(/^([0-7]+)[oq]$/))) return BigInt('0o' + m[1]);
      if ((m = s.match(/^([0-9]+)[dt]$/))) return BigInt(m[1]!);
    }
  } catch {
    /* fall through to the error below */
  }
  fail(loc, `malformed number '${raw}'`);
}

/** Reads a quoted string at `start`. Backquoted strings take C escapes (nasm); others are literal. */
function readString(text: string, start: number, loc: SourceLoc): { bytes: Uint8Array; end: number } {
  const q = text[start]!;
  const parts: number[] = [];
  let i = start + 1;
  // Double-quoted strings take C escapes too: GNU as does so, and nasm sources rarely put a
  // backslash in a double-quoted string. Single quotes are always literal.
  const escapes = q === '`' || q === '"';
  while (i < text.length) {
    const c = text[i]!;
    if (c === q) return { bytes: Uint8Array.from(parts), end: i + 1 };
    if (c === '\\' && escapes) {
      i++;
      const e = text[i];
      if (e === undefined) break;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, '"': 34, "'": 39, '`': 96, '?': 63 };
      if (e === 'x') {
        const m = text.slice(i + 1).match(/^[0-9A-Fa-f]{1,2}/);
        if (!m) fail({ ...loc, column: loc.column + (i - start) }, 'expected hex digits after \\x');
        parts.push(parseInt(m[0], 16));
        i += 1 + m[0].length;
        continue;
      }
      if (/[0-7]/.test(e)) {
        const m = text.slice(i).match(/^[0-7]{1,3}/)!;
        const v = parseInt(m[0], 8);
        if (v > 0xff) fail({ ...loc, column: loc.column + (i - 1 - start) }, `octal escape '\\${m[0]}' is more than a byte (\\377)`);
        parts.push(v);
        i += m[0].length;
        continue;
      }
      if (e in simple) {
        parts.push(simple[e]!);
        i++;
        continue;
      }
      fail({ ...loc, column: loc.column + (i - start) }, `unknown escape '\\${e}'`);
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of textEncoder.encode(ch)) parts.push(b);
    i += ch.length;
  }
  fail(loc, `unterminated string (expected closing ${q})`);
}
