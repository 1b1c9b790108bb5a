/** Strings as the preprocessor reads and writes them, with the front end's own quoting rules. */
import { AsmError } from '../errors.js';
import { lexLine, nasmLex } from '../lexer.js';

/** The bytes of a string token (`'…'`, `"…"`, `` `…` ``), as `db` would write them; undefined when it is not a whole string (no closing quote, a bad escape). */
export function stringBytes(token: string): Uint8Array | undefined {
  try {
    const toks = lexLine(token, { file: '', line: 1 }, nasmLex);
    const t = toks[0];
    return toks.length === 2 && t?.kind === 'string' && t.bytes ? t.bytes : undefined;
  } catch (err) {
    if (err instanceof AsmError) return undefined;
    throw err;
  }
}

/** A string token for the bytes: `'…'` when that can hold them, else `` `…` `` with escapes. */
export function quoteString(bytes: Uint8Array): string {
  const plain = bytes.every((b) => b >= 0x20 && b < 0x7f && b !== 0x27);
  if (plain) return `'${String.fromCharCode(...bytes)}'`;
  let s = '`';
  for (const b of bytes) {
    if (b === 0x60 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s + '`';
}
