import { assembleSections, type Item } from '../../core/assembler.js';
import { noLoc, type SourceLoc } from '../../core/errors.js';
import { sym, type Expr } from '../../core/expr.js';
import { cond as condOp, imm, mem, target, type A64Insn, type CondOperand, type ImmOperand, type MemOperand, type Operand, type RegOperand } from './operands.js';
import type { Reg } from './registers.js';
import { aarch64Backend, finishSection, literalLoad } from './syntax.js';

/** A register, a shifted/extended register, `#imm` (number/bigint), memory, or a condition. */
export type Arg = Reg | RegOperand | ImmOperand | MemOperand | CondOperand | number | bigint;
/** A branch target: a label name, an absolute address, or an expression. */
export type Target = string | number | bigint | Expr;

function arg(a: Arg): Operand {
  if (typeof a === 'number' || typeof a === 'bigint') return imm(a);
  return 'num' in a && 'kind' in a && a.kind === 'reg' && 'width' in a ? { kind: 'reg', reg: a as Reg } : (a as Operand);
}

function tgt(t: Target): Operand {
  if (typeof t === 'string') return target(sym(t, noLoc));
  if (typeof t === 'number' || typeof t === 'bigint') return target({ k: 'num', v: BigInt(t) });
  return target(t);
}

/**
 * Typed builder: `a.mov(x0, 42).svc(0)` makes the same core items as the text `mov x0, #42` /
 * `svc #0`, so both go through one encoder and one layout.
 */
export class A64Builder {
  readonly items: Item[] = [];
  constructor(readonly loc: SourceLoc = noLoc) {}

  /** Any mnemonic with operands in text order (the escape hatch for forms without a method). */
  insn(mn: string, ...ops: Operand[]): this {
    const insn: A64Insn = { mn, ops };
    this.items.push({ kind: 'insn', insn, loc: this.loc, mnemonic: mn });
    return this;
  }
  private op(mn: string, ...args: Arg[]): this {
    return this.insn(mn, ...args.map(arg));
  }

  label(name: string): this {
    this.items.push({ kind: 'label', name, loc: this.loc });
    return this;
  }
  bytes(data: Uint8Array | string): this {
    this.items.push({ kind: 'data', width: 1, values: [typeof data === 'string' ? new TextEncoder().encode(data) : data], loc: this.loc });
    return this;
  }
  align(to: number): this {
    this.items.push({ kind: 'align', to: { k: 'num', v: BigInt(to) }, fill: undefined, loc: this.loc });
    return this;
  }

  mov(rd: Reg, src: Reg | number | bigint): this { return this.op('mov', rd, src); }
  movz(rd: Reg, v: number, lsl = 0): this { return this.insn('movz', arg(rd), imm(v, lsl)); }
  movn(rd: Reg, v: number, lsl = 0): this { return this.insn('movn', arg(rd), imm(v, lsl)); }
  movk(rd: Reg, v: number, lsl = 0): this { return this.insn('movk', arg(rd), imm(v, lsl)); }
  add(rd: Reg, rn: Reg, m: Arg): this { return this.op('add', rd, rn, m); }
  adds(rd: Reg, rn: Reg, m: Arg): this { return this.op('adds', rd, rn, m); }
  sub(rd: Reg, rn: Reg, m: Arg): this { return this.op('sub', rd, rn, m); }
  subs(rd: Reg, rn: Reg, m: Arg): this { return this.op('subs', rd, rn, m); }
  cmp(rn: Reg, m: Arg): this { return this.op('cmp', rn, m); }
  cmn(rn: Reg, m: Arg): this { return this.op('cmn', rn, m); }
  neg(rd: Reg, m: Arg): this { return this.op('neg', rd, m); }
  and(rd: Reg, rn: Reg, m: Arg): this { return this.op('and', rd, rn, m); }
  orr(rd: Reg, rn: Reg, m: Arg): this { return this.op('orr', rd, rn, m); }
  eor(rd: Reg, rn: Reg, m: Arg): this { return this.op('eor', rd, rn, m); }
  ands(rd: Reg, rn: Reg, m: Arg): this { return this.op('ands', rd, rn, m); }
  tst(rn: Reg, m: Arg): this { return this.op('tst', rn, m); }
  bic(rd: Reg, rn: Reg, m: Arg): this { return this.op('bic', rd, rn, m); }
  mvn(rd: Reg, m: Arg): this { return this.op('mvn', rd, m); }
  lsl(rd: Reg, rn: Reg, m: Reg | number): this { return this.op('lsl', rd, rn, m); }
  lsr(rd: Reg, rn: Reg, m: Reg | number): this { return this.op('lsr', rd, rn, m); }
  asr(rd: Reg, rn: Reg, m: Reg | number): this { return this.op('asr', rd, rn, m); }
  mul(rd: Reg, rn: Reg, rm: Reg): this { return this.op('mul', rd, rn, rm); }
  madd(rd: Reg, rn: Reg, rm: Reg, ra: Reg): this { return this.op('madd', rd, rn, rm, ra); }
  msub(rd: Reg, rn: Reg, rm: Reg, ra: Reg): this { return this.op('msub', rd, rn, rm, ra); }
  udiv(rd: Reg, rn: Reg, rm: Reg): this { return this.op('udiv', rd, rn, rm); }
  sdiv(rd: Reg, rn: Reg, rm: Reg): this { return this.op('sdiv', rd, rn, rm); }
  csel(rd: Reg, rn: Reg, rm: Reg, c: string): this { return this.op('csel', rd, rn, rm, condOp(c)); }
  cset(rd: Reg, c: string): this { return this.op('cset', rd, condOp(c)); }

  /**
   * `ldr x0, =value` / `ldr w0, =value`: one movz when the constant allows it, else a load from
   * the next literal pool (`ltorg()`, or one at the end), as the text syntax does.
   */
  ldrConst(rt: Reg, value: Target): this {
    if (rt.num === 31) throw new Error("ldrConst loads x0-x30 or w0-w30");
    const v = typeof value === 'string' ? sym(value, noLoc) : typeof value === 'object' ? value : ({ k: 'num', v: BigInt(value) } as Expr);
    const insn = literalLoad('ldr', { kind: 'reg', reg: rt }, { kind: 'lit', value: v });
    this.items.push({ kind: 'insn', insn, loc: this.loc, mnemonic: insn.mn });
    return this;
  }
  /** `.ltorg`: places the literal pool of the `ldrConst` loads before it here. */
  ltorg(): this {
    const insn: A64Insn = { mn: '.pool', ops: [], pool: { entries: [] } };
    this.items.push({ kind: 'insn', insn, loc: this.loc, mnemonic: '.pool' });
    return this;
  }

  /** `ldr(x0, mem(x1, 8))`, `ldr(x0, 'label')` (literal). */
  ldr(rt: Reg, m: MemOperand | Target): this { return this.insn('ldr', arg(rt), isMem(m) ? m : tgt(m)); }
  str(rt: Reg, m: MemOperand): this { return this.op('str', rt, m); }
  ldrb(rt: Reg, m: MemOperand): this { return this.op('ldrb', rt, m); }
  strb(rt: Reg, m: MemOperand): this { return this.op('strb', rt, m); }
  ldrh(rt: Reg, m: MemOperand): this { return this.op('ldrh', rt, m); }
  strh(rt: Reg, m: MemOperand): this { return this.op('strh', rt, m); }
  ldp(rt: Reg, rt2: Reg, m: MemOperand): this { return this.op('ldp', rt, rt2, m); }
  stp(rt: Reg, rt2: Reg, m: MemOperand): this { return this.op('stp', rt, rt2, m); }

  adr(rd: Reg, t: Target): this { return this.insn('adr', arg(rd), tgt(t)); }
  adrp(rd: Reg, t: Target): this { return this.insn('adrp', arg(rd), tgt(t)); }
  b(t: Target): this { return this.insn('b', tgt(t)); }
  bl(t: Target): this { return this.insn('bl', tgt(t)); }
  /** `bcond('ne', 'loop')` is `b.ne loop`. */
  bcond(c: string, t: Target): this { return this.insn(`b.${c}`, tgt(t)); }
  cbz(rt: Reg, t: Target): this { return this.insn('cbz', arg(rt), tgt(t)); }
  cbnz(rt: Reg, t: Target): this { return this.insn('cbnz', arg(rt), tgt(t)); }
  tbz(rt: Reg, bit: number, t: Target): this { return this.insn('tbz', arg(rt), imm(bit), tgt(t)); }
  tbnz(rt: Reg, bit: number, t: Target): this { return this.insn('tbnz', arg(rt), imm(bit), tgt(t)); }
  br(rn: Reg): this { return this.op('br', rn); }
  blr(rn: Reg): this { return this.op('blr', rn); }
  ret(rn?: Reg): this { return rn ? this.op('ret', rn) : this.insn('ret'); }
  adc(rd: Reg, rn: Reg, rm: Reg): this { return this.op('adc', rd, rn, rm); }
  sbc(rd: Reg, rn: Reg, rm: Reg): this { return this.op('sbc', rd, rn, rm); }
  rev(rd: Reg, rn: Reg): this { return this.op('rev', rd, rn); }
  clz(rd: Reg, rn: Reg): this { return this.op('clz', rd, rn); }

  /** Exclusives, acquire/release and LSE atomics: `ldxr(x0, mem(x1))`, `stxr(w2, x0, mem(x1))`, `ldaddal(x0, x1, mem(x2))` (the sequentially consistent forms; any other is `insn('ldadda', …)`). */
  ldxr(rt: Reg, m: MemOperand): this { return this.op('ldxr', rt, m); }
  stxr(rs: Reg, rt: Reg, m: MemOperand): this { return this.op('stxr', rs, rt, m); }
  ldaxr(rt: Reg, m: MemOperand): this { return this.op('ldaxr', rt, m); }
  stlxr(rs: Reg, rt: Reg, m: MemOperand): this { return this.op('stlxr', rs, rt, m); }
  ldar(rt: Reg, m: MemOperand): this { return this.op('ldar', rt, m); }
  stlr(rt: Reg, m: MemOperand): this { return this.op('stlr', rt, m); }
  ldaddal(rs: Reg, rt: Reg, m: MemOperand): this { return this.op('ldaddal', rs, rt, m); }
  swpal(rs: Reg, rt: Reg, m: MemOperand): this { return this.op('swpal', rs, rt, m); }
  casal(rs: Reg, rt: Reg, m: MemOperand): this { return this.op('casal', rs, rt, m); }

  /** `mrs(x0, 'tpidr_el0')`; `msr('tpidr_el0', x0)`, or a PSTATE field and a value: `msr('daifset', 2)`. */
  mrs(rt: Reg, sysreg: string): this { return this.insn('mrs', arg(rt), named(sysreg)); }
  msr(sysreg: string, v: Reg | number): this { return this.insn('msr', named(sysreg), arg(v)); }
  /** Barriers with an option name (`ish`, `sy`, …). */
  dmb(option = 'sy'): this { return this.insn('dmb', named(option)); }
  dsb(option = 'sy'): this { return this.insn('dsb', named(option)); }
  isb(): this { return this.insn('isb'); }
  svc(v = 0): this { return this.op('svc', v); }
  brk(v = 0): this { return this.op('brk', v); }
  nop(): this { return this.insn('nop'); }

  /** Lays out and encodes: the flat bytes starting at `origin`, and the symbols. */
  assemble(origin = 0): { bytes: Uint8Array; symbols: Map<string, bigint> } {
    const items = [...this.items];
    finishSection(items);
    const out = assembleSections([{ name: '.text', start: origin, items }], aarch64Backend());
    return { bytes: out.sections[0]!.bytes, symbols: out.symbols };
  }
}

/** A named operand (system register, barrier option), as the text syntax reads a bare name. */
function named(name: string): Operand {
  return target(sym(name, noLoc));
}

function isMem(m: MemOperand | Target): m is MemOperand {
  return typeof m === 'object' && 'kind' in m && m.kind === 'mem';
}

export { mem };
