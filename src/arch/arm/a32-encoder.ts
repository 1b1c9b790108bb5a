import type { EncodeContext } from '../../core/backend.js';
import { fail, type SourceLoc } from '../../core/errors.js';
import { encodeA32More } from './a32-more.js';
import { A32_ROWS, type A32Row } from './a32-table.js';
import { armModImm, le32, mismatch, offsetAdds, Mismatch, nearestImm, opName, rangeError, reg, value32, valueSigned, whyLoc, mismatchAt } from './encoder.js';
import type { ArmInsn, Operand, Shift } from './operands.js';
import { PC, SHIFT_TYPE, SP } from './registers.js';

/**
 * Encodes one A32 instruction: every A32 instruction is one 32-bit word, so the only choice
 * is which row (e.g. `mov` or its complement `mvn`) represents the operands.
 */
export function encodeA32(insn: ArmInsn, ctx: EncodeContext): Uint8Array {
  return le32(encodeA32Word(insn, ctx));
}

/** `encodeA32`'s word (unsigned). */
export function encodeA32Word(insn: ArmInsn, ctx: EncodeContext): number {
  const rows = A32_ROWS.get(insn.mn);
  if (!rows) fail(insn.loc, `'${insn.mn}' is not an A32 instruction`);
  let why = '';
  let place: SourceLoc | undefined;
  for (const row of rows) {
    if (row.v7 && insn.isa !== 'v7') fail(insn.loc, `'${insn.mn}' needs ARMv7 (not available in ARMv6 mode)`);
    if (insn.s && !row.s) fail(insn.loc, `'${insn.mn}' has no flag-setting 's' form`);
    if (insn.width) fail(insn.loc, `'.${insn.width}' width qualifiers exist only in Thumb code`);
    try {
      return encodeRow(row, insn, ctx) >>> 0;
    } catch (e) {
      if (e instanceof Mismatch) {
        why = e.why;
        place = e.place;
        continue;
      }
      throw e;
    }
  }
  fail(place ?? whyLoc(insn, why), `invalid operands for '${insn.mn}'${why ? ` (expected ${why})` : ''}`);
}

const cond = (insn: ArmInsn): number => (insn.cond << 28) >>> 0;

/** Fails when operand `i` (register `r`) is pc, UNPREDICTABLE in this form (llvm-mc rejects it too). */
function notPc(insn: ArmInsn, r: number, i: number, what = 'this form'): void {
  if (r === PC) fail(insn.ops[i]?.loc ?? insn.loc, `${opName(i)}: pc is not allowed in ${what} (unpredictable)`);
}

/** A 5-bit shift amount and type field (bits 11-5) for an immediate shift. */
export function shiftImmField(ctx: EncodeContext, sh: Shift | undefined, op: Operand, i: number): number {
  if (!sh) return 0;
  if (sh.type === 'rrx') return 3 << 5;
  const n = valueSigned(ctx, sh.imm!) ?? 1;
  // lsr/asr/ror #0 is no shift at all (lsl #0), as llvm-mc reads it
  if (n === 0) return 0;
  const t = SHIFT_TYPE[sh.type];
  const [lo, hi] = sh.type === 'lsl' ? [0, 31] : sh.type === 'ror' ? [1, 31] : [1, 32];
  if (n < lo || n > hi) fail(op.loc, `${opName(i)}: ${sh.type} amount must be ${lo} to ${hi}, not ${n}`);
  return ((n & 31) << 7) | (t << 5);
}

/** operand2 of data processing, register forms: Rm with an immediate or register shift. */
function op2Reg(ctx: EncodeContext, op: Operand, i: number): number {
  if (op.k !== 'reg' || op.wb) return mismatchAt('a register or #immediate', op.loc);
  const sh = op.shift;
  if (sh?.reg !== undefined) return (sh.reg << 8) | (SHIFT_TYPE[sh.type] << 5) | 0x10 | op.r;
  return shiftImmField(ctx, sh, op, i) | op.r;
}

function dataProcessing(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  let rd = 0;
  let rn = 0;
  let src: Operand;
  let srcIndex: number;
  if (row.ops === 'rd,rn,op2') {
    if (ops.length >= 3 && ops[ops.length - 2]!.k === 'imm' && ops[ops.length - 1]!.k === 'imm') {
      return explicitRotation(row, insn, ctx);
    } else if (ops.length === 2) {
      rd = rn = reg(ops[0]);
      [src, srcIndex] = [ops[1]!, 1];
    } else if (ops.length === 3) {
      rd = reg(ops[0]);
      rn = reg(ops[1]);
      [src, srcIndex] = [ops[2]!, 2];
    } else return mismatch('Rd, Rn, operand2');
  } else {
    if (ops.length === 3 && ops[1]!.k === 'imm' && ops[2]!.k === 'imm') return explicitRotation(row, insn, ctx);
    if (ops.length !== 2) return mismatch(row.ops === 'rd,op2' ? 'Rd, operand2' : 'Rn, operand2');
    if (row.ops === 'rd,op2') rd = reg(ops[0]);
    else rn = reg(ops[0]);
    [src, srcIndex] = [ops[1]!, 1];
  }
  const fields = (bits: number): number => cond(insn) | bits | (insn.s ? 1 << 20 : 0) | (rn << 16) | (rd << 12);
  if (src.k === 'imm') {
    const v = value32(ctx, src.e, src.loc, opName(srcIndex)) ?? 0;
    const imm = armModImm(v);
    if (imm !== undefined) return fields(row.bits) | (1 << 25) | imm;
    if (row.alt) {
      const alt = row.alt.via === 'not' ? ~v >>> 0 : -v >>> 0;
      const altImm = armModImm(alt);
      if (altImm !== undefined) return fields(A32_ROWS.get(row.alt.mn)![0]!.bits) | (1 << 25) | altImm;
    }
    // ARMv7 assemblers fall back to movw for a 16-bit mov immediate
    if (row.mn === 'mov' && !insn.s && insn.isa === 'v7' && v <= 0xffff) return cond(insn) | 0x03000000 | ((v >> 12) << 16) | (rd << 12) | (v & 0xfff);
    fail(src.loc, `${opName(srcIndex)}: 0x${v.toString(16)} is not an 8-bit value rotated by an even amount; ${nearestImm(v, false)}`);
  }
  if (src.k === 'reg' && src.shift?.reg !== undefined) {
    // register-shifted register: no pc anywhere
    if (row.ops !== 'rn,op2') notPc(insn, rd, 0, 'a register-shifted operation');
    if (row.ops !== 'rd,op2') notPc(insn, rn, row.ops === 'rn,op2' ? 0 : srcIndex - 1, 'a register-shifted operation');
    notPc(insn, src.r, srcIndex, 'a register-shifted operation');
    notPc(insn, src.shift.reg, srcIndex, 'a register-shifted operation');
  }
  return fields(row.bits) | op2Reg(ctx, src, srcIndex);
}

/**
 * Operand 2 written as `#imm8, #rot` (the value imm8 rotated right by rot, an even 0-30): encoded
 * as written, even where another rotation gives the same value, as GNU as and llvm-mc do.
 */
function explicitRotation(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  const n = ops.length;
  const imm = ops[n - 2] as Operand & { k: 'imm' };
  const rot = ops[n - 1] as Operand & { k: 'imm' };
  const v = valueSigned(ctx, imm.e) ?? 0;
  const r = valueSigned(ctx, rot.e) ?? 0;
  if (v < 0 || v > 255) fail(imm.loc, `${opName(n - 2)}: with a rotation the value must be 0 to 255, not ${v}`);
  if (r < 0 || r > 30 || r & 1) fail(rot.loc, `${opName(n - 1)}: the rotation must be an even number 0 to 30, not ${r}`);
  const regs = ops.slice(0, n - 2).map((o) => reg(o));
  if (regs.length !== (row.ops === 'rd,rn,op2' ? 2 : 1) && !(row.ops === 'rd,rn,op2' && regs.length === 1)) return mismatch('registers, #imm8, #rotation');
  let rd = 0;
  let rn = 0;
  if (row.ops === 'rd,rn,op2') [rd, rn] = regs.length === 2 ? [regs[0]!, regs[1]!] : [regs[0]!, regs[0]!];
  else if (row.ops === 'rd,op2') rd = regs[0]!;
  else rn = regs[0]!;
  return cond(insn) | row.bits | (insn.s ? 1 << 20 : 0) | (1 << 25) | (rn << 16) | (rd << 12) | ((r >> 1) << 8) | v;
}

/** Target of a pc-relative operand, relative to pc (the instruction's address + 8 in A32). */
function pcOffset(ctx: EncodeContext, op: Operand, pcBias: number): number | undefined {
  // `b #-8`, `adr r0, #12`: the offset from pc itself (llvm-mc's reading)
  if (op.k === 'imm') return valueSigned(ctx, op.e);
  if (op.k !== 'expr') return mismatch('a label');
  const t = valueSigned(ctx, op.e);
  return t === undefined ? undefined : t - (ctx.address + pcBias);
}

function literalOffset(insn: ArmInsn, ctx: EncodeContext): number | undefined {
  const lit = insn.lit;
  if (!lit || lit.pool.at === undefined) return undefined;
  return lit.pool.at + 4 * lit.index - (ctx.address + 8);
}

function encodeRow(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  const c = cond(insn);
  switch (row.form) {
    case 'dp':
      return dataProcessing(row, insn, ctx);
    case 'shift': {
      const s = insn.s ? 1 << 20 : 0;
      if (insn.mn === 'rrx') {
        if (ops.length !== 2) return mismatch('Rd, Rm');
        return c | row.bits | s | (reg(ops[0]) << 12) | reg(ops[1]);
      }
      if (ops.length < 2 || ops.length > 3) return mismatch('Rd, Rm, #amount or Rd, Rm, Rs');
      const rd = reg(ops[0]);
      const rm = ops.length === 3 ? reg(ops[1]) : rd;
      const amt = ops[ops.length - 1]!;
      const type = row.bits & 0x60;
      if (amt.k === 'reg') {
        for (let k = 0; k < ops.length; k++) notPc(insn, reg(ops[k]), k, 'a shift by a register');
        return c | row.bits | s | (rd << 12) | (reg(amt) << 8) | 0x10 | rm;
      }
      if (amt.k !== 'imm') return mismatchAt('#amount or a register', amt.loc);
      const n = valueSigned(ctx, amt.e) ?? 1;
      const i = ops.length - 1;
      const hi = type === 0 || type === 0x60 ? 31 : 32;
      if (n < 0 || n > hi) fail(amt.loc, `${opName(i)}: ${insn.mn} amount must be 0 to ${hi}, not ${n}`);
      // a shift by 0 is a plain mov (lsr/asr #0 would mean #32, ror #0 rrx), as llvm-mc reads it
      return c | (n === 0 ? row.bits & ~0x60 : row.bits) | s | (rd << 12) | ((n & 31) << 7) | rm;
    }
    case 'neg': {
      if (ops.length !== 2) return mismatch('Rd, Rm');
      return c | row.bits | (insn.s ? 1 << 20 : 0) | (reg(ops[1]) << 16) | (reg(ops[0]) << 12);
    }
    case 'mul': {
      for (let k = 0; k < ops.length; k++) if (ops[k]!.k === 'reg') notPc(insn, reg(ops[k]), k, 'a multiply');
      const s = insn.s ? 1 << 20 : 0;
      if (insn.mn === 'mul') {
        if (ops.length !== 3 && ops.length !== 2) return mismatch('Rd, Rn, Rm');
        const rd = reg(ops[0]);
        // (mul rd, rm is mul rd, rd, rm: Rn (3-0) = Rd, as llvm-mc encodes it)
        const [rn, rm] = ops.length === 3 ? [reg(ops[1]), reg(ops[2])] : [rd, reg(ops[1])];
        return c | row.bits | s | (rd << 16) | (rm << 8) | rn;
      }
      if (ops.length !== 4) return mismatch('Rd, Rn, Rm, Ra');
      return c | row.bits | s | (reg(ops[0]) << 16) | (reg(ops[3]) << 12) | (reg(ops[2]) << 8) | reg(ops[1]);
    }
    case 'mull': {
      if (ops.length !== 4) return mismatch('RdLo, RdHi, Rn, Rm');
      for (let k = 0; k < 4; k++) notPc(insn, reg(ops[k]), k, 'a multiply');
      const [lo, hi] = [reg(ops[0]), reg(ops[1])];
      if (lo === hi) fail(ops[1]!.loc, 'operand 2: RdHi and RdLo must be different registers');
      return c | row.bits | (insn.s ? 1 << 20 : 0) | (hi << 16) | (lo << 12) | (reg(ops[3]) << 8) | reg(ops[2]);
    }
    case 'ldst':
      return loadStore(row, insn, ctx);
    case 'ldstx':
      return loadStoreExtra(row, insn, ctx);
    case 'ldm': {
      if (ops.length !== 2) return mismatch('Rn{!}, {registers}');
      const base = ops[0]!;
      const list = ops[1]!;
      if (base.k !== 'reg' || base.shift || list.k !== 'list') return mismatch('Rn{!}, {registers}');
      if (list.mask === 0) fail(list.loc, 'operand 2: the register list is empty');
      if (list.user && base.wb && !(row.mn === 'ldm' && list.mask & (1 << PC))) fail(base.loc, 'operand 1: writeback with the user registers ({…}^ without pc) is unpredictable');
      if (base.wb && row.mn === 'ldm' && insn.isa === 'v7' && list.mask & (1 << base.r)) fail(base.loc, `operand 1: ldm with writeback cannot load its base register r${base.r}`);
      const pu = { ia: 0b01, ib: 0b11, da: 0b00, db: 0b10 }[insn.amode ?? 'ia'];
      // `{…}^`: the user-mode registers (or, loading pc, an exception return): S (22)
      return c | row.bits | (pu << 23) | (list.user ? 1 << 22 : 0) | (base.wb ? 1 << 21 : 0) | (base.r << 16) | list.mask;
    }
    case 'push': {
      const list = ops[0];
      if (ops.length !== 1 || list?.k !== 'list') return mismatch('{registers}');
      if (list.mask === 0) fail(list.loc, 'operand 1: the register list is empty');
      if (list.mask & (1 << SP)) fail(list.loc, `operand 1: ${insn.mn} of sp is not allowed`);
      // One register: str rt, [sp, #-4]! / ldr rt, [sp], #4 (A2 encodings), as assemblers do.
      if ((list.mask & (list.mask - 1)) === 0) {
        const rt = 31 - Math.clz32(list.mask);
        return c | (insn.mn === 'push' ? 0x052d0004 : 0x049d0004) | (rt << 12);
      }
      return c | row.bits | list.mask;
    }
    case 'b': {
      if (ops.length !== 1) return mismatch('a label');
      let off = pcOffset(ctx, ops[0]!, 8) ?? 0;
      // a written #offset is the offset itself: it must be a word multiple (no switch to Thumb)
      if (ops[0]!.k === 'imm' && (off & 3 || off < -(1 << 25) || off >= 1 << 25)) fail(ops[0]!.loc, `operand 1: the offset ${off} must be a multiple of 4 within ±32 MB`);
      // bl to a Thumb function (odd address) switches state: blx label, unconditional.
      if (off & 1) {
        if (insn.mn === 'b') rangeError(ctx, ops[0]!.loc, 'operand 1: b cannot reach Thumb code (odd address); use bx or blx');
        else if (insn.cond !== 14) rangeError(ctx, ops[0]!.loc, 'operand 1: a conditional bl cannot switch to Thumb code');
        else {
          off -= 1;
          if (off < -(1 << 25) || off >= 1 << 25) rangeError(ctx, ops[0]!.loc, `operand 1: branch target out of range (offset ${off}, must be within ±32 MB)`);
          return 0xfa000000 | (((off >> 1) & 1) << 24) | ((off >> 2) & 0xffffff);
        }
      }
      if (off & 3) rangeError(ctx, ops[0]!.loc, 'operand 1: branch target must be word aligned');
      if (off < -(1 << 25) || off >= 1 << 25) rangeError(ctx, ops[0]!.loc, `operand 1: branch target out of range (offset ${off}, must be within ±32 MB)`);
      return c | row.bits | ((off >> 2) & 0xffffff);
    }
    case 'blx': {
      if (ops.length !== 1) return mismatch('Rm or a label');
      const op = ops[0]!;
      if (op.k === 'reg') return c | row.bits | reg(op);
      if (insn.cond !== 14) fail(insn.loc, 'blx with a label cannot be conditional');
      let off = pcOffset(ctx, op, 8) ?? 0;
      if (op.k === 'imm' && (off & 1 || off < -(1 << 25) || off >= 1 << 25)) fail(op.loc, `operand 1: the offset ${off} must be even and within ±32 MB`);
      off &= ~1;
      if (off < -(1 << 25) || off >= 1 << 25) rangeError(ctx, op.loc, `operand 1: branch target out of range (offset ${off}, must be within ±32 MB)`);
      return 0xfa000000 | (((off >> 1) & 1) << 24) | ((off >> 2) & 0xffffff);
    }
    case 'bx':
      if (ops.length !== 1) return mismatch('Rm');
      return c | row.bits | reg(ops[0]);
    case 'svc': {
      const op = ops[0];
      if (ops.length !== 1 || (op?.k !== 'imm' && op?.k !== 'expr')) return mismatch('#imm24');
      const v = valueSigned(ctx, op.e) ?? 0;
      if (v < 0 || v > 0xffffff) fail(op.loc, `operand 1: svc number must be 0 to 0xffffff, not ${v}`);
      return c | row.bits | v;
    }
    case 'nop':
      if (ops.length) return mismatch('no operands');
      // ARMv6 has no hint space: GNU as and llvm-mc emit `mov r0, r0` for armv6.
      return c | (insn.isa === 'v7' ? row.bits : 0x01a00000);
    case 'movw': {
      if (ops.length !== 2) return mismatch('Rd, #imm16');
      const rd = reg(ops[0]);
      const op = ops[1]!;
      if (op.k !== 'imm') return mismatch('Rd, #imm16');
      const v = valueSigned(ctx, op.e) ?? 0;
      if (v < 0 || v > 0xffff) fail(op.loc, `operand 2: ${insn.mn} needs a 16-bit value (0 to 65535), not ${v}`);
      return c | row.bits | ((v >> 12) << 16) | (rd << 12) | (v & 0xfff);
    }
    default:
      return encodeA32More(row, insn, ctx);
    case 'adr': {
      if (ops.length !== 2) return mismatch('Rd, label');
      const rd = reg(ops[0]);
      const off = pcOffset(ctx, ops[1]!, 8) ?? 0;
      const imm = armModImm(Math.abs(off));
      if (imm === undefined) {
        if (ops[1]!.k === 'imm') fail(ops[1]!.loc, `operand 2: adr offset ${off} is not an 8-bit value rotated by an even amount; ${nearestImm(Math.abs(off), false)}`);
        rangeError(ctx, ops[1]!.loc, `operand 2: adr offset ${off} is not an 8-bit value rotated by an even amount; ${nearestImm(Math.abs(off), false)}`);
        return c | row.bits | (rd << 12);
      }
      const minus = off < 0 || (off === 0 && ops[1]!.k === 'imm' && !!ops[1]!.minus);
      return c | row.bits | ((minus ? 0b0010 : 0b0100) << 21) | (rd << 12) | imm;
    }
  }
}

function loadStore(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  if (ops.length !== 2) return mismatch('Rt, [Rn, offset]');
  const rt = reg(ops[0]);
  const m = ops[1]!;
  const c = cond(insn) | row.bits | (rt << 12);
  if (row.mn === 'ldrb' || row.mn === 'strb') notPc(insn, rt, 0, `${row.mn}`);
  if (m.k === 'lit' || m.k === 'expr') {
    if (m.k === 'lit' && !insn.lit) fail(m.loc, 'operand 2: =value only works with ldr');
    const off = (m.k === 'lit' ? literalOffset(insn, ctx) : pcOffset(ctx, m, 8)) ?? 0;
    if (off < -4095 || off > 4095) {
      rangeError(ctx, m.loc, `operand 2: ${m.k === 'lit' ? 'literal pool' : 'label'} out of range (offset ${off}, must be within ±4095; add .ltorg closer)`);
      return c | (1 << 24) | (PC << 16);
    }
    return c | (1 << 24) | ((off >= 0 ? 1 : 0) << 23) | (PC << 16) | Math.abs(off);
  }
  if (m.k !== 'mem') return mismatchAt('Rt, [Rn, offset]', m.loc);
  checkWriteback(m, [rt]);
  const pw = userPost(row, m) ?? (m.pre ? 1 << 24 : 0) | (m.pre && m.wb ? 1 << 21 : 0);
  if (m.reg) {
    if (m.reg.shift?.reg !== undefined) fail(m.loc, 'operand 2: the offset register cannot be shifted by a register');
    return c | (1 << 25) | pw | (m.reg.sub ? 0 : 1 << 23) | (m.base << 16) | shiftImmField(ctx, m.reg.shift, m, 1) | m.reg.r;
  }
  const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
  if (off < -4095 || off > 4095) fail(m.loc, `operand 2: offset ${off} out of range (must be within ±4095)`);
  return c | pw | (offsetAdds(off, m) ? 1 << 23 : 0) | (m.base << 16) | Math.abs(off);
}

function loadStoreExtra(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  const pair = insn.mn === 'ldrd' || insn.mn === 'strd';
  // `ldrd r0, [sp]`: Rt2 (Rt + 1) left out, as GNU as and llvm-mc allow
  if (pair && ops.length === 2 && ops[0]!.k === 'reg') return loadStoreExtra(row, { ...insn, ops: [ops[0]!, { k: 'reg', r: ops[0]!.r + 1, loc: ops[0]!.loc }, ops[1]!] }, ctx);
  if (ops.length !== (pair ? 3 : 2)) return mismatch(pair ? 'Rt, Rt2, [Rn, offset]' : 'Rt, [Rn, offset]');
  const rt = reg(ops[0]);
  if (pair) {
    if (rt & 1 || rt === 14) fail(ops[0]!.loc, `operand 1: ${insn.mn} needs an even first register below lr`);
    if (reg(ops[1]) !== rt + 1) fail(ops[1]!.loc, `operand 2: ${insn.mn} needs consecutive registers (r${rt}, r${rt + 1})`);
  }
  const m = ops[ops.length - 1]!;
  const i = ops.length - 1;
  const c = cond(insn) | row.bits | (rt << 12);
  const immField = (off: number, minus = false): number => (offsetAdds(off, { minus }) ? 1 << 23 : 0) | (1 << 22) | ((Math.abs(off) & 0xf0) << 4) | (Math.abs(off) & 0xf);
  if (m.k === 'expr') {
    const off = pcOffset(ctx, m, 8) ?? 0;
    if (off < -255 || off > 255) {
      rangeError(ctx, m.loc, `${opName(i)}: label out of range (offset ${off}, must be within ±255)`);
      return c | (1 << 24) | (PC << 16);
    }
    return c | (1 << 24) | (PC << 16) | immField(off);
  }
  if (m.k !== 'mem') return mismatchAt('[Rn, offset]', m.loc);
  checkWriteback(m, pair ? [rt, rt + 1] : [rt]);
  const pw = userPost(row, m) ?? (m.pre ? 1 << 24 : 0) | (m.pre && m.wb ? 1 << 21 : 0);
  if (m.reg) {
    if (m.reg.shift) fail(m.loc, `${opName(i)}: ${insn.mn} cannot shift its offset register`);
    return c | pw | (m.reg.sub ? 0 : 1 << 23) | (m.base << 16) | m.reg.r;
  }
  const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
  if (off < -255 || off > 255) fail(m.loc, `${opName(i)}: offset ${off} out of range (must be within ±255)`);
  return c | pw | (m.base << 16) | immField(off, m.minus);
}

/**
 * The loads and stores with translation (ldrt, strbt, ldrht, …) are post-indexed, `[Rn]` meaning
 * `[Rn], #0`; their rows hold P = 0 and W = 1 already, so no further bits (0). Undefined for other rows.
 */
function userPost(row: A32Row, m: Operand & { k: 'mem' }): number | undefined {
  if (!row.user) return undefined;
  if (m.pre && (m.wb || m.imm !== undefined || m.reg)) return mismatchAt('[Rn] or a post-indexed offset ([Rn], #±imm / [Rn], ±Rm)', m.loc);
  return 0;
}

/** Writing back to a base register that is also transferred is UNPREDICTABLE: reject it. */
export function checkWriteback(m: Operand & { k: 'mem' }, transferred: number[]): void {
  if (m.wb && (transferred.includes(m.base) || m.base === PC)) fail(m.loc, `operand ${transferred.length + 1}: writeback to r${m.base}, which is also ${m.base === PC ? 'pc' : 'transferred'}, is unpredictable`);
}
