import type { EncodeContext } from '../../core/backend.js';
import { fail, type SourceLoc } from '../../core/errors.js';
import type { Expr } from '../../core/expr.js';
import { le16, mismatch, Mismatch, offsetAdds, nearestImm, opName, reg, thumb32, thumbModImm, value32, valueSigned, whyLoc } from './encoder.js';
import type { ArmInsn, Operand } from './operands.js';
import { PC, SHIFT_TYPE, SP } from './registers.js';
import { encodeThumbMore } from './thumb-more.js';
import { THUMB_ROWS, type ThumbRow } from './thumb-table.js';

export const THUMB_MNEMONICS: readonly string[] = [...THUMB_ROWS.keys()];

/**
 * Encodes one Thumb instruction: the rows of the mnemonic are tried shortest first and the
 * first that represents the operands wins. A 16-bit form is skipped once the core asks for 4
 * bytes (`atLeast`), so a branch that grew never shrinks back.
 */
export function encodeThumb(insn: ArmInsn, ctx: EncodeContext): Uint8Array {
  return thumbBytes(encodeThumbBits(insn, ctx));
}

/** The bytes of a Thumb encoding (encodeThumbBits): each halfword little-endian, hw1 first. */
export function thumbBytes(bits: number): Uint8Array {
  return bits > 0xffff ? thumb32(bits) : le16(bits);
}

/** Writes a Thumb encoding into `out` at `at`; returns its size. */
export function putThumb(out: Uint8Array, at: number, bits: number): 2 | 4 {
  if (bits > 0xffff) {
    out[at] = (bits >>> 16) & 0xff;
    out[at + 1] = bits >>> 24;
    out[at + 2] = bits & 0xff;
    out[at + 3] = (bits >>> 8) & 0xff;
    return 4;
  }
  out[at] = bits & 0xff;
  out[at + 1] = bits >>> 8;
  return 2;
}

/**
 * encodeThumb's instruction as one number: a 16-bit instruction below 0x10000, a 32-bit one as
 * hw1 << 16 | hw2 (hw1 is at least 0xe800, so the two never meet).
 */
export function encodeThumbBits(insn: ArmInsn, ctx: EncodeContext): number {
  const shifted = movShiftedByRegister(insn);
  if (shifted) return encodeThumbBits(shifted, ctx);
  const rows = THUMB_ROWS.get(insn.mn);
  if (!rows) fail(insn.loc, `'${insn.mn}' is not a Thumb instruction`);
  // Rows that cannot take these operands are passed over without a throw: most lines try two or
  // three such rows, and throwing was most of the time spent here. When no row fits, every row
  // is tried again the slow way, to say why.
  for (const row of rows) {
    if (widthExcludes(row, insn, ctx)) continue;
    if (cannotFit(row, insn)) continue;
    try {
      const bits = encodeRow(row, insn, ctx) >>> 0;
      if (row.v7 && insn.isa !== 'v7') continue;
      return bits;
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
    }
  }
  return encodeThumbTryingEveryRow(insn, ctx);
}

/**
 * `mov rd, rm, lsl rs` (and lsr, asr, ror) is `lsl rd, rm, rs`, and `mov rd, rm, rrx` is
 * `rrx rd, rm`: the shift instruction, as GNU as and llvm-mc read it. Undefined for other lines.
 */
function movShiftedByRegister(insn: ArmInsn): ArmInsn | undefined {
  const src = insn.ops[1];
  if (insn.mn !== 'mov' || insn.ops.length !== 2 || src?.k !== 'reg' || !src.shift || (src.shift.reg === undefined && src.shift.type !== 'rrx')) return undefined;
  const rm: Operand = { k: 'reg', r: src.r, loc: src.loc };
  if (src.shift.type === 'rrx') return { ...insn, mn: 'rrx', ops: [insn.ops[0]!, rm] };
  return { ...insn, mn: src.shift.type, ops: [insn.ops[0]!, rm, { k: 'reg', r: src.shift.reg!, loc: src.loc }] };
}

/** `.w`/`.n`, or a size the core has grown the instruction to, rules the row out. */
function widthExcludes(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext): boolean {
  return row.size === 2 ? insn.width === 'w' || ctx.atLeast > 2 : insn.width === 'n';
}

/**
 * True only when encodeRow would throw Mismatch for `row` whatever the values: the flags rule,
 * a branch's condition, a first operand that is not a low register where one must be (its
 * `low(ops[0])`), a last operand of the wrong kind, or a memory operand of the wrong kind or
 * offset. (False says nothing: encodeRow decides.)
 */
function cannotFit(row: ThumbRow, insn: ArmInsn): boolean {
  if (row.size === 2 ? (row.flags === 'it' ? insn.s === !!insn.inIT : insn.s) : insn.s && !row.s) return true;
  const ops = insn.ops;
  const first = ops[0];
  const last = ops[ops.length - 1];
  const highFirst = first !== undefined && first.k === 'reg' && first.r > 7;
  const notImm = last !== undefined && last.k !== 'imm';
  const notReg = last !== undefined && last.k !== 'reg';
  const m = ops[1];
  switch (row.form) {
    case 'bcond':
    case 'bcond_w':
      return insn.cond === 14 || !!insn.inIT;
    case 'b':
    case 'b_w':
      return insn.cond !== 14 && !insn.inIT;
    case 'rd_rn_imm3':
    case 'rdn_imm8':
      return highFirst || notImm;
    case 'dp_imm':
      return notImm || (last !== undefined && last.k === 'imm' && noModifiedImmediate(row, last.e));
    case 'imm12':
    case 'movw':
      return notImm;
    case 'shift_imm':
      return highFirst || (insn.mn !== 'mov' && notImm);
    case 'rd_rn_rm':
      return highFirst || notReg;
    case 'alu':
      return highFirst || (insn.mn !== 'rsb' && notReg);
    case 'dp_reg':
    case 'hireg':
      return notReg;
    case 'adr':
    case 'cbz':
    case 'ext':
      return highFirst;
    case 'ldst_reg':
      return highFirst || m === undefined || m.k !== 'mem' || !m.reg;
    case 'ldst_imm5': {
      if (highFirst || m === undefined || m.k !== 'mem' || !!m.reg || !m.pre || m.wb || m.base > 7) return true;
      const off = m.imm !== undefined && m.imm.k === 'num' ? Number(m.imm.v) : 0;
      const scale = row.scale!;
      return off < 0 || off > 31 * scale || off % scale !== 0;
    }
    case 'ldst_sp':
      return highFirst || m === undefined || m.k !== 'mem' || !!m.reg || m.base !== SP;
    case 'ldst_lit':
      return highFirst || (m !== undefined && m.k === 'mem' && m.base !== PC);
    case 'add_rd_sp':
      return highFirst || m === undefined || m.k !== 'reg' || m.r !== SP;
    case 'sp_imm7':
      return first === undefined || first.k !== 'reg' || first.r !== SP;
    default:
      return false;
  }
}

/**
 * True when `e` is a number that fits 32 bits and neither it nor the alternative row's form of it
 * (its complement or negation) is a Thumb-2 modified immediate: dpImm would refuse it, after
 * working out the nearest values for its message.
 */
function noModifiedImmediate(row: ThumbRow, e: Expr): boolean {
  if (e.k !== 'num' || e.v < -(1n << 31n) || e.v > 0xffffffffn) return false;
  const v = Number(BigInt.asUintN(32, e.v));
  if (thumbModImm(v) !== undefined) return false;
  return row.alt === undefined || thumbModImm(row.alt.via === 'not' ? ~v >>> 0 : -v >>> 0) === undefined;
}

/**
 * Tries every row as encodeThumb does, without passing over the rows cannotFit rules out, and,
 * when none takes the operands, fails saying why. (Exported for the test that cannotFit only
 * rules out rows that would not fit.)
 */
export function encodeThumbTryingEveryRow(insn: ArmInsn, ctx: EncodeContext): number {
  const rows = THUMB_ROWS.get(insn.mn);
  if (!rows) fail(insn.loc, `'${insn.mn}' is not a Thumb instruction`);
  let valueMiss: Mismatch | undefined;
  let shapeMiss: Mismatch | undefined;
  let needsV7 = false;
  for (const row of rows) {
    if (widthExcludes(row, insn, ctx)) continue;
    try {
      const bits = encodeRow(row, insn, ctx) >>> 0;
      if (row.v7 && insn.isa !== 'v7') {
        needsV7 = true;
        continue;
      }
      return bits;
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      // a Thumb-2 row that would take the operands but for its range still means "needs v7"
      if (e.loc && row.v7 && insn.isa !== 'v7') needsV7 = true;
      else if (e.loc) valueMiss ??= e;
      else shapeMiss ??= e;
    }
  }
  const name = insn.mn + (insn.s ? 's' : '') + (insn.width ? `.${insn.width}` : '');
  if (valueMiss && !needsV7) fail(valueMiss.loc!, valueMiss.why);
  if (needsV7) fail(insn.loc, `'${name}' with these operands needs a 32-bit Thumb-2 encoding (ARMv7; not available in ARMv6 mode)`);
  if (insn.width === 'w' && !rows.some((r) => r.size === 4)) fail(insn.loc, `'${insn.mn}' has no 32-bit (.w) form`);
  const forms = rows.filter((r) => (insn.width === 'n' ? r.size === 2 : insn.width === 'w' ? r.size === 4 : true)).map((r) => r.syntax);
  const extra = shapeMiss?.why ? ` (${shapeMiss.why})` : '';
  fail(whyLoc(insn, shapeMiss?.why), `invalid operands for '${name}'${extra}; forms: ${[...new Set(forms)].join(' | ')}`);
}

/**
 * ARMv7's BadReg: in most Thumb-2 register fields sp and pc are UNPREDICTABLE (llvm-mc rejects
 * them too). Operand `i` of the instruction holds register `r`.
 */
function notSpPc(insn: ArmInsn, r: number, i: number, allowSp = false): void {
  if (r === PC || (r === SP && !allowSp)) mismatch(`${opName(i)}: ${r === PC ? 'pc' : 'sp'} is not allowed here (unpredictable in Thumb-2)`, insn.ops[i]?.loc ?? insn.loc);
}

function low(op: Operand | undefined, i: number): number {
  const r = reg(op);
  if (r > 7) mismatch(`${opName(i)}: this form needs a low register (r0-r7)`);
  return r;
}

/** Value of an immediate operand that must lie in [lo, hi] and be a multiple of `scale`. */
function immIn(ctx: EncodeContext, op: Operand | undefined, i: number, lo: number, hi: number, scale = 1): number {
  if (!op || op.k !== 'imm') return mismatch(`${opName(i)}: #immediate`);
  const v = valueSigned(ctx, op.e);
  if (v === undefined) return lo; // unknown yet: assume the smallest, the size may grow later
  if (v < lo || v > hi || v % scale) mismatch(`${opName(i)}: ${v} is out of range (${lo} to ${hi}${scale > 1 ? `, multiple of ${scale}` : ''})`, op.loc);
  return v;
}

/** Branch offset from the Thumb pc (address + 4); undefined while the target is unknown. */
function branchOffset(ctx: EncodeContext, op: Operand | undefined): number | undefined {
  // `b #-8`, `cbz r0, #6`: the offset from pc itself (llvm-mc's reading)
  if (op?.k === 'imm') return valueSigned(ctx, op.e);
  if (!op || op.k !== 'expr') return mismatch('a label');
  const t = valueSigned(ctx, op.e);
  return t === undefined ? undefined : (t & ~1) - (ctx.address + 4);
}

function inRange(off: number, lo: number, hi: number, loc: SourceLoc, what: string): number {
  if (off < lo || off > hi || off & 1) mismatch(`operand 1: ${what} out of range (offset ${off}, must be even and within ${lo}..${hi})`, loc);
  return off;
}

function checkFlags(row: ThumbRow, insn: ArmInsn): void {
  if (row.size === 4) {
    if (insn.s && !row.s) mismatch(`'${insn.mn}' has no 's' form`);
    return;
  }
  if (row.flags === 'it') {
    // 16-bit data processing sets flags exactly when outside an IT block
    if (insn.s === !!insn.inIT) mismatch(insn.inIT ? 'inside an IT block the 16-bit form does not set flags' : "the 16-bit form sets flags: write the 's' suffix");
  } else if (insn.s) mismatch(`'${insn.mn}' has no 's' form`);
}

/** Register operand shapes `Rdn, X` or `Rd, Rn, X` with Rd = Rn, returning [Rdn, X]. */
function twoOrTied(insn: ArmInsn): [Operand, Operand] {
  const ops = insn.ops;
  if (ops.length === 2) return [ops[0]!, ops[1]!];
  if (ops.length === 3 && ops[0]!.k === 'reg' && ops[1]!.k === 'reg' && ops[0]!.r === ops[1]!.r && !ops[1]!.shift) return [ops[0]!, ops[2]!];
  return mismatch('Rdn, operand');
}

function encodeRow(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext): number {
  checkFlags(row, insn);
  const ops = insn.ops;
  const b = row.bits;
  const isBranch = row.form === 'b' || row.form === 'bcond' || row.form === 'b_w' || row.form === 'bcond_w';
  if (isBranch) {
    const conditional = insn.cond !== 14 && !insn.inIT;
    if ((row.form === 'bcond' || row.form === 'bcond_w') !== conditional) mismatch('condition');
  }
  switch (row.form) {
    default:
      return encodeThumbMore(row, insn, ctx, (r, i) => notSpPc(insn, r, i));
    case 'shift_imm': {
      if (insn.mn === 'mov') {
        if (ops.length !== 2 || ops[1]!.k !== 'reg' || ops[0]!.k !== 'reg' || ops[0]!.shift) return mismatch('Rd, Rm');
        const src = ops[1]!;
        const sh = src.shift;
        // `mov rd, rm, asr #n` is `asr rd, rm, #n`: the 16-bit shift when the flags rule allows
        if (sh && sh.imm !== undefined && sh.type !== 'ror' && sh.type !== 'rrx') {
          const [lo, hi] = sh.type === 'lsl' ? [insn.inIT ? 1 : 0, 31] : [1, 32];
          const n = immIn(ctx, { k: 'imm', e: sh.imm, loc: src.loc }, 1, lo, hi);
          return b | (SHIFT_TYPE[sh.type] << 11) | ((n & 31) << 6) | (low({ k: 'reg', r: src.r, loc: src.loc }, 1) << 3) | low(ops[0], 0);
        }
        // `movs rd, rm` is lsls rd, rm, #0 (T2 encoding, outside IT only)
        if (sh || insn.inIT) return mismatch('Rd, Rm');
        return b | (low(ops[1], 1) << 3) | low(ops[0], 0);
      }
      if (ops.length !== 3 && ops.length !== 2) return mismatch('Rd, Rm, #imm');
      const rd = low(ops[0], 0);
      const rm = ops.length === 3 ? low(ops[1], 1) : rd;
      const [lo, hi] = insn.mn === 'lsl' ? [0, 31] : [1, 32];
      const n = immIn(ctx, ops[ops.length - 1], ops.length - 1, lo, hi);
      return b | ((n & 31) << 6) | (rm << 3) | rd;
    }
    case 'rd_rn_rm': {
      // inside an IT block llvm-mc writes `add rd, rm` with the high-register form
      if (ops.length === 2 && insn.mn === 'add' && insn.inIT) return mismatch('Rd, Rn, Rm');
      const [rd, rn, rm] = ops.length === 3 ? [low(ops[0], 0), low(ops[1], 1), low(ops[2], 2)] : ops.length === 2 ? [low(ops[0], 0), low(ops[0], 0), low(ops[1], 1)] : mismatch('Rd, Rn, Rm');
      return b | (rm << 6) | (rn << 3) | rd;
    }
    case 'rd_rn_imm3': {
      if (ops.length !== 3) return mismatch('Rd, Rn, #imm3');
      const rd = low(ops[0], 0);
      const rn = low(ops[1], 1);
      const op = ops[2];
      if (op?.k !== 'imm') return mismatch('#imm3');
      let v = valueSigned(ctx, op.e) ?? 0;
      if (v > 0x7fffffff && v <= 0xffffffff) v -= 2 ** 32; // #0xffffffff is #-1
      // adds rd, rn, #-3 is subs rd, rn, #3 (the assemblers' alias)
      if (v < 0 && v >= -7) return (b ^ 0x200) | (-v << 6) | (rn << 3) | rd;
      if (v < 0 || v > 7) mismatch(`operand 3: ${v} is out of range (0 to 7)`, op.loc);
      return b | (v << 6) | (rn << 3) | rd;
    }
    case 'rdn_imm8': {
      const [d, imm] = insn.mn === 'mov' || insn.mn === 'cmp' ? (ops.length === 2 ? [ops[0]!, ops[1]!] : mismatch('Rd, #imm8')) : twoOrTied(insn);
      return b | (low(d, 0) << 8) | immIn(ctx, imm, ops.length - 1, 0, 255);
    }
    case 'alu': {
      if (insn.mn === 'rsb' || insn.mn === 'neg') {
        if (insn.mn === 'rsb' && (ops.length !== 3 || immIn(ctx, ops[2], 2, 0, 0) !== 0)) return mismatch('Rd, Rn, #0');
        if (insn.mn === 'neg' && ops.length !== 2) return mismatch('Rd, Rm');
        return b | (low(ops[1], 1) << 3) | low(ops[0], 0);
      }
      if (insn.mn === 'mul') {
        // muls rdm, rn, rdm (also written muls rdm, rn)
        const rd = low(ops[0], 0);
        if (ops.length === 2) return b | (low(ops[1], 1) << 3) | rd;
        if (ops.length !== 3) return mismatch('Rdm, Rn, Rdm');
        const [x, y] = [low(ops[1], 1), low(ops[2], 2)];
        if (y === rd) return b | (x << 3) | rd;
        if (x === rd) return b | (y << 3) | rd;
        return mismatch('Rdm, Rn, Rdm');
      }
      if (['tst', 'cmp', 'cmn'].includes(insn.mn)) {
        if (ops.length !== 2) return mismatch('Rn, Rm');
        return b | (low(ops[1], 1) << 3) | low(ops[0], 0);
      }
      if (ops.length === 3 && ['and', 'eor', 'adc', 'orr'].includes(insn.mn) && reg(ops[0]) === reg(ops[2]) && reg(ops[0]) !== reg(ops[1])) {
        return b | (low(ops[1], 1) << 3) | low(ops[0], 0); // commutative: Rd = Rm works too
      }
      if (insn.mn === 'mvn' && ops.length !== 2) return mismatch('Rd, Rm');
      const [d, m] = twoOrTied(insn);
      return b | (low(m, 1) << 3) | low(d, 0);
    }
    case 'hireg': {
      let d: Operand;
      let m: Operand;
      // add is commutative: `add rdm, rn, rdm` (T1 ADD SP plus register: `add r8, sp, r8`)
      if (insn.mn === 'add' && ops.length === 3 && ops[0]!.k === 'reg' && ops[2]!.k === 'reg' && !ops[2]!.shift && ops[0]!.r === ops[2]!.r && !(ops[1]!.k === 'reg' && ops[1]!.r === ops[0]!.r)) [d, m] = [ops[0]!, ops[1]!];
      else if (insn.mn === 'add') [d, m] = twoOrTied(insn);
      else if (ops.length === 2) [d, m] = [ops[0]!, ops[1]!];
      else return mismatch('Rd, Rm');
      const rd = reg(d);
      const rm = reg(m);
      if (insn.mn === 'cmp' && rd < 8 && rm < 8) return mismatch('a high register');
      // ARMv6 leaves add/cmp with two low registers unpredictable (only mov became defined)
      if (insn.mn === 'add' && rd < 8 && rm < 8 && insn.isa !== 'v7') return mismatch('a high register (ARMv6)');
      if (rd === PC && insn.mn === 'add' && rm === PC) return mismatch('not pc, pc');
      return b | ((rd & 8) << 4) | (rm << 3) | (rd & 7);
    }
    case 'bx': {
      if (ops.length !== 1) return mismatch('Rm');
      return b | (reg(ops[0]) << 3);
    }
    case 'ldst_lit': {
      if (ops.length !== 2) return mismatch('Rt, label');
      const rt = low(ops[0], 0);
      const off = pcOffsetWritten(ops[1]!) ?? literalTarget(insn, ctx, ops[1]!);
      if (off === undefined) return b | (rt << 8);
      if (off < 0 || off > 1020 || off & 3) mismatch(`operand 2: ${ops[1]!.k === 'lit' ? 'literal pool' : 'label'} out of range (offset ${off}, must be 0..1020 and a multiple of 4; add .ltorg closer)`, ops[1]!.loc);
      return b | (rt << 8) | (off >> 2);
    }
    case 'ldst_reg': {
      const m = ops[1];
      if (ops.length !== 2 || m?.k !== 'mem' || !m.reg || !m.pre || m.wb || m.reg.sub || m.reg.shift) return mismatch('Rt, [Rn, Rm]');
      if (m.base > 7 || m.reg.r > 7) return mismatch('low registers');
      return b | (m.reg.r << 6) | (m.base << 3) | low(ops[0], 0);
    }
    case 'ldst_imm5': {
      const m = ops[1];
      if (ops.length !== 2 || m?.k !== 'mem' || m.reg || !m.pre || m.wb || m.base > 7) return mismatch('Rt, [Rn, #imm]');
      const s = row.scale!;
      const off = memImm(ctx, m, 0, 31 * s, s);
      return b | ((off / s) << 6) | (m.base << 3) | low(ops[0], 0);
    }
    case 'ldst_sp': {
      const m = ops[1];
      if (ops.length !== 2 || m?.k !== 'mem' || m.reg || !m.pre || m.wb || m.base !== SP) return mismatch('Rt, [sp, #imm]');
      return b | (low(ops[0], 0) << 8) | (memImm(ctx, m, 0, 1020, 4) >> 2);
    }
    case 'adr': {
      const target = ops[1];
      if (ops.length !== 2 || (target?.k !== 'expr' && target?.k !== 'imm') || (target.k === 'imm' && target.minus)) return mismatch('Rd, label');
      const rd = low(ops[0], 0);
      const t = valueSigned(ctx, target.e);
      if (t === undefined) return b | (rd << 8);
      const off = target.k === 'imm' ? t : t - ((ctx.address + 4) & ~3);
      if (off < 0 || off > 1020 || off & 3) mismatch(`operand 2: adr target out of range (offset ${off}, must be 0..1020 and a multiple of 4)`, ops[1]!.loc);
      return b | (rd << 8) | (off >> 2);
    }
    case 'add_rd_sp': {
      if (ops.length !== 3 || reg(ops[1]) !== SP) return mismatch('Rd, sp, #imm');
      return b | (low(ops[0], 0) << 8) | (immIn(ctx, ops[2], 2, 0, 1020, 4) >> 2);
    }
    case 'sp_imm7': {
      const [d, imm] = twoOrTied(insn);
      if (reg(d) !== SP) return mismatch('sp, #imm');
      // add sp, #-8 is sub sp, #8 (and the other way round), as GNU as and llvm-mc write it
      const v = imm?.k === 'imm' ? valueSigned(ctx, imm.e) ?? 0 : 0;
      if (v < 0) return (b ^ 0x80) | (immIn(ctx, { k: 'imm', e: { k: 'num', v: BigInt(-v) }, loc: imm!.loc }, ops.length - 1, 0, 508, 4) >> 2);
      return b | (immIn(ctx, imm, ops.length - 1, 0, 508, 4) >> 2);
    }
    case 'cbz': {
      if (ops.length !== 2) return mismatch('Rn, label');
      const rn = low(ops[0], 0);
      const off = branchOffset(ctx, ops[1]);
      if (off === undefined) return b | rn;
      if (off < 0 || off > 126 || off & 1) {
        mismatch(`operand 2: ${insn.mn} target out of range (offset ${off}, must be forward 0..126)`, ops[1]!.loc);
      }
      return b | ((off >> 6) << 9) | (((off >> 1) & 31) << 3) | rn;
    }
    case 'ext': {
      if (ops.length !== 2) return mismatch('Rd, Rm');
      const src = ops[1]!;
      // `sxth r0, r1, ror #0` is the plain 16-bit form (as llvm-mc has it)
      const unrotated = insn.isa === 'v7' && src.k === 'reg' && src.shift?.type === 'ror' && src.shift.imm?.k === 'num' && src.shift.imm.v === 0n && !['rev', 'rev16', 'revsh'].includes(insn.mn);
      return b | (low(unrotated ? { k: 'reg', r: src.r, loc: src.loc } : src, 1) << 3) | low(ops[0], 0);
    }
    case 'push': {
      const list = ops[0];
      if (ops.length !== 1 || list?.k !== 'list') return mismatch('{registers}');
      const extra = insn.mn === 'push' ? 1 << 14 : 1 << 15;
      if (list.mask === 0) fail(list.loc, 'operand 1: the register list is empty');
      if (list.mask & ~(0xff | extra)) return mismatch(`registers r0-r7${insn.mn === 'push' ? ', lr' : ', pc'}`);
      return b | (list.mask & extra ? 0x100 : 0) | (list.mask & 0xff);
    }
    case 'it': {
      const first = insn.cond;
      let mask = 0;
      const pat = insn.itPattern ?? '';
      [...pat].forEach((x, i) => {
        const bit = x === 't' ? first & 1 : (first & 1) ^ 1;
        mask |= bit << (3 - i);
      });
      mask |= 1 << (3 - pat.length);
      return b | (first << 4) | mask;
    }
    case 'nop':
      if (ops.length) return mismatch('no operands');
      // ARMv6 Thumb has no hint: `mov r8, r8` is the conventional nop (GNU as, llvm-mc)
      return insn.isa === 'v7' ? b : 0x46c0;
    case 'ldm': {
      const base = ops[0];
      const list = ops[1];
      if (ops.length !== 2 || base?.k !== 'reg' || base.shift || list?.k !== 'list' || base.r > 7 || list.mask > 0xff) return mismatch('Rn{!}, {r0-r7}');
      if ((insn.amode ?? 'ia') !== 'ia') return mismatch('increment after');
      if (list.mask === 0) fail(list.loc, 'operand 2: the register list is empty');
      const inList = (list.mask >> base.r) & 1;
      // 16-bit ldm writes back exactly when the base is not loaded; stm always writes back
      if (insn.mn === 'ldm' ? !!base.wb === !!inList : !base.wb) return mismatch(insn.mn === 'ldm' ? 'Rn! unless Rn is in the list' : 'Rn!');
      return b | (base.r << 8) | list.mask;
    }
    case 'bcond': {
      const off = branchOffset(ctx, ops[0]);
      if (ops.length !== 1) return mismatch('label');
      if (off === undefined) return b | (insn.cond << 8);
      return b | (insn.cond << 8) | ((inRange(off, -256, 254, ops[0]!.loc, 'branch target') >> 1) & 0xff);
    }
    case 'svc': {
      const op = ops[0];
      if (ops.length !== 1 || (op?.k !== 'imm' && op?.k !== 'expr')) return mismatch('#imm8');
      const v = valueSigned(ctx, op.e) ?? 0;
      if (v < 0 || v > 255) fail(op.loc, `operand 1: svc number must be 0 to 255 in Thumb code, not ${v}`);
      return b | v;
    }
    case 'b': {
      if (ops.length !== 1) return mismatch('label');
      const off = branchOffset(ctx, ops[0]);
      if (off === undefined) return b;
      return b | ((inRange(off, -2048, 2046, ops[0]!.loc, 'branch target') >> 1) & 0x7ff);
    }
    case 'bl':
    case 'b_w': {
      if (ops.length !== 1) return mismatch('label');
      const blx = insn.mn === 'blx';
      if (blx && ops[0]!.k === 'reg') return mismatch('label');
      if (insn.mn !== 'b' && insn.cond !== 14 && !insn.inIT) fail(insn.loc, `${insn.mn} cannot be conditional outside an IT block`);
      let off = branchOffset(ctx, ops[0]);
      if (off === undefined) return b;
      // blx switches to ARM: the target is word aligned and so is the pc it is relative to
      if (blx) off = ((off + ctx.address + 4) & ~3) - ((ctx.address + 4) & ~3);
      const reach = insn.isa === 'v7' ? 1 << 24 : 1 << 22;
      inRange(off, -reach, reach - 2, ops[0]!.loc, `${insn.mn} target`);
      return b | branch24(off, blx);
    }
    case 'bcond_w': {
      if (ops.length !== 1) return mismatch('label');
      const off = branchOffset(ctx, ops[0]);
      if (off === undefined) return b | (insn.cond << 22);
      inRange(off, -(1 << 20), (1 << 20) - 2, ops[0]!.loc, 'branch target');
      const s = off < 0 ? 1 : 0;
      return b | (s << 26) | (insn.cond << 22) | (((off >> 12) & 0x3f) << 16) | (((off >> 18) & 1) << 13) | (((off >> 19) & 1) << 11) | ((off >> 1) & 0x7ff);
    }
    case 'dp_imm':
      return dpImm(row, insn, ctx);
    case 'imm12': {
      const [d, n, imm, i] = ops.length === 3 ? [ops[0], ops[1], ops[2], 2] : ops.length === 2 ? [ops[0], ops[0], ops[1], 1] : mismatch('Rd, Rn, #imm12');
      if (imm?.k !== 'imm') return mismatch('#imm12');
      let v = valueSigned(ctx, imm.e) ?? 0;
      let bits = b;
      if (v < 0 && (insn.mn === 'add' || insn.mn === 'sub' || insn.mn === 'addw')) {
        v = -v;
        bits ^= 0x00a00000; // addw <-> subw
      }
      if (v < 0 || v > 4095) mismatch(`operand ${i + 1}: ${v} is out of range (0 to 4095)`, imm.loc);
      notSpPc(insn, reg(d), 0, reg(n) === SP);
      return bits | (reg(n) << 16) | (reg(d) << 8) | splitImm12(v);
    }
    case 'movw': {
      if (ops.length !== 2) return mismatch('Rd, #imm16');
      if (insn.mn === 'mov' && insn.width) return mismatch('mov.w takes a modified immediate');
      const v = immIn(ctx, ops[1], 1, 0, 0xffff);
      notSpPc(insn, reg(ops[0]), 0);
      return b | ((v >> 12) << 16) | (reg(ops[0]) << 8) | splitImm12(v & 0xfff);
    }
    case 'dp_reg':
      return dpReg(row, insn, ctx);
    case 'shift_w': {
      const s = insn.s ? 1 << 20 : 0;
      const [d, m, amt] = ops.length === 3 ? [ops[0], ops[1], ops[2]] : ops.length === 2 ? [ops[0], ops[0], ops[1]] : mismatch('Rd, Rm, #imm');
      notSpPc(insn, reg(d), 0);
      notSpPc(insn, reg(m), ops.length === 3 ? 1 : 0);
      if (amt?.k === 'reg') {
        notSpPc(insn, reg(amt), ops.length - 1);
        return b | s | (reg(m) << 16) | (reg(d) << 8) | reg(amt);
      }
      const type = (b >> 21) & 3;
      const n = immIn(ctx, amt, ops.length - 1, type === 0 ? 0 : 1, type === 0 || type === 3 ? 31 : 32);
      // mov.w Rd, Rm, <shift> #n: imm3 (14-12), imm2 (7-6), type (5-4)
      return 0xea4f0000 | s | (((n & 31) >> 2) << 12) | (reg(d) << 8) | ((n & 3) << 6) | (type << 4) | reg(m);
    }
    case 'mul_w': {
      // mul rd, rm is mul rd, rm, rd (as llvm-mc encodes it)
      const [d, n, m] = ops.length === 3 ? ops : ops.length === 2 ? [ops[0], ops[1], ops[0]] : mismatch('Rd, Rn, Rm');
      [d, n, m].forEach((o, k) => notSpPc(insn, reg(o), Math.min(k, ops.length - 1)));
      return b | (reg(n) << 16) | (reg(d) << 8) | reg(m);
    }
    case 'ldst_w':
      return loadStoreWide(row, insn, ctx);
    case 'nop_w':
      if (ops.length) return mismatch('no operands');
      return b;
    case 'ldm_w': {
      const base = ops[0];
      const list = ops[1];
      if (ops.length !== 2 || base?.k !== 'reg' || base.shift || list?.k !== 'list') return mismatch('Rn{!}, {registers}');
      if ((insn.amode ?? 'ia') !== 'ia' && insn.amode !== 'db') return mismatch('ia or db');
      if (list.mask === 0) fail(list.loc, 'operand 2: the register list is empty');
      if (list.mask & (1 << SP) || (insn.mn === 'stm' && list.mask & (1 << PC))) fail(list.loc, `operand 2: ${insn.mn} cannot transfer ${list.mask & (1 << SP) ? 'sp' : 'pc'} in Thumb code`);
      if (base.wb && insn.mn === 'ldm' && list.mask & (1 << base.r)) fail(base.loc, `operand 1: ldm with writeback cannot load its base register r${base.r}`);
      // one register with writeback: ldr rt, [rn], #4 (what llvm-mc emits)
      if (insn.mn === 'ldm' && base.wb && (list.mask & (list.mask - 1)) === 0 && insn.amode !== 'db') return 0xf8500b04 | (base.r << 16) | ((31 - Math.clz32(list.mask)) << 12);
      const db = insn.amode === 'db' ? 0x01800000 : 0; // op (24-23) = 10 for db, 01 for ia
      return (b ^ db) | (base.wb ? 1 << 21 : 0) | (base.r << 16) | list.mask;
    }
    case 'push_w': {
      const list = ops[0];
      if (ops.length !== 1 || list?.k !== 'list') return mismatch('{registers}');
      if (list.mask & (1 << SP)) fail(list.loc, `operand 1: ${insn.mn} of sp is not allowed`);
      if (insn.mn === 'push' && list.mask & (1 << PC)) fail(list.loc, 'operand 1: push of pc is not allowed in Thumb code');
      if (insn.mn === 'pop' && list.mask & (1 << PC) && list.mask & (1 << 14)) fail(list.loc, 'operand 1: pop cannot load both lr and pc');
      if ((list.mask & (list.mask - 1)) === 0) {
        const rt = 31 - Math.clz32(list.mask);
        return (insn.mn === 'push' ? 0xf84d0d04 : 0xf85d0b04) | (rt << 12);
      }
      return b | list.mask;
    }
  }
}

/** i:imm3:imm8 at bits 26, 14-12, 7-0 of a 32-bit Thumb instruction. */
function splitImm12(v: number): number {
  return (((v >> 11) & 1) << 26) | (((v >> 8) & 7) << 12) | (v & 0xff);
}

/** S:imm10 | J1 J2 imm11 for bl/b.w (J = NOT(I xor S)); blx stores imm10L in bits 10-1. */
function branch24(off: number, blx: boolean): number {
  const s = off < 0 ? 1 : 0;
  const j1 = ((off >> 23) & 1) ^ s ^ 1;
  const j2 = ((off >> 22) & 1) ^ s ^ 1;
  const low = blx ? ((off >> 2) & 0x3ff) << 1 : (off >> 1) & 0x7ff;
  return (s << 26) | (((off >> 12) & 0x3ff) << 16) | (j1 << 13) | (j2 << 11) | low;
}

function memImm(ctx: EncodeContext, m: Operand & { k: 'mem' }, lo: number, hi: number, scale: number): number {
  if (!m.imm) return 0;
  if (m.minus) return mismatch('an offset that adds (#-0 subtracts)'); // the 16-bit forms have no U bit
  const v = valueSigned(ctx, m.imm);
  if (v === undefined) return 0;
  if (v < lo || v > hi || v % scale) mismatch(`operand 2: offset ${v} is out of range (${lo} to ${hi}${scale > 1 ? `, multiple of ${scale}` : ''})`, m.loc);
  return v;
}

/**
 * The offset of `[pc, #imm]` as written (a multiple of 4, 0-1020, for the 16-bit load); undefined
 * for any other operand. (A written `#-0` is no 16-bit offset: a Mismatch.)
 */
function pcOffsetWritten(op: Operand): number | undefined {
  if (op.k !== 'mem' || op.base !== PC) return undefined;
  if (!op.pre || op.wb || op.reg || op.minus) return mismatch('[pc, #imm8*4]');
  if (!op.imm) return 0;
  if (op.imm.k !== 'num') return mismatch('[pc, #number]');
  return Number(op.imm.v);
}

/** Offset of a literal (`=value` pool entry or a label) from Align(pc, 4). */
function literalTarget(insn: ArmInsn, ctx: EncodeContext, op: Operand): number | undefined {
  const base = (ctx.address + 4) & ~3;
  if (op.k === 'lit') {
    if (!insn.lit) fail(op.loc, 'operand 2: =value only works with ldr');
    return insn.lit.pool.at === undefined ? undefined : insn.lit.pool.at + 4 * insn.lit.index - base;
  }
  if (op.k === 'imm') return valueSigned(ctx, op.e); // `ldr r0, #8`: the offset itself
  if (op.k !== 'expr') return mismatch('Rt, label');
  const t = valueSigned(ctx, op.e);
  return t === undefined ? undefined : t - base;
}

type Shape = 'rd,rn' | 'rd' | 'rn';
function shapeOf(bits: number): Shape {
  if ((bits & 0x100f00) === 0x100f00) return 'rn';
  return (bits & 0xf0000) === 0xf0000 ? 'rd' : 'rd,rn';
}

/** Splits operands into Rd, Rn and the last (source) operand for a data-processing shape. */
function dpOperands(shape: Shape, insn: ArmInsn): { rd: number; rn: number; src: Operand; i: number } {
  const ops = insn.ops;
  if (shape === 'rd,rn') {
    if (ops.length === 3) return { rd: reg(ops[0]), rn: reg(ops[1]), src: ops[2]!, i: 2 };
    if (ops.length === 2) return { rd: reg(ops[0]), rn: reg(ops[0]), src: ops[1]!, i: 1 };
    return mismatch('Rd, Rn, operand');
  }
  if (ops.length !== 2) return mismatch(shape === 'rd' ? 'Rd, operand' : 'Rn, operand');
  return shape === 'rd' ? { rd: reg(ops[0]), rn: 0, src: ops[1]!, i: 1 } : { rd: 0, rn: reg(ops[0]), src: ops[1]!, i: 1 };
}

/** A data-processing modified-immediate instruction's registers and immediate put into `bits`. */
function dpImmFields(bits: number, shape: Shape, rd: number, rn: number, imm: number): number {
  return bits | (shape === 'rd,rn' ? rn << 16 : 0) | (shape !== 'rn' ? rd << 8 : rn << 16) | splitImm12(imm);
}

function dpImm(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext): number {
  const shape = shapeOf(row.bits);
  const { rd, rn, src, i } = dpOperands(shape, insn);
  if (src.k !== 'imm') return mismatch('#immediate');
  if (rd === PC || (shape !== 'rd' && rn === PC)) return mismatch('not pc');
  const arith = row.mn === 'add' || row.mn === 'sub' || row.mn === 'cmp' || row.mn === 'cmn';
  // add/sub take sp as Rd only with sp as Rn (sp plus immediate); cmp/cmn take sp as Rn.
  if (shape !== 'rn') notSpPc(insn, rd, 0, arith && rn === SP);
  if (shape === 'rd,rn') notSpPc(insn, rn, i - 1, arith);
  if (shape === 'rn') notSpPc(insn, rn, 0, arith);
  const v = value32(ctx, src.e, src.loc, opName(i)) ?? 0;
  const s = insn.s ? 1 << 20 : 0;
  // llvm-mc picks movw for a plain mov of 256..65535 (same size); follow the oracle
  if (row.mn === 'mov' && !insn.s && !insn.width && v > 255 && v <= 0xffff) return mismatch('movw');
  const imm = thumbModImm(v);
  if (imm !== undefined) return dpImmFields(row.bits | s, shape, rd, rn, imm);
  if (row.alt) {
    const alt = row.alt.via === 'not' ? ~v >>> 0 : -v >>> 0;
    const altImm = thumbModImm(alt);
    const altRow = THUMB_ROWS.get(row.alt.mn)!.find((r) => r.form === 'dp_imm')!;
    if (altImm !== undefined) return dpImmFields(altRow.bits | s, shape, rd, rn, altImm);
  }
  return mismatch(`${opName(i)}: 0x${v.toString(16)} is not a Thumb-2 modified immediate; ${nearestImm(v, true)}`, src.loc);
}

function dpReg(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext): number {
  const shape = shapeOf(row.bits);
  const { rd, rn, src, i } = dpOperands(shape, insn);
  if (src.k !== 'reg' || src.wb || src.shift?.reg !== undefined) return mismatch('a register with an optional immediate shift');
  const arith = row.mn === 'add' || row.mn === 'sub' || row.mn === 'cmp' || row.mn === 'cmn';
  if (shape === 'rd' && row.mn === 'mov' && !insn.s && !src.shift) {
    // mov.w: sp may be either register, not both
    notSpPc(insn, rd, 0, src.r !== SP);
    notSpPc(insn, src.r, i, rd !== SP);
  } else if (arith && shape === 'rd,rn' && rn === SP) {
    // sp plus a register: not into pc; the register may be sp only in a plain, unshifted add
    // without .w (as llvm-mc takes it: `add r0, sp, sp`, not `add r0, sp, sp, lsl #2`)
    notSpPc(insn, rd, 0, true);
    if (src.r === SP && src.shift && row.mn === 'add' && !insn.s) {
      mismatch(`${opName(i)}: sp added to sp cannot be shifted (unpredictable in Thumb-2)`, insn.ops[i]?.loc ?? insn.loc);
    }
    notSpPc(insn, src.r, i, row.mn === 'add' && !insn.s && insn.width !== 'w');
  } else {
    if (shape !== 'rn') notSpPc(insn, rd, 0, arith && rn === SP);
    if (shape !== 'rd') notSpPc(insn, rn, shape === 'rn' ? 0 : i - 1, arith);
    notSpPc(insn, src.r, i);
  }
  let sh = 0;
  if (src.shift) {
    const t = src.shift.type;
    if (t === 'rrx') sh = 3 << 4;
    else {
      const [lo, hi] = t === 'lsl' ? [0, 31] : t === 'ror' ? [1, 31] : [1, 32];
      const n = valueSigned(ctx, src.shift.imm!) ?? lo;
      if (n < lo || n > hi) mismatch(`${opName(i)}: ${t} amount must be ${lo} to ${hi}, not ${n}`, src.loc);
      sh = (((n & 31) >> 2) << 12) | ((n & 3) << 6) | (SHIFT_TYPE[t] << 4);
    }
  }
  const s = insn.s ? 1 << 20 : 0;
  return row.bits | s | (shape === 'rd,rn' ? rn << 16 : shape === 'rn' ? rn << 16 : 0) | (shape !== 'rn' ? rd << 8 : 0) | sh | src.r;
}

function loadStoreWide(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  if (ops.length !== 2) return mismatch('Rt, [Rn, offset]');
  const rt = reg(ops[0]);
  const m = ops[1]!;
  const b = row.bits | (rt << 12);
  // Bytes and halfwords cannot go to or from sp or pc (ldrb pc is pld); a word store not from pc.
  if (row.mn !== 'ldr') notSpPc(insn, rt, 0, row.mn === 'str');
  const load = (row.bits >> 20) & 1;
  if (m.k === 'lit' || m.k === 'expr' || m.k === 'imm') {
    if (!load) return mismatch('a memory operand');
    const off = literalTarget(insn, ctx, m);
    if (off === undefined) return b | (PC << 16) | (1 << 23);
    if (off < -4095 || off > 4095) mismatch(`operand 2: ${m.k === 'lit' ? 'literal pool' : 'label'} out of range (offset ${off}, must be within ±4095; add .ltorg closer)`, m.loc);
    return b | (PC << 16) | (off >= 0 ? 1 << 23 : 0) | Math.abs(off);
  }
  if (m.k !== 'mem') return mismatch('Rt, [Rn, offset]');
  if (m.base === PC) {
    // [pc, #±imm12]: the offset from Align(pc, 4) as written
    if (!load || !m.pre || m.wb || m.reg) return mismatch('[pc, #±imm12] (a load, no writeback)');
    const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
    if (off < -4095 || off > 4095) mismatch(`operand 2: offset ${off} is out of range (±4095)`, m.loc);
    return b | (PC << 16) | (offsetAdds(off, m) ? 1 << 23 : 0) | Math.abs(off);
  }
  const rn = m.base << 16;
  if (m.reg) {
    if (!m.pre || m.wb || m.reg.sub) return mismatch('[Rn, Rm{, lsl #0-3}]');
    if (m.reg.r === SP || m.reg.r === PC) mismatch(`operand 2: the offset register cannot be ${m.reg.r === SP ? 'sp' : 'pc'} (unpredictable in Thumb-2)`, m.loc);
    const sh = m.reg.shift;
    let n = 0;
    if (sh) {
      if (sh.type !== 'lsl' || sh.imm === undefined) return mismatch('lsl #0-3');
      n = valueSigned(ctx, sh.imm) ?? 0;
      if (n < 0 || n > 3) mismatch(`operand 2: the offset register shift must be lsl #0 to #3, not ${n}`, m.loc);
    }
    return b | rn | (n << 4) | m.reg.r;
  }
  const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
  if (m.pre && !m.wb && offsetAdds(off, m)) {
    if (off > 4095) mismatch(`operand 2: offset ${off} is out of range (-255 to 4095)`, m.loc);
    return b | (1 << 23) | rn | off;
  }
  if (m.wb && (m.base === rt || m.base === PC)) fail(m.loc, `operand 2: writeback to r${m.base}, which is also transferred, is unpredictable`);
  if (off < -255 || off > 255) mismatch(`operand 2: offset ${off} is out of range (±255 with writeback or a negative offset)`, m.loc);
  // 1 P U W imm8 (bits 11-0)
  return b | rn | 0x800 | (m.pre ? 0x400 : 0) | (offsetAdds(off, m) ? 0x200 : 0) | (m.wb ? 0x100 : 0) | Math.abs(off);
}
