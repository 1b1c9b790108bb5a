/**
 * The expressions of `%if`, `%elif`, `%assign`, `%rep` and `%substr`: after single-line macros
 * are expanded, only numbers, character constants and operators are left, and they are evaluated
 * right away (the preprocessor knows no labels nor `equ` values). Operators and their precedence
 * are nasm's, loosest first: `||`, `^^`, `&&`, comparisons (`= == != <> < <= > >= <=>`), `|`, `^`,
 * `&`, shifts, `+ -`, `* / // % %%`, unary `- + ~ !`. Values are 64-bit; `/ %` and `>>` are
 * unsigned, `// %%`, `>>>` and comparisons signed.
 */
import { lexLine, nasmLex } from '../lexer.js';
import { solid, type PTok } from './lex.js';

/** A problem in an expression, at a token (or at the end when undefined). */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly at: PTok | undefined,
  ) {
    super(message);
  }
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const unsigned = (v: bigint): bigint => BigInt.asUintN(64, v);

type Level = { ops: readonly string[]; apply: (op: string, a: bigint, b: bigint, at: PTok) => bigint };

const LEVELS: Level[] = [
  { ops: ['||'], apply: (_, a, b) => (a !== 0n || b !== 0n ? 1n : 0n) },
  { ops: ['^^'], apply: (_, a, b) => ((a !== 0n) !== (b !== 0n) ? 1n : 0n) },
  { ops: ['&&'], apply: (_, a, b) => (a !== 0n && b !== 0n ? 1n : 0n) },
  { ops: ['=', '==', '!=', '<>', '<', '<=', '>', '>=', '<=>'], apply: compare },
  { ops: ['|'], apply: (_, a, b) => a | b },
  { ops: ['^'], apply: (_, a, b) => a ^ b },
  { ops: ['&'], apply: (_, a, b) => a & b },
  { ops: ['<<', '<<<', '>>', '>>>'], apply: shift },
  { ops: ['+', '-'], apply: (op, a, b) => (op === '+' ? a + b : a - b) },
  { ops: ['*', '/', '//', '%', '%%'], apply: multiply },
];

function compare(op: string, a: bigint, b: bigint): bigint {
  if (op === '<=>') return a < b ? -1n : a > b ? 1n : 0n;
  const r = op === '=' || op === '==' ? a === b : op === '!=' || op === '<>' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  return r ? 1n : 0n;
}

function shift(op: string, a: bigint, b: bigint): bigint {
  const count = unsigned(b);
  if (count > 63n) return op === '>>>' && a < 0n ? -1n : 0n;
  if (op === '<<' || op === '<<<') return a << count;
  return op === '>>' ? unsigned(a) >> count : a >> count;
}

function multiply(op: string, a: bigint, b: bigint, at: PTok): bigint {
  if (op === '*') return a * b;
  if (b === 0n) throw new ExprError('division by zero', at);
  if (op === '/') return unsigned(a) / unsigned(b);
  if (op === '%') return unsigned(a) % unsigned(b);
  return op === '//' ? a / b : a % b;
}

/** Evaluates the tokens (whitespace allowed) as one expression; they must all be used. */
export function evaluate(toks: readonly PTok[]): bigint {
  const ts = solid(toks);
  let pos = 0;
  const peek = (): PTok | undefined => ts[pos];
  const isOp = (t: PTok | undefined, ops: readonly string[]): boolean => t !== undefined && t.kind === 'op' && ops.includes(t.text);

  const binary = (level: number): bigint => {
    if (level === LEVELS.length) return unary();
    const { ops, apply } = LEVELS[level]!;
    let a = binary(level + 1);
    while (isOp(peek(), ops)) {
      const op = ts[pos++]!;
      a = wrap(apply(op.text, a, binary(level + 1), op));
    }
    return a;
  };
  const unary = (): bigint => {
    const t = peek();
    if (isOp(t, ['-', '+', '~', '!'])) {
      pos++;
      const v = unary();
      return wrap(t!.text === '-' ? -v : t!.text === '~' ? ~v : t!.text === '!' ? (v === 0n ? 1n : 0n) : v);
    }
    return primary();
  };
  const primary = (): bigint => {
    const t = ts[pos++];
    if (t === undefined) throw new ExprError('expected a number, found end of line', undefined);
    if (t.kind === 'op' && t.text === '(') {
      const v = binary(0);
      const close = ts[pos++];
      if (!close || close.text !== ')') throw new ExprError(`expected ')', found ${describe(close)}`, close);
      return v;
    }
    if (t.kind === 'num' || t.kind === 'str') return literal(t);
    if (t.kind === 'id') throw new ExprError(`'${t.text}' is not known to the preprocessor: it evaluates only numbers and %define'd / %assign'ed names (not labels or equ)`, t);
    if (t.kind === 'op' && (t.text === '$' || t.text === '$$')) throw new ExprError(`'${t.text}' is not known to the preprocessor (it is an address, known only when assembling)`, t);
    throw new ExprError(`expected a number, found ${describe(t)}`, t);
  };

  const v = binary(0);
  if (pos < ts.length) throw new ExprError(`expected an operator or end of expression, found ${describe(ts[pos])}`, ts[pos]);
  return v;
}

/** A number or a character constant (a little-endian number of up to 8 bytes), read as the front end reads it. */
function literal(t: PTok): bigint {
  let toks;
  try {
    toks = lexLine(t.text, { file: '', line: 1 }, nasmLex);
  } catch {
    throw new ExprError(`'${t.text}' is not a valid number`, t);
  }
  const only = toks[0]!;
  if (only.kind === 'number' && only.value !== undefined) return wrap(only.value);
  if (only.kind === 'string' && only.bytes !== undefined) {
    if (only.bytes.length > 8) throw new ExprError(`the character constant ${t.text} is longer than 8 bytes`, t);
    let v = 0n;
    for (let k = only.bytes.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(only.bytes[k]!);
    return wrap(v);
  }
  throw new ExprError(`'${t.text}' is not a valid number`, t);
}

export function describe(t: PTok | undefined): string {
  return t === undefined ? 'end of line' : `'${t.text}'`;
}
