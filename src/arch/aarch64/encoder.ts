import type { EncodeContext } from '../../core/backend.js';
import { fail } from '../../core/errors.js';
import { isConstant, type Expr } from '../../core/expr.js';
import { EXTEND_OPTION, type A64Insn, type ImmOperand, type Operand } from './operands.js';
import { ROWS_BY_MNEMONIC, type Kind, type Row } from './table.js';
import { SYS_OPERATIONS, SYSTEM_REGISTERS } from './system-names.js';
import { LazyMap } from '../../core/lazy.js';

/**
 * The one A64 encoder: for each of the mnemonic's rows (table order = preference), every operand
 * kind either returns the bits it contributes or a problem; the first row where all operands fit,
 * and whose length honours ctx.atLeast, is the encoding. When no row fits, the problem reported is
 * the most specific one ("bad value" over "wrong form" over "wrong kind of operand"), then the one
 * found furthest into the operand list (so `ldr x0, [x1, #257]` talks about the offset, not labels).
 */

/**
 * Why an operand does not fit a row. `level` 0: wrong kind of operand (an immediate where a
 * register goes); 1: right kind, wrong form (width, shift type, addressing mode); 2: bad value.
 */
interface Problem {
  readonly problem: string;
  readonly level: 0 | 1 | 2 | 3;
}
type Result = number | Problem;

interface Env {
  readonly row: Row;
  readonly ops: readonly Operand[];
  readonly ctx: EncodeContext;
}
type Matcher = (op: Operand, env: Env) => Result;

const kindErr = (problem: string): Problem => ({ problem, level: 0 });
const formErr = (problem: string): Problem => ({ problem, level: 1 });
const valueErr = (problem: string): Problem => ({ problem, level: 2 });

/** The value of an expression; 0 while a symbol is unknown (an early pass: sizes start smallest). */
function val(e: Expr, env: Env): bigint {
  return env.ctx.value(e) ?? 0n;
}

// ---- Registers -------------------------------------------------------------------------

const FIELD_SHIFT: Record<string, number> = { d: 0, n: 5, m: 16, a: 10, t: 0, t2: 10, s: 16 };

function regMatcher(kind: string): Matcher {
  const width = kind[0] === 'W' ? 32 : 64;
  const allowSp = kind.endsWith('|SP');
  const fields = kind.replace('|SP', '').split('=').map((k) => FIELD_SHIFT[k.slice(1)]!);
  const letter = width === 64 ? 'x' : 'w';
  const what = `a ${width}-bit register (${letter}0-${letter}30, ${allowSp ? (width === 64 ? 'sp' : 'wsp') : `${letter}zr`})`;
  return (op) => {
    if (op.kind !== 'reg') return kindErr(`expected ${what}`);
    const r = op.reg;
    if (r.width !== width) return formErr(`expected ${what}, found ${r.name} (w and x registers do not mix here)`);
    if (r.num === 31 && r.sp !== allowSp) {
      return valueErr(`${r.name} is not allowed here (register 31 in this operand is ${allowSp ? 'sp' : 'the zero register'})`);
    }
    if (op.shift) return formErr(`no shift or extend is allowed after ${r.name} here`);
    let bits = 0;
    for (const f of fields) bits |= r.num << f;
    return bits;
  };
}

// ---- Immediates ------------------------------------------------------------------------

function immOf(op: Operand, what = 'an immediate (#value)'): ImmOperand | Problem {
  return op.kind === 'imm' ? op : kindErr(`expected ${what}`);
}

/** A value written for a `width`-bit register may be given signed or unsigned; returns it unsigned. */
function asWidth(v: bigint, width: number): bigint | undefined {
  const w = BigInt(width);
  if (v < -(1n << (w - 1n)) || v >= 1n << w) return undefined;
  return BigInt.asUintN(width, v);
}

const hex = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

function aimm(negate: boolean): Matcher {
  return (op, env) => {
    const o = immOf(op);
    if (!('kind' in o)) return o;
    const written = val(o.value, env);
    let v = negate ? -written : written;
    let sh = 0;
    const range = `immediate ${written} is out of range: add/sub take 0..4095, optionally with lsl #12 (a negative value turns add into sub)`;
    if (o.lsl) {
      const s = val(o.lsl, env);
      if (s === 12n) sh = 1;
      else if (s !== 0n) return valueErr(`the immediate's shift must be lsl #0 or lsl #12, not #${s}`);
    } else if (v > 4095n && (v & 0xfffn) === 0n && v >> 12n <= 4095n) {
      // llvm-mc and GNU as shift a multiple of 4096 themselves.
      v >>= 12n;
      sh = 1;
    }
    if (v < 0n || v > 4095n || (negate && written === 0n)) return valueErr(range);
    return (sh << 22) | (Number(v) << 10);
  };
}

/** Bits N:immr:imms (at 22, 21..16, 15..10) for a bitmask immediate, or undefined if it has none. */
export function encodeBitmask(value: bigint, width: 32 | 64): number | undefined {
  const memo = width === 64 ? BITMASK64 : BITMASK32;
  let bits = memo.get(value);
  if (bits === undefined && !memo.has(value)) {
    bits = bitmaskOf(value, width);
    if (memo.size >= 4096) memo.clear();
    memo.set(value, bits);
  }
  return bits;
}
/** encodeBitmask's answers so far, per width (programs use few distinct masks). */
const BITMASK32 = new Map<bigint, number | undefined>();
const BITMASK64 = new Map<bigint, number | undefined>();

function bitmaskOf(value: bigint, width: 32 | 64): number | undefined {
  const all = (1n << BigInt(width)) - 1n;
  const v = value & all;
  if (v === 0n || v === all) return undefined;
  // The smallest element size whose replication gives the value.
  let e: number = width;
  for (let size = 2; size < width; size *= 2) {
    const elem = v & ((1n << BigInt(size)) - 1n);
    let rep = elem;
    for (let k = size; k < width; k *= 2) rep |= rep << BigInt(k);
    if (rep === v) {
      e = size;
      break;
    }
  }
  const mask = (1n << BigInt(e)) - 1n;
  const elem = v & mask;
  let ones = 0;
  for (let x = elem; x; x >>= 1n) ones += Number(x & 1n);
  const run = (1n << BigInt(ones)) - 1n;
  for (let r = 0; r < e; r++) {
    const rot = ((run >> BigInt(r)) | (run << BigInt(e - r))) & mask;
    if (rot === elem) {
      const n = e === 64 ? 1 : 0;
      const imms = (~(2 * e - 1) & 0x3f) | (ones - 1);
      return (n << 22) | (r << 16) | (imms << 10);
    }
  }
  return undefined;
}

/** The value a bitmask immediate's N:immr:imms stand for (the Arm ARM's DecodeBitMasks), or undefined. */
export function decodeBitmask(n: number, immr: number, imms: number, width: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1 || (width === 32 && n === 1)) return undefined;
  const e = 1 << len;
  const levels = e - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return undefined;
  const mask = (1n << BigInt(e)) - 1n;
  const run = (1n << BigInt(s + 1)) - 1n;
  const elem = ((run >> BigInt(r)) | (run << BigInt(e - r))) & mask;
  let v = elem;
  for (let k = e; k < width; k *= 2) v |= v << BigInt(k);
  return v;
}

const limm: Matcher = (op, env) => {
  const o = immOf(op);
  if (!('kind' in o)) return o;
  const width = env.row.width;
  const written = val(o.value, env);
  const v = asWidth(written, width);
  if (v === undefined) return valueErr(`immediate ${hex(written)} does not fit in ${width} bits`);
  const bits = encodeBitmask(v, width);
  if (bits === undefined) {
    return valueErr(`${hex(written)} is not a bitmask immediate (a rotated run of ones repeated in 2-, 4-, 8-, 16-, 32- or ${width}-bit elements; not 0 or all ones)`);
  }
  return bits;
};

const imm16hw: Matcher = (op, env) => {
  const o = immOf(op);
  if (!('kind' in o)) return o;
  const v = val(o.value, env);
  if (v < 0n || v > 0xffffn) return valueErr(`immediate ${v} does not fit in 16 bits (0..65535; use lsl #16/#32/#48 for higher halves)`);
  const s = o.lsl ? val(o.lsl, env) : 0n;
  if (s % 16n !== 0n || s < 0n || s >= BigInt(env.row.width)) {
    return valueErr(`the shift must be lsl #0${env.row.width === 64 ? ', #16, #32 or #48' : ' or #16'}, not #${s}`);
  }
  return (Number(s / 16n) << 21) | (Number(v) << 5);
};

/** hw:imm16 for a value one MOVZ makes, or undefined. */
function wideBits(v: bigint, width: number): number | undefined {
  for (let hw = 0; hw < width / 16; hw++) {
    const sh = BigInt(16 * hw);
    if ((v & ~(0xffffn << sh)) === 0n) return (hw << 21) | (Number(v >> sh) << 5);
  }
  return undefined;
}

function movWide(inverted: boolean): Matcher {
  return (op, env) => {
    const o = immOf(op);
    if (!('kind' in o)) return o;
    if (o.lsl) return formErr('mov takes no shift; write movz/movk with lsl');
    const width = env.row.width;
    const written = val(o.value, env);
    const v = asWidth(written, width);
    if (v === undefined) return valueErr(`immediate ${hex(written)} does not fit in ${width} bits`);
    const bits = wideBits(inverted ? BigInt.asUintN(width, ~v) : v, width);
    return bits ?? valueErr(`${hex(written)} needs more than one instruction`);
  };
}

function uimm(bits: number, shift: number, what: string): Matcher {
  const max = (1n << BigInt(bits)) - 1n;
  return (op, env) => {
    const o = immOf(op);
    if (!('kind' in o)) return o;
    if (o.lsl) return formErr('no shift is allowed here');
    const v = val(o.value, env);
    if (v < 0n || v > max) return valueErr(`${what} ${v} is out of range 0..${max}`);
    return Number(v) << shift;
  };
}

/** An immediate 0..width-1 at `shift` (bitfield positions and shift amounts). */
function bitpos(shift: number, what: string): Matcher {
  return (op, env) => {
    const o = immOf(op);
    if (!('kind' in o)) return o;
    const v = val(o.value, env);
    if (v < 0n || v >= BigInt(env.row.width)) return valueErr(`${what} ${v} is out of range 0..${env.row.width - 1}`);
    return Number(v) << shift;
  };
}

/** The value of the operand before this one (the lsb, for a bitfield width). */
function previousValue(env: Env, op: Operand): bigint {
  const prev = env.ops[env.ops.indexOf(op) - 1];
  return prev?.kind === 'imm' ? val(prev.value, env) : 0n;
}

/** UBFX-style (`extract`) or UBFIZ-style (insert) lsb and width operands, as UBFM's immr/imms. */
function bitfield(part: 'lsb' | 'width', insert: boolean): Matcher {
  return (op, env) => {
    const o = immOf(op);
    if (!('kind' in o)) return o;
    const w = BigInt(env.row.width);
    const v = val(o.value, env);
    if (part === 'lsb') {
      if (v < 0n || v >= w) return valueErr(`lsb ${v} is out of range 0..${w - 1n}`);
      return Number(insert ? (w - v) % w : v) << 16;
    }
    const lsb = previousValue(env, op);
    if (v < 1n || v > w - lsb) return valueErr(`width ${v} is out of range 1..${w - lsb} (lsb ${lsb} + width must not pass bit ${w})`);
    return Number(insert ? v - 1n : lsb + v - 1n) << 10;
  };
}

const lslAmount: Matcher = (op, env) => {
  const o = immOf(op);
  if (!('kind' in o)) return o;
  const w = env.row.width;
  const v = val(o.value, env);
  if (v < 0n || v >= BigInt(w)) return valueErr(`shift amount ${v} is out of range 0..${w - 1}`);
  const n = Number(v);
  return (((w - n) % w) << 16) | ((w - 1 - n) << 10);
};

const tbit: Matcher = (op, env) => {
  const o = immOf(op, 'a bit number (#0..#63)');
  if (!('kind' in o)) return o;
  const w = env.row.width;
  const v = val(o.value, env);
  if (v < 0n || v >= BigInt(w)) return valueErr(`bit number ${v} is out of range 0..${w - 1} for ${w === 32 ? 'a w' : 'an x'} register`);
  const n = Number(v);
  return ((n >> 5) << 31) | ((n & 31) << 19);
};

function condMatcher(inverted: boolean): Matcher {
  return (op) => {
    if (op.kind !== 'cond') return kindErr('expected a condition (eq, ne, hs, lo, mi, pl, vs, vc, hi, ls, ge, lt, gt, le, al, nv)');
    if (inverted && op.cond >= 14) return valueErr(`condition '${op.name}' cannot be used here (al and nv have no inverse)`);
    return (inverted ? op.cond ^ 1 : op.cond) << 12;
  };
}

// ---- PC-relative targets ---------------------------------------------------------------

function targetOf(op: Operand, env: Env): bigint | Problem {
  if (op.kind === 'cond') return env.ctx.value({ k: 'sym', name: op.name, loc: env.ctx.loc }) ?? 0n;
  if (op.kind !== 'imm' || op.lsl) return kindErr('expected a label or address');
  return val(op.value, env);
}

const range = (bytes: bigint): string => {
  const mib = (x: bigint): string => (x >= 1n << 20n ? `${x >> 20n} MiB` : `${x >> 10n} KiB`);
  return `±${mib(bytes)}`;
};

/**
 * `#imm` written as a branch or adr target: llvm-mc and GNU as read a number as the offset from the
 * instruction, but a label as its address (and an .equ constant as an offset again), which the
 * expression alone does not tell apart here: `#` with a symbol is refused.
 */
function pcOffsetOf(op: Operand, env: Env): bigint | Problem | undefined {
  if (op.kind !== 'imm' || !op.hash || op.lsl) return undefined;
  if (!isConstant(op.value)) return valueErr("a '#' target must be a number (an offset from this instruction); write a label without '#'");
  return val(op.value, env);
}

/** A word offset of `bits` bits at `shift` (B, BL, B.cond, CBZ, TBZ, LDR literal). */
function rel(bits: number, shift: number): Matcher {
  const half = 1n << BigInt(bits - 1);
  return (op, env) => {
    let off = pcOffsetOf(op, env);
    if (typeof off === 'object') return off;
    if (off === undefined) {
      const t = targetOf(op, env);
      if (typeof t !== 'bigint') return t;
      off = t - BigInt(env.ctx.address);
    }
    if (off % 4n !== 0n) return valueErr(`target is ${off} bytes away, not a multiple of 4`);
    const q = off / 4n;
    if (q < -half || q >= half) return valueErr(`target is ${off} bytes away, out of ${env.row.mn}'s range ${range(half * 4n)} (${-half * 4n}..${(half - 1n) * 4n})`);
    return Number(BigInt.asUintN(bits, q)) << shift;
  };
}

/** ADR (page = false: byte offset) and ADRP (page = true: 4 KiB page offset), both 21 bits. */
function adr(page: boolean): Matcher {
  const half = 1n << 20n;
  return (op, env) => {
    let off = pcOffsetOf(op, env);
    if (typeof off === 'object') return off;
    if (off !== undefined && page) {
      if (off % 4096n !== 0n) return valueErr(`adrp's offset ${off} is not a multiple of 4096 (a page)`);
      off /= 4096n;
    }
    if (off === undefined) {
      const t = targetOf(op, env);
      if (typeof t !== 'bigint') return t;
      const pc = BigInt(env.ctx.address);
      off = page ? (t >> 12n) - (pc >> 12n) : t - pc;
    }
    if (off < -half || off >= half) {
      return valueErr(page ? `target page is ${off} pages away, out of adrp's range ±4 GiB` : `target is ${off} bytes away, out of adr's range ±1 MiB (-1048576..1048575)`);
    }
    const u = Number(BigInt.asUintN(21, off));
    return ((u & 3) << 29) | ((u >> 2) << 5);
  };
}

// ---- Shifted and extended registers ----------------------------------------------------

const SHIFT_TYPE: Record<string, number> = { lsl: 0, lsr: 1, asr: 2, ror: 3 };

function shiftedReg(allowRor: boolean): Matcher {
  return (op, env) => {
    const w = env.row.width;
    if (op.kind !== 'reg') return kindErr(`expected a ${w}-bit register`);
    const r = op.reg;
    if (r.width !== w) return formErr(`expected a ${w}-bit register, found ${r.name} (w and x registers do not mix here)`);
    if (r.sp) return valueErr(`${r.name} is not allowed here (register 31 in this operand is the zero register)`);
    let type = 0;
    let amount = 0n;
    if (op.shift) {
      const t = SHIFT_TYPE[op.shift.op];
      if (t === undefined || (t === 3 && !allowRor)) return formErr(`'${op.shift.op}' is not a shift this instruction takes (${allowRor ? 'lsl, lsr, asr, ror' : 'lsl, lsr, asr'})`);
      type = t;
      amount = op.shift.amount ? val(op.shift.amount, env) : 0n;
      if (amount < 0n || amount >= BigInt(w)) return valueErr(`shift amount ${amount} is out of range 0..${w - 1}`);
    }
    return (type << 22) | (r.num << 16) | (Number(amount) << 10);
  };
}

const extendedReg: Matcher = (op, env) => {
  const w = env.row.width;
  if (op.kind !== 'reg') return kindErr('expected a register');
  const r = op.reg;
  if (r.sp) return valueErr(`${r.name} is not allowed here (register 31 in this operand is the zero register)`);
  const ext = op.shift?.op;
  let option: number;
  if (ext === undefined || ext === 'lsl') {
    // The Arm ARM allows omitting the extend (or writing lsl) only when Rd or Rn is the stack pointer.
    const spUsed = env.ops.some((o) => o.kind === 'reg' && o.reg.sp);
    if (r.width !== w) return formErr(`${r.name} needs an extend here (uxtb, uxth, uxtw, sxtb, sxth, sxtw)`);
    if (!spUsed) return valueErr(`'${ext}' needs sp as the first or second register; use ${w === 64 ? 'uxtx' : 'uxtw'}`);
    option = w === 64 ? 3 : 2;
  } else {
    const o = EXTEND_OPTION[ext as keyof typeof EXTEND_OPTION];
    if (o === undefined) return formErr(`'${ext}' is not an extend (uxtb, uxth, uxtw, uxtx, sxtb, sxth, sxtw, sxtx)`);
    option = o;
    // uxtx/sxtx of a w register reads it as the x register of its number: GNU as takes it, llvm-mc
    // for adds/subs/cmp/cmn only.
    const need = w === 64 && (o & 3) === 3 ? r.width : 32;
    if (r.width !== need) return valueErr(`${ext} takes a ${need === 64 ? 'x' : 'w'} register, not ${r.name}`);
  }
  const amount = op.shift?.amount ? val(op.shift.amount, env) : 0n;
  if (amount < 0n || amount > 4n) return valueErr(`extend amount ${amount} is out of range 0..4`);
  return (r.num << 16) | (option << 13) | (Number(amount) << 10);
};

// ---- Memory ----------------------------------------------------------------------------

type Mode = 'offset' | 'pre' | 'post';
const MODE_TEXT: Record<Mode, string> = { offset: '[xN, #offset]', pre: '[xN, #offset]! (pre-index)', post: '[xN], #offset (post-index)' };

/** Checks the operand is memory in `mode` with a good base; returns the Rn bits and the offset. */
function memBase(op: Operand, env: Env, mode: Mode, index: boolean): { bits: number; offset: bigint } | Problem {
  if (op.kind !== 'mem') return kindErr(`expected a memory operand ${index ? '[xN, xM]' : MODE_TEXT[mode]}`);
  if (op.mode !== mode || (op.index !== undefined) !== index) return formErr(`expected a memory operand ${index ? '[xN, xM]' : MODE_TEXT[mode]}`);
  const b = op.base;
  if (b.width !== 64 || (b.num === 31 && !b.sp)) return valueErr(`base register must be x0-x30 or sp, not ${b.name}`);
  return { bits: b.num << 5, offset: op.offset ? val(op.offset, env) : 0n };
}

const memU12: Matcher = (op, env) => {
  const m = memBase(op, env, 'offset', false);
  if ('problem' in m) return m;
  const n = 1n << BigInt(env.row.scale);
  const v = m.offset;
  if (v < 0n || v % n !== 0n || v / n > 4095n) {
    return valueErr(`offset ${v} is out of range: ${n > 1n ? `a multiple of ${n} in` : 'in'} 0..${4095n * n}, or -256..255 (unscaled)`);
  }
  return m.bits | (Number(v / n) << 10);
};

function mem9(mode: Mode): Matcher {
  return (op, env) => {
    const m = memBase(op, env, mode, false);
    if ('problem' in m) return m;
    if (m.offset < -256n || m.offset > 255n) return valueErr(`offset ${m.offset} does not fit in signed 9 bits (-256..255)`);
    return m.bits | (Number(BigInt.asUintN(9, m.offset)) << 12);
  };
}

const memReg: Matcher = (op, env) => {
  const m = memBase(op, env, 'offset', true);
  if ('problem' in m || op.kind !== 'mem' || !op.index) return m as Problem;
  const idx = op.index;
  const r = idx.reg;
  if (r.sp) return valueErr('the index register cannot be sp');
  const ext = idx.shift?.op;
  let option: number;
  if (r.width === 64) {
    if (ext === undefined || ext === 'lsl') option = 3;
    else if (ext === 'sxtx') option = 7;
    else return valueErr(`'${ext}' takes a w index register; an x index takes lsl or sxtx`);
  } else if (ext === 'uxtw') option = 2;
  else if (ext === 'sxtw') option = 6;
  else return valueErr(`a w index register needs uxtw or sxtw${ext ? `, not ${ext}` : ''}`);
  const scale = env.row.scale;
  let s = 0;
  if (idx.shift?.amount) {
    const a = val(idx.shift.amount, env);
    // A byte access writes `#0` to mean S=1; wider accesses write their scale.
    if (a === BigInt(scale)) s = 1;
    else if (a !== 0n) return valueErr(`index shift must be #0 or #${scale}, not #${a}`);
  }
  return m.bits | (r.num << 16) | (option << 13) | (s << 12);
};

function pair(mode: Mode): Matcher {
  return (op, env) => {
    const m = memBase(op, env, mode, false);
    if ('problem' in m) return m;
    const n = 1n << BigInt(env.row.scale);
    const v = m.offset;
    if (v % n !== 0n || v / n < -64n || v / n > 63n) return valueErr(`offset ${v} is out of range: a multiple of ${n} in ${-64n * n}..${63n * n}`);
    return m.bits | (Number(BigInt.asUintN(7, v / n)) << 15);
  };
}

// ---- Exclusives, atomics and named operands ---------------------------------------------

/** `[Xn|SP]` or `[Xn|SP, #0]`: the only address exclusives, acquire/release and atomics take. */
const mem0: Matcher = (op, env) => {
  const m = memBase(op, env, 'offset', false);
  if ('problem' in m) return m;
  if (m.offset !== 0n) return valueErr(`this instruction takes no offset: [xN] or [xN, #0], not #${m.offset}`);
  return m.bits;
};

/** The first register of a CASP pair: even, at `shift`. */
function evenReg(shift: number): Matcher {
  return (op, env) => {
    const w = env.row.width;
    const letter = w === 64 ? 'x' : 'w';
    if (op.kind !== 'reg') return kindErr(`expected an even ${w}-bit register`);
    const r = op.reg;
    if (r.width !== w) return formErr(`expected an even ${w}-bit register, found ${r.name} (w and x registers do not mix here)`);
    if (r.num % 2 !== 0 || r.num === 31) return valueErr(`expected the even first register of a pair (${letter}0, ${letter}2, … ${letter}30), found ${r.name}`);
    if (op.shift) return formErr(`no shift or extend is allowed after ${r.name} here`);
    return r.num << shift;
  };
}

/** The second register of a CASP pair: the register after the operand before (x30's is xzr). */
const nextReg: Matcher = (op, env) => {
  const prev = env.ops[env.ops.indexOf(op) - 1];
  if (op.kind !== 'reg' || prev?.kind !== 'reg') return kindErr('expected a register');
  const want = prev.reg.num + 1;
  if (op.reg.width !== prev.reg.width || op.reg.num !== want || op.reg.sp || op.shift) {
    return valueErr(`expected ${want === 31 ? prev.reg.name[0] + 'zr' : prev.reg.name[0]! + want}, the register after ${prev.reg.name} (a pair is two consecutive registers)`);
  }
  return 0;
};

/** The lower-case name written as an operand (`pldl1keep`, `ish`, `tpidr_el0`), or undefined. */
function nameOf(op: Operand): string | undefined {
  if (op.kind === 'imm' && !op.hash && !op.lsl && op.value.k === 'sym') return op.value.name.toLowerCase();
  if (op.kind === 'cond') return op.name;
  return undefined;
}

/** A named operand or `#imm` below 2^bits, at `shift`; `names` gives each name's value. */
function namedOrImm(names: ReadonlyMap<string, number>, bits: number, shift: number, what: string): Matcher {
  const max = (1n << BigInt(bits)) - 1n;
  const list = [...names.keys()].join(', ');
  return (op, env) => {
    const name = nameOf(op);
    if (name !== undefined) {
      const v = names.get(name);
      return v === undefined ? valueErr(`unknown ${what} '${name}' (expected ${list}, or #0..${max})`) : v << shift;
    }
    if (op.kind !== 'imm' || op.lsl) return kindErr(`expected a ${what} (${list}) or #0..${max}`);
    const v = val(op.value, env);
    if (v < 0n || v > max) return valueErr(`${what} #${v} is out of range 0..${max}`);
    return Number(v) << shift;
  };
}

/** Prefetch operations: type (pld 0, pli 1, pst 2) << 3 | target (l1..l3) << 1 | policy (keep 0, strm 1). */
const PREFETCH_OPS: ReadonlyMap<string, number> = new Map(
  ['pld', 'pli', 'pst'].flatMap((type, t) => ['l1', 'l2', 'l3'].flatMap((level, l) => ['keep', 'strm'].map((policy, p) => [`${type}${level}${policy}`, (t << 3) | (l << 1) | p] as const))),
);

/** DMB/DSB options (CRm); the four missing values (0, 4, 8, 12) have no name. */
const BARRIER_OPTIONS: ReadonlyMap<string, number> = new Map([
  ['oshld', 1], ['oshst', 2], ['osh', 3], ['nshld', 5], ['nshst', 6], ['nsh', 7],
  ['ishld', 9], ['ishst', 10], ['ish', 11], ['ld', 13], ['st', 14], ['sy', 15],
]);

/** MSR (immediate) PSTATE fields → op1 (18..16) and op2 (7..5). */
const PSTATE_FIELDS: ReadonlyMap<string, number> = new Map([
  ['spsel', (0 << 16) | (5 << 5)], ['daifset', (3 << 16) | (6 << 5)], ['daifclr', (3 << 16) | (7 << 5)],
]);

/** The SVE and SME control and ID registers, which llvm-mc names only with +sve / +sme. */
const SVE_SYSTEM_REGISTER = /^(zcr_el(1|2|3|12)|zidr_el1|id_aa64zfr0_el1|id_aa64smfr0_el1|smcr_el(1|2|3|12)|smidr_el1|smpri_el1|smprimap_el2|svcr|tpidr2_el0)$/;

const GENERIC_SYSREG = /^s([0-3])_([0-7])_c(\d\d?)_c(\d\d?)_([0-7])$/;

/** A system register by name or generic spelling, as op0:op1:CRn:CRm:op2 at 20..5; `access` 'r' (mrs) or 'w' (msr). */
function sysreg(access: 'r' | 'w'): Matcher {
  const verb = access === 'r' ? 'read (mrs)' : 'written (msr)';
  return (op) => {
    const name = nameOf(op);
    if (name === undefined) return kindErr('expected a system register (tpidr_el0, nzcv, fpcr, … or s<op0>_<op1>_c<n>_c<m>_<op2>)');
    const g = GENERIC_SYSREG.exec(name);
    if (g) {
      const [op0, op1, crn, crm, op2] = g.slice(1).map(Number) as [number, number, number, number, number];
      // (op0 0 and 1 are the SYS/hint space, yet llvm-mc and GNU as take them here too)
      if (crn > 15 || crm > 15) return valueErr(`system register ${name}: CRn and CRm are c0..c15`);
      return ((op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2) << 5;
    }
    const known = SYSTEM_REGISTERS.get(name);
    if (!known && SVE_SYSTEM_REGISTER.test(name)) return valueErr(`system register ${name} belongs to SVE/SME: not supported (write it as s<op0>_<op1>_c<n>_c<m>_<op2>)`);
    if (!known) return valueErr(`unknown system register '${name}' (write an unnamed one as s<op0>_<op1>_c<n>_c<m>_<op2>)`);
    if (!known[1].includes(access)) return valueErr(`system register ${name} cannot be ${verb}`);
    return known[0] << 5;
  };
}

/** `c0`..`c15` (SYS CRn/CRm) at `shift`. */
function controlReg(shift: number, what: string): Matcher {
  return (op) => {
    const m = /^c(\d\d?)$/.exec(nameOf(op) ?? '');
    const n = m ? Number(m[1]) : 16;
    return n <= 15 ? n << shift : kindErr(`expected ${what} as c0..c15`);
  };
}

/** A DC/IC/AT/TLBI operation name; whether it takes the register is the row's other operand. */
const sysOperation: Matcher = (op, env) => {
  const name = nameOf(op);
  if (name === undefined) return kindErr(`expected a ${env.row.mn} operation name`);
  const known = SYS_OPERATIONS.get(`${env.row.mn} ${name}`);
  if (!known) return valueErr(`unknown ${env.row.mn} operation '${name}'`);
  const withReg = env.row.ops.length === 2;
  if (known[1] !== withReg) return formErr(`${env.row.mn} ${name} ${known[1] ? 'needs a register (x0-x30, xzr)' : 'takes no register'}`);
  return known[0] << 5;
};

/**
 * Register combinations llvm-mc refuses as unpredictable (Arm ARM, CONSTRAINED UNPREDICTABLE):
 * a writeback base that is also a transfer register, ldp/ldpsw loading one register twice, a
 * store-exclusive status register that is also a source. The operand to blame, or undefined.
 */
function unpredictable(row: Row, ops: readonly Operand[]): { at: number; problem: string } | undefined {
  const mem = ops[ops.length - 1];
  const base = mem?.kind === 'mem' && !mem.base.sp ? mem.base.num : -1;
  const transfer = (i: number): boolean => /^[WX]t2?$/.test(row.ops[i]!);
  const last = row.ops[row.ops.length - 1]!;
  for (let i = 0; i < ops.length - 1; i++) {
    const o = ops[i]!;
    if (o.kind !== 'reg') continue;
    if (/^(mem|pair)_(pre|post)$/.test(last) && transfer(i) && o.reg.num === base) {
      return { at: i, problem: `unpredictable: the writeback base is also ${o.reg.name}, a register this instruction transfers` };
    }
    if ((row.mn === 'ldp' || row.mn === 'ldpsw') && i === 1 && ops[0]?.kind === 'reg' && ops[0].reg.num === o.reg.num) {
      return { at: i, problem: `unpredictable: ${row.mn} loads ${o.reg.name} twice` };
    }
    if (i === 0 && row.ops[0] === 'Ws' && /^stl?x/.test(row.mn)) {
      const clash = ops.slice(1).some((p) => (p.kind === 'reg' && p.reg.num === o.reg.num) || (p.kind === 'mem' && p.base.num === o.reg.num && !p.base.sp));
      if (clash) return { at: 0, problem: `unpredictable: the status register ${o.reg.name} is also a source register` };
    }
  }
  return undefined;
}

// ---- Kind → matcher --------------------------------------------------------------------

const OTHER: Record<string, Matcher> = {
  aimm: aimm(false),
  aimm_neg: aimm(true),
  limm,
  rm_shift: shiftedReg(false),
  rm_shift_ror: shiftedReg(true),
  rm_extend: extendedReg,
  imm16_hw: imm16hw,
  movz_imm: movWide(false),
  movn_imm: movWide(true),
  lsl_amt: lslAmount,
  immr: bitpos(16, 'immr'),
  imms: bitpos(10, 'imms'),
  cond: condMatcher(false),
  cond_inv: condMatcher(true),
  rel26: rel(26, 0),
  rel19: rel(19, 5),
  rel14: rel(14, 5),
  adr: adr(false),
  adrp: adr(true),
  tbit,
  imm16: uimm(16, 5, 'immediate'),
  imm5: uimm(5, 16, 'immediate'),
  nzcv: uimm(4, 0, 'nzcv'),
  bfx_lsb: bitfield('lsb', false),
  bfx_width: bitfield('width', false),
  bfi_lsb: bitfield('lsb', true),
  bfi_width: bitfield('width', true),
  mem_u12: memU12,
  mem_s9: mem9('offset'),
  mem_pre: mem9('pre'),
  mem_post: mem9('post'),
  mem_reg: memReg,
  pair_off: pair('offset'),
  pair_pre: pair('pre'),
  pair_post: pair('post'),
  mov_seq: (op, env) => movSeqCheck(op, env),
  mem0,
  mem_base: (op, env) => (op.kind === 'mem' && op.offset !== undefined && op.mode === 'offset' && !op.index ? formErr('this instruction takes no offset: [xN]') : mem0(op, env)),
  even_s: evenReg(16),
  even_t: evenReg(0),
  next_reg: nextReg,
  prfop: namedOrImm(PREFETCH_OPS, 5, 0, 'prefetch operation'),
  hint_imm: uimm(7, 5, 'hint number'),
  bti_target: (op) => {
    const t = ['c', 'j', 'jc'].indexOf(nameOf(op) ?? '');
    return t < 0 ? kindErr('expected a branch target type (c, j, jc)') : (t + 1) << 6;
  },
  crm_imm: uimm(4, 8, 'immediate'),
  barrier: namedOrImm(BARRIER_OPTIONS, 4, 8, 'barrier option'),
  barrier_isb: namedOrImm(new Map([['sy', 15]]), 4, 8, 'barrier option'),
  sysreg_read: sysreg('r'),
  sysreg_write: sysreg('w'),
  pstate: (op) => {
    const name = nameOf(op);
    const v = name === undefined ? undefined : PSTATE_FIELDS.get(name);
    return v ?? (name !== undefined && (SYSTEM_REGISTERS.has(name) || GENERIC_SYSREG.test(name)) ? formErr(`msr ${name} takes a register, not an immediate`) : kindErr('expected a PSTATE field (spsel, daifset, daifclr)'));
  },
  sys_op1: uimm(3, 16, 'op1'),
  sys_crn: controlReg(12, 'CRn'),
  sys_crm: controlReg(8, 'CRm'),
  sys_op2: uimm(3, 5, 'op2'),
  sys_operation: sysOperation,
};

const matcherCache = new Map<Kind, Matcher>();
function matcherFor(kind: Kind): Matcher {
  let m = matcherCache.get(kind);
  if (!m) {
    m = OTHER[kind] ?? (kind[0] === 'W' || kind[0] === 'X' ? regMatcher(kind) : undefined);
    if (!m) throw new Error(`internal: no matcher for operand kind '${kind}'`);
    matcherCache.set(kind, m);
  }
  return m;
}

/** Rows with their matchers resolved once, per mnemonic. */
const PREPARED: ReadonlyMap<string, readonly { row: Row; matchers: readonly Matcher[] }[]> = new LazyMap(() => new Map(
  [...ROWS_BY_MNEMONIC].map(([mn, rows]) => [mn, rows.map((row) => ({ row, matchers: row.ops.map(matcherFor) }))]),
));

export function isA64Mnemonic(mn: string): boolean {
  return PREPARED.has(mn);
}

// ---- MOV of any value ------------------------------------------------------------------

const MOVZ = { 32: 0x52800000, 64: 0xd2800000 } as const;
const MOVN = { 32: 0x12800000, 64: 0x92800000 } as const;
const MOVK = { 32: 0x72800000, 64: 0xf2800000 } as const;

/**
 * MOVZ (or MOVN when more halfwords are 0xffff than 0) for one halfword, then MOVK for each other
 * halfword that differs from the background; padded with redundant MOVKs up to `minWords` so an
 * instruction never shrinks between passes.
 */
export function movSequence(v: bigint, width: 32 | 64, rd: number, minWords: number): number[] {
  const n = width / 16;
  const chunks = Array.from({ length: n }, (_, i) => Number((v >> BigInt(16 * i)) & 0xffffn));
  const zeros = chunks.filter((c) => c === 0).length;
  const ones = chunks.filter((c) => c === 0xffff).length;
  const inverted = ones > zeros;
  const background = inverted ? 0xffff : 0;
  let first = chunks.findIndex((c) => c !== background);
  if (first < 0) first = 0;
  const words = [(inverted ? MOVN[width] : MOVZ[width]) | (first << 21) | ((inverted ? ~chunks[first]! & 0xffff : chunks[first]!) << 5) | rd];
  const written = new Set([first]);
  for (let i = 0; i < n; i++) {
    if (!written.has(i) && chunks[i] !== background) {
      words.push(MOVK[width] | (i << 21) | (chunks[i]! << 5) | rd);
      written.add(i);
    }
  }
  for (let i = 0; i < n && words.length < minWords; i++) {
    if (!written.has(i)) {
      words.push(MOVK[width] | (i << 21) | (chunks[i]! << 5) | rd);
      written.add(i);
    }
  }
  return words;
}

// ---- The encoder -----------------------------------------------------------------------

function toBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  for (let i = 0; i < words.length; i++) putWord(out, i * 4, words[i]!);
  return out;
}

function putWord(out: Uint8Array, at: number, w: number): void {
  out[at] = w & 0xff;
  out[at + 1] = (w >>> 8) & 0xff;
  out[at + 2] = (w >>> 16) & 0xff;
  out[at + 3] = w >>> 24;
}

/**
 * The encoding of `insn`: one word (a number), several (mov_seq), or `undefined` in an early pass
 * where no row fits (the caller keeps `max(4, atLeast)` zero bytes; the last pass judges).
 */
function encodeWords(insn: A64Insn, ctx: EncodeContext): number | number[] | undefined {
  const rows = PREPARED.get(insn.mn);
  if (!rows) fail(ctx.loc, `unknown instruction '${insn.mn}'`);
  const ops = insn.ops;
  let best: { at: number; level: number; problem: string } | undefined;
  for (let r = 0; r < rows.length; r++) {
    const { row, matchers } = rows[r]!;
    if (matchers.length !== ops.length) continue;
    const env: Env = { row, ops, ctx };
    let bits = row.bits;
    let ok = true;
    for (let i = 0; i < ops.length; i++) {
      const res = matchers[i]!(ops[i]!, env);
      if (typeof res !== 'number') {
        if (!best || res.level > best.level || (res.level === best.level && i > best.at)) best = { at: i, level: res.level, problem: res.problem };
        ok = false;
        break;
      }
      bits |= res;
    }
    if (!ok) continue;
    const clash = unpredictable(row, ops);
    if (clash) {
      // Above every other problem: the operands fit, their combination is what is refused.
      best = { at: clash.at, level: 3, problem: clash.problem };
      continue;
    }
    if (row.ops[1] === 'mov_seq') {
      const v = BigInt.asUintN(row.width, val((ops[1] as ImmOperand).value, env));
      const words = movSequence(v, row.width, bits & 31, Math.ceil(ctx.atLeast / 4));
      if (words.length * 4 >= ctx.atLeast) return words;
      continue;
    }
    if (4 >= ctx.atLeast) return bits;
  }
  // Early passes may see provisional addresses: keep the size and let the last pass judge.
  if (!ctx.final) {
    PLACEHOLDER.add(insn);
    return undefined;
  }
  if (!best) {
    const arities = new Set<number>();
    for (const { matchers } of rows) arities.add(matchers.length);
    const n = [...arities].sort((a, b) => a - b);
    fail(ctx.loc, `'${insn.mn}' takes ${n.join(' or ')} operand${n.length === 1 && n[0] === 1 ? '' : 's'}, not ${ops.length}`);
  }
  const fpSimd = ops.findIndex((o) => FP_SIMD_REGISTER.test(nameOf(o) ?? ''));
  if (fpSimd >= 0 && best.level < 3) {
    fail(ops[fpSimd]!.loc ?? ctx.loc, `operand ${fpSimd + 1}: ${nameOf(ops[fpSimd]!)} is an FP/SIMD register: instruction not supported: ${insn.mn} (FP/SIMD)`);
  }
  fail(ops[best.at]?.loc ?? ctx.loc, `operand ${best.at + 1}: ${best.problem}`);
}

/** An FP/SIMD or SVE register name (b0-b31, h, s, d, q, v0.8b, z0, p0): not an operand tinyelf encodes. */
const FP_SIMD_REGISTER = /^([bhsdqvzp]([12]?\d|3[01])(\.\w+)?)$/;

export function encodeA64(insn: A64Insn, ctx: EncodeContext): Uint8Array {
  const w = encodeWords(insn, ctx);
  if (w === undefined) return new Uint8Array(Math.max(4, ctx.atLeast));
  if (typeof w === 'number') {
    const out = new Uint8Array(4);
    putWord(out, 0, w);
    return out;
  }
  return toBytes(w);
}

/** `encodeA64` into `out` at `at` (256 bytes of room): returns the number of bytes, or -1 to have encodeA64 called. */
export function encodeA64Into(insn: A64Insn, ctx: EncodeContext, out: Uint8Array, at: number): number {
  const w = encodeWords(insn, ctx);
  if (typeof w === 'number') {
    putWord(out, at, w);
    return 4;
  }
  if (w === undefined) {
    const n = Math.max(4, ctx.atLeast);
    if (n > 256) return -1;
    out.fill(0, at, at + n);
    return n;
  }
  for (let i = 0; i < w.length; i++) putWord(out, at + 4 * i, w[i]!);
  return w.length * 4;
}

/** Mnemonics with a PC-relative row (branches, adr/adrp, ldr literal): their bytes depend on the address. */
const PC_RELATIVE: ReadonlyMap<string, true> = new LazyMap(() => {
  const m = new Map<string, true>();
  for (const [mn, rows] of ROWS_BY_MNEMONIC) {
    if (rows.some((r) => r.ops.some((k) => k === 'rel26' || k === 'rel19' || k === 'rel14' || k === 'adr' || k === 'adrp'))) m.set(mn, true);
  }
  return m;
});

/** Instructions that got placeholder bytes (no row fits, judged in the last pass): never fixed. */
const PLACEHOLDER = new WeakSet<A64Insn>();

function constantExpr(e: Expr | undefined): boolean {
  return e === undefined || e.k === 'num';
}

/**
 * True when the instruction's bytes depend on nothing but itself: no PC-relative form, no
 * literal pool, and every number in it written as a plain number (no symbol, no `.`).
 */
export function isFixedA64(insn: A64Insn): boolean {
  if (insn.pool !== undefined || PC_RELATIVE.has(insn.mn) || PLACEHOLDER.has(insn)) return false;
  const ops = insn.ops;
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    switch (o.kind) {
      case 'reg':
        if (o.shift !== undefined && !constantExpr(o.shift.amount)) return false;
        break;
      case 'imm':
        if (!constantExpr(o.value) || !constantExpr(o.lsl)) return false;
        break;
      case 'mem':
        if (!constantExpr(o.offset)) return false;
        if (o.index?.shift !== undefined && !constantExpr(o.index.shift.amount)) return false;
        break;
      case 'cond':
        break;
      default:
        return false;
    }
  }
  return true;
}

function movSeqCheck(op: Operand, env: Env): Result {
  const o = immOf(op);
  if (!('kind' in o)) return o;
  if (o.lsl) return formErr('mov takes no shift; write movz/movk with lsl');
  const written = val(o.value, env);
  if (asWidth(written, env.row.width) === undefined) return valueErr(`immediate ${hex(written)} does not fit in ${env.row.width} bits`);
  return 0;
}
