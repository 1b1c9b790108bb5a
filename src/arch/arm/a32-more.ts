import type { EncodeContext } from '../../core/backend.js';
import { fail } from '../../core/errors.js';
import type { A32Row } from './a32-table.js';
import { barrierOption, immRange, mismatch, mismatchAt, offsetAdds, opName, reg, regFields, valueSigned } from './encoder.js';
import type { ArmInsn, Operand } from './operands.js';
import { PC, SHIFT_TYPE } from './registers.js';

/**
 * The A32 forms beyond the ARMv4 core (a32-table.ts's MORE rows): media and DSP instructions,
 * saturation, packing, bit fields, hints, barriers, preloads and the exclusive loads and stores.
 * Each returns the whole word, condition included.
 */
export function encodeA32More(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  if (row.uncond && insn.cond !== 14) fail(insn.loc, `'${insn.mn}' cannot be conditional`);
  const c = row.uncond ? 0 : (insn.cond << 28) >>> 0;
  const notPc = (r: number, i: number): void => {
    if (r === PC) fail(insn.ops[i]?.loc ?? insn.loc, `${opName(i)}: pc is not allowed in '${insn.mn}' (unpredictable)`);
  };
  switch (row.form) {
    case 'regs': {
      const { bits, rotation } = regFields(insn, ctx, row.fields!, row.rot, notPc);
      if (row.long) distinctHalves(insn);
      return (c | row.bits | bits | (rotation << 10)) >>> 0;
    }
    case 'sat':
      return (c | saturate(row, insn, ctx, notPc)) >>> 0;
    case 'pkh':
      return (c | pack(row, insn, ctx, notPc)) >>> 0;
    case 'bitfield':
      return (c | bitField(row, insn, ctx, notPc)) >>> 0;
    case 'hint': {
      const ops = insn.ops;
      if (insn.mn !== 'hint' && insn.mn !== 'dbg') return ops.length ? mismatch('no operands') : (c | row.bits) >>> 0;
      if (ops.length !== 1) return mismatch('#number');
      return (c | row.bits | immRange(ctx, ops[0], 0, 0, insn.mn === 'dbg' ? 15 : 239)) >>> 0;
    }
    case 'barrier':
      return (row.bits | barrierOption(insn, ctx)) >>> 0;
    case 'fixed':
      return insn.ops.length ? mismatch('no operands') : row.bits;
    case 'imm16': {
      if (insn.ops.length > 1) return mismatch('#imm16');
      const v = insn.ops.length ? immRange(ctx, insn.ops[0], 0, 0, 0xffff) : 0;
      return (row.bits | ((v >> 4) << 8) | (v & 15)) >>> 0;
    }
    case 'preload':
      return preload(row, insn, ctx);
    case 'excl':
      return (c | exclusive(row, insn, ctx, notPc)) >>> 0;
    case 'swp': {
      const ops = insn.ops;
      const m = ops[2];
      if (ops.length !== 3 || m?.k !== 'mem' || !m.pre || m.wb || m.imm || m.reg) return mismatch('Rt, Rt2, [Rn]');
      const [rt, rt2] = [reg(ops[0]), reg(ops[1])];
      [rt, rt2, m.base].forEach((r, i) => notPc(r, i));
      if (m.base === rt || m.base === rt2) fail(m.loc, `operand 3: the base register cannot be a transferred one (unpredictable)`);
      return (c | row.bits | (m.base << 16) | (rt << 12) | rt2) >>> 0;
    }
  }
  return mismatch('operands');
}

/** A long multiply's RdLo and RdHi must differ (UNPREDICTABLE otherwise; GNU as and llvm-mc refuse it). */
export function distinctHalves(insn: ArmInsn): void {
  if (reg(insn.ops[0]) === reg(insn.ops[1])) fail(insn.ops[1]!.loc, 'operand 2: RdHi and RdLo must be different registers');
}

/** An immediate shift after the last register: lsl #0-31 or asr #1-32, as `sh` (6) and imm5 (11-7). */
function shiftField(ctx: EncodeContext, op: Operand & { k: 'reg' }, i: number, allowed: readonly ('lsl' | 'asr')[]): number {
  const sh = op.shift;
  if (!sh) return 0;
  if (!allowed.includes(sh.type as 'lsl') || sh.imm === undefined) return mismatchAt(`a register{, ${allowed.map((t) => `${t} #n`).join(' | ')}}`, op.loc);
  const n = valueSigned(ctx, sh.imm) ?? 1;
  const [lo, hi] = sh.type === 'lsl' ? [0, 31] : [1, 32];
  if (n < lo || n > hi) fail(op.loc, `${opName(i)}: ${sh.type} amount must be ${lo} to ${hi}, not ${n}`);
  return ((n & 31) << 7) | (SHIFT_TYPE[sh.type] === 2 ? 1 << 6 : 0);
}

function saturate(row: A32Row, insn: ArmInsn, ctx: EncodeContext, notPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const signed = insn.mn.startsWith('s');
  const halves = insn.mn.endsWith('16');
  if (ops.length !== 3) return mismatch('Rd, #saturate, Rn');
  const rd = reg(ops[0]);
  const rnOp = ops[2]!;
  if (rnOp.k !== 'reg' || rnOp.wb) return mismatchAt('a register', rnOp.loc);
  notPc(rd, 0);
  notPc(rnOp.r, 2);
  const top = halves ? 16 : 32;
  const sat = immRange(ctx, ops[1], 1, signed ? 1 : 0, signed ? top : top - 1);
  const field = signed ? sat - 1 : sat;
  const shift = halves ? (rnOp.shift ? mismatchAt('a register without a shift', rnOp.loc) : 0) : shiftField(ctx, rnOp, 2, ['lsl', 'asr']);
  return row.bits | (field << 16) | (rd << 12) | shift | rnOp.r;
}

/** pkhbt Rd, Rn, Rm{, lsl #n}; pkhtb Rd, Rn, Rm{, asr #n}, and pkhtb without a shift is pkhbt Rd, Rm, Rn. */
function pack(row: A32Row, insn: ArmInsn, ctx: EncodeContext, notPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  if (ops.length !== 3) return mismatch('Rd, Rn, Rm{, shift}');
  const [rd, rn] = [reg(ops[0]), reg(ops[1])];
  const m = ops[2]!;
  if (m.k !== 'reg' || m.wb) return mismatchAt('a register', m.loc);
  [rd, rn, m.r].forEach((r, i) => notPc(r, i));
  const tb = insn.mn === 'pkhtb';
  if (tb && !m.shift) return (row.bits & ~0x40) | (m.r << 16) | (rd << 12) | rn;
  return row.bits | (rn << 16) | (rd << 12) | (shiftField(ctx, m, 2, [tb ? 'asr' : 'lsl']) & ~0x40) | m.r;
}

/** The #lsb, #width pair of the bit-field instructions, checked against each other. */
export function lsbWidth(ctx: EncodeContext, insn: ArmInsn, at: number): { lsb: number; width: number } {
  const ops = insn.ops;
  const lsb = immRange(ctx, ops[at], at, 0, 31);
  const width = immRange(ctx, ops[at + 1], at + 1, 1, 32);
  if (lsb + width > 32) fail(ops[at + 1]!.loc, `${opName(at + 1)}: the field (lsb ${lsb}, width ${width}) must end within bit 31`);
  return { lsb, width };
}

function bitField(row: A32Row, insn: ArmInsn, ctx: EncodeContext, notPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const clear = insn.mn === 'bfc';
  if (ops.length !== (clear ? 3 : 4)) return mismatch(clear ? 'Rd, #lsb, #width' : 'Rd, Rn, #lsb, #width');
  const rd = reg(ops[0]);
  notPc(rd, 0);
  const rn = clear ? 0 : reg(ops[1]);
  if (!clear) notPc(rn, 1);
  const { lsb, width } = lsbWidth(ctx, insn, clear ? 1 : 2);
  // bfc/bfi hold the field's last bit (msb), sbfx/ubfx its width - 1
  const top = insn.mn.startsWith('bf') ? lsb + width - 1 : width - 1;
  return row.bits | (top << 16) | (rd << 12) | (lsb << 7) | rn;
}

function preload(row: A32Row, insn: ArmInsn, ctx: EncodeContext): number {
  const ops = insn.ops;
  const m = ops[0];
  if (ops.length !== 1 || !m) return mismatch('[Rn, offset] or a label');
  if (m.k === 'expr') {
    const t = valueSigned(ctx, m.e);
    const off = t === undefined ? 0 : t - (ctx.address + 8);
    if ((off < -4095 || off > 4095) && ctx.final) fail(m.loc, `operand 1: label out of range (offset ${off}, must be within ±4095)`);
    return (row.bits | (off >= 0 ? 1 << 23 : 0) | (PC << 16) | Math.abs(off)) >>> 0;
  }
  if (m.k !== 'mem' || !m.pre || m.wb) return mismatchAt('[Rn, offset] without writeback', m.loc);
  if (m.reg) {
    if (m.reg.r === PC) fail(m.loc, 'operand 1: the offset register cannot be pc (unpredictable)');
    const sh = m.reg.shift;
    if (sh?.reg !== undefined) fail(m.loc, 'operand 1: the offset register cannot be shifted by a register');
    let field = 0;
    if (sh) {
      if (sh.type === 'rrx') field = 3 << 5;
      else {
        const n = valueSigned(ctx, sh.imm!) ?? 1;
        const [lo, hi] = sh.type === 'lsl' ? [0, 31] : sh.type === 'ror' ? [1, 31] : [1, 32];
        if (n < lo || n > hi) fail(m.loc, `operand 1: ${sh.type} amount must be ${lo} to ${hi}, not ${n}`);
        field = ((n & 31) << 7) | (SHIFT_TYPE[sh.type] << 5);
      }
    }
    return (row.bits | (1 << 25) | (m.reg.sub ? 0 : 1 << 23) | (m.base << 16) | field | m.reg.r) >>> 0;
  }
  const off = m.imm ? valueSigned(ctx, m.imm) ?? 0 : 0;
  if (off < -4095 || off > 4095) fail(m.loc, `operand 1: offset ${off} out of range (must be within ±4095)`);
  return (row.bits | (offsetAdds(off, m) ? 1 << 23 : 0) | (m.base << 16) | Math.abs(off)) >>> 0;
}

/**
 * ldrex{b,h,d} Rt{, Rt2}, [Rn] and strex{b,h,d} Rd, Rt{, Rt2}, [Rn]: Rn (19-16); a load's Rt
 * (15-12); a store's status register Rd (15-12) and Rt (3-0). The pair forms take an even Rt
 * below lr and Rt + 1.
 */
function exclusive(row: A32Row, insn: ArmInsn, ctx: EncodeContext, notPc: (r: number, i: number) => void): number {
  const ops = insn.ops;
  const load = insn.mn.startsWith('ldr');
  const pair = insn.mn.endsWith('d');
  const regs = (load ? 1 : 2) + (pair ? 1 : 0);
  const m = ops[regs];
  const shape = `${load ? '' : 'Rd, '}Rt${pair ? ', Rt2' : ''}, [Rn]`;
  if (ops.length !== regs + 1 || m?.k !== 'mem' || !m.pre || m.wb || m.reg) return mismatch(shape);
  // (GNU as takes `[Rn, #0]` too, but for the pair forms)
  if (m.imm && (pair || (valueSigned(ctx, m.imm) ?? 0) !== 0)) fail(m.loc, `${opName(regs)}: A32 ${insn.mn} takes no offset ([Rn] or [Rn, #0])`);
  const r = ops.slice(0, regs).map((o) => reg(o));
  r.forEach((x, i) => notPc(x, i));
  notPc(m.base, regs);
  const rt = r[load ? 0 : 1]!;
  if (pair) {
    if (rt & 1 || rt === 14) fail(ops[load ? 0 : 1]!.loc, `${opName(load ? 0 : 1)}: ${insn.mn} needs an even first register below lr`);
    if (r[load ? 1 : 2] !== rt + 1) fail(ops[load ? 1 : 2]!.loc, `${opName(load ? 1 : 2)}: ${insn.mn} needs consecutive registers (r${rt}, r${rt + 1})`);
  }
  if (!load && (r[0] === m.base || r.slice(1).includes(r[0]!))) fail(ops[0]!.loc, 'operand 1: the status register must differ from the others (unpredictable)');
  return row.bits | (m.base << 16) | (load ? rt << 12 : (r[0]! << 12) | rt);
}
