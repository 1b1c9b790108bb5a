/**
 * Tokens as nasm's preprocessor sees a line: identifiers (what `%define` replaces), numbers,
 * strings, whitespace and operators, plus the `%` forms that only the preprocessor reads
 * (`%1`, `%{2}`, `%%local`, `%+`, `%define`). Every character of the line is in exactly one
 * token, so joining the texts gives the line back.
 */
export type PKind = 'id' | 'num' | 'str' | 'ws' | 'op' | 'param' | 'local' | 'pp' | 'comment';

export interface PTok {
  readonly kind: PKind;
  readonly text: string;
  /** 0-based offset of the token in the line it was read from (for an expansion: of the name expanded). */
  readonly col: number;
  /** Names of the single-line macros this token came out of: they are not expanded again inside it. */
  readonly hide?: ReadonlySet<string>;
  /** True when the token is no longer the text that was at `col` (a macro's expansion). */
  readonly made?: boolean;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
export const isIdStart = (c: string): boolean => isAlpha(c) || c === '.' || c === '?' || c === '@' || c === '$';
export const isIdPart = (c: string): boolean => isIdStart(c) || isDigit(c);

const OPS3 = ['<<<', '>>>', '<=>'];
const OPS2 = ['<<', '>>', '//', '%%', '==', '!=', '<>', '<=', '>=', '&&', '||', '^^', '$$'];

export function lexPP(text: string): PTok[] {
  const toks: PTok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = i;
    const c = text[i]!;
    let kind: PKind;
    if (isSpace(c)) {
      while (i < n && isSpace(text[i]!)) i++;
      kind = 'ws';
    } else if (c === ';') {
      i = n;
      kind = 'comment';
    } else if (c === "'" || c === '"' || c === '`') {
      i = stringEnd(text, i);
      kind = 'str';
    } else if (isDigit(c)) {
      i++;
      while (i < n && (isIdPart(text[i]!) || (text[i] === '.' && i + 1 < n && isDigit(text[i + 1]!)))) i++;
      kind = 'num';
    } else if (c === '$' && (i + 1 >= n || !isIdPart(text[i + 1]!) || text[i + 1] === '$')) {
      i += text[i + 1] === '$' ? 2 : 1;
      kind = 'op';
    } else if (isIdStart(c)) {
      i++;
      while (i < n && isIdPart(text[i]!)) i++;
      kind = 'id';
    } else if (c === '%') {
      [i, kind] = percentToken(text, i);
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      i += OPS3.includes(three) ? 3 : OPS2.includes(two) ? 2 : 1;
      kind = 'op';
    }
    toks.push({ kind, text: text.slice(start, i), col: start });
  }
  return toks;
}

/** Where a string starting at `i` ends (after its closing quote; the line's end if it has none). */
function stringEnd(text: string, i: number): number {
  const quote = text[i]!;
  // (tinyelf reads C escapes in "…" and `…`, so a backslash there hides the next character.)
  const escapes = quote !== "'";
  for (i++; i < text.length; i++) {
    if (escapes && text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}

/** The `%` forms: `%%name`, `%1`, `%-1`, `%+1`, `%{…}`, `%+`, `%?`, `%$name`, `%name`; else `%` or `%%` as operators. */
function percentToken(text: string, i: number): [number, PKind] {
  const n = text.length;
  const next = text[i + 1] ?? '';
  if (next === '%' && isIdStart(text[i + 2] ?? '') && text[i + 2] !== '$') {
    let j = i + 3;
    while (j < n && isIdPart(text[j]!)) j++;
    return [j, 'local'];
  }
  if (isDigit(next) || (next === '-' && isDigit(text[i + 2] ?? ''))) {
    let j = i + 2;
    while (j < n && isDigit(text[j]!)) j++;
    return [j, 'param'];
  }
  if (next === '{') {
    const close = text.indexOf('}', i + 2);
    return [close < 0 ? n : close + 1, 'param'];
  }
  if (next === '+' && isDigit(text[i + 2] ?? '')) {
    let j = i + 3;
    while (j < n && isDigit(text[j]!)) j++;
    return [j, 'param'];
  }
  if (next === '+') return [i + 2, 'op'];
  if (next === '?') return [text[i + 2] === '?' ? i + 3 : i + 2, 'param'];
  if (next === '$' || next === '!' || next === '[' || isAlpha(next)) {
    let j = i + 2;
    while (j < n && isIdPart(text[j]!)) j++;
    return [j, 'pp'];
  }
  return [next === '%' ? i + 2 : i + 1, 'op'];
}

/** The tokens that carry meaning: no whitespace, no comment. */
export function solid(toks: readonly PTok[]): PTok[] {
  return toks.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
}

export function joinText(toks: readonly PTok[]): string {
  let s = '';
  for (const t of toks) s += t.text;
  return s;
}

/** Drops whitespace and comment at both ends. */
export function trimToks(toks: readonly PTok[]): PTok[] {
  let a = 0;
  let b = toks.length;
  while (a < b && (toks[a]!.kind === 'ws' || toks[a]!.kind === 'comment')) a++;
  while (b > a && (toks[b - 1]!.kind === 'ws' || toks[b - 1]!.kind === 'comment')) b--;
  return toks.slice(a, b);
}

/**
 * Splits at the commas outside braces and parentheses; `{…}` around a whole piece is removed
 * (nasm's way to pass a comma inside one macro parameter). At most `max` pieces: the last takes
 * the rest, commas and all.
 */
export function splitArgs(toks: readonly PTok[], max = Infinity, parens = true): PTok[][] {
  const out: PTok[][] = [];
  let cur: PTok[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.kind === 'op' && (t.text === '{' || (parens && t.text === '('))) depth++;
    else if (t.kind === 'op' && (t.text === '}' || (parens && t.text === ')'))) depth--;
    if (depth === 0 && t.kind === 'op' && t.text === ',' && out.length < max - 1) {
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  out.push(cur);
  return out.map((piece) => {
    const p = trimToks(piece);
    const first = p[0];
    const last = p[p.length - 1];
    if (p.length >= 2 && first!.kind === 'op' && first!.text === '{' && last!.kind === 'op' && last!.text === '}' && closesAtEnd(p)) return trimToks(p.slice(1, -1));
    return p;
  });
}

/** True when the `{` that opens `p` is closed by its last token. */
function closesAtEnd(p: readonly PTok[]): boolean {
  let depth = 0;
  for (let k = 0; k < p.length; k++) {
    const t = p[k]!;
    if (t.kind === 'op' && t.text === '{') depth++;
    else if (t.kind === 'op' && t.text === '}' && --depth === 0) return k === p.length - 1;
  }
  return false;
}
