import { fail, type SourceLoc } from '../../core/errors.js';
import type { EncodeContext } from '../../core/backend.js';
import type { Expr } from '../../core/expr.js';
import type { ArmInsn, Operand } from './operands.js';

/**
 * Helpers shared by the A32 and Thumb encoders: immediates, operand checks and byte order.
 *
 * The encoders try the table rows of a mnemonic in order (shortest first). A row whose operand
 * kinds do not fit throws `Mismatch` (try the next row); a value that cannot be encoded throws
 * an AsmError, but only in the final pass: earlier passes use provisional addresses.
 */
/**
 * Not an Error: rows are tried by throwing, and an Error's stack trace cost more than the rest of
 * the Thumb encoder (56% of the time on a 10k-line program). Every throw is caught by the
 * encoders, which turn it into an AsmError.
 */
export class Mismatch {
  /** `loc` is set when the operand kinds fit but a value does not (out of range): worth reporting. */
  constructor(readonly why: string, readonly loc?: SourceLoc, readonly place?: SourceLoc) {}
}
export const mismatch = (why: string, loc?: SourceLoc): never => {
  throw new Mismatch(why, loc);
};
/** A shape mismatch (not a value out of range) that concerns the operand written at `place`. */
export const mismatchAt = (why: string, place: SourceLoc): never => {
  throw new Mismatch(why, undefined, place);
};

/** `a32` rotated 8-bit immediate: the 12-bit field (rot<<8 | imm8), or undefined. */
export function armModImm(v: number): number | undefined {
  v >>>= 0;
  for (let rot = 0; rot < 16; rot++) {
    // value = imm8 ROR (2*rot), so imm8 = value ROL (2*rot)
    const imm8 = rot === 0 ? v : ((v << (2 * rot)) | (v >>> (32 - 2 * rot))) >>> 0;
    if (imm8 <= 0xff) return (rot << 8) | imm8;
  }
  return undefined;
}

/** Thumb-2 modified immediate: the 12-bit i:imm3:imm8 field, or undefined. */
export function thumbModImm(v: number): number | undefined {
  v >>>= 0;
  const b = v & 0xff;
  if (v <= 0xff) return v;
  if (v === ((b << 16) | b) >>> 0) return 0x100 | b;
  const b1 = (v >>> 8) & 0xff;
  if (v === ((b1 << 24) | (b1 << 8)) >>> 0) return 0x200 | b1;
  if (v === ((b << 24) | (b << 16) | (b << 8) | b) >>> 0) return 0x300 | b;
  // An 8-bit value with its top bit set, rotated right by 8..31: the rotation is the field.
  for (let rot = 8; rot < 32; rot++) {
    const x = ((v << rot) | (v >>> (32 - rot))) >>> 0;
    if (x >= 0x80 && x <= 0xff) return (rot << 7) | (x & 0x7f);
  }
  return undefined;
}

let armImmList: number[] | undefined;
let thumbImmList: number[] | undefined;

/** The nearest encodable values below and above `v`, for error messages. */
export function nearestImm(v: number, thumb: boolean): string {
  const list = thumb ? (thumbImmList ??= allValues(thumbModImm, true)) : (armImmList ??= allValues(armModImm, false));
  v >>>= 0;
  let lo: number | undefined;
  let hi: number | undefined;
  for (const x of list) {
    if (x < v) lo = x;
    else if (x > v && hi === undefined) hi = x;
  }
  const hex = (x: number): string => '0x' + x.toString(16);
  const parts = [lo, hi].filter((x) => x !== undefined).map((x) => hex(x!));
  return parts.length ? `nearest encodable: ${parts.join(' or ')}` : '';
}

function allValues(f: (v: number) => number | undefined, thumb: boolean): number[] {
  const set = new Set<number>();
  if (thumb) {
    for (let b = 0; b < 256; b++) {
      set.add(b);
      set.add(((b << 16) | b) >>> 0);
      set.add(((b << 24) | (b << 8)) >>> 0);
      set.add(((b << 24) | (b << 16) | (b << 8) | b) >>> 0);
      for (let rot = 8; rot < 32; rot++) set.add((((b | 0x80) >>> rot) | ((b | 0x80) << (32 - rot))) >>> 0);
    }
  } else {
    for (let b = 0; b < 256; b++) for (let r = 0; r < 32; r += 2) set.add(((b >>> r) | (b << (32 - r))) >>> 0);
  }
  const list = [...set].filter((x) => f(x) !== undefined);
  return list.sort((a, b) => a - b);
}

/** Value of an expression as a 32-bit pattern; `undefined` while unknown (non-final passes). */
export function value32(ctx: EncodeContext, e: Expr, loc: SourceLoc, what: string): number | undefined {
  const v = ctx.value(e);
  if (v === undefined) return undefined;
  if (v < -(1n << 31n) || v > 0xffffffffn) fail(loc, `${what}: value ${v} does not fit in 32 bits`);
  return Number(BigInt.asUintN(32, v));
}

/** Signed value of an expression (offsets, shift amounts); `undefined` while unknown. */
export function valueSigned(ctx: EncodeContext, e: Expr): number | undefined {
  const v = ctx.value(e);
  if (v === undefined) return undefined;
  if (v < -(1n << 40n) || v > 1n << 40n) return Number.MAX_SAFE_INTEGER;
  return Number(v);
}

/** Fails in the final pass only: earlier passes may see provisional addresses. */
export function rangeError(ctx: EncodeContext, loc: SourceLoc, message: string): void {
  if (ctx.final) fail(loc, message);
}

/** Where a mismatch that names its operand (`operand 2: …`) was written; else the mnemonic. */
export function whyLoc(insn: { ops: readonly { loc: SourceLoc }[]; loc: SourceLoc }, why: string | undefined): SourceLoc {
  const m = why ? /^operand (\d+):/.exec(why) : null;
  return (m && insn.ops[Number(m[1]) - 1]?.loc) || insn.loc;
}

/** The U (add) bit of an immediate offset: set for a positive offset and for 0 unless written `#-0`. */
export function offsetAdds(off: number, m: { minus?: boolean }): boolean {
  return off > 0 || (off === 0 && !m.minus);
}

export function opName(i: number): string {
  return `operand ${i + 1}`;
}

export function reg(op: Operand | undefined): number {
  if (!op || op.k !== 'reg' || op.shift || op.wb) return mismatch('register');
  return op.r;
}

export function le32(x: number): Uint8Array {
  return Uint8Array.of(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
}
export function le16(x: number): Uint8Array {
  return Uint8Array.of(x & 0xff, (x >>> 8) & 0xff);
}
/** Thumb 32-bit instructions are two halfwords, the first (bits 31-16) stored first. */
export function thumb32(x: number): Uint8Array {
  return Uint8Array.of((x >>> 16) & 0xff, (x >>> 24) & 0xff, x & 0xff, (x >>> 8) & 0xff);
}

/** Mnemonic as written, for messages. */
export function spelled(insn: ArmInsn): string {
  return insn.mn + (insn.s ? 's' : '');
}

/**
 * The register operands of a 'regs' row (media-table.ts) put at their bits: every operand a plain
 * register, the last one optionally rotated (`ror #8/16/24`) when the row allows it; `check`
 * refuses the registers the instruction set leaves UNPREDICTABLE. Returns the fields and the
 * rotation (0-3), which the caller places.
 */
export function regFields(insn: ArmInsn, ctx: EncodeContext, fields: readonly (number | readonly number[])[], rot: boolean | undefined, check: (r: number, i: number) => void): { bits: number; rotation: number } {
  const ops = insn.ops;
  if (ops.length !== fields.length) return mismatch(`${fields.length} registers`);
  let bits = 0;
  let rotation = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.k !== 'reg' || op.wb) return mismatchAt('a register', op.loc);
    if (op.shift) {
      if (!rot || i !== ops.length - 1 || op.shift.type !== 'ror' || op.shift.imm === undefined) return mismatchAt(rot ? 'a register{, ror #8|16|24}' : 'a register without a shift', op.loc);
      const n = valueSigned(ctx, op.shift.imm) ?? 0;
      if (n !== 0 && n !== 8 && n !== 16 && n !== 24) fail(op.loc, `${opName(i)}: the rotation must be ror #8, #16 or #24, not ${n}`);
      rotation = n >> 3;
    }
    check(op.r, i);
    const f = fields[i]!;
    if (typeof f === 'number') bits |= op.r << f;
    else for (const at of f) bits |= op.r << at;
  }
  return { bits: bits >>> 0, rotation };
}

/** dmb/dsb options by name (ARMv7: the `ld` ones are ARMv8's); `un`/`unst`, `sh`/`shst` are old names of nsh/nshst, ish/ishst. */
const BARRIER_OPTIONS: Record<string, number> = { sy: 15, st: 14, ish: 11, ishst: 10, nsh: 7, nshst: 6, osh: 3, oshst: 2, un: 7, unst: 6, uni: 7, unist: 6, sh: 11, shst: 10 };

/** The 4-bit option of dmb/dsb/isb: a name or #0-15; sy (15) when absent. isb takes only sy. */
export function barrierOption(insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  if (ops.length === 0) return 15;
  const op = ops[0]!;
  if (ops.length !== 1) return mismatch('one option');
  // #n, or n without the # (as llvm-mc and GNU as take it)
  if (op.k === 'imm' || (op.k === 'expr' && op.e.k === 'num')) {
    const v = valueSigned(ctx, op.e) ?? 0;
    if (v < 0 || v > 15) fail(op.loc, `operand 1: the barrier option must be 0 to 15, not ${v}`);
    return v;
  }
  const name = op.k === 'expr' && op.e.k === 'sym' ? op.e.name.toLowerCase() : undefined;
  const v = name === undefined ? undefined : BARRIER_OPTIONS[name];
  if (v === undefined || (insn.mn === 'isb' && v !== 15)) fail(op.loc, `operand 1: expected ${insn.mn === 'isb' ? 'sy' : 'a barrier option (sy, st, ish, ishst, nsh, nshst, osh, oshst)'} or #0-15`);
  return v;
}

/** A plain immediate operand in [lo, hi] (final value, or `lo` while unknown). */
export function immRange(ctx: EncodeContext, op: Operand | undefined, i: number, lo: number, hi: number): number {
  if (!op) return mismatch('#immediate');
  if (op.k !== 'imm') return mismatchAt('#immediate', op.loc);
  const v = valueSigned(ctx, op.e);
  if (v === undefined) return lo;
  if (v < lo || v > hi) fail(op.loc, `${opName(i)}: ${v} is out of range (${lo} to ${hi})`);
  return v;
}
