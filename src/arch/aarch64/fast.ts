/**
 * The AArch64 text front end's fast path (Backend.parseLine): a line of the plainest form —
 * lower-case mnemonic, then registers, `#` plus a decimal or 0x number, `[xN]` / `[xN, #n]` /
 * `[xN, #n]!` / `[xN], #n`, `lsl|lsr|asr|ror #n` after a register (or `lsl #n` after an
 * immediate), a plain label — is read straight from the characters into operand slots (numbers,
 * no objects). The commonest instructions are then encoded from the slots at once (encodeDirect:
 * add/sub/logic with an immediate or a shifted register, cmp/cmn/tst, mov, movz, loads and stores
 * with an immediate offset), but only where the one encoder (encoder.ts) would pick the same row
 * and take the operands; anything else there is left to it. Those lines, and lines that need the
 * general encoder, become the operands the token path (syntax.ts) would make: an instruction
 * whose bytes depend on nothing but itself is encoded at once by encodeA64Into, so its bytes are
 * the token path's bytes; a branch to a label keeps its instruction word (`branchWord`) so that
 * encodeBranchInto can fill in the offset in each pass. Any line the encoders refuse, and
 * anything unusual (comments aside), returns undefined and is read the usual way.
 * test/aarch64/fast.test.ts compares both paths.
 */
import { ENCODED, type EncodeContext, type LineOut } from '../../core/backend.js';
import { noLoc, type SourceLoc } from '../../core/errors.js';
import type { Expr } from '../../core/expr.js';
import { encodeA64Into, encodeBitmask, isA64Mnemonic, isFixedA64 } from './encoder.js';
import { CONDITIONS, EXTEND_OPTION, SHIFT_OPS, type A64Insn, type MemOperand, type Operand } from './operands.js';
import { REGISTERS, sp, W, wsp, wzr, X, xzr, type Reg } from './registers.js';
import { LOAD_STORE, TABLE } from './table.js';
import { BIG, emitWord, encoded, END_OF_LINE, FIXED_CONTEXT, isDigit, isLower, isWordChar, LineCursor, NO_LINE_COMMENT, putWord, room, SHIFT_NAME } from '../gnu-line.js';

/** Per-source state of the AArch64 syntax: where parseLine puts the bytes it encodes. */
export interface A64State {
  buf: Uint8Array | undefined;
  pos: number;
}

/** The cursor over the line being read (comments: `//` only). */
const cur = new LineCursor(NO_LINE_COMMENT);

// ---- Registers, without making strings -------------------------------------------------

/**
 * A register is read as a code: its number (0..31), plus REG64 for an x register and REG_SP for
 * sp/wsp (number 31 as the stack pointer rather than the zero register). REG_OBJECT maps a code
 * back to the Reg the token path's REGISTERS gives for the same spelling.
 */
const REG64 = 32;
const REG_SP = 64;
const REG_OBJECT: Reg[] = [];
for (let n = 0; n < 31; n++) {
  REG_OBJECT[n] = W[n]!;
  REG_OBJECT[n | REG64] = X[n]!;
}
REG_OBJECT[31] = wzr;
REG_OBJECT[31 | REG64] = xzr;
REG_OBJECT[31 | REG_SP] = wsp;
REG_OBJECT[31 | REG64 | REG_SP] = sp;

/**
 * The register named by the whole token at the cursor (x0-x30, w0-w30, sp, wsp, xzr, wzr, fp,
 * lr: what REGISTERS holds), as a code with the cursor past it; -1 (and the cursor unmoved) for
 * anything else.
 */
function register(s: string): number {
  const lp = cur.lp;
  const c0 = s.charCodeAt(lp);
  let code = -1;
  let len = 0;
  if (c0 === 120 || c0 === 119) {
    // x<n> / w<n> (no leading zero, below 31), xzr / wzr
    const wide = c0 === 120 ? REG64 : 0;
    const d1 = s.charCodeAt(lp + 1);
    if (isDigit(d1)) {
      const d2 = s.charCodeAt(lp + 2);
      if (isDigit(d2)) {
        const n = (d1 - 48) * 10 + (d2 - 48);
        if (d1 !== 48 && n < 31) (code = n | wide), (len = 3);
      } else (code = (d1 - 48) | wide), (len = 2);
    } else if (d1 === 122 && s.charCodeAt(lp + 2) === 114) (code = 31 | wide), (len = 3); // xzr, wzr
    else if (c0 === 119 && d1 === 115 && s.charCodeAt(lp + 2) === 112) (code = 31 | REG_SP), (len = 3); // wsp
  } else if (c0 === 115 && s.charCodeAt(lp + 1) === 112) (code = 31 | REG64 | REG_SP), (len = 2); // sp
  else if (c0 === 102 && s.charCodeAt(lp + 1) === 112) (code = 29 | REG64), (len = 2); // fp
  else if (c0 === 108 && s.charCodeAt(lp + 1) === 114) (code = 30 | REG64), (len = 2); // lr
  if (code < 0 || lp + len > cur.end || (lp + len < cur.end && isWordChar(s.charCodeAt(lp + len)))) return -1;
  cur.lp = lp + len;
  return code;
}

// ---- Numbers ---------------------------------------------------------------------------

/**
 * `#` and a decimal (up to 15 digits) or 0x (up to 16) number: its value, or BIG with the value in
 * `cur.big`; -1 for anything else (the cursor past what was read).
 */
function hashNumber(s: string): number {
  if (s.charCodeAt(cur.lp) !== 35) return -1;
  cur.lp++;
  return cur.unsignedNumber(s, 15, 16);
}

/** A GNU label name the token path reads as a plain symbol: [A-Za-z_][A-Za-z0-9_]*, not a register or operand word. */
function label(s: string): string | undefined {
  const name = cur.symbolName(s);
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  if (REGISTERS.has(lower) || SHIFT_OPS.has(lower) || lower in EXTEND_OPTION || CONDITIONS.has(lower) || lower === 'equ') return undefined;
  return name;
}

// ---- Operand slots ---------------------------------------------------------------------

const O_REG = 1, O_IMM = 2, O_MEM = 3, O_LABEL = 4;
const M_OFFSET = 0, M_PRE = 1, M_POST = 2;
const MAX_OPS = 8;
/** The operands of the line being read, slot by slot (`count` of them). */
let count = 0;
const kind = new Uint8Array(MAX_OPS);
/** Register code (O_REG), base register code (O_MEM). */
const reg = new Uint8Array(MAX_OPS);
/** Shift after a register or immediate: SHIFT_TYPE number, -1 for none; and its amount. */
const shift = new Int8Array(MAX_OPS);
const shiftAmount = new Float64Array(MAX_OPS);
/** Immediate value (O_IMM), offset (O_MEM; -1 when none is written); -2 with the value in `big`. */
const value = new Float64Array(MAX_OPS);
const big: (bigint | undefined)[] = new Array<bigint | undefined>(MAX_OPS).fill(undefined);
const memMode = new Uint8Array(MAX_OPS);
/** Label name (O_LABEL). */
const labelName: string[] = new Array<string>(MAX_OPS).fill('');
/** Column (1-based) of each operand, for the operands' locations when the instruction is returned. */
const column = new Int32Array(MAX_OPS);

/** Reads the operands after the mnemonic into the slots; false when the line is not of the plain form. */
function readOperands(s: string): boolean {
  count = 0;
  for (;;) {
    if (count === MAX_OPS) return false;
    const col = cur.lp - cur.start + 1;
    const c = s.charCodeAt(cur.lp);
    const prev = count - 1;
    if (c === 35) {
      const v = hashNumber(s);
      if (v === -1) return false;
      // `[xN], #imm` is post-index (as parseOperands merges it).
      if (prev >= 0 && kind[prev] === O_MEM && memMode[prev] === M_OFFSET && value[prev] === -1) {
        memMode[prev] = M_POST;
        value[prev] = v;
        big[prev] = cur.big;
      } else {
        kind[count] = O_IMM;
        value[count] = v;
        big[count] = cur.big;
        shift[count] = -1;
        column[count++] = col;
      }
    } else if (c === 91) {
      cur.lp++;
      cur.skipSpace(s);
      const base = register(s);
      if (base < 0) return false;
      cur.skipSpace(s);
      let offset = -1;
      let offsetBig: bigint | undefined;
      if (s.charCodeAt(cur.lp) === 44) {
        cur.lp++;
        cur.skipSpace(s);
        offset = hashNumber(s);
        if (offset === -1) return false;
        offsetBig = cur.big;
        cur.skipSpace(s);
      }
      if (s.charCodeAt(cur.lp) !== 93) return false;
      cur.lp++;
      let mode = M_OFFSET;
      if (s.charCodeAt(cur.lp) === 33) {
        if (offset === -1) return false;
        mode = M_PRE;
        cur.lp++;
      }
      kind[count] = O_MEM;
      reg[count] = base;
      shift[count] = -1;
      value[count] = offset;
      big[count] = offsetBig;
      memMode[count] = mode;
      column[count++] = col;
    } else {
      const r = isLower(c) ? register(s) : -1;
      if (r >= 0) {
        kind[count] = O_REG;
        reg[count] = r;
        shift[count] = -1;
        column[count++] = col;
      } else {
        const t = isLower(c) ? cur.shiftName(s) : -1;
        if (t >= 0) {
          // `, lsl #n` joins the register (or, lsl only, the immediate) before it.
          cur.skipSpace(s);
          const v = hashNumber(s);
          if (v === -1 || v === BIG) return false;
          if (prev < 0 || shift[prev] !== -1 || !(kind[prev] === O_REG || (kind[prev] === O_IMM && t === 0))) return false;
          shift[prev] = t;
          shiftAmount[prev] = v;
        } else {
          const name = label(s);
          // (after a bare `[xN]`, the token path makes any immediate, a label too, a post-index)
          if (name === undefined || (prev >= 0 && kind[prev] === O_MEM)) return false;
          kind[count] = O_LABEL;
          labelName[count] = name;
          shift[count] = -1;
          column[count++] = col;
        }
      }
    }
    const next = cur.afterOperand(s);
    if (next < 0) return next === END_OF_LINE;
  }
}

// ---- Direct encoding of the commonest forms --------------------------------------------

/** How encodeDirect reads a mnemonic's operands; the word templates come from the table's rows. */
const enum Shape {
  /** Rd, Rn, #imm12 {, lsl #0|#12} — or Rn, #imm for cmp/cmn (add/sub immediate). */
  AddSubImm,
  /** Rd, Rn, #bitmask — or Rn, #bitmask for tst (logical immediate). */
  LogicImm,
  /** Rd, Rn, Rm {, shift #n} — or Rn, Rm {...} for cmp/cmn/tst (shifted register). */
  ShiftedReg,
  /** Rt, [Xn|SP {, #imm}] / [Xn|SP, #imm]! / [Xn|SP], #imm (load/store, immediate offset). */
  LoadStore,
  /** Rd, #imm16 {, lsl #hw*16} (movz). */
  Movz,
  /** Rd, #imm of one halfword (mov as MOVZ). */
  MovImm,
  /** Rd, Rm (mov as ORR with Rn = zr). */
  MovReg,
}

interface Form {
  shape: Shape;
  /** The 32-bit and 64-bit templates (for LoadStore, the unsigned-offset templates; 0: no such width). */
  w: number;
  x: number;
  /** Whether a destination register is written before Rn (cmp/cmn/tst have none; nor mov/movz, which have no Rn). */
  rd: boolean;
  /** Whether Rd and Rn name the stack pointer with number 31 (`Rd|SP`, `Rn|SP` in the row). */
  rdSp: boolean;
  rnSp: boolean;
  /** ShiftedReg: whether ror is a shift it takes (logical instructions). */
  ror: boolean;
  /** LoadStore: log2 of the access size for the W and the X register forms. */
  wScale: number;
  xScale: number;
}

/**
 * The forms encodeDirect takes, by mnemonic, each from the row the encoder tries first for such
 * operands (the table's `form` names them), so the templates and the sp rules are the table's.
 */
let FORMS: Map<string, Form[]> | undefined;

function buildForms(): Map<string, Form[]> {
  const forms = new Map<string, Form[]>();
  const add = (mn: string, form: Form): void => {
    const list = forms.get(mn);
    if (list) list.push(form);
    else forms.set(mn, [form]);
  };
  const fromRow = (mn: string, name: string, shape: Shape): void => {
    const row = TABLE.find((r) => r.mn === mn && r.form === name);
    if (row?.w === undefined || row.x === undefined) throw new Error(`internal: no AArch64 row '${mn}' '${name}'`);
    const rd = row.ops.length === 3;
    const rdSp = rd && row.ops[0]!.endsWith('|SP');
    const rnSp = row.ops[rd ? 1 : 0]!.endsWith('|SP');
    add(mn, { shape, w: row.w, x: row.x, rd, rdSp, rnSp, ror: row.ops[row.ops.length - 1] === 'rm_shift_ror', wScale: 0, xScale: 0 });
  };
  for (const mn of ['add', 'sub', 'adds', 'subs']) {
    fromRow(mn, `${mn.toUpperCase()} (immediate)`, Shape.AddSubImm);
    fromRow(mn, `${mn.toUpperCase()} (shifted register)`, Shape.ShiftedReg);
  }
  fromRow('cmp', 'CMP (immediate) = SUBS Rd=zr', Shape.AddSubImm);
  fromRow('cmp', 'CMP (shifted register) = SUBS Rd=zr', Shape.ShiftedReg);
  fromRow('cmn', 'CMN (immediate) = ADDS Rd=zr', Shape.AddSubImm);
  fromRow('cmn', 'CMN (shifted register) = ADDS Rd=zr', Shape.ShiftedReg);
  for (const mn of ['and', 'orr', 'eor', 'ands']) {
    fromRow(mn, `${mn.toUpperCase()} (immediate)`, Shape.LogicImm);
    fromRow(mn, `${mn.toUpperCase()} (shifted register)`, Shape.ShiftedReg);
  }
  fromRow('tst', 'TST (immediate) = ANDS Rd=zr', Shape.LogicImm);
  fromRow('tst', 'TST (shifted register) = ANDS Rd=zr', Shape.ShiftedReg);
  fromRow('movz', 'MOVZ', Shape.Movz);
  // `mov Rd, #imm` of one halfword is MOVZ; `mov Rd, Rm` is ORR with Rn = zr (neither takes sp).
  fromRow('mov', 'MOV (wide immediate) = MOVZ', Shape.MovImm);
  fromRow('mov', 'MOV (register) = ORR Rn=zr', Shape.MovReg);
  for (const l of LOAD_STORE) {
    let form = forms.get(l.mn)?.find((f) => f.shape === Shape.LoadStore);
    if (form === undefined) add(l.mn, (form = { shape: Shape.LoadStore, w: 0, x: 0, rd: false, rdSp: false, rnSp: false, ror: false, wScale: 0, xScale: 0 }));
    if (l.t === 'Wt') (form.w = l.uoff), (form.wScale = l.scale);
    else (form.x = l.uoff), (form.xScale = l.scale);
  }
  return forms;
}

/** Bitmask immediates by value (below 2^53) and width, as encodeBitmask gives them. */
const BITMASK_BY_NUMBER: [Map<number, number | undefined>, Map<number, number | undefined>] = [new Map(), new Map()];

function bitmask(v: number, vBig: bigint | undefined, width: 32 | 64): number | undefined {
  if (vBig !== undefined) return width === 64 ? encodeBitmask(vBig, 64) : undefined;
  if (width === 32 && v > 0xffffffff) return undefined;
  const memo = BITMASK_BY_NUMBER[width === 64 ? 1 : 0];
  let bits = memo.get(v);
  if (bits === undefined && !memo.has(v)) {
    bits = encodeBitmask(BigInt(v), width);
    if (memo.size >= 4096) memo.clear();
    memo.set(v, bits);
  }
  return bits;
}

/**
 * Slot `i` is a register of the width `wide` (REG64 or 0) with no shift, and number 31 in it is
 * what the field reads it as: the stack pointer where `spField`, the zero register elsewhere.
 */
function regFits(i: number, wide: number, spField: boolean): boolean {
  const r = reg[i]!;
  if (kind[i] !== O_REG || shift[i] !== -1 || (r & REG64) !== wide) return false;
  return (r & 31) !== 31 || ((r & REG_SP) !== 0) === spField;
}

/**
 * The Rd field (where the form writes a destination: slot 0) and the Rn field (the slot after it)
 * of the word, when both are plain registers of the width `wide` that the form's row takes
 * (number 31 as the stack pointer or the zero register, as it says); -1 otherwise.
 */
function rdRnFields(f: Form, wide: number): number {
  const rn = f.rd ? 1 : 0;
  if ((f.rd && !regFits(0, wide, f.rdSp)) || !regFits(rn, wide, f.rnSp)) return -1;
  return ((reg[rn]! & 31) << 5) | (f.rd ? reg[0]! & 31 : 0);
}

/**
 * The instruction word for the operands in the slots, when `form` is the row the encoder would
 * pick for them and takes them as they are; -1 otherwise (the encoder then decides, or reports).
 */
function encodeForm(f: Form): number {
  const n = f.rd ? 3 : 2;
  switch (f.shape) {
    case Shape.AddSubImm: {
      if (count !== n || kind[n - 1] !== O_IMM || big[n - 1] !== undefined) return -1;
      const wide = reg[0]! & REG64;
      const regs = rdRnFields(f, wide);
      if (regs < 0) return -1;
      let v = value[n - 1]!;
      let sh = 0;
      const lsl = shift[n - 1]!;
      if (lsl === 0) {
        if (shiftAmount[n - 1] === 12) sh = 1;
        else if (shiftAmount[n - 1] !== 0) return -1;
      } else if (v > 4095 && v % 4096 === 0) {
        v /= 4096;
        sh = 1;
      }
      if (v > 4095) return -1;
      return ((wide ? f.x : f.w) | (sh << 22) | (v << 10) | regs) >>> 0;
    }
    case Shape.LogicImm: {
      if (count !== n || kind[n - 1] !== O_IMM || shift[n - 1] !== -1) return -1;
      const wide = reg[0]! & REG64;
      const regs = rdRnFields(f, wide);
      if (regs < 0) return -1;
      const bits = bitmask(value[n - 1]!, big[n - 1], wide ? 64 : 32);
      if (bits === undefined) return -1;
      return ((wide ? f.x : f.w) | bits | regs) >>> 0;
    }
    case Shape.ShiftedReg: {
      if (count !== n) return -1;
      const wide = reg[0]! & REG64;
      const regs = rdRnFields(f, wide); // (these rows take no sp: 31 is the zero register)
      if (regs < 0) return -1;
      // Rm: any register of the width but sp, with lsl/lsr/asr (ror too for logic) below the width.
      const rm = reg[n - 1]!;
      if (kind[n - 1] !== O_REG || (rm & REG64) !== wide || (rm & REG_SP) !== 0) return -1;
      const t = shift[n - 1]!;
      let amount = 0;
      if (t !== -1) {
        amount = shiftAmount[n - 1]!;
        if ((t === 3 && !f.ror) || amount >= (wide ? 64 : 32)) return -1;
      }
      return ((wide ? f.x : f.w) | ((t === -1 ? 0 : t) << 22) | ((rm & 31) << 16) | (amount << 10) | regs) >>> 0;
    }
    case Shape.MovReg: {
      const wide = reg[0]! & REG64;
      if (count !== 2 || !regFits(0, wide, false) || !regFits(1, wide, false)) return -1;
      return ((wide ? f.x : f.w) | ((reg[1]! & 31) << 16) | (reg[0]! & 31)) >>> 0;
    }
    case Shape.Movz:
    case Shape.MovImm: {
      const wide = reg[0]! & REG64;
      if (count !== 2 || kind[1] !== O_IMM || big[1] !== undefined || !regFits(0, wide, false)) return -1;
      let v = value[1]!;
      let hw = 0;
      if (shift[1] !== -1) {
        // movz: the halfword is where `lsl #n` says (mov takes no shift)
        const a = shiftAmount[1]!;
        if (f.shape === Shape.MovImm || a % 16 !== 0 || a >= (wide ? 64 : 32)) return -1;
        hw = a / 16;
      } else if (f.shape === Shape.MovImm && v > 0xffff && v <= 0xffffffff && v % 0x10000 === 0) {
        // mov of a value in the second halfword
        v /= 0x10000;
        hw = 1;
      }
      if (v > 0xffff) return -1;
      return ((wide ? f.x : f.w) | (hw << 21) | (v << 5) | (reg[0]! & 31)) >>> 0;
    }
    case Shape.LoadStore: {
      if (count !== 2 || kind[1] !== O_MEM || kind[0] !== O_REG || shift[0] !== -1 || big[1] !== undefined) return -1;
      const rt = reg[0]!;
      const wide = rt & REG64;
      const uoff = wide ? f.x : f.w;
      const base = reg[1]!;
      if (uoff === 0 || (rt & REG_SP) !== 0 || !(base & REG64) || ((base & 31) === 31 && !(base & REG_SP))) return -1;
      const scale = wide ? f.xScale : f.wScale;
      const off = value[1] === -1 ? 0 : value[1]!;
      const fields = ((base & 31) << 5) | (rt & 31);
      const nine = uoff & ~0x01000000;
      // A writeback base that is also Rt is refused by the encoder (unpredictable): leave it to it.
      if (memMode[1] !== M_OFFSET && (base & 31) === (rt & 31) && !(base & REG_SP)) return -1;
      switch (memMode[1]) {
        case M_OFFSET:
          if (off % (1 << scale) === 0 && off / (1 << scale) <= 4095) return (uoff | ((off / (1 << scale)) << 10) | fields) >>> 0;
          return off <= 255 ? (nine | (off << 12) | fields) >>> 0 : -1; // (ldur, unscaled)
        case M_PRE:
          return off <= 255 ? (nine | 0xc00 | (off << 12) | fields) >>> 0 : -1;
        default:
          return off <= 255 ? (nine | 0x400 | (off << 12) | fields) >>> 0 : -1;
      }
    }
  }
  return -1;
}

/** encodeForm for the first of the mnemonic's forms whose operand kinds the slots hold; -1 if none. */
function encodeDirect(mn: string): number {
  const forms = (FORMS ??= buildForms()).get(mn);
  if (forms === undefined || count === 0 || kind[0] !== O_REG) return -1;
  const last = kind[count - 1];
  for (let i = 0; i < forms.length; i++) {
    const f = forms[i]!;
    const wants = f.shape === Shape.ShiftedReg || f.shape === Shape.MovReg ? O_REG : f.shape === Shape.LoadStore ? O_MEM : O_IMM;
    if (last === wants) return encodeForm(f);
  }
  return -1;
}

// ---- Branches --------------------------------------------------------------------------

/** b and bl: imm26 at bit 0; b.cond and cbz/cbnz: imm19 at bit 5 (their words, but the offset). */
const B = 0x14000000, BL = 0x94000000, B_COND = 0x54000000;
const CBZ = { cbz: [0x34000000, 0xb4000000], cbnz: [0x35000000, 0xb5000000] } as const;

/** The word of a branch to the label in slot `count - 1` but its offset, or undefined when it is no such branch. */
function branchWord(mn: string): number | undefined {
  if (kind[count - 1] !== O_LABEL) return undefined;
  if (count === 1) {
    if (mn === 'b') return B;
    if (mn === 'bl') return BL;
    if (mn.length > 2 && mn.charCodeAt(1) === 46) {
      const c = CONDITIONS.get(mn.slice(2));
      return c === undefined ? undefined : B_COND | c;
    }
    return undefined;
  }
  if (count === 2 && (mn === 'cbz' || mn === 'cbnz') && kind[0] === O_REG && shift[0] === -1 && !(reg[0]! & REG_SP)) {
    return (CBZ[mn][reg[0]! & REG64 ? 1 : 0] | (reg[0]! & 31)) >>> 0;
  }
  return undefined;
}

/**
 * Encodes a branch the fast path read (`insn.branchWord`) into `out` at `at`: 4, or -1 to leave it
 * to the encoder (a target not known in the last pass, out of range or unaligned: it reports).
 */
export function encodeBranchInto(insn: A64Insn, ctx: EncodeContext, out: Uint8Array, at: number): number {
  let w = insn.branchWord!;
  if (ctx.atLeast > 4) return -1;
  const t = ctx.value((insn.ops[insn.ops.length - 1] as { value: Expr }).value);
  if (t === undefined) {
    if (ctx.final) return -1;
    // An early pass: only the size counts, and the encoder's is 4 too.
  } else {
    const off = Number(t) - ctx.address;
    const bits = (w & 0x7c000000) === B ? 26 : 19;
    const half = bits === 26 ? 0x2000000 : 0x40000;
    const q = off / 4;
    if (off % 4 !== 0 || q < -half || q >= half) return -1;
    w = bits === 26 ? (w | (q & 0x3ffffff)) >>> 0 : (w | ((q & 0x7ffff) << 5)) >>> 0;
  }
  putWord(out, at, w);
  return 4;
}

// ---- The line ----------------------------------------------------------------------------

const num = (v: number, b: bigint | undefined): Expr => ({ k: 'num', v: b ?? BigInt(v) });

/**
 * Reads `source[start, end)` if it is one plain instruction; see the file comment. Sets
 * `out.mnemonic` and `out.column`; returns ENCODED (bytes in `out`), the instruction, or undefined.
 */
export function parseLineA64(s: string, start: number, end: number, state: A64State, out: LineOut): A64Insn | typeof ENCODED | undefined {
  cur.startLine(start, end);
  cur.skipSpace(s);
  const mnAt = cur.lp;
  let mn = cur.word(s);
  if (mn.length === 0) return undefined;
  if (mn === 'b' && s.charCodeAt(cur.lp) === 46) {
    // b.cond
    cur.lp++;
    const c = cur.word(s);
    if (c.length === 0) return undefined;
    mn = `b.${c}`;
  }
  if (!cur.atTokenEnd(s)) return undefined;
  if (!isA64Mnemonic(mn)) return undefined;
  const afterMn = cur.lp;
  cur.skipSpace(s);
  count = 0;
  if (!cur.atEol(s)) {
    if (cur.lp === afterMn || !readOperands(s)) return undefined;
  }
  out.mnemonic = mn;
  out.column = mnAt - cur.start + 1;
  const word32 = encodeDirect(mn);
  if (word32 >= 0) return emitWord(state, out, word32);
  const ops = operands();
  const insn: A64Insn = { mn, ops };
  if (isFixedA64(insn)) {
    const buf = room(state, 256); // (more than any one instruction's bytes)
    let n: number;
    try {
      n = encodeA64Into(insn, FIXED_CONTEXT, buf, state.pos);
    } catch {
      return undefined; // the token path reports it, with its place
    }
    if (n <= 0) return undefined;
    return encoded(state, out, buf, n);
  }
  // Encoded in every pass: the operands get their places (errors name them), as the token path's.
  const file = out.file, line = out.line;
  const placed: Operand[] = ops.map((o, i) => withLoc(o, { file, line, column: column[i]! }));
  const branch = branchWord(mn);
  return branch === undefined ? { mn, ops: placed } : { mn, ops: placed, branchWord: branch };
}

/** The slots as the token path's operands (no places yet). */
function operands(): Operand[] {
  const ops: Operand[] = [];
  for (let i = 0; i < count; i++) {
    switch (kind[i]) {
      case O_REG: {
        const r = REG_OBJECT[reg[i]!]!;
        ops.push(shift[i] === -1 ? { kind: 'reg', reg: r } : { kind: 'reg', reg: r, shift: { op: SHIFT_NAME[shift[i]!]!, amount: num(shiftAmount[i]!, undefined) } });
        break;
      }
      case O_IMM: {
        const v = num(value[i]!, big[i]);
        ops.push(shift[i] === -1 ? { kind: 'imm', value: v, hash: true } : { kind: 'imm', value: v, lsl: num(shiftAmount[i]!, undefined), hash: true });
        break;
      }
      case O_MEM: {
        const base = REG_OBJECT[reg[i]!]!;
        const mode: MemOperand['mode'] = memMode[i] === M_OFFSET ? 'offset' : memMode[i] === M_PRE ? 'pre' : 'post';
        ops.push(value[i] === -1 ? { kind: 'mem', base, mode } : { kind: 'mem', base, mode, offset: num(value[i]!, big[i]) });
        break;
      }
      default:
        ops.push({ kind: 'imm', value: { k: 'sym', name: labelName[i]!, loc: noLoc }, hash: false });
    }
  }
  return ops;
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
