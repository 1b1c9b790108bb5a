import { assembleSections, type Assembled, type Item } from '../../core/assembler.js';
import { AsmError, noLoc } from '../../core/errors.js';
import { num, sym, type Expr } from '../../core/expr.js';
import { makeMem, type ImmOperand, type MemOperand, type Operand, type RegOperand, type Size, type X86Insn } from './operands.js';
import type { Reg } from './registers.js';
import { x86Backend } from './syntax.js';
import { PREFIXES } from './table.js';
import { BRANCH, CALL, FAST_MNEMONICS, JMP, encodeFastOperands, type FastMnemonic } from './fast.js';

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
  /** @internal the builder that made it (label()) and its number there, for the fast path */
  owner: object | undefined = undefined;
  /** @internal */
  id = -1;
  #expr: Expr | undefined = undefined;
  #op: ImmOperand | undefined = undefined;
  constructor(readonly name: string) {}

  // The expression and operand are made when first asked for: on the fast path, branches and
  // bind() use the label's number, so most labels never need them.
  get expr(): Expr {
    return (this.#expr ??= sym(this.name, noLoc));
  }
  /** @internal cached immediate operand for branches */
  get op(): ImmOperand {
    return (this.#op ??= { t: 'imm', e: this.expr, size: undefined, strict: false, dist: undefined, col: 0 });
  }
}

export type ImmValue = number | bigint | Label | Expr;
export type BuilderOperand = Reg | MemOperand | ImmOperand | ImmValue;

/** Expressions of small integers, made once (expressions are never changed after they are made). */
const SMALL_EXPRS: (Expr | undefined)[] = new Array(1024 + 256).fill(undefined);

function toExpr(v: ImmValue): Expr {
  if (typeof v === 'number') {
    if (v >= -256 && v < 1024 && (v | 0) === v) return (SMALL_EXPRS[v + 256] ??= num(BigInt(v)));
    return num(BigInt(v));
  }
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

/**
 * A memory operand whose displacement was given as an int32 number: the number is kept
 * (`dispNumber`, which the fast path encodes as it is) and the expression the general encoder
 * reads is made only when asked for. Most builder operands never need it, and making it costs a
 * BigInt, plus a conversion back to a number in the fast path.
 */
class NumberDispMem implements MemOperand {
  readonly t = 'mem' as const;
  readonly col = 0;
  #disp: Expr | undefined = undefined;
  constructor(
    readonly size: Size | undefined,
    readonly base: Reg,
    readonly index: Reg | undefined,
    readonly scale: 1 | 2 | 4 | 8,
    readonly dispNumber: number,
    readonly rel: boolean | undefined,
    readonly seg: Reg | undefined,
  ) {}

  get disp(): Expr {
    return (this.#disp ??= toExpr(this.dispNumber));
  }
}

/** A memory operand: `mem({ base: rbx, index: rcx, scale: 4, disp: 8, size: 32 })`. */
export function mem(a: MemArgs | Reg | ImmValue): MemOperand {
  if (isMemArgs(a) && a.base !== undefined) {
    // The common case, made directly (with a base, makeMem rewrites nothing; same object shape).
    const index = a.index;
    const scale = index === undefined ? 1 : a.scale ?? 1;
    if (scale === 1 || scale === 2 || scale === 4 || scale === 8) {
      const d = a.disp;
      if (typeof d === 'number' && (d | 0) === d) return new NumberDispMem(a.size, a.base, index, scale, d, a.rel, a.seg);
      return { t: 'mem', size: a.size, base: a.base, index, scale, disp: d === undefined ? undefined : toExpr(d), rel: a.rel, seg: a.seg, col: 0 };
    }
  }
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

/** `m` with another size (a literal, not a spread: the copy has the shape of every other operand). */
function resized(m: MemOperand, size: Size): MemOperand {
  if (m instanceof NumberDispMem) return new NumberDispMem(size, m.base, m.index, m.scale, m.dispNumber, m.rel, m.seg);
  const copy: MemOperand = { t: 'mem', size, base: m.base, index: m.index, scale: m.scale, disp: m.disp, rel: m.rel, seg: m.seg, col: m.col };
  if (m.wide !== undefined) copy.wide = m.wide;
  if (m.dispSize !== undefined) copy.dispSize = m.dispSize;
  return copy;
}
const sized = (size: Size) => (a: MemArgs | Reg | ImmValue | MemOperand): MemOperand =>
  resized(typeof a === 'object' && a !== null && (a as MemOperand).t === 'mem' ? (a as MemOperand) : mem(a as MemArgs), size);
/** Sized memory operands: `dword(rax)`, `byte({ base: rsi, disp: 1 })`, `qword(0x1000)`. */
export const byte = sized(8), word = sized(16), dword = sized(32), qword = sized(64);
/** RIP-relative memory at a label: `rel(msg)`, `dword(rel(counter))`. */
export const rel = (target: ImmValue, size?: Size): MemOperand => mem({ disp: target, rel: true, ...(size ? { size } : {}) });
/** An immediate with an explicit size (`imm(1, 32, true)` is nasm's `strict dword 1`). */
export const imm = (v: ImmValue, size?: Size, strict = false): ImmOperand => ({ t: 'imm', e: toExpr(v), size, strict, dist: undefined, col: 0 });
/** A far pointer `selector:offset` (`jmp 0x08:start` is `a.jmp(farPtr(0x08, start))`). */
export const farPtr = (selector: ImmValue, offset: ImmValue, size?: 16 | 32): ImmOperand =>
  ({ t: 'imm', e: toExpr(offset), size, strict: false, dist: undefined, col: 0, seg: toExpr(selector) });
/** A far pointer in memory, `far [mem]` (`a.jmp(far(mem(rax)))`). */
export const far = (m: MemOperand): MemOperand => ({ ...m, far: true });
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
  | 'nop' | 'pause' | 'hlt' | 'ud2' | 'cpuid' | 'rdtsc' | 'clc' | 'stc' | 'cli' | 'sti' | 'cld' | 'std' | 'cmc' | 'lahf' | 'sahf'
  | 'pushfw' | 'pushfd' | 'pushfq' | 'popfw' | 'popfd' | 'popfq' | 'enter' | 'lds' | 'les' | 'lss' | 'lfs'
  | 'lgs' | 'retn' | 'retw' | 'retd' | 'retq' | 'retf' | 'retfw' | 'retfd' | 'retfq' | 'iret' | 'iretw'
  | 'iretd' | 'iretq' | 'int1' | 'icebp' | 'into' | 'sysexit' | 'sysret' | 'swapgs' | 'aaa' | 'aas' | 'daa'
  | 'das' | 'aad' | 'aam' | 'xlatb' | 'xlat' | 'shld' | 'shrd' | 'popcnt' | 'lzcnt' | 'tzcnt' | 'movbe'
  | 'cmpxchg8b' | 'cmpxchg16b' | 'arpl' | 'bound' | 'rdtscp' | 'rdmsr' | 'wrmsr' | 'rdpmc' | 'rdrand'
  | 'rdseed' | 'lfence' | 'mfence' | 'sfence' | 'clac' | 'stac' | 'rsm' | 'wbinvd' | 'invd' | 'clts' | 'invlpg' | 'clflush' | 'sgdt'
  | 'sidt' | 'lgdt' | 'lidt' | 'lldt' | 'ltr' | 'verr' | 'verw' | 'lmsw' | 'sldt' | 'str' | 'smsw' | 'lar'
  | 'lsl' | 'monitor' | 'mwait' | 'in' | 'out' | 'insb' | 'insw' | 'insd' | 'outsb' | 'outsw' | 'outsd';

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
  'nop', 'pause', 'hlt', 'ud2', 'cpuid', 'rdtsc', 'clc', 'stc', 'cli', 'sti', 'cld', 'std', 'cmc', 'lahf', 'sahf',  'pushfw', 'pushfd', 'pushfq', 'popfw', 'popfd', 'popfq', 'enter', 'lds', 'les', 'lss', 'lfs', 'lgs', 'retn',
  'retw', 'retd', 'retq', 'retf', 'retfw', 'retfd', 'retfq', 'iret', 'iretw', 'iretd', 'iretq', 'int1',
  'icebp', 'into', 'sysexit', 'sysret', 'swapgs', 'aaa', 'aas', 'daa', 'das', 'aad', 'aam', 'xlatb', 'xlat',
  'shld', 'shrd', 'popcnt', 'lzcnt', 'tzcnt', 'movbe', 'cmpxchg8b', 'cmpxchg16b', 'arpl', 'bound', 'rdtscp',
  'rdmsr', 'wrmsr', 'rdpmc', 'rdrand', 'rdseed', 'lfence', 'mfence', 'sfence', 'clac', 'stac', 'rsm', 'wbinvd', 'invd', 'clts',
  'invlpg', 'clflush', 'sgdt', 'sidt', 'lgdt', 'lidt', 'lldt', 'ltr', 'verr', 'verw', 'lmsw', 'sldt', 'str',
  'smsw', 'lar', 'lsl', 'monitor', 'mwait', 'in', 'out', 'insb', 'insw', 'insd', 'outsb', 'outsw', 'outsd',
];

type MnemonicMethods = { [K in X86Mnemonic]: (...ops: BuilderOperand[]) => X86Builder };

const NO_PREFIX: number[] = [];

// Fast-path entries (see `X86BuilderBase.fast`): kind, then two numbers.
const E_CODE = 0, E_LABEL = 1, E_BRANCH = 2;

/**
 * The mnemonics the fast path may keep (those `encodeFast` knows, and branches), numbered: the
 * fast stream records an instruction's mnemonic as its number in a typed array, which costs less
 * per instruction than pushing the string onto an array.
 */
const FAST_NAMES: readonly string[] = [...new Set([...FAST_MNEMONICS.keys(), ...BRANCH.keys()])];
const FAST_NAME_NUMBER: ReadonlyMap<string, number> = new Map(FAST_NAMES.map((mn, i) => [mn, i]));

class X86BuilderBase {
  #bits: 16 | 32 | 64;
  /** `default rel` for memory operands without a base (64-bit mode). */
  defaultRel = false;
  readonly origin: number;
  private readonly list: Item[] = [];
  private pending: number[] = NO_PREFIX;
  private labelCount = 0;

  /**
   * The fast path (64-bit mode): while every statement is a label made by this builder, a branch to
   * one, or an instruction `encodeFast` knows, statements are kept as bytes in `code` and entries
   * (kind, a, b) in `ents` — E_CODE: bytes code[a..b), E_LABEL: label a, E_BRANCH: kind a
   * (jcc condition, JMP, CALL) to label b — and `assemble()` lays them out with plain numbers.
   * `mnNumbers` keeps each instruction's mnemonic (its number in FAST_NAMES) and `sizes` each
   * encoded one's size, so the first
   * statement the fast path does not know turns everything into items (`materialize`: encoded
   * instructions become items of their bytes, branches instructions to their label) and the general
   * path takes over. The operands are not kept: most die young, which is what keeps the GC cheap.
   */
  private fast = true;
  private code = new Uint8Array(1024);
  private codeLen = 0;
  private ents = new Int32Array(768);
  private entLen = 0;
  private mnNumbers = new Uint16Array(1024);
  private insnCount = 0;
  private sizes = new Uint8Array(1024);
  private sizeLen = 0;
  private boundIds = new Uint8Array(64);
  private readonly labelObjs: Label[] = [];

  constructor(arch: 'i386' | 'x86_64' | 16 | 32 | 64 = 'x86_64', opts: { origin?: number } = {}) {
    this.#bits = arch === 'i386' ? 32 : arch === 'x86_64' ? 64 : arch;
    this.fast = this.#bits === 64;
    this.origin = opts.origin ?? 0;
  }

  get bits(): 16 | 32 | 64 {
    return this.#bits;
  }
  set bits(b: 16 | 32 | 64) {
    if (b !== this.#bits) this.materialize();
    this.#bits = b;
  }

  /** A new label; give it a name to see it in the symbol table. */
  label(name?: string): Label {
    const l = new Label(name ?? `..@x86b${this.labelCount}`);
    l.owner = this;
    l.id = this.labelCount++;
    this.labelObjs.push(l);
    return l;
  }
  /** Places a label here. */
  bind(l: Label): this {
    if (this.fast) {
      const id = l.id;
      if (l.owner === this && (id >= this.boundIds.length || this.boundIds[id] === 0)) {
        if (id >= this.boundIds.length) {
          const nb = new Uint8Array(Math.max(id + 1, this.boundIds.length * 2));
          nb.set(this.boundIds);
          this.boundIds = nb;
        }
        this.boundIds[id] = 1;
        this.ent(E_LABEL, id, 0);
        return this;
      }
      this.materialize();
    }
    this.list.push({ kind: 'label', name: l.name, loc: noLoc });
    return this;
  }

  private ent(kind: number, a: number, b: number): void {
    let e = this.ents;
    if (this.entLen + 3 > e.length) {
      const ne = new Int32Array(e.length * 2);
      ne.set(e);
      this.ents = e = ne;
    }
    e[this.entLen] = kind;
    e[this.entLen + 1] = a;
    e[this.entLen + 2] = b;
    this.entLen += 3;
  }

  /**
   * Adds `mn ops` to the fast stream; false when the fast path does not know it. `fm` and `branch`
   * are what fast.ts knows of `mn` (null, -1: nothing).
   */
  private addFast(mnNumber: number, n: number, a: BuilderOperand | undefined, b: BuilderOperand | undefined, fm: FastMnemonic | null, branch: number): boolean {
    if (this.pending !== NO_PREFIX || mnNumber < 0) return false;
    if (n === 1 && a instanceof Label) {
      const l = a;
      if (branch < 0 || l.owner !== this) return false;
      this.ent(E_BRANCH, branch, l.id);
    } else {
      if (fm === null) return false;
      if (this.codeLen + 16 > this.code.length) {
        const nc = new Uint8Array(this.code.length * 2);
        nc.set(this.code);
        this.code = nc;
      }
      const start = this.codeLen;
      const end = encodeFastOperands(this.code, start, fm, n, a, b);
      if (end < 0) return false;
      this.codeLen = end;
      if (this.sizeLen === this.sizes.length) {
        const ns = new Uint8Array(this.sizes.length * 2);
        ns.set(this.sizes);
        this.sizes = ns;
      }
      this.sizes[this.sizeLen++] = end - start;
      // Consecutive instructions share one E_CODE entry.
      const e = this.ents, entLen = this.entLen;
      if (entLen > 0 && e[entLen - 3] === E_CODE && e[entLen - 1] === start) e[entLen - 1] = end;
      else this.ent(E_CODE, start, end);
    }
    if (this.insnCount === this.mnNumbers.length) {
      const nm = new Uint16Array(this.mnNumbers.length * 2);
      nm.set(this.mnNumbers);
      this.mnNumbers = nm;
    }
    this.mnNumbers[this.insnCount++] = mnNumber;
    return true;
  }

  /** Leaves the fast path: the statements so far become items. */
  private materialize(): void {
    if (!this.fast) return;
    this.fast = false;
    const e = this.ents, mnNumbers = this.mnNumbers, code = this.code, sizes = this.sizes;
    let k = 0, s = 0;
    for (let i = 0; i < this.entLen; i += 3) {
      const kind = e[i]!;
      if (kind === E_LABEL) {
        this.list.push({ kind: 'label', name: this.labelObjs[e[i + 1]!]!.name, loc: noLoc });
      } else if (kind === E_BRANCH) {
        this.pushInsn(FAST_NAMES[mnNumbers[k++]!]!, [this.labelObjs[e[i + 2]!]!]);
      } else {
        // The instructions of a run: their bytes stay where they are (`code` is not written again).
        for (let p = e[i + 1]!, end = e[i + 2]!; p < end; ) {
          const size = sizes[s++]!;
          this.list.push({ kind: 'insn', insn: undefined, loc: noLoc, mnemonic: FAST_NAMES[mnNumbers[k++]!]!, bytes: code, bytesAt: p, size });
          p += size;
        }
      }
    }
    this.insnCount = 0;
    this.sizeLen = 0;
    this.entLen = 0;
    this.codeLen = 0;
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
    this.materialize();
    this.pending = [...this.pending, PREFIXES[p]!];
    return this;
  }

  /** Any instruction by mnemonic. */
  insn(mn: X86Mnemonic | string, ...ops: BuilderOperand[]): this {
    return this.insnOf(mn, ops);
  }
  /**
   * @internal `ops` is a fresh array owned by the builder: its elements become operands in place.
   * `fm` and `branch`: what fast.ts knows of `mn`, null and -1 for nothing; `mnNumber`: its number
   * in FAST_NAMES, -1 for none (the mnemonic methods look all three up once).
   */
  insnOf(mn: string, ops: BuilderOperand[], fm = FAST_MNEMONICS.get(mn) ?? null, branch = BRANCH.get(mn) ?? -1, mnNumber = FAST_NAME_NUMBER.get(mn) ?? -1): this {
    if (this.fast) {
      if (this.addFast(mnNumber, ops.length, ops[0], ops[1], fm, branch)) return this;
      this.materialize();
    }
    this.pushInsn(mn, ops);
    return this;
  }
  /**
   * @internal `insnOf` for `n` (at most two) operands passed one by one, as the mnemonic methods
   * do: the fast path takes them without an array, which is made only if it declines.
   */
  insnOfOperands(mn: string, n: number, a: BuilderOperand | undefined, b: BuilderOperand | undefined, fm: FastMnemonic | null, branch: number, mnNumber: number): this {
    if (this.fast) {
      if (this.addFast(mnNumber, n, a, b, fm, branch)) return this;
      this.materialize();
    }
    this.pushInsn(mn, n === 0 ? [] : n === 1 ? [a!] : [a!, b!]);
    return this;
  }
  private pushInsn(mn: string, ops: BuilderOperand[]): void {
    const list = ops as unknown as Operand[];
    for (let i = 0; i < ops.length; i++) list[i] = toOperand(ops[i]!);
    const insn: X86Insn = { mn, ops: list, prefixes: this.pending, bits: this.bits, defaultRel: this.defaultRel, pure: undefined, cache: undefined };
    this.pending = NO_PREFIX;
    this.list.push({ kind: 'insn', insn, loc: noLoc });
  }

  private data(width: 1 | 2 | 4 | 8, values: (ImmValue | string | Uint8Array)[]): this {
    this.materialize();
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
    this.materialize();
    this.list.push({ kind: 'align', to: num(to), fill, loc: noLoc });
    return this;
  }
  /** `name equ value` at this point. */
  equ(name: string, value: ImmValue): Label {
    this.materialize();
    this.list.push({ kind: 'equ', name, value: toExpr(value), loc: noLoc });
    return new Label(name);
  }

  /** The items so far (for the ELF layout planner, which adds its own around them). */
  items(): Item[] {
    this.materialize();
    return this.list;
  }
  /** Lays out and encodes everything: addresses, symbols and where each item went. */
  assembleFull(): Assembled {
    this.materialize();
    return assembleSections([{ name: '.text', start: this.origin, items: this.list }], x86Backend(this.bits));
  }
  assemble(): Uint8Array {
    if (this.fast) {
      const bytes = this.assembleFast();
      if (bytes) return bytes;
      this.materialize();
    }
    return this.assembleFull().sections[0]!.bytes;
  }

  /**
   * Lays out the fast stream: every branch starts short and only grows (to rel32) while its
   * target is out of reach, so the result is the least fixpoint the core finds too. Undefined
   * when a branch goes to a label never bound (the general path reports it).
   */
  private assembleFast(): Uint8Array | undefined {
    const e = this.ents, n = this.entLen, bound = this.boundIds;
    let nb = 0;
    for (let i = 0; i < n; i += 3) {
      if (e[i] === E_BRANCH) {
        const id = e[i + 2]!;
        if (id >= bound.length || bound[id] === 0) return undefined;
        nb++;
      }
    }
    const labelAddr = new Int32Array(this.labelCount);
    // Per branch: its address (of the end of its short form) and whether it is long.
    const long = new Uint8Array(nb);
    const bAddr = new Int32Array(nb);
    for (let i = 0, j = 0; i < n; i += 3) if (e[i] === E_BRANCH && e[i + 1] === CALL) long[j++] = 1; else if (e[i] === E_BRANCH) j++;
    let size = 0;
    for (let changed = true; changed; ) {
      changed = false;
      let a = 0, j = 0;
      for (let i = 0; i < n; i += 3) {
        const kind = e[i]!;
        if (kind === E_CODE) a += e[i + 2]! - e[i + 1]!;
        else if (kind === E_LABEL) labelAddr[e[i + 1]!] = a;
        else {
          bAddr[j] = a;
          a += long[j] ? (e[i + 1] === JMP || e[i + 1] === CALL ? 5 : 6) : 2;
          j++;
        }
      }
      size = a;
      j = 0;
      for (let i = 0; i < n; i += 3) {
        if (e[i] !== E_BRANCH) continue;
        if (!long[j]) {
          const d = labelAddr[e[i + 2]!]! - (bAddr[j]! + 2);
          if (d < -128 || d > 127) {
            long[j] = 1;
            changed = true;
          }
        }
        j++;
      }
    }
    // `code` holds every instruction's bytes in order, with only the branches missing between
    // runs: copy it whole, then move each run right to its place (native copies, not a byte loop),
    // last run first, so that no run lands on bytes not moved yet, and fill the gaps with branches.
    const out = new Uint8Array(size);
    out.set(this.code.subarray(0, this.codeLen));
    let a = size, j = nb;
    for (let i = n - 3; i >= 0; i -= 3) {
      const kind = e[i]!;
      if (kind === E_CODE) {
        const from = e[i + 1]!, end = e[i + 2]!;
        a -= end - from;
        if (a !== from) out.copyWithin(a, from, end);
      } else if (kind === E_BRANCH) {
        j--;
        a = bAddr[j]!;
        const k = e[i + 1]!;
        const target = labelAddr[e[i + 2]!]!;
        let p = a;
        if (!long[j]) {
          out[p] = k === JMP ? 0xeb : 0x70 + k;
          out[p + 1] = (target - (p + 2)) & 0xff;
        } else {
          if (k === JMP) out[p++] = 0xe9;
          else if (k === CALL) out[p++] = 0xe8;
          else { out[p++] = 0x0f; out[p++] = 0x80 + k; }
          const d = target - (p + 4);
          out[p] = d & 0xff; out[p + 1] = (d >> 8) & 0xff; out[p + 2] = (d >> 16) & 0xff; out[p + 3] = (d >>> 24) & 0xff;
        }
      }
    }
    return out;
  }
}

export interface X86Builder extends MnemonicMethods {}
export class X86Builder extends X86BuilderBase {}
for (const mn of X86_MNEMONICS) {
  const fm = FAST_MNEMONICS.get(mn) ?? null, branch = BRANCH.get(mn) ?? -1, mnNumber = FAST_NAME_NUMBER.get(mn) ?? -1;
  Object.defineProperty(X86Builder.prototype, mn, {
    // The operands are read from `arguments` rather than gathered by a rest parameter: nearly every
    // call has at most two, and a rest parameter would make an array per call.
    value: function (this: X86Builder) {
      const n = arguments.length;
      if (n <= 2) return this.insnOfOperands(mn, n, arguments[0], arguments[1], fm, branch, mnNumber);
      return this.insnOf(mn, Array.prototype.slice.call(arguments) as BuilderOperand[], fm, branch, mnNumber);
    },
    writable: true,
    configurable: true,
  });
}
