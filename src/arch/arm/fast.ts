/**
 * The A32 text front end's fast path (Backend.parseLine): in ARM (not Thumb) state, a line of the
 * plainest form — lower-case mnemonic (with condition and `s` suffixes), then registers, `#` plus
 * a decimal or 0x number (optionally negative), `[rN]` / `[rN, #n]` / `[rN, #n]!` / `[rN], #n`,
 * `lsl|lsr|asr|ror #n` after a register, a plain label — is read straight from the characters,
 * into the operands the token path (syntax.ts) would make, as far as encoding goes (a negative
 * number is one number here, a negation of one there: the same value). An instruction whose
 * bytes depend on nothing but itself is encoded at once by the one A32 encoder, so its bytes are
 * the token path's; any other line, any line the encoder refuses, and anything unusual (comments
 * aside) returns undefined and is read the usual way. test/arm/fast.test.ts compares both paths.
 */
import { ENCODED, type EncodeContext, type LineOut } from '../../core/backend.js';
import { noLoc } from '../../core/errors.js';
import type { Expr } from '../../core/expr.js';
import { encodeA32Word } from './a32-encoder.js';
import type { ArmInsn, Operand } from './operands.js';
import { regNumber, SHIFT_NAMES, type ShiftType } from './registers.js';

/** What parseLine needs of the ARM syntax state, and where it puts the bytes it encodes. */
export interface A32LineState {
  thumb: boolean;
  isa: 'v6' | 'v7';
  buf?: Uint8Array;
  pos?: number;
}

/** Splits a mnemonic as the token path does (syntax.ts's splitMnemonic, passed in to avoid a cycle). */
type Split = (name: string) => { mn: string; s: boolean; cond: number; width?: 'w' | 'n'; amode?: ArmInsn['amode']; itPattern?: string } | undefined;

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

/** At the end of the line, or at a comment (`@` or `//`, which run to it). */
function atEol(s: string): boolean {
  if (lp >= lineEnd) return true;
  const c = s.charCodeAt(lp);
  return c === 64 || (c === 47 && s.charCodeAt(lp + 1) === 47);
}

const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** A character that may continue a GNU identifier or number token. */
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;

/** A lower-case word [a-z][a-z0-9]* that is a whole token ('' otherwise, and `lp` does not move). */
function word(s: string): string {
  const start = lp;
  if (lp >= lineEnd || !isLower(s.charCodeAt(lp))) return '';
  let q = lp + 1;
  while (q < lineEnd) {
    const c = s.charCodeAt(q);
    if (!isLower(c) && !isDigit(c)) break;
    q++;
  }
  if (q < lineEnd && isWordChar(s.charCodeAt(q))) return '';
  lp = q;
  return s.slice(start, q);
}

/** `#`, an optional `-`, and a decimal or 0x number below 2^32; undefined for anything else. */
function hashNumber(s: string): number | undefined {
  if (s.charCodeAt(lp) !== 35) return undefined;
  lp++;
  let neg = false;
  if (s.charCodeAt(lp) === 45) {
    neg = true;
    lp++;
  }
  const start = lp;
  let c = s.charCodeAt(lp);
  if (!isDigit(c)) return undefined;
  let v = 0;
  if (c === 48 && s.charCodeAt(lp + 1) === 120) {
    lp += 2;
    const h = lp;
    while (lp < lineEnd) {
      c = s.charCodeAt(lp);
      const d = isDigit(c) ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      v = v * 16 + d;
      lp++;
    }
    if (lp === h || lp - h > 8) return undefined;
  } else {
    while (lp < lineEnd && isDigit((c = s.charCodeAt(lp)))) {
      v = v * 10 + (c - 48);
      lp++;
    }
    if (lp - start > 10 || v > 0xffffffff) return undefined;
  }
  if (lp < lineEnd && isWordChar(s.charCodeAt(lp))) return undefined;
  return neg ? -v : v;
}

/** A register name the token path knows (`r0`-`r15`, sp, lr, pc, fp, ip, sb, sl), else undefined. */
function regOf(w: string): number | undefined {
  if (w.length === 0) return undefined;
  const r = regNumber(w);
  return typeof r === 'number' ? r : undefined;
}

const CONST_CTX: EncodeContext = {
  address: 0,
  final: true,
  atLeast: 0,
  loc: noLoc,
  value: (e: Expr) => (e.k === 'num' ? e.v : undefined),
};

const SHIFTS: ReadonlySet<string> = new Set(SHIFT_NAMES);

/**
 * Reads `source[start, end)` if it is one plain A32 instruction; see the file comment. Returns
 * ENCODED (bytes in `out`), the instruction (a branch to a label), or undefined.
 */
export function parseLineA32(s: string, start: number, end: number, state: A32LineState, out: LineOut, split: Split): ArmInsn | typeof ENCODED | undefined {
  if (state.thumb) return undefined;
  lp = lineStart = start;
  lineEnd = end;
  skipSpace(s);
  const mnAt = lp;
  const name = word(s);
  if (name.length === 0) return undefined;
  const m = split(name);
  if (m === undefined || m.width !== undefined || m.itPattern !== undefined || m.mn === 'it') return undefined;
  const afterMn = lp;
  skipSpace(s);
  const ops: Operand[] = [];
  let label: { name: string; column: number } | undefined;
  const plainShift = m.mn !== 'lsl' && m.mn !== 'lsr' && m.mn !== 'asr' && m.mn !== 'ror';
  if (!atEol(s)) {
    if (lp === afterMn) return undefined;
    for (;;) {
      const c = s.charCodeAt(lp);
      if (c === 35) {
        const v = hashNumber(s);
        if (v === undefined) return undefined;
        ops.push({ k: 'imm', e: { k: 'num', v: BigInt(v) }, loc: noLoc });
      } else if (c === 91) {
        lp++;
        skipSpace(s);
        const base = regOf(word(s));
        if (base === undefined) return undefined;
        skipSpace(s);
        if (s.charCodeAt(lp) === 93) {
          lp++;
          if (s.charCodeAt(lp) === 33) return undefined;
          const at = lp;
          skipSpace(s);
          if (s.charCodeAt(lp) === 44) {
            lp++;
            skipSpace(s);
            const v = hashNumber(s);
            if (v === undefined) return undefined; // ([rn], rm and friends: the usual way)
            ops.push({ k: 'mem', base, imm: { k: 'num', v: BigInt(v) }, pre: false, wb: true, loc: noLoc });
          } else {
            lp = at;
            ops.push({ k: 'mem', base, pre: true, wb: false, loc: noLoc });
          }
        } else {
          if (s.charCodeAt(lp) !== 44) return undefined;
          lp++;
          skipSpace(s);
          const v = hashNumber(s);
          if (v === undefined) return undefined;
          skipSpace(s);
          if (s.charCodeAt(lp) !== 93) return undefined;
          lp++;
          let wb = false;
          if (s.charCodeAt(lp) === 33) {
            wb = true;
            lp++;
          }
          ops.push({ k: 'mem', base, imm: { k: 'num', v: BigInt(v) }, pre: true, wb, loc: noLoc });
        }
      } else {
        const at = lp;
        const w = word(s);
        const r = regOf(w);
        const prev = ops[ops.length - 1];
        if (r !== undefined) {
          if (s.charCodeAt(lp) === 33) return undefined;
          ops.push({ k: 'reg', r, loc: noLoc });
        } else if (SHIFTS.has(w) && w !== 'rrx' && plainShift && prev?.k === 'reg' && prev.shift === undefined) {
          skipSpace(s);
          const v = hashNumber(s);
          if (v === undefined) return undefined;
          prev.shift = { type: w as ShiftType, imm: { k: 'num', v: BigInt(v) } };
        } else {
          // A label: [A-Za-z_][A-Za-z0-9_]*, not a register, shift or `equ` (which the front end reads first).
          lp = at;
          let ch = s.charCodeAt(lp);
          if (!((ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95)) return undefined;
          for (lp++; lp < lineEnd; lp++) {
            ch = s.charCodeAt(lp);
            if (!((ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57) || ch === 95)) break;
          }
          if (lp < lineEnd && isWordChar(ch)) return undefined;
          const text = s.slice(at, lp);
          const lower = text.toLowerCase();
          if (regNumber(lower) !== undefined || SHIFTS.has(lower) || lower === 'equ' || label !== undefined) return undefined;
          label = { name: text, column: at - lineStart + 1 };
          ops.push({ k: 'expr', e: { k: 'sym', name: text, loc: noLoc }, loc: noLoc });
        }
      }
      skipSpace(s);
      if (atEol(s)) break;
      if (s.charCodeAt(lp) !== 44) return undefined;
      lp++;
      skipSpace(s);
      if (atEol(s)) return undefined;
    }
  }
  out.mnemonic = name;
  const column = mnAt - lineStart + 1;
  out.column = column;
  const file = out.file, line = out.line;
  if (label !== undefined) {
    // Encoded in every pass (its bytes depend on where it is): the operands get their places.
    if (ops.length !== 1 || (m.mn !== 'b' && m.mn !== 'bl')) return undefined;
    const loc = { file, line, column: label.column };
    const insn: ArmInsn = { mn: m.mn, s: m.s, cond: m.cond, thumb: false, isa: state.isa, ops: [{ k: 'expr', e: { k: 'sym', name: label.name, loc }, loc }], loc: { file, line, column } };
    return insn;
  }
  const insn: ArmInsn = { mn: m.mn, s: m.s, cond: m.cond, thumb: false, isa: state.isa, ops, loc: noLoc };
  if (m.amode) insn.amode = m.amode;
  let buf = state.buf;
  let pos = state.pos ?? 0;
  if (buf === undefined || buf.length - pos < 4) {
    buf = state.buf = new Uint8Array(1 << 16);
    pos = 0;
  }
  let w: number;
  try {
    w = encodeA32Word(insn, CONST_CTX);
  } catch {
    return undefined; // the token path reports it, with its place
  }
  buf[pos] = w & 0xff;
  buf[pos + 1] = (w >>> 8) & 0xff;
  buf[pos + 2] = (w >>> 16) & 0xff;
  buf[pos + 3] = w >>> 24;
  out.bytes = buf;
  out.bytesAt = pos;
  out.size = 4;
  state.pos = pos + 4;
  return ENCODED;
}
