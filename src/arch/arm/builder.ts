import { assembleSections, type Item } from '../../core/assembler.js';
import { noLoc } from '../../core/errors.js';
import { num, sym, type Expr } from '../../core/expr.js';
import type { ArmInsn, Isa, Operand } from './operands.js';
import { CONDS } from './registers.js';
import { armBackend, splitMnemonic } from './syntax.js';

/**
 * Typed builder: `const a = new ArmBuilder(); a.mov(r0, 1); a.svc(0)` makes the same core items
 * as the text front end, so both go through one encoder. Numbers are immediates, strings are
 * labels, `lit(x)` is `=x`, `mem(base, off)` is `[base, #off]`, `list(r4, lr)` is `{r4, lr}`.
 */
export interface Reg {
  readonly reg: number;
}
const R = (n: number): Reg => ({ reg: n });
export const r0 = R(0), r1 = R(1), r2 = R(2), r3 = R(3), r4 = R(4), r5 = R(5), r6 = R(6), r7 = R(7);
export const r8 = R(8), r9 = R(9), r10 = R(10), r11 = R(11), r12 = R(12), sp = R(13), lr = R(14), pc = R(15);

export type Arg = Reg | number | bigint | string | Operand;
export const lit = (v: number | string): Operand => ({ k: 'lit', e: typeof v === 'string' ? sym(v, noLoc) : num(v), loc: noLoc });
export const mem = (base: Reg, off = 0, opts: { wb?: boolean; post?: boolean } = {}): Operand => ({ k: 'mem', base: base.reg, imm: num(off), pre: !opts.post, wb: !!(opts.wb || opts.post), loc: noLoc });
export const list = (...regs: Reg[]): Operand => ({ k: 'list', mask: regs.reduce((m, r) => m | (1 << r.reg), 0), loc: noLoc });
export const wb = (r: Reg): Operand => ({ k: 'reg', r: r.reg, wb: true, loc: noLoc });

function operand(a: Arg): Operand {
  if (typeof a === 'number' || typeof a === 'bigint') return { k: 'imm', e: num(a), loc: noLoc };
  if (typeof a === 'string') return { k: 'expr', e: sym(a, noLoc), loc: noLoc };
  if ('reg' in a && typeof (a as Reg).reg === 'number' && !('k' in a)) return { k: 'reg', r: (a as Reg).reg, loc: noLoc };
  return a as Operand;
}

export class ArmBuilder {
  readonly items: Item[] = [];
  private thumbMode: boolean;
  private pendingThumbFunc = false;
  constructor(readonly opts: { isa?: Isa; thumb?: boolean; origin?: number } = {}) {
    this.thumbMode = !!opts.thumb;
  }
  /** Any instruction by its text mnemonic (`addseq`, `ldmfd`, `b.w`). */
  insn(mnemonic: string, ...args: Arg[]): this {
    const m = splitMnemonic(mnemonic);
    if (!m) throw new Error(`unknown ARM mnemonic '${mnemonic}'`);
    const insn: ArmInsn = { mn: m.mn, s: m.s, cond: m.cond, thumb: this.thumbMode, isa: this.opts.isa ?? 'v6', ops: args.map(operand), loc: noLoc, ...(m.width ? { width: m.width } : {}), ...(m.amode ? { amode: m.amode } : {}) };
    if (m.itPattern !== undefined) {
      insn.itPattern = m.itPattern;
      const c = args[0];
      insn.cond = typeof c === 'string' ? CONDS[c]! : 14;
    }
    this.items.push({ kind: 'insn', insn, loc: noLoc, mnemonic: m.mn });
    return this;
  }
  label(name: string): this {
    this.items.push({ kind: 'label', name, loc: noLoc, ...(this.pendingThumbFunc ? { lowBits: 1 } : {}) });
    this.pendingThumbFunc = false;
    return this;
  }
  /** The next label is a Thumb function: its value has bit 0 set. */
  thumbFunc(): this {
    this.pendingThumbFunc = true;
    return this;
  }
  thumb(): this {
    return this.mode(true);
  }
  arm(): this {
    return this.mode(false);
  }
  private mode(thumb: boolean): this {
    this.thumbMode = thumb;
    this.items.push({ kind: 'insn', insn: { mn: thumb ? '.thumb' : '.arm', s: false, cond: 14, thumb, isa: this.opts.isa ?? 'v6', ops: [], loc: noLoc }, loc: noLoc });
    return this;
  }
  ltorg(): this {
    this.items.push({ kind: 'insn', insn: { mn: '.pool', s: false, cond: 14, thumb: this.thumbMode, isa: this.opts.isa ?? 'v6', ops: [], pool: { entries: [] }, loc: noLoc }, loc: noLoc });
    return this;
  }
  word(...values: (number | string)[]): this {
    this.items.push({ kind: 'data', width: 4, values: values.map((v): Expr => (typeof v === 'string' ? sym(v, noLoc) : num(v))), loc: noLoc });
    return this;
  }
  ascii(s: string): this {
    this.items.push({ kind: 'data', width: 1, values: [new TextEncoder().encode(s)], loc: noLoc });
    return this;
  }
  align(to: number): this {
    this.items.push({ kind: 'align', to: num(to), fill: undefined, loc: noLoc });
    return this;
  }
  mov(d: Reg, s: Arg): this { return this.insn(this.thumbMode && typeof s === 'number' ? 'movs' : 'mov', d, s); }
  add(d: Reg, n: Reg, m: Arg): this { return this.insn('add', d, n, m); }
  sub(d: Reg, n: Reg, m: Arg): this { return this.insn('sub', d, n, m); }
  ldr(t: Reg, m: Arg): this { return this.insn('ldr', t, m); }
  str(t: Reg, m: Arg): this { return this.insn('str', t, m); }
  adr(d: Reg, label: string): this { return this.insn('adr', d, label); }
  b(label: string): this { return this.insn('b', label); }
  bl(label: string): this { return this.insn('bl', label); }
  bx(r: Reg): this { return this.insn('bx', r); }
  push(...regs: Reg[]): this { return this.insn('push', list(...regs)); }
  pop(...regs: Reg[]): this { return this.insn('pop', list(...regs)); }
  svc(n: number): this { return this.insn('svc', n); }
  nop(): this { return this.insn('nop'); }

  /** Lays out and encodes (literal pools and Thumb-function labels are resolved as for text). */
  assemble(): { bytes: Uint8Array; symbols: Map<string, bigint> } {
    const backend = armBackend({ isa: this.opts.isa ?? 'v6', thumb: !!this.opts.thumb });
    const items = [...this.items];
    backend.finishSection(items, backend.initialState());
    const out = assembleSections([{ name: '.text', start: this.opts.origin ?? 0, items }], backend);
    return { bytes: out.sections[0]!.bytes, symbols: out.symbols };
  }
}
