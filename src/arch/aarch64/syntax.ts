import type { Item } from '../../core/assembler.js';
import type { Backend, EncodeContext } from '../../core/backend.js';
import { fail, noLoc } from '../../core/errors.js';
import { evaluate, isConstant, num, type EvalEnv, type Expr, type TokenStream } from '../../core/expr.js';
import { poolIndex, type LiteralPool } from '../literal-pool.js';
import type { LexOptions, Token } from '../../core/lexer.js';
import { encodeA64, encodeA64Into, isA64Mnemonic, isFixedA64 } from './encoder.js';
import { encodeBranchInto, parseLineA64, type A64State } from './fast.js';
import { CONDITIONS, EXTEND_OPTION, SHIFT_OPS, type A64Insn, type ExtendOp, type ImmOperand, type LitOperand, type MemOperand, type Operand, type RegOperand, type ShiftOp } from './operands.js';
import { REGISTERS, type Reg } from './registers.js';
import { UNSUPPORTED } from './unsupported.js';

/** GNU as / llvm-mc syntax for AArch64: `//` comments, `#` before immediates, `.` for here. */
export const a64Lex: LexOptions = { comments: ['//'], suffixNumbers: false };

/** A shift or extend written after a comma (`, lsl #3`), merged into the operand before it. */
interface Modifier {
  readonly kind: 'mod';
  readonly op: ShiftOp | ExtendOp;
  readonly amount?: Expr;
  readonly token: Token;
}

const isModifier = (w: string): boolean => SHIFT_OPS.has(w) || w in EXTEND_OPTION;

function punct(t: Token, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}

/** `:lo12:sym` is the low 12 bits of the address, as used after `adrp`. */
function immExpr(ts: TokenStream): Expr {
  if (ts.eat(':')) {
    const t = ts.next();
    if (t.kind !== 'ident' || t.text.toLowerCase() !== 'lo12') ts.error(`only the :lo12: relocation operator is supported, found ${ts.describe(t)}`, t);
    ts.expect(':', "':' after lo12");
    const e = ts.expr();
    return { k: 'bin', op: '&', a: e, b: num(0xfff), loc: ts.locOf(t) };
  }
  return ts.expr();
}

function regAt(ts: TokenStream): Reg | undefined {
  const t = ts.peek();
  return t.kind === 'ident' ? REGISTERS.get(t.text.toLowerCase()) : undefined;
}

function modifier(ts: TokenStream): Modifier | undefined {
  const t = ts.peek();
  if (t.kind !== 'ident') return undefined;
  const w = t.text.toLowerCase();
  const after = ts.peek(1);
  // (the amount's `#` is optional, as llvm-mc and GNU as read `lsl 12`)
  if (!isModifier(w) || !(after.kind === 'end' || after.kind === 'number' || punct(after, ',') || punct(after, '#') || punct(after, ']'))) return undefined;
  ts.next();
  if (ts.eat('#') || ts.peek().kind === 'number') return { kind: 'mod', op: w as ShiftOp | ExtendOp, amount: ts.expr(), token: t };
  if (SHIFT_OPS.has(w) && w !== 'lsl') ts.error(`expected '#amount' after ${w}`);
  return { kind: 'mod', op: w as ShiftOp | ExtendOp, token: t };
}

function memory(ts: TokenStream): MemOperand {
  const loc = ts.locOf(ts.peek());
  ts.expect('[');
  const base = regAt(ts);
  if (!base) ts.error(`expected a base register (x0-x30 or sp), found ${ts.describe()}`);
  ts.next();
  let offset: Expr | undefined;
  let index: RegOperand | undefined;
  if (ts.eat(',')) {
    const r = regAt(ts);
    if (r) {
      ts.next();
      let shift: RegOperand['shift'];
      if (ts.eat(',')) {
        const m = modifier(ts);
        if (!m) ts.error(`expected lsl, uxtw, sxtw or sxtx, found ${ts.describe()}`);
        if (m.op === 'lsl' && m.amount === undefined) ts.error("expected '#amount' after lsl");
        shift = m.amount === undefined ? { op: m.op } : { op: m.op, amount: m.amount };
      }
      index = shift ? { kind: 'reg', reg: r, shift } : { kind: 'reg', reg: r };
    } else {
      ts.eat('#');
      offset = immExpr(ts);
    }
  }
  ts.expect(']', "']'");
  const mode = ts.eat('!') ? 'pre' : 'offset';
  if (mode === 'pre' && offset === undefined) ts.error('pre-index needs an offset: [xN, #offset]!');
  return { kind: 'mem', base, mode, ...(offset ? { offset } : {}), ...(index ? { index } : {}), loc };
}

function operand(ts: TokenStream): Operand | Modifier {
  const t = ts.peek();
  const loc = ts.locOf(t);
  if (punct(t, '[')) return memory(ts);
  if (punct(t, '#')) {
    ts.next();
    return { kind: 'imm', value: immExpr(ts), hash: true, loc };
  }
  if (punct(t, '=')) {
    ts.next();
    return { kind: 'lit', value: ts.expr(), loc };
  }
  if (t.kind === 'ident') {
    const w = t.text.toLowerCase();
    const reg = REGISTERS.get(w);
    if (reg) {
      ts.next();
      return { kind: 'reg', reg, loc };
    }
    const m = modifier(ts);
    if (m) return m;
    const c = CONDITIONS.get(w);
    const after = ts.peek(1);
    if (c !== undefined && (after.kind === 'end' || punct(after, ','))) {
      ts.next();
      return { kind: 'cond', cond: c, name: w, loc };
    }
  }
  if (t.kind === 'end') ts.error('expected an operand, found end of line');
  return { kind: 'imm', value: immExpr(ts), hash: false, loc };
}

/** Reads the operands: a shift/extend joins the register or immediate before it; `[xN], #imm` is post-index. */
export function parseOperands(ts: TokenStream): Operand[] {
  const ops: Operand[] = [];
  if (ts.atEnd()) return ops;
  for (;;) {
    const item = operand(ts);
    const prev = ops[ops.length - 1];
    if (item.kind === 'mod') {
      if (prev?.kind === 'reg' && !prev.shift) {
        ops[ops.length - 1] = { ...prev, shift: item.amount === undefined ? { op: item.op } : { op: item.op, amount: item.amount } };
      } else if (prev?.kind === 'imm' && !prev.lsl && item.op === 'lsl' && item.amount) {
        ops[ops.length - 1] = { ...prev, lsl: item.amount };
      } else {
        ts.error(`'${item.token.text}' must follow a register${item.op === 'lsl' ? ' or an immediate' : ''}`, item.token);
      }
    } else if (item.kind === 'imm' && prev?.kind === 'mem' && prev.mode === 'offset' && !prev.offset && !prev.index) {
      ops[ops.length - 1] = { ...prev, mode: 'post', offset: item.value };
    } else ops.push(item);
    if (!ts.eat(',')) break;
  }
  ts.expectEnd("',' or end of line");
  return ops;
}

const NOP = [0x1f, 0x20, 0x03, 0xd5];

/** A vector arrangement written after the mnemonic, as Apple's syntax does (`cmls.8b v0, v2, v1`). */
const ARRANGEMENT_SUFFIX = /^[a-z][a-z0-9]*\.(8b|16b|4h|8h|2s|4s|1d|2d|1q|b|h|s|d|q)$/;

/** What a mnemonic tinyelf does not encode belongs to (unsupported.ts), or undefined for one it encodes or has never heard of. */
function unsupportedGroup(mn: string): string | undefined {
  if (isA64Mnemonic(mn)) return undefined;
  return UNSUPPORTED.get(mn) ?? (ARRANGEMENT_SUFFIX.test(mn) ? 'FP/SIMD' : undefined);
}

export function parseA64(mnemonic: Token, ts: TokenStream): A64Insn {
  const mn = mnemonic.text.toLowerCase();
  const group = unsupportedGroup(mn);
  if (group !== undefined) ts.error(`instruction not supported: ${mn} (${group})`, mnemonic);
  if (mn === '.ltorg' || mn === '.pool') {
    ts.expectEnd();
    return { mn: '.pool', ops: [], pool: { entries: [] } };
  }
  // GNU `.` is the address of this instruction; the core's expressions call it `$`.
  for (let i = ts.pos; i < ts.tokens.length; i++) {
    const t = ts.tokens[i]!;
    // (a `.` at the end of the line lexes as an identifier)
    if ((t.kind === 'punct' || t.kind === 'ident') && t.text === '.') ts.tokens[i] = { ...t, kind: 'punct', text: '$' };
  }
  const ops = parseOperands(ts);
  const lit = ops.findIndex((o) => o.kind === 'lit');
  if (lit < 0) return { mn, ops };
  const at = ops[lit]!.loc ?? ts.locOf(mnemonic);
  if (mn !== 'ldr' || lit !== 1 || ops.length !== 2) fail(at, "'=value' is only an operand of 'ldr xN, =value' / 'ldr wN, =value'");
  const rt = ops[0]!;
  if (rt.kind !== 'reg' || rt.shift || rt.reg.num === 31) fail(rt.loc ?? at, "operand 1: 'ldr …, =value' loads x0-x30 or w0-w30");
  return literalLoad(mn, rt, ops[1] as LitOperand);
}

/**
 * `ldr xN, =value` / `ldr wN, =value`, as llvm-mc 14 reads it: a constant that one movz makes
 * (a 16-bit halfword at lsl #0/16/32/48; #0/16 for w) becomes that movz, anything else (other
 * constants, labels, expressions) a pool entry of 8 (x) or 4 (w) bytes loaded with ldr (literal).
 */
export function literalLoad(mn: string, rt: RegOperand, lit: LitOperand): A64Insn {
  const e = lit.value;
  const at = lit.loc ?? noLoc;
  if (!isConstant(e)) return { mn, ops: [rt, lit] };
  const v = evaluate(e, CONST_ENV)!;
  if (v < -(1n << 63n) || v >= 1n << 64n) fail(at, `operand 2: ${v} does not fit in 64 bits`);
  let imm = BigInt.asUintN(64, v);
  let shift = 0;
  while (imm > 0xffffn && (imm & 0xffffn) === 0n) {
    shift += 16;
    imm >>= 16n;
  }
  if (imm <= 0xffffn && shift <= (rt.reg.width === 64 ? 48 : 16)) {
    return { mn: 'movz', ops: [rt, { kind: 'imm', value: num(imm), hash: true, ...(shift ? { lsl: num(shift) } : {}), loc: at }] };
  }
  if (rt.reg.width === 32 && (v < -(1n << 31n) || v >= 1n << 32n)) fail(at, `operand 2: ${v} is too large for a 32-bit register`);
  return { mn, ops: [rt, lit] };
}
const CONST_ENV: EvalEnv = { here: 0, start: 0, lookup: () => undefined };

/**
 * Called once per section when it is complete: binds each `ldr xN, =value` to the next literal
 * pool (`.ltorg`/`.pool`, or one added at the end of the section).
 */
export function finishSection(items: Item[]): void {
  let open: A64Insn[] = [];
  const bind = (pool: LiteralPool): void => {
    for (const insn of open) {
      const rt = insn.ops[0] as RegOperand;
      insn.lit = { pool, index: poolIndex(pool, (insn.ops[1] as LitOperand).value, rt.reg.width === 64 ? 8 : 4, true) };
    }
    open = [];
  };
  const visit = (it: Item): void => {
    if (it.kind === 'times') visit(it.item);
    if (it.kind !== 'insn' || it.bytes !== undefined) return; // (encoded by parseLine: no pool, no literal)
    const insn = it.insn as A64Insn;
    if (insn.pool) {
      insn.pool.entries.length = 0; // (the builder's items may be laid out more than once)
      bind(insn.pool);
    }
    else if (insn.ops[1]?.kind === 'lit') open.push(insn);
  };
  items.forEach(visit);
  if (open.length) {
    const pool: LiteralPool = { entries: [] };
    bind(pool);
    const loc = items[items.length - 1]?.loc ?? noLoc;
    items.push({ kind: 'insn', insn: { mn: '.pool', ops: [], pool }, loc, mnemonic: '.pool' });
  }
}

/** A pool: each entry aligned to its size with zeros (as llvm-mc), padded in front to `atLeast` bytes. */
function encodePool(pool: LiteralPool, ctx: EncodeContext): Uint8Array {
  if (pool.entries.length === 0) return new Uint8Array(0);
  let addresses: number[] = [];
  let end = 0;
  for (let pad = 0; ; pad++) {
    let a = ctx.address + pad;
    addresses = pool.entries.map((en) => {
      a = Math.ceil(a / en.size) * en.size;
      const here = a;
      a += en.size;
      return here;
    });
    end = a;
    if (end - ctx.address >= ctx.atLeast) break;
  }
  pool.at = addresses[0]!;
  pool.addresses = addresses;
  const out = new Uint8Array(end - ctx.address);
  const dv = new DataView(out.buffer);
  pool.entries.forEach((en, i) => {
    const v = ctx.value(en.e) ?? 0n;
    const bits = BigInt(8 * en.size);
    if (ctx.final && (v < -(1n << (bits - 1n)) || v >= 1n << bits)) fail(('loc' in en.e ? en.e.loc : undefined) ?? ctx.loc, `literal ${v} does not fit in ${en.size * 8} bits`);
    const off = addresses[i]! - ctx.address;
    if (en.size === 8) dv.setBigUint64(off, BigInt.asUintN(64, v), true);
    else dv.setUint32(off, Number(BigInt.asUintN(32, v)), true);
  });
  return out;
}

/** `ldr xN, =value` from a pool: ldr (literal) of the entry's address. */
function encodeLiteralLoad(insn: A64Insn, ctx: EncodeContext): Uint8Array {
  const lit = insn.ops[1] as LitOperand;
  const target = insn.lit?.pool.addresses?.[insn.lit.index];
  if (target === undefined) {
    if (ctx.final) fail(lit.loc ?? ctx.loc, "operand 2: '=value' has no literal pool (only the text syntax makes pools)");
    return new Uint8Array(Math.max(4, ctx.atLeast));
  }
  const off = target - ctx.address;
  if (off < -(1 << 20) || off >= 1 << 20 || off % 4 !== 0) {
    if (!ctx.final) return new Uint8Array(Math.max(4, ctx.atLeast));
    fail(lit.loc ?? ctx.loc, `operand 2: literal pool out of range (entry is ${off} bytes away, ldr reaches ±1 MiB in multiples of 4; add .ltorg closer)`);
  }
  return encodeA64({ mn: 'ldr', ops: [insn.ops[0]!, { kind: 'imm', value: num(target), hash: false, ...(lit.loc ? { loc: lit.loc } : {}) }] }, ctx);
}

/** The AArch64 backend for the shared core (GNU / llvm-mc text syntax). */
export function aarch64Backend(): Backend<A64Insn, A64State> {
  return {
    arch: 'aarch64',
    endian: 'little',
    lex: a64Lex,
    initialState: () => ({ buf: undefined, pos: 0 }),
    parseLine: parseLineA64,
    parseInstruction: (mnemonic, ts) => parseA64(mnemonic, ts),
    // (a word the disassemblers know is an instruction too, which parseA64 refuses by name)
    isMnemonic: (name) => name === '.ltorg' || name === '.pool' || isA64Mnemonic(name) || unsupportedGroup(name) !== undefined,
    encode(insn, ctx) {
      if (insn.pool) return encodePool(insn.pool, ctx);
      if (insn.ops[1]?.kind === 'lit') return encodeLiteralLoad(insn, ctx);
      return encodeA64(insn, ctx);
    },
    isFixed: isFixedA64,
    encodeInto(insn, ctx, out, at) {
      if (insn.branchWord !== undefined) {
        const n = encodeBranchInto(insn, ctx, out, at);
        if (n >= 0) return n;
      }
      return insn.pool !== undefined || insn.ops[1]?.kind === 'lit' ? -1 : encodeA64Into(insn, ctx, out, at);
    },
    finishSection,
    codeFill(count: number, address: number): Uint8Array {
      // Zero bytes up to a word boundary, then NOPs, as GNU as pads code.
      const out = new Uint8Array(count);
      let i = (4 - (address % 4)) % 4;
      for (; i + 4 <= count; i += 4) out.set(NOP, i);
      return out;
    },
  };
}

export type { ImmOperand };
