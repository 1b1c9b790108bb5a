import type { Backend } from '../../core/backend.js';
import { num, type Expr, type TokenStream } from '../../core/expr.js';
import type { LexOptions, Token } from '../../core/lexer.js';
import { encodeA64, isA64Mnemonic } from './encoder.js';
import { CONDITIONS, EXTEND_OPTION, SHIFT_OPS, type A64Insn, type ExtendOp, type ImmOperand, type MemOperand, type Operand, type RegOperand, type ShiftOp } from './operands.js';
import { REGISTERS, type Reg } from './registers.js';

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
  if (!isModifier(w) || !(after.kind === 'end' || punct(after, ',') || punct(after, '#') || punct(after, ']'))) return undefined;
  ts.next();
  if (ts.eat('#')) return { kind: 'mod', op: w as ShiftOp | ExtendOp, amount: ts.expr(), token: t };
  if (SHIFT_OPS.has(w) && w !== 'lsl') ts.error(`expected '#amount' after ${w}`);
  return { kind: 'mod', op: w as ShiftOp | ExtendOp, token: t };
}

function memory(ts: TokenStream): MemOperand {
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
  return { kind: 'mem', base, mode, ...(offset ? { offset } : {}), ...(index ? { index } : {}) };
}

function operand(ts: TokenStream): Operand | Modifier {
  const t = ts.peek();
  if (punct(t, '[')) return memory(ts);
  if (punct(t, '#')) {
    ts.next();
    return { kind: 'imm', value: immExpr(ts), hash: true };
  }
  if (t.kind === 'ident') {
    const w = t.text.toLowerCase();
    const reg = REGISTERS.get(w);
    if (reg) {
      ts.next();
      return { kind: 'reg', reg };
    }
    const m = modifier(ts);
    if (m) return m;
    const c = CONDITIONS.get(w);
    const after = ts.peek(1);
    if (c !== undefined && (after.kind === 'end' || punct(after, ','))) {
      ts.next();
      return { kind: 'cond', cond: c, name: w };
    }
  }
  if (t.kind === 'end') ts.error('expected an operand, found end of line');
  return { kind: 'imm', value: immExpr(ts), hash: false };
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
        ops[ops.length - 1] = { kind: 'reg', reg: prev.reg, shift: item.amount === undefined ? { op: item.op } : { op: item.op, amount: item.amount } };
      } else if (prev?.kind === 'imm' && !prev.lsl && item.op === 'lsl' && item.amount) {
        ops[ops.length - 1] = { ...prev, lsl: item.amount };
      } else {
        ts.error(`'${item.token.text}' must follow a register${item.op === 'lsl' ? ' or an immediate' : ''}`, item.token);
      }
    } else if (item.kind === 'imm' && prev?.kind === 'mem' && prev.mode === 'offset' && !prev.offset && !prev.index) {
      ops[ops.length - 1] = { kind: 'mem', base: prev.base, mode: 'post', offset: item.value };
    } else ops.push(item);
    if (!ts.eat(',')) break;
  }
  ts.expectEnd("',' or end of line");
  return ops;
}

const NOP = [0x1f, 0x20, 0x03, 0xd5];

export function parseA64(mnemonic: Token, ts: TokenStream): A64Insn {
  // GNU `.` is the address of this instruction; the core's expressions call it `$`.
  for (let i = ts.pos; i < ts.tokens.length; i++) {
    const t = ts.tokens[i]!;
    // (a `.` at the end of the line lexes as an identifier)
    if ((t.kind === 'punct' || t.kind === 'ident') && t.text === '.') ts.tokens[i] = { ...t, kind: 'punct', text: '$' };
  }
  return { mn: mnemonic.text.toLowerCase(), ops: parseOperands(ts) };
}

/** The AArch64 backend for the shared core (GNU / llvm-mc text syntax). */
export function aarch64Backend(): Backend<A64Insn, null> {
  return {
    arch: 'aarch64',
    endian: 'little',
    lex: a64Lex,
    initialState: () => null,
    parseInstruction: (mnemonic, ts) => parseA64(mnemonic, ts),
    isMnemonic: (name) => isA64Mnemonic(name),
    encode: encodeA64,
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
