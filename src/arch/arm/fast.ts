/**
 * The ARM text front end's fast path (Backend.parseLine), in A32 and in Thumb state: a line of the
 * plainest form — lower-case mnemonic (with condition and `s` suffixes), then registers, `#` plus
 * a decimal or 0x number (optionally negative), `[rN]` / `[rN, #n]` / `[rN, #n]!` / `[rN], #n`,
 * `lsl|lsr|asr|ror #n` after a register, a plain label — is read straight from the characters
 * into operand slots (numbers, no objects). A32 data processing with a modified immediate or a
 * register shifted by an immediate, and ldr/str/ldrb/strb with an immediate offset, are encoded
 * from the slots at once (encodeDirect), but only where the one A32 encoder would take them as
 * they are (no alternative row, no error); the other lines become the operands the token path
 * (syntax.ts) would make, as far as encoding goes (a negative number is one number here, a
 * negation of one there: the same value), and are encoded at once by that A32 or Thumb encoder,
 * so the bytes are the token path's. A Thumb line is taken only outside an IT block and without
 * a condition (the token path checks those), and its width is the one the encoder picks on a
 * first encoding, as for any instruction without a label; its item keeps THUMB_LINE as its
 * instruction, because the ELF planner needs to know it is Thumb. An A32 branch to a label
 * keeps its word (`branchWord`) so encodeBranchInto can fill in the offset in each pass; a Thumb
 * one is returned as the instruction, for the encoder to size in each pass. Any line the encoder
 * refuses, and anything unusual (comments aside), returns undefined and is read the usual way.
 * test/arm/fast.test.ts compares both paths.
 */
import { ENCODED, type EncodeContext, type LineOut } from '../../core/backend.js';
import { noLoc } from '../../core/errors.js';
import type { Expr } from '../../core/expr.js';
import { encodeA32Word } from './a32-encoder.js';
import { encodeThumbBits, putThumb } from './thumb-encoder.js';
import { A32_TABLE, type A32Row } from './a32-table.js';
import { armModImm } from './encoder.js';
import type { ArmInsn, Operand } from './operands.js';
import { PC, regNumber, SHIFT_NAMES } from './registers.js';
import { emitWord, encoded, type EncodedBlocks, END_OF_LINE, FIXED_CONTEXT, isDigit, isLower, isWordChar, LineCursor, putWord, room, SHIFT_NAME } from '../gnu-line.js';

/** What parseLine needs of the ARM syntax state, and where it puts the bytes it encodes. */
export interface ArmLineState extends EncodedBlocks {
  thumb: boolean;
  isa: 'v6' | 'v7';
  /** The conditions an open IT block still expects (Thumb). */
  it: readonly number[];
}

/** Splits a mnemonic as the token path does (syntax.ts's splitMnemonic, passed in to avoid a cycle). */
type Split = (name: string) => { mn: string; s: boolean; cond: number; width?: 'w' | 'n'; amode?: ArmInsn['amode']; itPattern?: string } | undefined;

/** The cursor over the line being read (comments: `@` as well as `//`). */
const cur = new LineCursor(64);

/** `#`, an optional `-`, and a decimal or 0x number below 2^32; undefined for anything else. */
function hashNumber(s: string): number | undefined {
  if (s.charCodeAt(cur.lp) !== 35) return undefined;
  cur.lp++;
  let neg = false;
  if (s.charCodeAt(cur.lp) === 45) {
    neg = true;
    cur.lp++;
  }
  const v = cur.unsignedNumber(s, 10, 8);
  // (`#-0` is not 0 as an offset: its U bit says subtract; the token path keeps the sign)
  if (v < 0 || v > 0xffffffff || (neg && v === 0)) return undefined;
  return neg ? -v : v;
}

/**
 * The register named by the whole lower-case token at the cursor (r0-r15, sb, sl, fp, ip, sp, lr,
 * pc: what regNumber knows), with the cursor past it; -1 (and the cursor unmoved) for anything else.
 */
function register(s: string): number {
  const lp = cur.lp;
  const a = s.charCodeAt(lp), b = s.charCodeAt(lp + 1);
  let r = -1;
  let len = 2;
  if (a === 114 && isDigit(b)) {
    // r0-r15 (no leading zero)
    const c = s.charCodeAt(lp + 2);
    if (b === 49 && c >= 48 && c <= 53) (r = 10 + c - 48), (len = 3);
    else r = b - 48;
  } else if (a === 115) r = b === 98 ? 9 : b === 108 ? 10 : b === 112 ? 13 : -1; // sb, sl, sp
  else if (a === 102 && b === 112) r = 11; // fp
  else if (a === 105 && b === 112) r = 12; // ip
  else if (a === 108 && b === 114) r = 14; // lr
  else if (a === 112 && b === 99) r = 15; // pc
  if (r < 0 || lp + len > cur.end || (lp + len < cur.end && isWordChar(s.charCodeAt(lp + len)))) return -1;
  cur.lp = lp + len;
  return r;
}

// ---- Operand slots ---------------------------------------------------------------------

const O_REG = 1, O_IMM = 2, O_MEM = 3, O_LABEL = 4;
const MAX_OPS = 8;
/** The operands of the line being read, slot by slot (`count` of them). */
let count = 0;
const kind = new Uint8Array(MAX_OPS);
/** Register (O_REG), base register (O_MEM). */
const reg = new Uint8Array(MAX_OPS);
/** O_REG: SHIFT_TYPE number of the shift after it (-1: none) and its amount. */
const shift = new Int8Array(MAX_OPS);
const shiftAmount = new Float64Array(MAX_OPS);
/** O_IMM: the value; O_MEM: the offset (NaN: none written). */
const value = new Float64Array(MAX_OPS);
/** O_MEM: pre-indexed (else post-indexed), and whether the base is written back. */
const pre = new Uint8Array(MAX_OPS);
const writeback = new Uint8Array(MAX_OPS);
let label: { name: string; column: number } | undefined;

/** Reads the operands after the mnemonic into the slots; false when the line is not of the plain form. */
function readOperands(s: string, plainShift: boolean): boolean {
  count = 0;
  label = undefined;
  for (;;) {
    if (count === MAX_OPS) return false;
    const c = s.charCodeAt(cur.lp);
    if (c === 35) {
      const v = hashNumber(s);
      if (v === undefined) return false;
      kind[count] = O_IMM;
      value[count++] = v;
    } else if (c === 91) {
      cur.lp++;
      cur.skipSpace(s);
      const base = register(s);
      if (base < 0) return false;
      cur.skipSpace(s);
      kind[count] = O_MEM;
      reg[count] = base;
      if (s.charCodeAt(cur.lp) === 93) {
        cur.lp++;
        if (s.charCodeAt(cur.lp) === 33) return false;
        const at = cur.lp;
        cur.skipSpace(s);
        if (s.charCodeAt(cur.lp) === 44) {
          cur.lp++;
          cur.skipSpace(s);
          const v = hashNumber(s);
          if (v === undefined) return false; // ([rn], rm and friends: the usual way)
          value[count] = v;
          pre[count] = 0;
          writeback[count++] = 1;
        } else {
          cur.lp = at;
          value[count] = NaN;
          pre[count] = 1;
          writeback[count++] = 0;
        }
      } else {
        if (s.charCodeAt(cur.lp) !== 44) return false;
        cur.lp++;
        cur.skipSpace(s);
        const v = hashNumber(s);
        if (v === undefined) return false;
        cur.skipSpace(s);
        if (s.charCodeAt(cur.lp) !== 93) return false;
        cur.lp++;
        let wb = 0;
        if (s.charCodeAt(cur.lp) === 33) {
          wb = 1;
          cur.lp++;
        }
        value[count] = v;
        pre[count] = 1;
        writeback[count++] = wb;
      }
    } else {
      const at = cur.lp;
      const r = isLower(c) ? register(s) : -1;
      const prev = count - 1;
      if (r >= 0) {
        if (s.charCodeAt(cur.lp) === 33) return false;
        kind[count] = O_REG;
        reg[count] = r;
        shift[count++] = -1;
      } else {
        const t = isLower(c) && plainShift && prev >= 0 && kind[prev] === O_REG && shift[prev] === -1 ? cur.shiftName(s) : -1;
        if (t >= 0) {
          cur.skipSpace(s);
          const v = hashNumber(s);
          if (v === undefined) return false;
          shift[prev] = t;
          shiftAmount[prev] = v;
        } else {
          // A label: a plain symbol, not a register, shift or `equ` (which the front end reads first).
          const text = cur.symbolName(s);
          if (text === undefined) return false;
          const lower = text.toLowerCase();
          if (regNumber(lower) !== undefined || SHIFTS.has(lower) || lower === 'equ' || label !== undefined) return false;
          label = { name: text, column: at - cur.start + 1 };
          kind[count++] = O_LABEL;
        }
      }
    }
    const next = cur.afterOperand(s);
    if (next < 0) return next === END_OF_LINE;
  }
}

const SHIFTS: ReadonlySet<string> = new Set(SHIFT_NAMES);

// ---- Direct encoding of the commonest forms --------------------------------------------

/** Data-processing rows by mnemonic (their operand shape and opcode bits), and ldr/str/ldrb/strb. */
let DP: Map<string, A32Row> | undefined;
let LDST: Map<string, A32Row> | undefined;

function rowsOf(form: A32Row['form']): Map<string, A32Row> {
  const m = new Map<string, A32Row>();
  for (const row of A32_TABLE) if (row.form === form && !row.user && !m.has(row.mn)) m.set(row.mn, row);
  return m;
}

/** Operand 2 from the last slot: a modified immediate, or a register shifted by an immediate; -1 when neither fits as written. */
function operand2(i: number): number {
  if (kind[i] === O_IMM) {
    const v = value[i]!;
    // (out of 0..2^32, or no rotated 8-bit value: the encoder tries the other row, or reports)
    if (v < 0 || v > 0xffffffff || Object.is(v, -0)) return -1;
    const imm = armModImm(v);
    return imm === undefined ? -1 : (1 << 25) | imm;
  }
  if (kind[i] !== O_REG) return -1;
  const t = shift[i]!;
  if (t === -1) return reg[i]!;
  const n = shiftAmount[i]!;
  // lsl 0..31, lsr/asr 1..32, ror 1..31 (as shiftImmField takes them)
  if (n < (t === 0 ? 0 : 1) || n > (t === 1 || t === 2 ? 32 : 31) || Object.is(n, -0)) return -1;
  return ((n & 31) << 7) | (t << 5) | reg[i]!;
}

/** A plain register slot (no shift): its number, else -1. */
const plainReg = (i: number): number => (kind[i] === O_REG && shift[i] === -1 ? reg[i]! : -1);

/**
 * The word for the operands in the slots when `mn` is a data-processing or ldr/str(b) instruction
 * written in a form the A32 encoder takes as it is (first row, no alternative); -1 otherwise.
 */
function encodeDirect(mn: string, s: boolean, cond: number): number {
  const dp = (DP ??= rowsOf('dp')).get(mn);
  if (dp !== undefined) {
    if (s && !dp.s) return -1;
    const flags = (cond << 28) | dp.bits | (s ? 1 << 20 : 0);
    let rd = 0, rn = 0;
    if (dp.ops === 'rd,rn,op2') {
      if (count === 3) (rd = plainReg(0)), (rn = plainReg(1));
      else if (count === 2) rd = rn = plainReg(0);
      else return -1;
    } else if (count === 2) {
      if (dp.ops === 'rd,op2') rd = plainReg(0);
      else rn = plainReg(0);
    } else return -1;
    const op2 = operand2(count - 1);
    if (rd < 0 || rn < 0 || op2 < 0) return -1;
    return (flags | (rn << 16) | (rd << 12) | op2) >>> 0;
  }
  const ls = (LDST ??= rowsOf('ldst')).get(mn);
  if (ls === undefined || s || count !== 2 || kind[1] !== O_MEM) return -1;
  const rt = plainReg(0);
  const base = reg[1]!;
  const wb = writeback[1]!;
  if (rt < 0 || ((mn === 'ldrb' || mn === 'strb') && rt === PC) || (wb && (base === rt || base === PC))) return -1;
  const off = Number.isNaN(value[1]!) ? 0 : value[1]!;
  if (off < -4095 || off > 4095 || Object.is(off, -0)) return -1;
  const pw = (pre[1] ? 1 << 24 : 0) | (pre[1] && wb ? 1 << 21 : 0);
  return ((cond << 28) | ls.bits | (rt << 12) | pw | (off >= 0 ? 1 << 23 : 0) | (base << 16) | Math.abs(off)) >>> 0;
}

// ---- Branches --------------------------------------------------------------------------

/**
 * Encodes `b{cond}`/`bl{cond}` to a label the fast path read (`insn.branchWord`: the word but the
 * offset) into `out` at `at`: 4, or -1 to leave it to the encoder (a target not known in the last
 * pass, odd, unaligned or out of range: it reports, or switches to blx).
 */
export function encodeBranchInto(insn: ArmInsn, ctx: EncodeContext, out: Uint8Array, at: number): number {
  let w = insn.branchWord!;
  const t = ctx.value((insn.ops[0] as { e: Expr }).e);
  if (t === undefined) {
    if (ctx.final) return -1;
    // An early pass: only the size counts, 4 either way.
  } else {
    const off = Number(t) - (ctx.address + 8);
    if ((off & 3) !== 0 || off < -(1 << 25) || off >= 1 << 25) return -1;
    w = (w | ((off >> 2) & 0xffffff)) >>> 0;
  }
  putWord(out, at, w);
  return 4;
}

// ---- The line ----------------------------------------------------------------------------

/**
 * Reads `source[start, end)` if it is one plain A32 or Thumb instruction; see the file comment.
 * Returns ENCODED (bytes in `out`), the instruction (a branch to a label), or undefined.
 */
export function parseLineArm(s: string, start: number, end: number, state: ArmLineState, out: LineOut, split: Split): ArmInsn | typeof ENCODED | undefined {
  const thumb = state.thumb;
  if (thumb && state.it.length !== 0) return undefined;
  cur.startLine(start, end);
  cur.skipSpace(s);
  const mnAt = cur.lp;
  const name = cur.word(s);
  if (name.length === 0 || !cur.atTokenEnd(s)) return undefined;
  const m = split(name);
  if (m === undefined || m.width !== undefined || m.itPattern !== undefined || m.mn === 'it') return undefined;
  // (outside an IT block, only a Thumb b may have a condition: the token path reports the rest)
  if (thumb && m.cond !== 14 && m.mn !== 'b') return undefined;
  const afterMn = cur.lp;
  cur.skipSpace(s);
  count = 0;
  label = undefined;
  if (!cur.atEol(s)) {
    if (cur.lp === afterMn) return undefined;
    const plainShift = m.mn !== 'lsl' && m.mn !== 'lsr' && m.mn !== 'asr' && m.mn !== 'ror';
    if (!readOperands(s, plainShift)) return undefined;
  }
  out.mnemonic = name;
  const column = mnAt - cur.start + 1;
  out.column = column;
  const file = out.file, line = out.line;
  const target = label as { name: string; column: number } | undefined; // (set by readOperands)
  if (target !== undefined) {
    // Encoded in every pass (its bytes depend on where it is): the operands get their places.
    if (count !== 1 || (m.mn !== 'b' && m.mn !== 'bl')) return undefined;
    const loc = { file, line, column: target.column };
    const insn: ArmInsn = { mn: m.mn, s: m.s, cond: m.cond, thumb, isa: state.isa, ops: [{ k: 'expr', e: { k: 'sym', name: target.name, loc }, loc }], loc: { file, line, column } };
    // (a flag-setting b is an error the encoder reports)
    if (!m.s && !thumb) insn.branchWord = ((m.cond << 28) | (m.mn === 'b' ? 0x0a000000 : 0x0b000000)) >>> 0;
    return insn;
  }
  if (thumb) {
    let bits: number;
    try {
      bits = encodeThumbBits(slotInsn(m, true, state.isa), FIXED_CONTEXT);
    } catch {
      return undefined; // the token path reports it, with its place
    }
    const buf = room(state, 4);
    const size = putThumb(buf, state.pos ?? 0, bits);
    out.insn = THUMB_LINE;
    return encoded(state, out, buf, size);
  }
  let w = m.amode === undefined ? encodeDirect(m.mn, m.s, m.cond) : -1;
  if (w < 0) {
    try {
      w = encodeA32Word(slotInsn(m, false, state.isa), FIXED_CONTEXT);
    } catch {
      return undefined; // the token path reports it, with its place
    }
  }
  return emitWord(state, out, w);
}

/**
 * The instruction an encoded Thumb line's item keeps: only its mode, which the ELF planner (a
 * jump joining Thumb code is a Thumb branch; the entry address is odd) and finishSection read.
 */
export const THUMB_LINE: Readonly<{ thumb: true }> = Object.freeze({ thumb: true });

/** The instruction the slots and mnemonic `m` make, as the token path's (as far as encoding goes; no places). */
function slotInsn(m: NonNullable<ReturnType<Split>>, thumb: boolean, isa: ArmInsn['isa']): ArmInsn {
  const insn: ArmInsn = { mn: m.mn, s: m.s, cond: m.cond, thumb, isa, ops: operands(), loc: noLoc };
  if (m.amode) insn.amode = m.amode;
  return insn;
}

const n = (v: number): Expr => ({ k: 'num', v: BigInt(v) });

/** The slots as the token path's operands (as far as encoding goes; no places). */
function operands(): Operand[] {
  const ops: Operand[] = [];
  for (let i = 0; i < count; i++) {
    switch (kind[i]) {
      case O_REG:
        ops.push(shift[i] === -1 ? { k: 'reg', r: reg[i]!, loc: noLoc } : { k: 'reg', r: reg[i]!, shift: { type: SHIFT_NAME[shift[i]!]!, imm: n(shiftAmount[i]!) }, loc: noLoc });
        break;
      case O_IMM:
        ops.push({ k: 'imm', e: n(value[i]!), loc: noLoc });
        break;
      default: {
        const v = value[i]!;
        ops.push(Number.isNaN(v) ? { k: 'mem', base: reg[i]!, pre: pre[i] === 1, wb: writeback[i] === 1, loc: noLoc } : { k: 'mem', base: reg[i]!, imm: n(v), pre: pre[i] === 1, wb: writeback[i] === 1, loc: noLoc });
      }
    }
  }
  return ops;
}
