import { ENCODED, type Backend, type EncodeContext, type LineOut } from '../../core/backend.js';
import type { SourceLoc } from '../../core/errors.js';
import { TokenStream, num, type Expr } from '../../core/expr.js';
import { nasmLex, type Token } from '../../core/lexer.js';
import { preprocessNasm } from '../../core/nasm/preprocess.js';
import { encodeBranch, encodeIntoX86, encodeX86, isFixedX86, ROWS, type BranchPair } from './encoder.js';
import { encodeFastInsn, encodeFastOperands, fastText } from './fast.js';
import { findLineWord, foldChar, type LineWord } from './line-words.js';
import { makeMem, type ImmOperand, type MemOperand, type Operand, type Size, type X86Insn } from './operands.js';
import { REGISTERS, SEGMENT_PREFIX, type Reg } from './registers.js';
import { ADDRESS_SIZE_PREFIXES, CONDITIONS, OPERAND_SIZE_PREFIXES, PREFIXES } from './table.js';
import { leadingBytesHarmless64 } from './leading-bytes.js';
import { nasmWordCategory, otherNasmReserved } from './nasm-words.js';

/** Per-source state of the nasm syntax: `bits` and `default rel|abs`. */
export interface X86State {
  bits: 16 | 32 | 64;
  defaultRel: boolean;
  /** Bytes of the instructions encoded while they were read (see `X86Bytes`), and the next free one. */
  buf?: Uint8Array;
  pos?: number;
}

/**
 * An instruction whose bytes depend on nothing but itself (the fast path's forms), encoded the
 * moment it was read: only where its bytes are is kept, not its operands.
 */
export class X86Bytes {
  constructor(readonly mn: string, readonly buf: Uint8Array, readonly off: number, readonly len: number) {}
}

/** Room the parse-time encoding needs in `X86State.buf` (the fast path writes at most 16 bytes). */
const BYTES_ROOM = 16;


const SIZE_MAP: ReadonlyMap<string, Size> = new Map([['byte', 8], ['word', 16], ['dword', 32], ['qword', 64]]);
/** Operand keywords nasm does not take as labels (register names are reserved too). */
const RESERVED: ReadonlySet<string> = new Set([...SIZE_MAP.keys(), 'strict', 'short', 'near', 'rel', 'abs']);

/**
 * Every word nasm reserves (lower case): register names and operand keywords, also those of
 * registers and keywords tinyelf does not encode (`xmm0`, `cr3`, `wrt`, `__float32__`, …).
 */
const RESERVED_WORDS: ReadonlySet<string> = new Set([...REGISTERS.keys(), ...RESERVED, ...otherNasmReserved()]);
const RESERVED_LONGEST = Math.max(...[...RESERVED_WORDS].map((w) => w.length));
/** Where `RESERVED_WORDS_BY_START` keeps the words of a length and first letter (either case). */
const reservedSlot = (length: number, first: number): number => length * 32 + (first & 31);
const RESERVED_WORDS_BY_START: readonly (string[] | undefined)[] = (() => {
  const table: (string[] | undefined)[] = [];
  for (const w of RESERVED_WORDS) (table[reservedSlot(w.length, w.charCodeAt(0))] ??= []).push(w);
  return table;
})();

/**
 * Is `name` a reserved word in any case (nasm's rule)? Every label and branch target is checked, so
 * an ASCII name is compared with the few words of its length and first letter in place, without
 * the lower-case copy a Set lookup needs.
 */
function isReservedWord(name: string): boolean {
  const n = name.length;
  if (n === 0 || n > RESERVED_LONGEST) return false; // (lower-casing never makes a string shorter)
  for (let i = 0; i < n; i++) if (name.charCodeAt(i) >= 128) return RESERVED_WORDS.has(name.toLowerCase());
  const words = RESERVED_WORDS_BY_START[reservedSlot(n, name.charCodeAt(0))];
  if (words === undefined) return false;
  next: for (const w of words) {
    for (let i = 0; i < n; i++) {
      let c = name.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== w.charCodeAt(i)) continue next;
    }
    return true;
  }
  return false;
}

/** A register token (nasm register names are reserved words, in any case). */
function regOf(t: Token): Reg | undefined {
  if (t.kind !== 'ident') return undefined;
  const text = t.text;
  const c = text.charCodeAt(0);
  // Register names start with a letter and are at most 4 characters long.
  if (text.length > 4 || c < 65 || c > 122) return undefined;
  return REGISTERS.get(text) ?? REGISTERS.get(text.toLowerCase());
}

function isPunct(t: Token, p: string): boolean {
  return t.kind === 'punct' && t.text === p;
}

/** Parses one operand in nasm syntax. */
function parseOperand(ts: TokenStream): Operand {
  let size: Size | undefined;
  let strict = false;
  let dist: 'short' | 'near' | undefined;
  let far: Token | undefined;
  const first = ts.peek();
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'ident') break;
    const w = t.text.length <= 6 ? t.text.toLowerCase() : '';
    const sw = SIZE_MAP.get(w);
    if (sw !== undefined) size = sw;
    else if (w === 'strict') strict = true;
    else if (w === 'short' || w === 'near') dist = w;
    else if (w === 'far' && !ts.atEnd() && !isPunct(ts.peek(1), ',') && ts.peek(1).kind !== 'end') far = t;
    else break;
    ts.next();
  }
  const t = ts.peek();
  const col = first.column;
  if (isPunct(t, '[')) {
    if (dist) ts.error(`'${dist}' applies to branch targets, not memory operands`, first);
    const m = parseMem(ts, size, col);
    if (far) m.far = true;
    return m;
  }
  if (far) ts.error(`'far' applies to a pointer in memory (jmp far [mem]); a far pointer in the instruction is written selector:offset`, far);
  const r = regOf(t);
  if (r) {
    // `fs:[...]` is not nasm syntax; segment overrides go inside the brackets.
    ts.next();
    if (size !== undefined && size !== r.size) ts.error(`register ${r.name} is ${r.size}-bit, not ${size}-bit`, t);
    return { t: 'reg', reg: r, col };
  }
  // (else `xmm0` would be read as a symbol that can never be defined)
  if (t.kind === 'ident' && isReservedWord(t.text)) {
    const last = t.text.charCodeAt(t.text.length - 1);
    if (last >= 48 && last <= 57) ts.error(`register ${t.text} is not supported (tinyelf encodes general-purpose and segment registers only)`, t);
    ts.error(`'${t.text}' is not supported here`, t);
  }
  const e = ts.expr();
  if (isPunct(ts.peek(), ':')) {
    // `selector:offset`, a far pointer (jmp 0x08:start)
    const colon = ts.next();
    if (dist || strict) ts.error(`a far pointer (selector:offset) takes no '${dist ?? 'strict'}'`, colon);
    const offset = ts.expr();
    return { t: 'imm', e: offset, size, strict, dist, col, seg: e } satisfies ImmOperand;
  }
  return { t: 'imm', e, size, strict, dist, col } satisfies ImmOperand;
}

/** `[ rel|abs  seg:  base + index*scale + disp ]` */
function parseMem(ts: TokenStream, size: Size | undefined, col: number): MemOperand {
  ts.expect('[');
  let rel: boolean | undefined;
  let seg: Reg | undefined;
  let wide = false;
  let dispSize: 1 | 2 | 4 | undefined;
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'ident') break;
    const w = t.text.toLowerCase();
    if (w === 'rel') rel = true;
    else if (w === 'abs') rel = false;
    else if (w === 'qword') wide = true;
    else if (w === 'dword' || w === 'word' || w === 'byte') dispSize = w === 'dword' ? 4 : w === 'word' ? 2 : 1;
    else {
      const r = regOf(t);
      if (r && r.cls === 'seg' && isPunct(ts.peek(1), ':')) {
        seg = r;
        ts.next();
      } else break;
    }
    ts.next();
  }
  let base: Reg | undefined;
  let index: Reg | undefined;
  let scale = 1;
  let disp: Expr | undefined;
  let scaled = false;
  const unscaled: Reg[] = [];
  let negative = false;
  // Terms are split at `+`/`-`, which is right only when no looser operator (`<< >> & ^ |`)
  // stands between them: `[0x10 + 0x20 >> 4]` is (0x10 + 0x20) >> 4, one displacement.
  const loose = looseOperator(ts);
  if (loose) {
    for (let k = ts.pos; k < ts.tokens.length && !isPunct(ts.tokens[k]!, ']'); k++) {
      if (regOf(ts.tokens[k]!)) ts.error(`a register in an address can only be added, subtracted or scaled, not used with '${loose.text}'`, loose);
    }
    disp = ts.expr();
  } else for (;;) {
    // One term: tokens up to the next + or - outside parentheses.
    const start = ts.pos;
    let depth = 0;
    while (!ts.atEnd()) {
      const t = ts.peek();
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth--;
        else if (depth === 0 && (t.text === '+' || t.text === '-' || t.text === ']') && ts.pos > start) break;
      }
      ts.next();
    }
    if (ts.pos === start) {
      // Nothing before the next `+`, `-`, `]` or the end: `[`, `[rax+]`, `[]`.
      ts.error(`expected a register or an expression in the memory operand, found ${ts.describe()}`);
    }
    const single = ts.pos - start === 1 ? ts.tokens[start]! : undefined;
    const singleReg = single ? regOf(single) : undefined;
    if (single && (singleReg || single.kind === 'number')) {
      // The common terms, a register or a number, without slicing the tokens.
      if (singleReg) {
        if (negative) ts.error(`a register cannot be subtracted in an address`, single);
        unscaled.push(singleReg);
      } else {
        const e = negative ? num(-single.value!) : num(single.value!);
        disp = disp === undefined ? e : { k: 'bin', op: '+', a: disp, b: e, loc: ts.locOf(single) };
      }
    } else {
    const toks = ts.tokens.slice(start, ts.pos);
    const at = toks[0] ?? ts.peek();
    const r0 = regOf(toks[0]!);
    const rN = toks.length > 0 ? regOf(toks[toks.length - 1]!) : undefined;
    if (r0 && toks.length === 1) {
      if (negative) ts.error(`a register cannot be subtracted in an address`, at);
      unscaled.push(r0);
    } else if ((r0 && isPunct(toks[1]!, '*')) || (rN && toks.length > 2 && isPunct(toks[toks.length - 2]!, '*'))) {
      const reg = r0 && isPunct(toks[1]!, '*') ? r0 : rN!;
      const rest = reg === r0 && isPunct(toks[1]!, '*') ? toks.slice(2) : toks.slice(0, -2);
      if (negative) ts.error(`a register cannot be subtracted in an address`, at);
      if (scaled) ts.error('an address has at most one scaled index register', at);
      const e = rest.length === 1 && rest[0]!.kind === 'number' ? num(rest[0]!.value!) : subExpr(ts, rest);
      if (e.k !== 'num') ts.error('the scale must be a constant', at);
      scaled = true;
      index = reg;
      scale = Number(e.v);
    } else {
      let e = toks.length === 1 && toks[0]!.kind === 'number' ? num(toks[0]!.value!) : subExpr(ts, toks);
      if (negative) e = e.k === 'num' ? num(-e.v) : { k: 'un', op: '-', a: e };
      disp = disp === undefined ? e : { k: 'bin', op: '+', a: disp, b: e, loc: ts.locOf(at) };
    }
    }
    if (ts.eat('+')) negative = false;
    else if (isPunct(ts.peek(), '-')) {
      ts.next();
      negative = true;
    } else break;
  }
  ts.expect(']', "']' to close the memory operand");
  for (let k = 0; k < unscaled.length; k++) {
    const r = unscaled[k]!;
    if (!base) base = r;
    else if (!index) index = r;
    else ts.error('an address has at most two registers', ts.peek());
  }
  for (let k = 0; k < 2; k++) {
    const r = k === 0 ? base : index;
    if (r && r.cls !== 'r16' && r.cls !== 'r32' && r.cls !== 'r64') fail2(ts, col, `${r.name} cannot be used in an address`);
  }
  if (rel !== undefined && (base || index)) fail2(ts, col, `'${rel ? 'rel' : 'abs'}' applies to an address without registers`);
  const m = makeMem({ size, base, index, scale, disp, rel, seg, col });
  if (typeof m === 'string') fail2(ts, col, m);
  if (wide) m.wide = true;
  if (dispSize !== undefined) m.dispSize = dispSize;
  return m;
}

function fail2(ts: TokenStream, col: number, msg: string): never {
  ts.error(msg, { kind: 'end', text: '', column: col });
}

/** The first `<< >> & ^ |` outside parentheses before the `]` that closes the address, if any. */
function looseOperator(ts: TokenStream): Token | undefined {
  let depth = 0;
  for (let k = ts.pos; k < ts.tokens.length; k++) {
    const t = ts.tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ']') return undefined;
    else if (depth === 0 && (t.text === '<<' || t.text === '>>' || t.text === '&' || t.text === '^' || t.text === '|')) return t;
  }
  return undefined;
}

/** Parses a token slice as one expression. */
function subExpr(ts: TokenStream, toks: Token[]): Expr {
  if (toks.length === 0) ts.error('expected an expression');
  const last = toks[toks.length - 1]!;
  const sub = new TokenStream([...toks, { kind: 'end', text: '', column: last.column + last.text.length }], ts.loc);
  sub.scope = ts.scope;
  const e = sub.expr();
  sub.expectEnd();
  return e;
}

/** Shared by every instruction without prefixes (never written to). */
const NO_PREFIXES: number[] = [];

/** Reads the operands of one instruction (after its mnemonic and prefixes). */
export function parseX86Instruction(mnemonic: Token, ts: TokenStream, state: X86State): X86Insn {
  return parseX86(mnemonic, ts, state, false) as X86Insn;
}

/**
 * Refuses `word`, which the instruction table does not hold: by its category when nasm knows it
 * (an instruction there is never a label, so it must not vanish), else as unknown.
 */
function refuseUnencoded(ts: TokenStream, word: Token, mn: string): never {
  const category = nasmWordCategory(mn);
  if (category === undefined) ts.error(`unknown instruction '${word.text}'`, word);
  if (category === 'prefix') ts.error(`prefix not supported: ${mn}`, word);
  ts.error(`instruction not supported: ${mn}${category === 'general' ? '' : ` (${category})`}`, word);
}

/** Branches whose forms nasm marks as taking a bnd prefix, on which it refuses `repne`/`repnz` (f2, the bnd byte). */
const BND_BRANCHES: ReadonlySet<string> = new Set(['jmp', 'call', 'ret', ...CONDITIONS.flat().map((c) => `j${c}`)]);

/** A word written before a mnemonic: lock/rep…, a16/a32/a64, o16/o32/o64, or a segment register (`fs lodsb`). */
function isPrefixWord(w: string): boolean {
  return PREFIXES[w] !== undefined || ADDRESS_SIZE_PREFIXES[w] !== undefined || OPERAND_SIZE_PREFIXES[w] !== undefined || SEGMENT_PREFIX[w] !== undefined;
}

/**
 * The address size `a16`/`a32`/`a64` asks for in this mode, or the error nasm gives: a16 does not
 * exist in 64-bit mode, a64 only there.
 */
function addressSizeOf(word: Token, bits: 16 | 32 | 64, ts: TokenStream): 16 | 32 | 64 {
  const size = ADDRESS_SIZE_PREFIXES[word.text.toLowerCase()]!;
  if ((size === 16 && bits === 64) || (size === 64 && bits !== 64)) ts.error(`${word.text} is not available in ${bits}-bit mode`, word);
  return size;
}

/** What the prefix words before a mnemonic ask for. */
interface PrefixWords {
  /** lock/rep… bytes, in nasm's order (the rep group before lock). */
  bytes: number[];
  /** Their names, in the same order. */
  names: string[];
  seg: number | undefined;
  addrSize: 16 | 32 | 64 | undefined;
  opSize: 16 | 32 | 64 | undefined;
}

/**
 * Adds a lock/rep-group prefix as nasm does: a repeated prefix counts once, two different ones of
 * the rep group conflict (`repe rep`), and the rep group is written before lock whatever order
 * they were written in (`lock rep movsb` is f3 f0 a4).
 */
function addLockOrRep(p: PrefixWords, mn: string, word: Token, ts: TokenStream): void {
  if (p.names.includes(mn)) return;
  const byte = PREFIXES[mn]!;
  const isRep = byte !== 0xf0;
  const k = p.bytes.findIndex((b) => (b !== 0xf0) === isRep);
  if (k >= 0) ts.error(`instruction has conflicting prefixes: ${p.names[k]} and ${mn}`, word);
  const at = isRep ? 0 : p.bytes.length;
  p.bytes.splice(at, 0, byte);
  p.names.splice(at, 0, mn);
}

/** Adds the prefix word `mn` (written as `word`) to `p`; an error for a second one of a kind. */
function addPrefixWord(p: PrefixWords, mn: string, word: Token, bits: 16 | 32 | 64, ts: TokenStream): void {
  if (PREFIXES[mn] !== undefined) addLockOrRep(p, mn, word, ts);
  else if (SEGMENT_PREFIX[mn] !== undefined) {
    if (p.seg !== undefined) ts.error('an instruction takes one segment prefix', word);
    p.seg = SEGMENT_PREFIX[mn]!;
  } else if (OPERAND_SIZE_PREFIXES[mn] !== undefined) {
    if (p.opSize !== undefined) ts.error('an instruction takes one operand-size prefix', word);
    p.opSize = OPERAND_SIZE_PREFIXES[mn]!;
    if (p.opSize === 64 && bits !== 64) ts.error(`${word.text} is not available in ${bits}-bit mode`, word);
  } else {
    if (p.addrSize !== undefined) ts.error('an instruction takes one address-size prefix', word);
    p.addrSize = addressSizeOf(word, bits, ts);
  }
}

function parseX86(mnemonic: Token, ts: TokenStream, state: X86State, encode: boolean): X86Insn | X86Bytes {
  let mn = mnemonic.text.toLowerCase();
  let words: PrefixWords | undefined;
  let word = mnemonic;
  let o64Word: Token | undefined;
  while (isPrefixWord(mn)) {
    words ??= { bytes: [], names: [], seg: undefined, addrSize: undefined, opSize: undefined };
    addPrefixWord(words, mn, word, state.bits, ts);
    if (mn === 'o64') o64Word = word;
    if (ts.atEnd()) {
      // (nasm 2.16 fails an assertion on o64 without an instruction; its bytes are not known)
      if (o64Word !== undefined) ts.error('o64 needs an instruction after it (nasm 2.16 fails an internal assertion on o64 alone)', o64Word);
      return prefixLine(words, state);
    }
    const t = ts.next();
    if (t.kind !== 'ident') ts.error(`expected an instruction after the prefix, found ${ts.describe(t)}`, t);
    mn = t.text.toLowerCase();
    word = t;
  }
  if (!ROWS.has(mn)) refuseUnencoded(ts, word, mn);
  if (words !== undefined && BND_BRANCHES.has(mn)) {
    const repne = words.names.find((p) => p === 'repne' || p === 'repnz');
    if (repne !== undefined) ts.error(`${repne} prefix is not allowed on ${mn} (as in nasm: f2 on a branch is the bnd prefix)`, word);
  }
  const ops: Operand[] = [];
  if (!ts.atEnd()) {
    do ops.push(parseOperand(ts));
    while (ts.eat(','));
  }
  ts.expectEnd(ops.length ? "',' or end of line" : 'an operand');
  for (const o of ops) {
    // (nasm refuses `int short 3`, `push near $`; the encoder reads the keyword on branches only)
    if (o.t === 'imm' && o.dist !== undefined && !ROWS.get(mn)!.some((row) => row.relAt >= 0)) fail2(ts, o.col, `'${o.dist}' applies to branch targets, and ${mn} takes none`);
  }
  const prefixes = words !== undefined && words.bytes.length > 0 ? words.bytes : NO_PREFIXES;
  if (encode && words === undefined && state.bits === 64) {
    let buf = state.buf;
    let pos = state.pos ?? 0;
    if (buf === undefined || buf.length - pos < BYTES_ROOM) {
      buf = state.buf = new Uint8Array(1 << 16);
      pos = 0;
    }
    const end = encodeFastInsn({ mn, ops, prefixes, bits: 64, defaultRel: state.defaultRel }, buf, pos);
    if (end > pos) {
      state.pos = end;
      return new X86Bytes(mn, buf, pos, end - pos);
    }
  }
  // `pure` and `cache` up front: every instruction object has the same shape (the encoder sets them).
  const insn: X86Insn = { mn, ops, prefixes, bits: state.bits, defaultRel: state.defaultRel, pure: undefined, cache: undefined };
  // (set only when written: most instructions have none of them)
  if (words?.seg !== undefined) insn.seg = words.seg;
  if (words?.addrSize !== undefined) insn.addrSize = words.addrSize;
  if (words?.opSize !== undefined) insn.opSize = words.opSize;
  return insn;
}

/** Prefixes alone on their line: their bytes, in the order nasm writes them (lock/rep, segment, 66, 67, REX.W). */
function prefixLine({ bytes: prefixes, seg, addrSize, opSize }: PrefixWords, state: X86State): X86Insn {
  const bytes = [...prefixes];
  if (seg !== undefined) bytes.push(seg);
  if (opSize !== undefined && opSize !== 64 && (opSize === 16) !== (state.bits === 16)) bytes.push(0x66);
  if (addrSize !== undefined && addrSize !== state.bits) bytes.push(0x67);
  if (opSize === 64) bytes.push(0x48);
  return { mn: '', ops: [], prefixes: bytes, bits: state.bits, defaultRel: state.defaultRel };
}

/** The operands `parseLineFast` hands to `encodeFastOperands` (reused: it keeps none of them). */
const LINE_OPS: unknown[] = [undefined, undefined];
/**
 * A memory operand of the fast path, reused from line to line. Its displacement is kept as the
 * number it was read as (`dispNumber`, which the fast encoder reads): no BigInt to make per line
 * and convert back. `disp` is made from it only if asked for.
 */
class LineMem implements MemOperand {
  readonly t = 'mem' as const;
  size: Size | undefined = undefined;
  base: Reg | undefined = undefined;
  index: Reg | undefined = undefined;
  scale: 1 | 2 | 4 | 8 = 1;
  dispNumber: number | undefined = undefined;
  readonly rel = undefined;
  readonly seg = undefined;
  readonly col = 0;

  get disp(): Expr | undefined {
    return this.dispNumber === undefined ? undefined : num(BigInt(this.dispNumber));
  }
}
const LINE_MEMS: LineMem[] = [new LineMem(), new LineMem()];
/*
 * The readers below take the cursor as an argument and return where they stopped (any second
 * result goes in a module variable): a cursor kept in a module variable is loaded and stored on
 * every character, while an argument stays in a register once they are inlined into the caller.
 * They read through `charAt`, never past the line's end: one read past the end of the source
 * (its last line) makes V8 stop inlining that charCodeAt for good, which cost a third of the time.
 */

/** The char code at `p`, or -1 (in no character class) at the line's end. */
function charAt(text: string, p: number, end: number): number {
  return p < end ? text.charCodeAt(p) : -1;
}

function skipSpace(text: string, p: number, end: number): number {
  for (;;) {
    const c = charAt(text, p, end);
    if (c === 32 || c === 9 || c === 13) p++;
    else return p;
  }
}

/** The word `scanWord` read last, if it is one of the fast path's. */
let scannedWord: LineWord | undefined;

/**
 * Reads `[a-z0-9]+` at `p` and sets `scannedWord` to the fast path's word (see line-words.ts) it
 * is, else undefined (also when an identifier character follows: then the word is longer).
 */
function scanWord(text: string, p: number, end: number): number {
  const start = p;
  let h = 0;
  for (;;) {
    const c = charAt(text, p, end);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      h = foldChar(h, c);
      p++;
    } else if ((c >= 65 && c <= 90) || c === 95 || c === 46 || c === 63 || c === 64 || c === 36) {
      scannedWord = undefined;
      return p;
    } else break;
  }
  scannedWord = p === start ? undefined : findLineWord(text, start, p, h);
  return p;
}

/** The number `scanDecimal` read last (NaN when none, when too long or followed by a letter). */
let scannedNumber = 0;

/** Reads decimal digits at `p` into `scannedNumber`. */
function scanDecimal(text: string, p: number, end: number): number {
  const start = p;
  let v = 0;
  for (;;) {
    const c = charAt(text, p, end);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      p++;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 36 || c === 63 || c === 64) {
      scannedNumber = NaN;
      return p;
    } else break;
  }
  scannedNumber = p === start || p - start > 10 ? NaN : v;
  return p;
}

/** The 64-bit general register that `word` is, else undefined. */
function r64Of(word: LineWord | undefined): Reg | undefined {
  const r = word?.reg;
  return r !== undefined && r.cls === 'r64' ? r : undefined;
}

/**
 * `[base (+ index (* scale)?)? ((+|-) disp)?]` after the `[` at `p`, with an int32 disp, into `m`:
 * returns the position after the `]`, or -1 when the operand is not of that form.
 */
function scanMem(text: string, p: number, end: number, m: LineMem): number {
  p = skipSpace(text, p, end);
  p = scanWord(text, p, end);
  const base = r64Of(scannedWord);
  if (base === undefined) return -1;
  p = skipSpace(text, p, end);
  let index: Reg | undefined;
  let scale: 1 | 2 | 4 | 8 = 1;
  let disp: number | undefined;
  let c = charAt(text, p, end);
  if (c === 43) {
    p = skipSpace(text, p + 1, end);
    const d = charAt(text, p, end);
    if (d >= 48 && d <= 57) {
      p = scanDecimal(text, p, end);
      disp = scannedNumber;
      if (disp !== disp) return -1;
    } else {
      p = scanWord(text, p, end);
      index = r64Of(scannedWord);
      if (index === undefined) return -1;
      p = skipSpace(text, p, end);
      if (charAt(text, p, end) === 42) {
        p = scanDecimal(text, skipSpace(text, p + 1, end), end);
        const s = scannedNumber;
        if (s !== 1 && s !== 2 && s !== 4 && s !== 8) return -1;
        scale = s;
        p = skipSpace(text, p, end);
      }
    }
    c = charAt(text, p, end);
  }
  if (disp === undefined && (c === 43 || c === 45)) {
    p = scanDecimal(text, skipSpace(text, p + 1, end), end);
    const v = scannedNumber;
    if (v !== v) return -1;
    disp = c === 45 ? -v : v;
    p = skipSpace(text, p, end);
    c = charAt(text, p, end);
  } else if (disp !== undefined) {
    p = skipSpace(text, p, end);
    c = charAt(text, p, end);
  }
  if (c !== 93 || (disp !== undefined && (disp | 0) !== disp)) return -1;
  m.base = base;
  m.index = index;
  m.scale = scale;
  m.dispNumber = disp;
  return p + 1;
}

/*
 * What `lineBranch` makes, by classes rather than object literals: these live through the whole
 * assembly, and V8 answers a literal whose objects all survive by allocating it in old space from
 * then on, which discards the optimized code that made them (slow runs until it is made again).
 */
class BranchLoc implements SourceLoc {
  constructor(readonly file: string, readonly line: number, readonly column: number) {}
}
class BranchSym {
  readonly k = 'sym' as const;
  constructor(readonly name: string, readonly loc: SourceLoc) {}
}
class BranchTarget implements ImmOperand {
  readonly t = 'imm' as const;
  readonly size = undefined;
  readonly strict = false;
  readonly dist = undefined;
  constructor(readonly e: Expr, readonly col: number) {}
}
class BranchInsn implements X86Insn {
  pure: boolean | undefined = undefined;
  cache: { atLeast: number; bytes: Uint8Array } | undefined = undefined;
  constructor(readonly mn: string, readonly ops: Operand[], readonly prefixes: number[], readonly bits: 16 | 32 | 64, readonly defaultRel: boolean) {}
}

/**
 * `jmp|jcc name` read by the fast path: one object that is both the instruction and its target,
 * the symbol expression `name` (`k`, `name`, `loc`), which `encodeBranch` encodes straight away
 * (a branch as the token path reads it is six objects, all kept through the assembly). Anything
 * `encodeBranch` leaves to the row search goes through the instruction this stands for, `insn()`,
 * made then: the same bytes and messages as the token path's.
 */
export class X86Jump {
  readonly k = 'sym' as const;
  private full: X86Insn | undefined = undefined;
  constructor(
    readonly mn: string,
    readonly pair: BranchPair,
    readonly name: string,
    private readonly file: string,
    private readonly line: number,
    /** The target's column. */
    private readonly col: number,
    private readonly defaultRel: boolean,
  ) {}

  /** Where the target is written (asked for by error messages only). */
  get loc(): SourceLoc {
    return new BranchLoc(this.file, this.line, this.col);
  }

  insn(): X86Insn {
    if (this.full === undefined) {
      const ops: Operand[] = Array.of<Operand>(new BranchTarget(new BranchSym(this.name, this.loc), this.col));
      this.full = new BranchInsn(this.mn, ops, NO_PREFIXES, 64, this.defaultRel);
    }
    return this.full;
  }
}

/**
 * `jcc|jmp|call name` with a plain name (`[A-Za-z_][A-Za-z0-9_]*`, not a register or an operand
 * keyword), the name at `p` (after the blanks that follow the mnemonic, which ends at `afterMn`):
 * the instruction the token path makes of it, without tokens.
 */
function lineBranch(text: string, p: number, lineStart: number, end: number, word: LineWord, afterMn: number, state: X86State, out: LineOut, column: number): X86Insn | X86Jump | undefined {
  if (p === afterMn) return undefined;
  const start = p;
  let c = charAt(text, p, end);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return undefined;
  for (p++; p < end; p++) {
    c = text.charCodeAt(p);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  const nameEnd = p;
  if (skipSpace(text, p, end) < end) return undefined;
  const name = text.slice(start, nameEnd);
  if (isReservedWord(name)) return undefined;
  const mn = word.text;
  out.mnemonic = mn;
  out.column = column;
  const col = start - lineStart + 1;
  if (word.jump !== undefined) return new X86Jump(mn, word.jump, name, out.file, out.line, col, state.defaultRel);
  // (Array.of rather than an array literal, for the reason the classes above give.)
  const ops: Operand[] = Array.of<Operand>(new BranchTarget(new BranchSym(name, new BranchLoc(out.file, out.line, col)), col));
  return new BranchInsn(mn, ops, NO_PREFIXES, state.bits, state.defaultRel);
}

/**
 * The text front end's fast path (`Backend.parseLine`): a line that is only `mnemonic` with up to
 * two operands of the plainest forms — 32/64-bit registers, decimal int32 constants, memory
 * `size [base + index*scale ± disp]` — in 64-bit mode, read straight from the characters and
 * encoded by `encodeFast` into the state's buffer. Anything else (labels, comments, other number
 * forms, symbols, prefixes, …) returns undefined and the line is read the usual way, which would
 * give these lines the same operands.
 */
function parseLineFast(text: string, start: number, end: number, state: X86State, out: LineOut): X86Insn | X86Jump | typeof ENCODED | undefined {
  if (state.bits !== 64 || !fastText.on) return undefined;
  let p = skipSpace(text, start, end);
  const column = p - start + 1;
  p = scanWord(text, p, end);
  const word = scannedWord;
  if (word === undefined || (word.fast === undefined && !word.branch)) return undefined;
  const mn = word.text;
  const afterMn = p;
  p = skipSpace(text, p, end);
  if (word.branch) return lineBranch(text, p, start, end, word, afterMn, state, out, column);
  let n = 0;
  const ops = LINE_OPS;
  if (p < end) {
    if (p === afterMn) return undefined;
    for (;;) {
      if (n === 2) return undefined;
      const c = charAt(text, p, end);
      if (c === 91 || (c >= 97 && c <= 122)) {
        let size: Size | undefined;
        if (c !== 91) {
          p = scanWord(text, p, end);
          const w = scannedWord;
          if (w === undefined) return undefined;
          if (w.size !== undefined) {
            size = w.size;
            p = skipSpace(text, p, end);
            if (charAt(text, p, end) !== 91) return undefined;
          } else if (w.reg !== undefined) ops[n] = w.reg;
          else return undefined;
        }
        if (c === 91 || size !== undefined) {
          const m = LINE_MEMS[n]!;
          p = scanMem(text, p + 1, end, m);
          if (p < 0) return undefined;
          m.size = size;
          ops[n] = m;
        }
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        p = scanDecimal(text, c === 45 ? p + 1 : p, end);
        const v = scannedNumber;
        if (v !== v) return undefined;
        const x = c === 45 ? -v : v;
        if ((x | 0) !== x) return undefined;
        ops[n] = x;
      } else return undefined;
      n++;
      p = skipSpace(text, p, end);
      if (p >= end) break;
      if (charAt(text, p, end) !== 44) return undefined;
      p = skipSpace(text, p + 1, end);
    }
  }
  let buf = state.buf;
  let pos = state.pos ?? 0;
  if (buf === undefined || buf.length - pos < BYTES_ROOM) {
    buf = state.buf = new Uint8Array(1 << 16);
    pos = 0;
  }
  const after = encodeFastOperands(buf, pos, word.fast!, n, ops[0], ops[1]);
  if (after <= pos) return undefined;
  state.pos = after;
  out.mnemonic = mn;
  out.column = column;
  out.bytes = buf;
  out.bytesAt = pos;
  out.size = after - pos;
  return ENCODED;
}

/**
 * The x86 backend with nasm syntax. `i386` starts in `bits 32`, `x86_64` in `bits 64`; a number
 * picks the starting mode directly.
 */
export interface X86BackendOptions {
  /**
   * Encode as `nasm -f bin` does where nasm (-Ox) picks a longer form than the shortest: for an
   * immediate or displacement that is an address (a label, `$`), which nasm never shortens
   * (`mov rax, label` is the 10-byte B8+r imm64, `[rbx+label]` takes a disp32, `push label` 68).
   */
  nasmForms?: boolean;
}

export function x86Backend(arch: 'i386' | 'x86_64' | 16 | 32 | 64 = 'x86_64', options: X86BackendOptions = {}): Backend<X86Insn | X86Bytes | X86Jump, X86State> {
  const bits: 16 | 32 | 64 = arch === 'i386' ? 32 : arch === 'x86_64' ? 64 : arch;
  const nasmForms = options.nasmForms === true;
  return {
    arch: bits === 64 ? 'x86_64' : 'i386',
    endian: 'little',
    lex: nasmLex,
    preprocess: preprocessNasm,
    // Every field from the start: the fast path reads this object on every line, and an object
    // that gains fields midway changes shape under the optimized code (which is then thrown away).
    initialState: () => ({ bits, defaultRel: false, buf: undefined, pos: 0 }),
    parseInstruction: (mnemonic, ts, state) => parseX86(mnemonic, ts, state, true),
    parseLine: parseLineFast,
    directive(name, ts, state) {
      if (name === 'bits') {
        const t = ts.next();
        const v = t.kind === 'number' ? Number(t.value) : 0;
        if (v !== 16 && v !== 32 && v !== 64) ts.error('bits must be 16, 32 or 64', t);
        state.bits = v as 16 | 32 | 64;
        ts.expectEnd();
        return true;
      }
      if (name === 'use16' || name === 'use32' || name === 'use64') {
        state.bits = Number(name.slice(3)) as 16 | 32 | 64;
        ts.expectEnd();
        return true;
      }
      // nasm's standard macros for `default rel|abs|nobnd`; tinyelf never adds bnd prefixes.
      if (name === 'userel' || name === 'useabs' || name === 'usenobnd') {
        if (name !== 'usenobnd') state.defaultRel = name === 'userel';
        ts.expectEnd();
        return true;
      }
      if (name === 'usebnd') ts.error('usebnd is not supported (tinyelf adds no bnd prefixes to branches)', ts.tokens[ts.pos - 1]!);
      if (name === 'default') {
        const t = ts.next();
        const w = t.text.toLowerCase();
        if (w !== 'rel' && w !== 'abs') ts.error(`expected rel or abs, found ${ts.describe(t)}`, t);
        state.defaultRel = w === 'rel';
        ts.expectEnd();
        return true;
      }
      return false;
    },
    // Every word nasm knows as an instruction or prefix starts one (and is refused if not encoded).
    isMnemonic: (name) => ROWS.has(name) || isPrefixWord(name) || nasmWordCategory(name) !== undefined,
    isReserved: isReservedWord,
    encode: (insn, ctx: EncodeContext) => (insn instanceof X86Bytes ? insn.buf.slice(insn.off, insn.off + insn.len) : encodeX86(insn instanceof X86Jump ? insn.insn() : insn, ctx, nasmForms)),
    isFixed: (insn) => insn instanceof X86Bytes || (!(insn instanceof X86Jump) && isFixedX86(insn)),
    // The ELF magic runs as REX prefixes only in 64-bit mode (in 32-bit mode 0x40–0x4f are inc/dec).
    leadingBytesHarmless: bits === 64 ? leadingBytesHarmless64 : undefined,
    encodeInto: (insn, ctx, out, at) => {
      if (insn instanceof X86Jump) {
        const len = encodeBranch(insn, insn.pair, ctx, out, at);
        return len >= 0 ? len : encodeIntoX86(insn.insn(), ctx, out, at, nasmForms);
      }
      if (!(insn instanceof X86Bytes)) return encodeIntoX86(insn, ctx, out, at, nasmForms);
      const { buf, off, len } = insn;
      for (let k = 0; k < len; k++) out[at + k] = buf[off + k]!;
      return len;
    },
    codeFill: (count) => new Uint8Array(count).fill(0x90),
  };
}
