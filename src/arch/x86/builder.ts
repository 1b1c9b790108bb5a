import { assembleSections, type Assembled, type Item } from '../../core/assembler.js';
import { AsmError, noLoc } from '../../core/errors.js';
import { num, sym, type Expr } from '../../core/expr.js';
import { makeMem, type ImmOperand, type MemOperand, type Operand, type RegOperand, type Size, type X86Insn } from './operands.js';
import type { Reg } from './registers.js';
import { x86Backend } from './syntax.js';
import { PREFIXES } from './table.js';

/**
 * A typed way to write x86 code from TypeScript. It makes the same items as the nasm text syntax,
 * so both go through the core assembler (layout, branch relaxation) and encode identically:
 *
 *   const a = new X86Builder('x86_64');
 *   const done = a.label();
 *   a.mov(eax, 60); a.xor(edi, edi); a.jmp(done); a.bind(done); a.syscall();
 *   const bytes = a.assemble();
 */

/** A position in the code; pass it as a branch target, immediate or displacement. */
export class Label {
  readonly expr: Expr;
  /** @internal cached immediate operand for branches */
  readonly op: ImmOperand;
  constructor(readonly name: string) {
    this.expr = sym(name, noLoc);
    this.op = { t: 'imm', e: this.expr, size: undefined, strict: false, dist: undefined, col: 0 };
  }
}

export type ImmValue = number | bigint | Label | Expr;
export type BuilderOperand = Reg | MemOperand | ImmOperand | ImmValue;

function toExpr(v: ImmValue): Expr {
  if (typeof v === 'number') return num(BigInt(v));
  if (typeof v === 'bigint') return num(v);
  if (v instanceof Label) return v.expr;
  return v;
}

export interface MemArgs {
  base?: Reg;
  index?: Reg;
  scale?: 1 | 2 | 4 | 8;
  disp?: ImmValue;
  size?: Size;
  /** RIP-relative (64-bit mode). */
  rel?: boolean;
  /** Segment override (fs, gs, …). */
  seg?: Reg;
}

/** A memory operand: `mem({ base: rbx, index: rcx, scale: 4, disp: 8, size: 32 })`. */
export function mem(a: MemArgs | Reg | ImmValue): MemOperand {
  const spec: MemArgs = isMemArgs(a) ? a : isReg(a) ? { base: a } : { disp: a };
  const m = makeMem({ size: spec.size, base: spec.base, index: spec.index, scale: spec.scale, disp: spec.disp === undefined ? undefined : toExpr(spec.disp), rel: spec.rel, seg: spec.seg });
  if (typeof m === 'string') throw new AsmError({ loc: noLoc, message: m });
  return m;
}

function isReg(a: unknown): a is Reg {
  return typeof a === 'object' && a !== null && (a as Reg).kind === 'reg';
}
function isMemArgs(a: unknown): a is MemArgs {
  return typeof a === 'object' && a !== null && !isReg(a) && !(a instanceof Label) && !('k' in a);
}

const sized = (size: Size) => (a: MemArgs | Reg | ImmValue | MemOperand): MemOperand =>
  typeof a === 'object' && a !== null && (a as MemOperand).t === 'mem' ? { ...(a as MemOperand), size } : { ...mem(a as MemArgs), size };
/** Sized memory operands: `dword(rax)`, `byte({ base: rsi, disp: 1 })`, `qword(0x1000)`. */
export const byte = sized(8), word = sized(16), dword = sized(32), qword = sized(64);
/** RIP-relative memory at a label: `rel(msg)`, `dword(rel(counter))`. */
export const rel = (target: ImmValue, size?: Size): MemOperand => mem({ disp: target, rel: true, ...(size ? { size } : {}) });
/** An immediate with an explicit size (`imm(1, 32, true)` is nasm's `strict dword 1`). */
export const imm = (v: ImmValue, size?: Size, strict = false): ImmOperand => ({ t: 'imm', e: toExpr(v), size, strict, dist: undefined, col: 0 });
/** Branch targets forced short (rel8, error if out of range) or near (rel32). */
export const short = (l: ImmValue): ImmOperand => ({ t: 'imm', e: toExpr(l), size: undefined, strict: false, dist: 'short', col: 0 });
export const near = (l: ImmValue): ImmOperand => ({ t: 'imm', e: toExpr(l), size: undefined, strict: false, dist: 'near', col: 0 });

const REG_OPS = new WeakMap<Reg, RegOperand>();
/** Immediate operands of small integers, made once (operands are never changed after they are made). */
const SMALL_IMM_MIN = -256, SMALL_IMM_MAX = 1023;
const SMALL_IMMS: (ImmOperand | undefined)[] = new Array(SMALL_IMM_MAX - SMALL_IMM_MIN + 1).fill(undefined);
function numberOperand(v: number): ImmOperand {
  if (Number.isInteger(v) && v >= SMALL_IMM_MIN && v <= SMALL_IMM_MAX) {
    const k = v - SMALL_IMM_MIN;
    return (SMALL_IMMS[k] ??= { t: 'imm', e: num(BigInt(v)), size: undefined, strict: false, dist: undefined, col: 0 });
  }
  return { t: 'imm', e: num(BigInt(v)), size: undefined, strict: false, dist: undefined, col: 0 };
}
function toOperand(o: BuilderOperand): Operand {
  if (typeof o === 'number') return numberOperand(o);
  if (typeof o === 'bigint') return { t: 'imm', e: num(o), size: undefined, strict: false, dist: undefined, col: 0 };
  if (o instanceof Label) return o.op;
  if ((o as Reg).kind === 'reg') {
    let r = REG_OPS.get(o as Reg);
    if (!r) REG_OPS.set(o as Reg, (r = { t: 'reg', reg: o as Reg, col: 0 }));
    return r;
  }
  if ((o as Operand).t === 'mem' || (o as Operand).t === 'imm') return o as Operand;
  return { t: 'imm', e: o as Expr, size: undefined, strict: false, dist: undefined, col: 0 };
}

type Cond = 'o' | 'no' | 'b' | 'c' | 'nae' | 'ae' | 'nb' | 'nc' | 'e' | 'z' | 'ne' | 'nz' | 'be' | 'na' | 'a' | 'nbe'
  | 's' | 'ns' | 'p' | 'pe' | 'np' | 'po' | 'l' | 'nge' | 'ge' | 'nl' | 'le' | 'ng' | 'g' | 'nle';
type StringOp = `${'movs' | 'cmps' | 'stos' | 'lods' | 'scas'}${'b' | 'w' | 'd' | 'q'}`;

/** Every mnemonic of the table (a test keeps this list and the table in step). */
export type X86Mnemonic =
  | 'mov' | 'movzx' | 'movsx' | 'movsxd' | 'lea' | 'xchg' | 'xadd' | 'cmpxchg' | 'bswap'
  | 'push' | 'pop' | 'pusha' | 'pushaw' | 'pushad' | 'popa' | 'popaw' | 'popad' | 'pushf' | 'popf' | 'leave'
  | 'add' | 'or' | 'adc' | 'sbb' | 'and' | 'sub' | 'xor' | 'cmp' | 'test'
  | 'inc' | 'dec' | 'not' | 'neg' | 'mul' | 'imul' | 'div' | 'idiv'
  | 'rol' | 'ror' | 'rcl' | 'rcr' | 'shl' | 'sal' | 'shr' | 'sar'
  | 'bt' | 'bts' | 'btr' | 'btc' | 'bsf' | 'bsr'
  | 'cbw' | 'cwde' | 'cdqe' | 'cwd' | 'cdq' | 'cqo'
  | 'jmp' | 'call' | `j${Cond}` | `set${Cond}` | `cmov${Cond}`
  | 'loop' | 'loope' | 'loopz' | 'loopne' | 'loopnz' | 'jcxz' | 'jecxz' | 'jrcxz'
  | 'ret' | 'int' | 'int3' | 'syscall' | 'sysenter' | StringOp
  | 'nop' | 'pause' | 'hlt' | 'ud2' | 'cpuid' | 'rdtsc' | 'clc' | 'stc' | 'cli' | 'sti' | 'cld' | 'std' | 'cmc' | 'lahf' | 'sahf';

export const X86_MNEMONICS: readonly X86Mnemonic[] = [
  'mov', 'movzx', 'movsx', 'movsxd', 'lea', 'xchg', 'xadd', 'cmpxchg', 'bswap',
  'push', 'pop', 'pusha', 'pushaw', 'pushad', 'popa', 'popaw', 'popad', 'pushf', 'popf', 'leave',
  'add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test', 'inc', 'dec', 'not', 'neg', 'mul', 'imul', 'div', 'idiv',
  'rol', 'ror', 'rcl', 'rcr', 'shl', 'sal', 'shr', 'sar', 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr',
  'cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'jmp', 'call',
  ...(['o', 'no', 'b', 'c', 'nae', 'ae', 'nb', 'nc', 'e', 'z', 'ne', 'nz', 'be', 'na', 'a', 'nbe', 's', 'ns', 'p', 'pe', 'np', 'po', 'l', 'nge', 'ge', 'nl', 'le', 'ng', 'g', 'nle'] as const)
    .flatMap((c) => [`j${c}`, `set${c}`, `cmov${c}`] as const),
  'loop', 'loope', 'loopz', 'loopne', 'loopnz', 'jcxz', 'jecxz', 'jrcxz', 'ret', 'int', 'int3', 'syscall', 'sysenter',
  ...(['movs', 'cmps', 'stos', 'lods', 'scas'] as const).flatMap((s) => [`${s}b`, `${s}w`, `${s}d`, `${s}q`] as const),
  'nop', 'pause', 'hlt', 'ud2', 'cpuid', 'rdtsc', 'clc', 'stc', 'cli', 'sti', 'cld', 'std', 'cmc', 'lahf', 'sahf',
];

type MnemonicMethods = { [K in X86Mnemonic]: (...ops: BuilderOperand[]) => X86Builder };

const NO_PREFIX: number[] = [];

class X86BuilderBase {
  bits: 16 | 32 | 64;
  /** `default rel` for memory operands without a base (64-bit mode). */
  defaultRel = false;
  readonly origin: number;
  private readonly list: Item[] = [];
  private pending: number[] = NO_PREFIX;
  private labelCount = 0;

  constructor(arch: 'i386' | 'x86_64' | 16 | 32 | 64 = 'x86_64', opts: { origin?: number } = {}) {
    this.bits = arch === 'i386' ? 32 : arch === 'x86_64' ? 64 : arch;
    this.origin = opts.origin ?? 0;
  }

  /** A new label; give it a name to see it in the symbol table. */
  label(name?: string): Label {
    return new Label(name ?? `..@x86b${this.labelCount++}`);
  }
  /** Places a label here. */
  bind(l: Label): this {
    this.list.push({ kind: 'label', name: l.name, loc: noLoc });
    return this;
  }
  /** A label bound here. */
  here(name?: string): Label {
    const l = this.label(name);
    this.bind(l);
    return l;
  }
  /** Instruction prefixes for the next instruction. */
  rep(): this { return this.prefix('rep'); }
  repe(): this { return this.prefix('repe'); }
  repne(): this { return this.prefix('repne'); }
  lock(): this { return this.prefix('lock'); }
  private prefix(p: string): this {
    this.pending = [...this.pending, PREFIXES[p]!];
    return this;
  }

  /** Any instruction by mnemonic. */
  insn(mn: X86Mnemonic | string, ...ops: BuilderOperand[]): this {
    return this.insnOf(mn, ops);
  }
  /** @internal `ops` is a fresh array owned by the builder: its elements become operands in place. */
  insnOf(mn: string, ops: BuilderOperand[]): this {
    const list = ops as unknown as Operand[];
    for (let i = 0; i < ops.length; i++) list[i] = toOperand(ops[i]!);
    const insn: X86Insn = { mn, ops: list, prefixes: this.pending, bits: this.bits, defaultRel: this.defaultRel, pure: undefined, cache: undefined };
    this.pending = NO_PREFIX;
    this.list.push({ kind: 'insn', insn, loc: noLoc });
    return this;
  }

  private data(width: 1 | 2 | 4 | 8, values: (ImmValue | string | Uint8Array)[]): this {
    const vs = values.map((v) => (typeof v === 'string' ? new TextEncoder().encode(v) : v instanceof Uint8Array ? v : toExpr(v)));
    this.list.push({ kind: 'data', width, values: vs, loc: noLoc });
    return this;
  }
  db(...values: (ImmValue | string | Uint8Array)[]): this { return this.data(1, values); }
  dw(...values: (ImmValue | string | Uint8Array)[]): this { return this.data(2, values); }
  dd(...values: (ImmValue | string | Uint8Array)[]): this { return this.data(4, values); }
  dq(...values: (ImmValue | string | Uint8Array)[]): this { return this.data(8, values); }
  /** Pads with NOPs (or `fill`) to a multiple of `to` from the start. */
  align(to: number, fill?: number): this {
    this.list.push({ kind: 'align', to: num(to), fill, loc: noLoc });
    return this;
  }
  /** `name equ value` at this point. */
  equ(name: string, value: ImmValue): Label {
    this.list.push({ kind: 'equ', name, value: toExpr(value), loc: noLoc });
    return new Label(name);
  }

  /** The items so far (for the ELF layout planner, which adds its own around them). */
  items(): Item[] {
    return this.list;
  }
  /** Lays out and encodes everything: addresses, symbols and where each item went. */
  assembleFull(): Assembled {
    return assembleSections([{ name: '.text', start: this.origin, items: this.list }], x86Backend(this.bits));
  }
  assemble(): Uint8Array {
    return this.assembleFull().sections[0]!.bytes;
  }
}

export interface X86Builder extends MnemonicMethods {}
export class X86Builder extends X86BuilderBase {}
for (const mn of X86_MNEMONICS) {
  Object.defineProperty(X86Builder.prototype, mn, {
    value: function (this: X86Builder, ...ops: BuilderOperand[]) {
      return this.insnOf(mn, ops);
    },
    writable: true,
    configurable: true,
  });
}
