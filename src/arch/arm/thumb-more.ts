import type { EncodeContext } from '../../core/backend.js';
import { fail } from '../../core/errors.js';
import { distinctHalves, lsbWidth } from './a32-more.js';
import { barrierOption, immRange, mismatch, mismatchAt, offsetAdds, opName, reg, regFields, valueSigned } from './encoder.js';
import type { ArmInsn, Operand } from './operands.js';
import { PC, SP } from './registers.js';
import type { ThumbRow } from './thumb-table.js';

/**
 * The Thumb forms beyond the core (thumb-table.ts's MORE rows). `notSpPc(r, i)` is Thumb-2's
 * BadReg rule (sp and pc UNPREDICTABLE), as the core encoder applies it. A value out of range in a
 * row that has a wider sibling is a Mismatch carrying its place (the next row may take it).
 */
export function encodeThumbMore(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const b = row.bits;
  switch (row.form) {
    case 'regs': {
      const { bits, rotation } = regFields(insn, ctx, row.fields!, row.rot, notSpPc);
      if (row.long) distinctHalves(insn);
      return b | bits | (rotation << 4);
    }
    case 'sat':
      return saturate(row, insn, ctx, notSpPc);
    case 'pkh': {
      if (ops.length !== 3) return mismatch('Rd, Rn, Rm{, shift}');
      const [rd, rn] = [reg(ops[0]), reg(ops[1])];
      const m = ops[2]!;
      if (m.k !== 'reg' || m.wb) return mismatchAt('a register', m.loc);
      [rd, rn, m.r].forEach((r, i) => notSpPc(r, i));
      const tb = insn.mn === 'pkhtb';
      // pkhtb without a shift is pkhbt with the sources swapped (GNU as and llvm-mc)
      if (tb && !m.shift) return (b & ~0x20) | (m.r << 16) | (rd << 8) | rn;
      const n = immShift(ctx, m, 2, tb ? 'asr' : 'lsl', tb ? 32 : 31);
      return b | (rn << 16) | (rd << 8) | split5(n & 31) | m.r;
    }
    case 'bitfield': {
      const clear = insn.mn === 'bfc';
      if (ops.length !== (clear ? 3 : 4)) return mismatch(clear ? 'Rd, #lsb, #width' : 'Rd, Rn, #lsb, #width');
      const rd = reg(ops[0]);
      notSpPc(rd, 0);
      const rn = clear ? 0 : reg(ops[1]);
      if (!clear) notSpPc(rn, 1);
      const { lsb, width } = lsbWidth(ctx, insn, clear ? 1 : 2);
      const top = insn.mn.startsWith('bf') ? lsb + width - 1 : width - 1;
      return b | (rn << 16) | (rd << 8) | split5(lsb) | top;
    }
    case 'hint':
      if (insn.mn !== 'hint') return ops.length ? mismatch('no operands') : b;
      return b | (smallImm(ctx, ops, 0, 15) << 4);
    case 'hint_w':
      if (insn.mn !== 'hint' && insn.mn !== 'dbg') return ops.length ? mismatch('no operands') : b;
      if (ops.length !== 1) return mismatch('#number');
      return b | immRange(ctx, ops[0], 0, 0, insn.mn === 'dbg' ? 15 : 239);
    case 'barrier':
      return b | barrierOption(insn, ctx);
    case 'fixed':
      return ops.length ? mismatch('no operands') : b;
    case 'imm8':
      if (insn.mn === 'bkpt' && ops.length === 0) return b;
      return b | smallImm(ctx, ops, 0, 255);
    case 'udf_w': {
      if (ops.length !== 1) return mismatch('#imm16');
      const v = immRange(ctx, ops[0], 0, 0, 0xffff);
      return b | ((v >> 12) << 16) | (v & 0xfff);
    }
    case 'preload':
      return preload(row, insn, ctx, notSpPc);
    case 'excl':
      return exclusive(row, insn, ctx, notSpPc);
    case 'ldrd':
      return loadPair(row, insn, ctx, notSpPc);
    case 'tb':
      return tableBranch(row, insn, ctx, notSpPc);
    case 'ldst_t': {
      const m = ops[1];
      if (ops.length !== 2 || m?.k !== 'mem' || m.reg || !m.pre || m.wb) return mismatch('Rt, [Rn{, #imm8}]');
      const rt = reg(ops[0]);
      notSpPc(rt, 0);
      if (m.base === PC) return mismatchAt('[Rn, #imm8] with Rn not pc', m.loc);
      const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
      if (off < 0 || off > 255 || m.minus) fail(m.loc, `operand 2: offset ${m.minus ? '-' : ''}${off} is out of range (0 to 255)`);
      return b | (m.base << 16) | (rt << 12) | off;
    }
    case 'neg_w': {
      if (ops.length !== 2) return mismatch('Rd, Rm');
      const [rd, rm] = [reg(ops[0]), reg(ops[1])];
      notSpPc(rd, 0);
      notSpPc(rm, 1);
      return b | (rm << 16) | (rd << 8);
    }
    case 'adr_w':
      return adrWide(row, insn, ctx, notSpPc);
    case 'rrx_w': {
      if (ops.length !== 2) return mismatch('Rd, Rm');
      const [rd, rm] = [reg(ops[0]), reg(ops[1])];
      notSpPc(rd, 0);
      notSpPc(rm, 1);
      return b | (insn.s ? 1 << 20 : 0) | (rd << 8) | rm;
    }
  }
  return mismatch('operands');
}

/** A 5-bit amount as Thumb-2 splits it: imm3 (14-12), imm2 (7-6). */
const split5 = (n: number): number => ((n >> 2) << 12) | ((n & 3) << 6);

/** An immediate operand 0..hi in a 16-bit row: beyond it, a Mismatch at its place (a 32-bit row may take it). */
function smallImm(ctx: EncodeContext, ops: readonly Operand[], i: number, hi: number): number {
  const op = ops[i];
  if (ops.length !== i + 1 || op?.k !== 'imm') return mismatch('#immediate');
  const v = valueSigned(ctx, op.e) ?? 0;
  if (v < 0 || v > hi) mismatch(`${opName(i)}: ${v} is out of range (0 to ${hi})`, op.loc);
  return v;
}

/** The amount of `lsl #n` / `asr #n` after a register (0 without a shift). */
function immShift(ctx: EncodeContext, op: Operand & { k: 'reg' }, i: number, type: 'lsl' | 'asr', hi: number): number {
  const sh = op.shift;
  if (!sh) return 0;
  if (sh.type !== type || sh.imm === undefined) return mismatchAt(`a register{, ${type} #n}`, op.loc);
  const n = valueSigned(ctx, sh.imm) ?? 1;
  const lo = type === 'lsl' ? 0 : 1;
  if (n < lo || n > hi) fail(op.loc, `${opName(i)}: ${type} amount must be ${lo} to ${hi}, not ${n}`);
  return n;
}

function saturate(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const signed = insn.mn.startsWith('s');
  const halves = insn.mn.endsWith('16');
  if (ops.length !== 3) return mismatch('Rd, #saturate, Rn');
  const rd = reg(ops[0]);
  const rn = ops[2]!;
  if (rn.k !== 'reg' || rn.wb) return mismatchAt('a register', rn.loc);
  notSpPc(rd, 0);
  notSpPc(rn.r, 2);
  const top = halves ? 16 : 32;
  const sat = immRange(ctx, ops[1], 1, signed ? 1 : 0, signed ? top : top - 1);
  let shift = 0;
  if (rn.shift) {
    if (halves || (rn.shift.type !== 'lsl' && rn.shift.type !== 'asr')) return mismatchAt(halves ? 'a register without a shift' : 'a register{, lsl #n | asr #n}', rn.loc);
    // (asr with amount 0 is the 16-bit form's encoding: asr is 1-31 here)
    const n = immShift(ctx, rn, 2, rn.shift.type as 'lsl', 31);
    shift = (rn.shift.type === 'asr' ? 1 << 21 : 0) | split5(n);
  }
  return row.bits | shift | (rn.r << 16) | (rd << 8) | (signed ? sat - 1 : sat);
}

function preload(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const m = ops[0];
  if (ops.length !== 1 || !m) return mismatch('[Rn, offset] or a label');
  const literal = (off: number, loc: Operand['loc'], minus = false, label = false): number => {
    if ((off < -4095 || off > 4095) && (!label || ctx.final)) fail(loc, `operand 1: offset ${off} out of range (must be within ±4095)`);
    return row.bits | (PC << 16) | (offsetAdds(off, { minus }) ? 1 << 23 : 0) | Math.abs(off);
  };
  if (m.k === 'expr') {
    const t = valueSigned(ctx, m.e);
    return literal(t === undefined ? 0 : t - ((ctx.address + 4) & ~3), m.loc, false, true);
  }
  if (m.k !== 'mem' || !m.pre || m.wb) return mismatchAt('[Rn, offset] without writeback', m.loc);
  if (m.reg) {
    if (m.reg.sub || m.base === PC) return mismatchAt('[Rn, Rm{, lsl #0-3}]', m.loc);
    notSpPc(m.reg.r, 0);
    const sh = m.reg.shift;
    let n = 0;
    if (sh) {
      if (sh.type !== 'lsl' || sh.imm === undefined) return mismatchAt('[Rn, Rm{, lsl #0-3}]', m.loc);
      n = valueSigned(ctx, sh.imm) ?? 0;
      if (n < 0 || n > 3) fail(m.loc, `operand 1: the offset register shift must be lsl #0 to #3, not ${n}`);
    }
    return row.bits | (m.base << 16) | (n << 4) | m.reg.r;
  }
  const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
  if (m.base === PC) return literal(off, m.loc, m.minus);
  if (offsetAdds(off, m)) {
    if (off > 4095) fail(m.loc, `operand 1: offset ${off} is out of range (-255 to 4095)`);
    return row.bits | (1 << 23) | (m.base << 16) | off;
  }
  if (off < -255) fail(m.loc, `operand 1: offset ${off} is out of range (-255 to 4095)`);
  return row.bits | (m.base << 16) | 0xc00 | -off;
}

/**
 * ldrex/strex: Rn (19-16), Rt (15-12), a word's #imm8*4; strex's status register Rd at 11-8. The
 * byte, halfword and pair forms have no offset; their Rd is at 3-0 and the pair's Rt2 at 11-8.
 */
function exclusive(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const load = insn.mn.startsWith('ldr');
  const pair = insn.mn.endsWith('d');
  const word = insn.mn === 'ldrex' || insn.mn === 'strex';
  const regs = (load ? 1 : 2) + (pair ? 1 : 0);
  const m = ops[regs];
  if (ops.length !== regs + 1 || m?.k !== 'mem' || !m.pre || m.wb || m.reg) return mismatch(row.syntax);
  const r = ops.slice(0, regs).map((o) => reg(o));
  r.forEach((x, i) => notSpPc(x, i));
  if (m.base === PC) fail(m.loc, `${opName(regs)}: the base cannot be pc (unpredictable)`);
  let off = 0;
  if (m.imm) {
    off = valueSigned(ctx, m.imm) ?? 0;
    if (!word && off !== 0) fail(m.loc, `${opName(regs)}: ${insn.mn} takes no offset`);
    if (off < 0 || off > 1020 || off & 3 || m.minus) fail(m.loc, `${opName(regs)}: offset ${off} is out of range (0 to 1020, a multiple of 4)`);
  }
  if (!load && (r[0] === m.base || r.slice(1).includes(r[0]!))) fail(ops[0]!.loc, 'operand 1: the status register must differ from the others (unpredictable)');
  if (pair && load && r[0] === r[1]) fail(ops[1]!.loc, 'operand 2: ldrexd needs two different registers');
  const rn = m.base << 16;
  if (word) return load ? row.bits | rn | (r[0]! << 12) | (off >> 2) : row.bits | rn | (r[1]! << 12) | (r[0]! << 8) | (off >> 2);
  if (load) return row.bits | rn | (r[0]! << 12) | (pair ? r[1]! << 8 : 0);
  return row.bits | rn | (r[1]! << 12) | (pair ? r[2]! << 8 : 0) | r[0]!;
}

/** ldrd/strd Rt, Rt2, [Rn, #±imm8*4]{!} / [Rn], #±imm8*4 / label (ldrd): P (24), U (23), W (21). */
function loadPair(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  if (ops.length !== 3) return mismatch(row.syntax);
  const [rt, rt2] = [reg(ops[0]), reg(ops[1])];
  notSpPc(rt, 0);
  notSpPc(rt2, 1);
  const load = insn.mn === 'ldrd';
  if (load && rt === rt2) fail(ops[1]!.loc, 'operand 2: ldrd needs two different registers');
  const m = ops[2]!;
  const fields = row.bits | (rt << 12) | (rt2 << 8);
  const imm8 = (off: number, loc: Operand['loc'], label = false): number => {
    if ((off & 3 || off < -1020 || off > 1020) && (!label || ctx.final)) fail(loc, `operand 3: offset ${off} is out of range (±1020, a multiple of 4)`);
    return Math.abs(off) >> 2;
  };
  if (m.k === 'expr' || (m.k === 'mem' && m.base === PC)) {
    if (!load) return mismatchAt('[Rn, offset] (strd has no literal form)', m.loc);
    let off: number;
    let minus = false;
    if (m.k === 'expr') {
      const t = valueSigned(ctx, m.e);
      off = t === undefined ? 0 : t - ((ctx.address + 4) & ~3);
    } else {
      if (!m.pre || m.wb || m.reg) return mismatchAt('[pc, #±imm8*4]', m.loc);
      off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
      minus = !!m.minus;
    }
    return fields | (1 << 24) | (offsetAdds(off, { minus }) ? 1 << 23 : 0) | (PC << 16) | (imm8(off, m.loc, m.k === 'expr') & 0xff);
  }
  if (m.k !== 'mem' || m.reg) return mismatchAt('[Rn, #±imm8*4]', m.loc);
  if (m.wb && (m.base === rt || m.base === rt2)) fail(m.loc, `operand 3: writeback to r${m.base}, which is also transferred, is unpredictable`);
  const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
  const pw = (m.pre ? 1 << 24 : 0) | (m.wb ? 1 << 21 : 0);
  return fields | pw | (offsetAdds(off, m) ? 1 << 23 : 0) | (m.base << 16) | imm8(off, m.loc);
}

/** tbb [Rn, Rm] / tbh [Rn, Rm, lsl #1]: the last instruction of an IT block, if in one. */
function tableBranch(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const b = row.bits;
  const m = ops[0];
  if (ops.length !== 1 || m?.k !== 'mem' || !m.reg || !m.pre || m.wb || m.reg.sub) return mismatch(row.syntax);
  const sh = m.reg.shift;
  const half = insn.mn === 'tbh';
  if (half ? sh?.type !== 'lsl' || sh.imm === undefined || valueSigned(ctx, sh.imm) !== 1 : sh !== undefined) return mismatchAt(row.syntax, m.loc);
  if (m.base === SP) fail(m.loc, 'operand 1: the table base cannot be sp (unpredictable)');
  notSpPc(m.reg.r, 0);
  if (insn.inIT && insn.itLast === false) fail(insn.loc, `'${insn.mn}' must be the last instruction of its IT block`);
  return b | (m.base << 16) | m.reg.r;
}

/** adr.w Rd, label | #offset: addw Rd, pc, #imm12, or subw for a target behind pc. */
function adrWide(row: ThumbRow, insn: ArmInsn, ctx: EncodeContext, notSpPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const b = row.bits;
  const target = ops[1];
  if (ops.length !== 2 || (target?.k !== 'expr' && target?.k !== 'imm')) return mismatch('Rd, label');
  const rd = reg(ops[0]);
  notSpPc(rd, 0);
  const t = valueSigned(ctx, target.e);
  const off = t === undefined ? 0 : target.k === 'imm' ? t : t - ((ctx.address + 4) & ~3);
  // (a label's place is known in the last pass only)
  if ((off < -4095 || off > 4095) && (target.k === 'imm' || ctx.final)) fail(target.loc, `operand 2: adr target out of range (offset ${off}, must be within ±4095)`);
  const minus = off < 0 || (off === 0 && target.k === 'imm' && !!target.minus);
  const v = Math.abs(off);
  // subw (bits 23, 21) for a target behind pc
  return (b | (minus ? 0x00a00000 : 0) | (((v >> 11) & 1) << 26) | (((v >> 8) & 7) << 12) | (rd << 8) | (v & 0xff)) >>> 0;
}
