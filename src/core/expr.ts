import { fail, type SourceLoc } from './errors.js';
import type { Token } from './lexer.js';

/**
 * Constant expressions, shared by every front end and architecture. Values are bigints so 64-bit
 * immediates are exact; `$` is the address of the current statement, `$$` the start of its section.
 */
export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string; loc: SourceLoc }
  | { k: 'here' }
  | { k: 'start' }
  | { k: 'un'; op: '-' | '+' | '~' | '!'; a: Expr }
  | { k: 'bin'; op: BinOp; a: Expr; b: Expr; loc: SourceLoc };

export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '%%' | '<<' | '>>' | '&' | '|' | '^';

export const num = (v: bigint | number): Expr => ({ k: 'num', v: BigInt(v) });
export const sym = (name: string, loc: SourceLoc): Expr => ({ k: 'sym', name, loc });

/** What an expression may refer to while it is evaluated. */
export interface EvalEnv {
  /** Address of the statement being assembled (`$`). */
  here: number;
  /** Start address of the section (`$$`). */
  start: number;
  /** A symbol's value, or undefined while not yet known. Throws for a symbol that can never be known. */
  lookup(name: string, loc: SourceLoc): bigint | undefined;
}

const MASK64 = (1n << 64n) - 1n;

/** Evaluates; `undefined` means a symbol is not known yet (an earlier pass of the assembler). */
export function evaluate(e: Expr, env: EvalEnv): bigint | undefined {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'here':
      return BigInt(env.here);
    case 'start':
      return BigInt(env.start);
    case 'sym':
      return env.lookup(e.name, e.loc);
    case 'un': {
      const a = evaluate(e.a, env);
      if (a === undefined) return undefined;
      switch (e.op) {
        case '-': return -a;
        case '+': return a;
        case '~': return ~a;
        case '!': return a === 0n ? 1n : 0n;
      }
    }
    // falls through (unreachable: every unary op returns)
    case 'bin': {
      const be = e as Extract<Expr, { k: 'bin' }>;
      const a = evaluate(be.a, env);
      const b = evaluate(be.b, env);
      if (a === undefined || b === undefined) return undefined;
      switch (be.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '<<':
        case '>>':
          // nasm takes the count modulo 64 and GNU as gives 0 with a warning: out of range is an error here.
          if (b < 0n || b > 63n) fail(be.loc, `shift count ${b} is out of range (0..63)`);
          return be.op === '<<' ? a << b : (a & MASK64) >> b; // nasm: logical shift of the 64-bit value
        case '/':
        case '%': {
          if (b === 0n) fail(be.loc, 'division by zero');
          // nasm's `/` and `%` are unsigned; non-negative operands (the common case) agree with signed.
          const ua = a < 0n ? a & MASK64 : a;
          const ub = b < 0n ? b & MASK64 : b;
          return be.op === '/' ? ua / ub : ua % ub;
        }
        case '//':
        case '%%':
          if (b === 0n) fail(be.loc, 'division by zero');
          return be.op === '//' ? a / b : a % b;
      }
    }
  }
}

/** Names of the symbols an expression uses. */
export function symbolsOf(e: Expr, out: string[] = []): string[] {
  if (e.k === 'sym') out.push(e.name);
  else if (e.k === 'un') symbolsOf(e.a, out);
  else if (e.k === 'bin') {
    symbolsOf(e.a, out);
    symbolsOf(e.b, out);
  }
  return out;
}

/** True when the expression has no symbol, `$` or `$$` in it. */
export function isConstant(e: Expr): boolean {
  if (e.k === 'num') return true;
  if (e.k === 'un') return isConstant(e.a);
  if (e.k === 'bin') return isConstant(e.a) && isConstant(e.b);
  return false;
}

/**
 * A cursor over one line's tokens, with the expression grammar (nasm precedence, lowest first):
 * `|`, `^`, `&`, `<< >>`, `+ -`, `* / // % %%`, unary `- + ~ !`.
 */
export class TokenStream {
  pos = 0;
  /** The last non-local label: nasm's `.name` labels belong to it. */
  scope = '';
  /** GNU numeric labels (`1:`, referenced as `1b`/`1f`): how many of each number are defined so far. */
  numeric?: Map<string, number>;
  constructor(
    readonly tokens: Token[],
    readonly loc: Omit<SourceLoc, 'column'>,
  ) {}

  peek(offset = 0): Token {
    const i = this.pos + offset;
    const last = this.tokens.length - 1;
    return this.tokens[i < last ? i : last]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  atEnd(): boolean {
    return this.peek().kind === 'end';
  }
  /** Consumes the punctuation if it is next. */
  eat(text: string): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === text) {
      this.next();
      return true;
    }
    return false;
  }
  /** Consumes an identifier (case-insensitive) if it is next. */
  eatWord(word: string): boolean {
    const t = this.peek();
    if (t.kind === 'ident' && t.text.toLowerCase() === word) {
      this.next();
      return true;
    }
    return false;
  }
  locOf(t: Token = this.peek()): SourceLoc {
    return { file: this.loc.file, line: this.loc.line, column: t.column };
  }
  describe(t: Token = this.peek()): string {
    return t.kind === 'end' ? 'end of line' : `'${t.text}'`;
  }
  expect(text: string, what = `'${text}'`): void {
    if (!this.eat(text)) this.error(`expected ${what}, found ${this.describe()}`);
  }
  expectEnd(what = 'end of line'): void {
    if (!this.atEnd()) this.error(`expected ${what}, found ${this.describe()}`);
  }
  error(message: string, t: Token = this.peek()): never {
    fail(this.locOf(t), message);
  }

  /** nasm local labels (`.loop`) are named after the last non-local label. */
  qualify(name: string): string {
    const m = this.numeric && /^([0-9]+)([bf])$/.exec(name);
    if (m) {
      const seen = this.numeric!.get(m[1]!) ?? 0;
      return numericLabel(m[1]!, m[2] === 'b' ? seen : seen + 1);
    }
    return name.startsWith('.') && !name.startsWith('..') && this.scope ? this.scope + name : name;
  }

  /** Parses an expression; strings of up to 8 bytes are read as little-endian numbers (nasm). */
  expr(): Expr {
    return this.binary(0);
  }

  private static readonly levels: readonly (readonly string[])[] = [
    ['|'],
    ['^'],
    ['&'],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '//', '%', '%%'],
  ];

  private binary(level: number): Expr {
    if (level >= TokenStream.levels.length) return this.unary();
    let left = this.binary(level + 1);
    const ops = TokenStream.levels[level]!;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !ops.includes(t.text)) return left;
      this.next();
      const right = this.binary(level + 1);
      left = { k: 'bin', op: t.text as BinOp, a: left, b: right, loc: this.locOf(t) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')) {
      this.next();
      const a = this.unary();
      if (a.k === 'num') {
        if (t.text === '-') return num(-a.v);
        if (t.text === '+') return a;
        if (t.text === '~') return num(~a.v);
      }
      return { k: 'un', op: t.text, a };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      return num(t.value!);
    }
    if (t.kind === 'string') {
      this.next();
      const bytes = t.bytes!;
      if (bytes.length > 8) this.error('a string used as a number may hold at most 8 bytes', t);
      let v = 0n;
      for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
      return num(v);
    }
    if (t.kind === 'ident') {
      this.next();
      return sym(this.qualify(t.text), this.locOf(t));
    }
    if (t.kind === 'punct') {
      if (t.text === '$') {
        this.next();
        return { k: 'here' };
      }
      // GNU as: `.` alone is the current address.
      if (t.text === '.' && this.numeric) {
        this.next();
        return { k: 'here' };
      }
      if (t.text === '$$') {
        this.next();
        return { k: 'start' };
      }
      if (t.text === '(') {
        this.next();
        const e = this.expr();
        this.expect(')', "')'");
        return e;
      }
    }
    this.error(`expected an expression, found ${this.describe(t)}`, t);
  }
}

/** The internal name of the `index`-th definition of GNU numeric label `n`. */
export function numericLabel(n: string, index: number): string {
  return `.L${n}\u0002${index}`;
}
