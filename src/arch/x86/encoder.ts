import { fail, type SourceLoc } from '../../core/errors.js';
import type { EncodeContext } from '../../core/backend.js';
import { isConstant, type Expr } from '../../core/expr.js';
import type { ImmOperand, MemOperand, OpKind, Operand, X86Insn } from './operands.js';
import { describeKind, describeOperand } from './operands.js';
import type { Reg } from './registers.js';
import { SEGMENT_PREFIX } from './registers.js';
import { FORMS, type Form } from './table.js';
import { encodeFastInsn } from './fast.js';

/**
 * The x86 encoder: classify operands, try every table row of the mnemonic, keep the shortest
 * encoding that is at least `ctx.atLeast` bytes long (ties go to the row listed first).
 *
 * Byte layout of every encoding:
 *   [lock/rep] [segment] [66] [67] [REX] opcode [ModRM [SIB] [disp]] [imm | rel | moffs]
 * (the prefix order is the one nasm emits).
 */

/** A table row with the operand positions and the operand size worked out once. */
interface Row extends Form {
  /** Operand size of the instruction (0 = none): decides 66 and REX.W. */
  readonly osz: 0 | 8 | 16 | 32 | 64;
  /** Index of the operand in ModRM.reg, ModRM.r/m, the opcode's low bits, the immediate, the branch target, the moffs; -1 if none. */
  readonly regAt: number;
  readonly rmAt: number;
  readonly oAt: number;
  readonly immAt: number;
  /** A second immediate (enter's nesting level), and a far pointer `selector:offset`; -1 if none. */
  readonly imm2At: number;
  readonly ptrAt: number;
  readonly relAt: number;
  readonly moffsAt: number;
  /** Per operand, the operand shapes (see `shapeOf`) the kind can take: a quick filter before matching. */
  readonly accept: readonly number[];
}

// Operand shapes, one bit each.
const S_R8 = 1, S_R16 = 2, S_R32 = 4, S_R64 = 8, S_MEM = 16, S_IMM = 32, S_SEG = 64, S_CREG = 128, S_DREG = 256;
/** One more than the largest shape: signatures are numbers in this base. */
const SHAPE_BASE = 512;
const REG_SHAPE: Record<string, number> = { r8: S_R8, r16: S_R16, r32: S_R32, r64: S_R64, seg: S_SEG, creg: S_CREG, dreg: S_DREG };

function shapeOf(o: Operand): number {
  return o.t === 'reg' ? REG_SHAPE[o.reg.cls] ?? 0 : o.t === 'mem' ? S_MEM : S_IMM;
}

function acceptOf(k: OpKind): number {
  switch (k) {
    case 'r8': case 'al': case 'cl': return S_R8;
    case 'r16': case 'ax': case 'dx': return S_R16;
    case 'r32': case 'eax': case 'ecx': case 'edx': return S_R32;
    case 'r64': case 'rax': return S_R64;
    case 'rm8': return S_R8 | S_MEM;
    case 'rm16': return S_R16 | S_MEM;
    case 'rm32': return S_R32 | S_MEM;
    case 'rm64': return S_R64 | S_MEM;
    case 'm': case 'mnosize': case 'moffs8': case 'moffs16': case 'moffs32': case 'moffs64': return S_MEM;
    case 'm16': case 'm32': case 'm64': case 'far16': case 'far32': case 'far64': return S_MEM;
    case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs': case 'sreg': return S_SEG;
    case 'creg': return S_CREG;
    case 'dreg': return S_DREG;
    default: return S_IMM;
  }
}

const KIND_SIZE: Partial<Record<OpKind, 8 | 16 | 32 | 64>> = {
  r8: 8, r16: 16, r32: 32, r64: 64, al: 8, ax: 16, eax: 32, rax: 64,
  rm8: 8, rm16: 16, rm32: 32, rm64: 64, moffs8: 8, moffs16: 16, moffs32: 32, moffs64: 64,
  m16: 16, m32: 32, m64: 64, far16: 16, far32: 32, far64: 64, ptr16: 16, ptr32: 32,
};
const FIXED_REG: Partial<Record<OpKind, string>> = {
  al: 'al', ax: 'ax', eax: 'eax', rax: 'rax', cl: 'cl', dx: 'dx', ecx: 'ecx', edx: 'edx',
  es: 'es', cs: 'cs', ss: 'ss', ds: 'ds', fs: 'fs', gs: 'gs',
};
/** The general-register class an `rmN` kind takes. */
const RM_CLASS: Partial<Record<OpKind, string>> = { rm8: 'r8', rm16: 'r16', rm32: 'r32', rm64: 'r64' };
/** Kinds that go in ModRM.r/m as memory (or, for `rmN`, a register). */
const RM_KINDS: ReadonlySet<OpKind> = new Set<OpKind>(['rm8', 'rm16', 'rm32', 'rm64', 'm', 'mnosize', 'm16', 'm32', 'm64', 'far16', 'far32', 'far64']);

function compile(f: Form): Row {
  const find = (pred: (k: OpKind) => boolean): number => f.ops.findIndex(pred);
  const isReg = (k: OpKind) => k === 'r8' || k === 'r16' || k === 'r32' || k === 'r64';
  const isRm = (k: OpKind) => RM_KINDS.has(k);
  const isImm = (k: OpKind) => k.startsWith('imm');
  let osz = f.os;
  if (osz === undefined) {
    const k = f.ops.find((k) => KIND_SIZE[k] !== undefined);
    osz = k ? KIND_SIZE[k]! : 0;
  }
  let regAt = -1, rmAt = -1, oAt = -1;
  switch (f.en) {
    case 'MR': case 'MRI': rmAt = 0; regAt = 1; break;
    case 'RM': case 'RMI': regAt = 0; rmAt = 1; break;
    // (a register-only operand in ModRM.r/m: rdrand eax, sldt eax)
    case 'M': case 'MI': rmAt = f.ops.some(isRm) ? find(isRm) : find(isReg); break;
    case 'O': case 'OI': oAt = find(isReg); break;
  }
  const immAt = find(isImm);
  return {
    ...f, osz, regAt, rmAt, oAt,
    immAt,
    imm2At: immAt < 0 ? -1 : f.ops.findIndex((k, i) => i > immAt && isImm(k)),
    ptrAt: find((k) => k === 'ptr16' || k === 'ptr32'),
    relAt: find((k) => k === 'rel8' || k === 'rel32'),
    moffsAt: find((k) => k.startsWith('moffs')),
    accept: f.ops.map(acceptOf),
  };
}

/** Mnemonics with a relative-branch form: their bytes depend on the address. */
const HAS_REL = new Set(FORMS.filter((f) => f.en === 'D').map((f) => f.mn));

/** Rows by mnemonic, in table order. */
export const ROWS: ReadonlyMap<string, readonly Row[]> = (() => {
  const m = new Map<string, Row[]>();
  for (const f of FORMS) {
    let list = m.get(f.mn);
    if (!list) m.set(f.mn, (list = []));
    list.push(compile(f));
  }
  return m;
})();

// ---------------------------------------------------------------------------------------------
// Memory operands

/** A memory operand reduced to what the encoding needs. */
interface Ea {
  /** Address size (16/32/64). */
  asz: 16 | 32 | 64;
  seg: number;
  /** No base and no index: an absolute address (or RIP-relative when `rip`). */
  abs: boolean;
  rip: boolean;
  /** ModRM.rm bits and SIB byte (-1 = none), for mod != 3. */
  rm: number;
  sib: number;
  rexX: number;
  rexB: number;
  /** Smallest displacement width allowed (0, 1, 2 or 4 bytes), and the width of the long form (2 or 4). */
  dispMin: 0 | 1 | 2 | 4;
  /** The longest displacement the address may grow to (1 when `[byte …]` forces a byte). */
  dispMax: 1 | 2 | 4;
  /** When the displacement cannot be shortened (absolute and RIP-relative forms, index without base). */
  fixed: boolean;
  disp: bigint | undefined;
  /** Why the displacement does not fit a ModRM form (final pass only). */
  bad?: string | undefined;
}

/** The address size of a register class that can appear in an address. */
const REG_ADDRESS_SIZE: Record<string, 16 | 32 | 64> = { r16: 16, r32: 32, r64: 64 };

const R16_RM: Record<string, number> = { 'bx+si': 0, 'bx+di': 1, 'bp+si': 2, 'bp+di': 3, si: 4, di: 5, bp: 6, bx: 7 };

const I8_MIN = -128n, I8_MAX = 127n;
const I32_MIN = -(1n << 31n), I32_MAX = (1n << 31n) - 1n;
const U32 = 1n << 32n;

/** Error in operand `i` (0-based), reported at the operand's column when known. */
function opFail(loc: SourceLoc, o: Operand | undefined, i: number, msg: string): never {
  fail(o && o.col > 0 ? { ...loc, column: o.col } : loc, `operand ${i + 1}: ${msg}`);
}

/**
 * `nasmForms`: encode as nasm does, which never shortens a displacement that holds an address (a
 * label, `$`): to nasm that is relocatable even in flat output, so `[rbx+label]` takes a disp32.
 */
function analyzeMem(m: MemOperand, i: number, insn: X86Insn, ctx: EncodeContext, nasmForms: boolean): Ea {
  const loc = ctx.loc;
  const bits = insn.bits;
  let base = m.base;
  let index = m.index;
  let scale = m.scale;
  // An index register that can't be one (esp/rsp) swaps with the base when unscaled, as nasm does.
  if (index && index.num === 4 && index.cls !== 'r16') {
    if (scale === 1 && base && base.num !== 4) [base, index] = [index, base];
    else opFail(loc, m, i, `${index.name} cannot be an index register`);
  }
  const rclass = base?.cls ?? index?.cls;
  if (base && index && base.cls !== index.cls) opFail(loc, m, i, `base ${base.name} and index ${index.name} must be the same size`);
  const seg = m.seg ? SEGMENT_PREFIX[m.seg.name]! : 0;
  let disp = m.disp ? ctx.value(m.disp) : 0n;

  const registerless = addressSizeWord(m, i, insn, loc, base ?? index);
  if (rclass === 'r16' || (!rclass && registerless === 16)) {
    if (bits === 64) opFail(loc, m, i, '16-bit addressing is not available in 64-bit mode');
    if (scale !== 1) opFail(loc, m, i, '16-bit addressing has no scaled index');
    let rm: number;
    if (!base && !index) rm = 6;
    else {
      const names = [base?.name, index?.name].filter(Boolean).sort((a, b) => (a === 'bx' || a === 'bp' ? -1 : b === 'bx' || b === 'bp' ? 1 : 0));
      const r = R16_RM[names.join('+')];
      if (r === undefined) opFail(loc, m, i, `[${names.join('+')}] is not a 16-bit address (use bx or bp, plus si or di)`);
      rm = r;
    }
    if (disp !== undefined && disp >= 0x8000n && disp <= 0xffffn) disp -= 0x10000n; // disp16 wraps
    if (disp !== undefined && (disp < -0x8000n || disp > 0xffffn)) opFail(loc, m, i, `displacement ${disp} does not fit in 16 bits`);
    const abs = !base && !index;
    if (m.dispSize === 4) opFail(loc, m, i, 'a dword displacement needs 32- or 64-bit addressing, not 16-bit');
    // [bp] has no mod=00 form (that is [disp16]), so it takes at least a disp8 0.
    let dispMin: 0 | 1 | 2 = abs ? 2 : disp === undefined || disp === 0n ? (rm === 6 ? 1 : 0) : disp >= I8_MIN && disp <= I8_MAX ? 1 : 2;
    let dispMax: 1 | 2 = 2;
    if (m.dispSize !== undefined && !abs) [dispMin, dispMax] = forcedDisp(m, i, loc, disp, m.dispSize as 1 | 2);
    else if (nasmForms && isAddress(m.disp, ctx)) dispMin = 2;
    return {
      asz: 16, seg, abs, rip: false, rm, sib: -1, rexX: 0, rexB: 0, dispMin,
      dispMax, fixed: abs, disp,
    };
  }

  const asz: 32 | 64 = rclass === 'r64' || (!rclass && registerless === 64) ? 64 : 32;
  if (m.dispSize === 2) opFail(loc, m, i, `a word displacement needs 16-bit addressing, not ${asz}-bit`);
  if (asz === 64 && bits !== 64) opFail(loc, m, i, `64-bit register ${(base ?? index)!.name} in an address needs 64-bit mode`);
  if (bits !== 64) for (const r of [base, index]) if (r && r.num >= 8) opFail(loc, m, i, `register ${r.name} needs 64-bit mode`);
  // Displacements are sign-extended from 32 bits: with 32-bit addresses 0xffffffff is -1.
  if (asz === 32 && disp !== undefined && disp > I32_MAX && disp < U32) disp -= U32;
  const abs = !base && !index;
  const defaultsRel = m.rel === undefined && insn.defaultRel && seg !== 0x64 && seg !== 0x65;
  if (abs && asz === 32 && bits === 64) refuseA32Absolute(m, i, loc, defaultsRel);
  const rip = abs && asz === 64 && (m.rel === true || defaultsRel);
  // Checked per row: a moffs form can still take an address that does not fit a disp32.
  const bad = !rip && disp !== undefined && (disp < I32_MIN || disp > I32_MAX)
    ? `displacement ${m.disp && m.disp.k === 'num' ? m.disp.v : disp} does not fit in 32 bits (signed)` : undefined;
  const rexX = index && index.num >= 8 ? 1 : 0;
  const rexB = base && base.num >= 8 ? 1 : 0;
  if (abs) {
    // 64-bit mode: rm=101 means RIP-relative, so an absolute address needs SIB with no base and no index.
    if (rip || bits !== 64) return { asz, seg, abs, rip, rm: 5, sib: -1, rexX, rexB, dispMin: 4, dispMax: 4, fixed: true, disp, bad };
    return { asz, seg, abs, rip, rm: 4, sib: 0x25, rexX, rexB, dispMin: 4, dispMax: 4, fixed: true, disp, bad };
  }
  const small = disp !== undefined && disp >= I8_MIN && disp <= I8_MAX;
  const zero = disp === undefined || disp === 0n;
  if (!base) {
    // Index without base: mod=00 with SIB base=101 takes a disp32.
    const sib = (SCALE_BITS[scale]! << 6) | ((index!.num & 7) << 3) | 5;
    return { asz, seg, abs, rip, rm: 4, sib, rexX, rexB, dispMin: 4, dispMax: 4, fixed: true, disp, bad };
  }
  const needSib = index !== undefined || (base.num & 7) === 4;
  const sib = needSib ? (SCALE_BITS[scale]! << 6) | (((index?.num ?? 4) & 7) << 3) | (base.num & 7) : -1;
  // rbp/r13 as base with mod=00 would mean "no base" (or RIP), so they take at least a disp8 0.
  const bpLike = (base.num & 7) === 5;
  let dispMin: 0 | 1 | 4 = zero && !bpLike ? 0 : zero || small ? 1 : 4;
  let dispMax: 1 | 4 = 4;
  if (m.dispSize !== undefined) [dispMin, dispMax] = forcedDisp(m, i, loc, disp, m.dispSize as 1 | 4);
  else if (nasmForms && isAddress(m.disp, ctx)) dispMin = 4;
  return { asz, seg, abs, rip, rm: needSib ? 4 : base.num & 7, sib, rexX, rexB, dispMin, dispMax, fixed: false, disp, bad };
}

/**
 * The size of an address without registers: what `a16`/`a32`/`a64` asks for (nasm: `a16 mov eax,
 * [0x1234]` in 32-bit code is a 16-bit address), else the mode's. An address with registers has
 * their size, and a word asking for another is refused, as nasm refuses it.
 */
function addressSizeWord(m: MemOperand, i: number, insn: X86Insn, loc: SourceLoc, reg: Reg | undefined): 16 | 32 | 64 {
  const wanted = insn.addrSize;
  if (reg && wanted !== undefined && REG_ADDRESS_SIZE[reg.cls] !== wanted) {
    opFail(loc, m, i, `impossible combination of address sizes: a${wanted} with the ${REG_ADDRESS_SIZE[reg.cls]}-bit address register ${reg.name}`);
  }
  const size = wanted ?? insn.bits;
  // (nasm: impossible combination of address sizes)
  if (m.wide && !reg && size !== 64) opFail(loc, m, i, `[qword …] is a 64-bit address, and this one is ${size}-bit${wanted ? ` (a${wanted})` : ''}`);
  return size;
}

/**
 * a32 on an address without registers in 64-bit mode: nasm makes no EIP-relative address; it takes
 * `rel` and `default rel` as abs but then never in the moffs form, so both are refused rather
 * than guessed at.
 */
function refuseA32Absolute(m: MemOperand, i: number, loc: SourceLoc, defaultsRel: boolean): void {
  if (m.rel === true || defaultsRel) opFail(loc, m, i, `a32 addresses cannot be RIP-relative (write [abs …]${defaultsRel ? ' under default rel' : ''})`);
}

/**
 * The displacement size `[byte …]` / `[word …]` / `[dword …]` asks for, as (least, most) bytes. A
 * known value that does not fit a forced byte is an error (nasm truncates it with a warning).
 */
function forcedDisp<N extends 1 | 2 | 4>(m: MemOperand, i: number, loc: SourceLoc, disp: bigint | undefined, size: N): [N, N] {
  if (size === 1 && disp !== undefined && (disp < I8_MIN || disp > I8_MAX)) {
    opFail(loc, m, i, `displacement ${disp} does not fit in the signed byte [byte …] asks for (-128..127)`);
  }
  return [size, size];
}

const SCALE_BITS: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

/** Is the expression an address (relocatable, to nasm) rather than a plain number? */
function isAddress(e: Expr | undefined, ctx: EncodeContext): boolean {
  return e !== undefined && !isConstant(e) && ctx.isAddress !== undefined && ctx.isAddress(e);
}

// ---------------------------------------------------------------------------------------------
// Immediates

/** Reads `v` as a signed number of `bits` bits when it is written unsigned (0xffffffff as -1 for 32 bits). */
function asSigned(v: bigint, bits: number): bigint {
  if (bits <= 0 || bits >= 128) return v;
  // Small non-negative values (the common case) are their own signed reading at any width >= 8.
  if (v >= 0n && v < 0x80n) return v;
  const top = bits === 64 ? P64 : bits === 32 ? P32 : bits === 16 ? P16 : bits === 8 ? P8 : 1n << BigInt(bits);
  return v >= top >> 1n && v < top ? v - top : v;
}
const P8 = 1n << 8n, P16 = 1n << 16n, P32 = 1n << 32n, P63 = 1n << 63n, P64 = 1n << 64n;

function immWidth(k: OpKind): number {
  switch (k) {
    case 'imm8': case 'imm8s': return 8;
    case 'imm16': return 16;
    case 'imm32': case 'imm32s': case 'imm32u': return 32;
    case 'imm64': return 64;
    default: return 0;
  }
}

const SIZE_WORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

/** What each immediate kind holds, for "does not fit" messages. */
const IMM_RANGE: Partial<Record<OpKind, string>> = {
  imm8: 'an 8-bit immediate (-128..255)',
  imm8s: 'a sign-extended 8-bit immediate (-128..127)',
  imm16: 'a 16-bit immediate (-32768..65535)',
  imm32: 'a 32-bit immediate (-2147483648..4294967295)',
  imm32s: 'a sign-extended 32-bit immediate (-2147483648..2147483647)',
  imm32u: 'an unsigned 32-bit immediate (0..4294967295)',
  imm64: 'a 64-bit immediate (-2^63..2^64-1)',
};

/** Does value `v` fit the immediate kind, at operand size `osz`? */
function immFits(k: OpKind, v: bigint, osz: number): boolean {
  // A 64-bit pattern with the top bit set is a negative number (nasm: 0xffffffffffffff80 is -128).
  if (v >= P63 && v < P64 && k !== 'imm64') v -= P64;
  switch (k) {
    case 'imm8': return v >= -128n && v <= 255n;
    case 'imm8s': { const s = asSigned(v, osz || 32); return s >= I8_MIN && s <= I8_MAX; }
    case 'imm16': return v >= -0x8000n && v <= 0xffffn;
    case 'imm32': return v >= I32_MIN && v < U32;
    case 'imm32s': { const s = asSigned(v, 64); return s >= I32_MIN && s <= I32_MAX; }
    case 'imm32u': return v >= 0n && v < U32;
    case 'imm64': return v >= -P63 && v < P64;
    case 'one': return v === 1n;
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Matching and encoding

/** Per-instruction facts shared by every row tried. */
interface Job {
  insn: X86Insn;
  ops: Operand[];
  ctx: EncodeContext;
  vals: (bigint | undefined)[];
  /** The selector of a far pointer operand (`selector:offset`), by operand. */
  segVals: (bigint | undefined)[];
  eas: (Ea | undefined)[];
  /** Encode as nasm does where it picks a longer form than the shortest (see `encodeX86`). */
  nasmForms: boolean;
  /** Why the last rejected row did not fit, with how many operands had matched. */
  why: { at: number; msg: string; score: number } | undefined;
  shapes: number[];
  /** Build error messages (only in the second run, after no row matched: messages cost time). */
  explain: boolean;
}

function reject(job: Job, at: number, msg: string, score: number): -1 {
  if (!job.explain) return -1;
  if (!job.why || score > job.why.score) job.why = { at, msg, score };
  return -1;
}

/** Does the (unsized) memory operand get size `size` from another operand, as nasm infers it? */
function sizeFromOthers(job: Job, row: Row, skip: number, size: number): boolean {
  for (let j = 0; j < job.ops.length; j++) {
    if (j === skip || row.ops[j] === 'cl') continue;
    const o = job.ops[j]!;
    if (o.t === 'reg' && o.reg.size === size && GENERAL.has(o.reg.cls)) return true;
    if (o.t === 'imm' && o.size === size && !o.strict) return true;
  }
  return false;
}

const GENERAL: ReadonlySet<string> = new Set(['r8', 'r16', 'r32', 'r64']);
const SYSTEM_REG_KINDS: ReadonlySet<OpKind> = new Set<OpKind>(['sreg', 'creg', 'dreg', 'es', 'cs', 'ss', 'ds', 'fs', 'gs']);

/** A memory operand's size as kind `k` (of `size` bits) needs it: '' or why not. */
function memSizeMatch(job: Job, row: Row, i: number, k: OpKind, size: number, o: MemOperand): string {
  if (o.size === undefined) {
    if (row.impliedSize || sizeFromOthers(job, row, i, size)) return '';
    if (row.defaultSize && size === job.insn.bits) return '';
    return 'operation size not specified (write byte, word, dword or qword before the operand)';
  }
  return o.size === size ? '' : job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
}

/** Checks operand `i` against kind `k`; returns an error text, or '' if it matches. */
function matchOperand(job: Job, row: Row, i: number, k: OpKind): string {
  const o = job.ops[i]!;
  const bits = job.insn.bits;
  switch (k) {
    case 'r8': case 'r16': case 'r32': case 'r64':
      return o.t === 'reg' && o.reg.cls === k ? '' : job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
    case 'al': case 'ax': case 'eax': case 'rax': case 'cl': case 'dx': case 'ecx': case 'edx':
    case 'es': case 'cs': case 'ss': case 'ds': case 'fs': case 'gs':
      return o.t === 'reg' && o.reg.name === FIXED_REG[k] ? '' : job.explain ? `expected ${k}, found ${describeOperand(o)}` : 'x';
    case 'sreg': case 'creg': case 'dreg':
      return o.t === 'reg' && o.reg.cls === (k === 'sreg' ? 'seg' : k) ? '' : job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
    case 'rm8': case 'rm16': case 'rm32': case 'rm64': {
      if (o.t === 'reg') return o.reg.cls === RM_CLASS[k] ? '' : job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      if (o.t !== 'mem' || o.far) return job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      if (o.wide) return 'a 64-bit absolute address can only be loaded into or stored from the accumulator';
      return memSizeMatch(job, row, i, k, KIND_SIZE[k]!, o);
    }
    case 'm16': case 'm32': case 'm64':
      if (o.t !== 'mem' || o.far || o.wide) return job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      return memSizeMatch(job, row, i, k, KIND_SIZE[k]!, o);
    case 'far16': case 'far32': case 'far64':
      if (o.t !== 'mem' || !o.far || o.wide) return job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      // Without a size, the offset is the mode's width (nasm: `jmp far [rax]` is 48 ff 28).
      return (o.size ?? bits) === KIND_SIZE[k] ? '' : job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
    case 'ptr16': case 'ptr32': {
      if (o.t !== 'imm' || o.seg === undefined) return job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      const size = KIND_SIZE[k]!;
      if ((o.size ?? (bits === 16 ? 16 : 32)) !== size) return job.explain ? `expected ${describeKind(k)}` : 'x';
      const off = job.vals[i], sel = job.segVals[i];
      if (off !== undefined && !immFits(size === 16 ? 'imm16' : 'imm32', off, size)) return job.explain ? `offset ${off} does not fit in ${size} bits` : 'x';
      if (sel !== undefined && (sel < 0n || sel > 0xffffn)) return job.explain ? `selector ${sel} does not fit in 16 bits (0..65535)` : 'x';
      return '';
    }
    case 'm':
      return o.t === 'mem' && !o.wide && !o.far ? '' : job.explain ? `expected a memory operand, found ${describeOperand(o)}` : 'x';
    case 'mnosize':
      if (o.t !== 'mem' || o.wide || o.far) return job.explain ? `expected a memory operand, found ${describeOperand(o)}` : 'x';
      return o.size === undefined ? '' : `${row.mn} takes its memory operand without a size (nasm: mismatch in operand sizes)`;
    case 'moffs8': case 'moffs16': case 'moffs32': case 'moffs64': {
      const ea = job.eas[i];
      if (o.t !== 'mem' || !ea || !ea.abs || ea.rip) return job.explain ? `expected ${describeKind(k)}` : 'x';
      const size = KIND_SIZE[k]!;
      if (o.size !== undefined && o.size !== size) return job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      return '';
    }
    case 'rel8': case 'rel32':
      if (o.t !== 'imm' || o.seg !== undefined) return job.explain ? `expected a branch target, found ${describeOperand(o)}` : 'x';
      // nasm: a size makes jmp/call near (`jmp qword x` in 64-bit mode); another size than the
      // mode's changes the operand size (`jmp word x` in 32-bit mode is 66 e9 rel16, which cuts
      // the address to 16 bits) and is not supported here; jcc and loop take no size.
      if (o.size !== undefined) {
        const near = row.mn === 'jmp' || row.mn === 'call';
        // (in 16-bit code `jmp dword x` is the 66-prefixed rel32 form, which reaches past 64 KiB)
        if (!near || (o.size !== bits && !(bits === 16 && o.size === 32 && k === 'rel32'))) {
          return job.explain ? `${row.mn} takes no ${SIZE_WORD[o.size]} target${near ? ` in ${bits}-bit mode (${SIZE_WORD[bits]} makes it near)` : ''}` : 'x';
        }
        if (k === 'rel8') return 'near branch';
      }
      if (o.dist === 'short' && k === 'rel32') return 'a short branch reaches only -128..127 bytes';
      if (o.dist === 'near' && k === 'rel8') return 'near branch';
      // nasm rejects `short` on loop/jcxz, which have no other form.
      if (o.dist && row.relAt >= 0 && !ROWS.get(row.mn)!.some((r) => r.ops[0] === 'rel32')) return job.explain ? `${row.mn} takes no '${o.dist}'` : 'x';
      return '';
    default: {
      // immediates
      if (o.t !== 'imm' || o.seg !== undefined) return job.explain ? `expected ${describeKind(k)}, found ${describeOperand(o)}` : 'x';
      const w = immWidth(k);
      // nasm takes its shortened forms (a sign-extended byte, `mov r64` through the 32-bit half)
      // for plain numbers only: an address (a label, `$`) is relocatable to it, even in flat output.
      if (job.nasmForms && (k === 'imm8s' || k === 'imm32u' || (row.plainIfReg && job.ops[0]!.t === 'reg')) && isAddress(o.e, job.ctx)) {
        return job.explain ? 'nasm takes this form for a plain number, not an address' : 'x';
      }
      // push in 64-bit mode: `dword` and `qword` both name the 64-bit push of a sign-extended
      // immediate (nasm: `push dword 1` is 6a 01); with `strict`, its 4-byte form (68 imm32).
      const push64 = bits === 64 && row.ops.length === 1 && row.osz === 64 && (o.size === 32 || o.size === 64);
      if (push64) {
        if (o.strict && w !== 32) return job.explain ? `the immediate is strict ${o.size}-bit` : 'x';
      } else if (o.size !== undefined) {
        if (o.strict || o.size === 8) {
          if (w !== o.size && !(k === 'one' && !o.strict)) return job.explain ? `the immediate is ${o.strict ? 'strict ' : ''}${o.size}-bit` : 'x';
        } else if (row.osz ? row.osz !== o.size : w !== o.size) return job.explain ? `the immediate is ${o.size}-bit` : 'x';
      }
      // push imm: the operand size is the stack width unless the immediate says otherwise.
      if (row.mn === 'push' && row.ops.length === 1 && row.osz) {
        const want = o.size && o.size !== 8 ? (bits === 64 && o.size === 32 ? 64 : o.size) : bits;
        if (row.osz !== want) return job.explain ? `operand size ${want}` : 'x';
      }
      const v = job.vals[i];
      if (v === undefined) return k === 'one' && job.ctx.final ? 'not 1' : k === 'one' ? 'unknown' : '';
      if (!immFits(k, v, row.osz)) return job.explain ? `value ${v} does not fit in ${IMM_RANGE[k] ?? describeKind(k)}` : 'x';
      return '';
    }
  }
}


/**
 * The operand size of the row for the instruction: the row's own, or the one `o16`/`o32`/`o64`
 * asks for where the row has none; a reason when it cannot be taken.
 */
function operandSize(insn: X86Insn, row: Row): 0 | 8 | 16 | 32 | 64 | string {
  const want = insn.opSize;
  if (want === undefined || want === row.osz) return row.osz;
  // (nasm writes `o32 call x` in 16-bit code as 66 e8 with a rel16, which a processor reads as a
  // rel32: the size of a branch is said by its target, `call dword x`)
  if (row.relAt >= 0) return `o${want} on a relative branch: give the target a size instead (${row.mn} dword x)`;
  if (row.osz !== 0) return `o${want} conflicts with the instruction's ${row.osz}-bit operand size`;
  return want;
}

/**
 * The address size (the row's, the memory operand's, or what `a16`/`a32`/`a64` asks for) and the
 * segment override byte (in the address, or a segment prefix word); a reason when they conflict.
 */
function addressingOf(insn: X86Insn, row: Row, ea: Ea | undefined): { asz: 16 | 32 | 64; seg: number } | string {
  const bits = insn.bits;
  let asz = row.as ?? ea?.asz ?? bits;
  const want = insn.addrSize;
  if (want !== undefined) {
    if (asz !== bits && asz !== want) return `a${want} conflicts with the ${asz}-bit address`;
    asz = want;
  }
  let seg = ea ? ea.seg : 0;
  if (insn.seg) {
    if (seg) return 'the segment is given twice (as a prefix and in the address)';
    seg = insn.seg;
  }
  return { asz, seg };
}

/**
 * Length of `row` for the job, or -1 if it does not fit. With `out`, also writes the bytes there.
 * `minLen` widens the displacement when the instruction must not shrink.
 */
function encodeRow(job: Job, row: Row, minLen: number, out?: Uint8Array, base = 0): number {
  const { insn, ops, ctx } = job;
  const bits = insn.bits;
  if (!job.explain) for (let i = 0; i < ops.length; i++) if ((row.accept[i]! & job.shapes[i]!) === 0) return -1;
  for (let i = 0; i < ops.length; i++) {
    const m = matchOperand(job, row, i, row.ops[i]!);
    // A value or size problem explains a failure better than "expected a register" from another row.
    // When no form holds a value, the widest form's range is the one to report.
    // A row for segment, control or debug registers explains nothing about other operands.
    if (m) return job.explain ? reject(job, i, m, SYSTEM_REG_KINDS.has(row.ops[i]!) ? 0 : i + 1 + (m.startsWith('value') ? 0.5 + immWidth(row.ops[i]!) / 1000 : m.startsWith('operation size') ? 0.5 : 0)) : -1;
  }
  // Checked after the operands, so that "not in 64-bit mode" is only said when the operands fit.
  if (row.mode === 'no64' ? bits === 64 : row.mode === 'only64' && bits !== 64) return reject(job, -1, bits === 64 ? 'not available in 64-bit mode' : 'only available in 64-bit mode', ops.length + 1);
  if (row.osz === 64 && !row.d64 && bits !== 64) return reject(job, -1, '64-bit operand size needs 64-bit mode', ops.length + 1);
  // xchg eax, eax in 64-bit mode must clear the upper half; 90 is nop and would not.
  if (row.mn === 'xchg' && row.en === 'O' && bits === 64 && row.osz === 32 && ops[0]!.t === 'reg' && ops[1]!.t === 'reg' && ops[0].reg === ops[1].reg) return -1;

  const osz = operandSize(insn, row);
  if (typeof osz === 'string') return reject(job, -1, osz, ops.length + 1);
  // REX
  let rex = osz === 64 && (!row.d64 || row.osz === 0) ? 8 : 0;
  let forceRex = false;
  let high8At = -1;
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.t !== 'reg') continue;
    const r = o.reg;
    if (r.high8) high8At = i;
    if (r.needsRex) {
      if (bits !== 64) return reject(job, i, `register ${r.name} needs 64-bit mode`, 99);
      if (r.num < 8) forceRex = true;
    }
    if (r.cls === 'r64' && bits !== 64) return job.explain ? reject(job, i, `register ${r.name} needs 64-bit mode`, 99) : -1;
    if (r.num >= 8) {
      if (i === row.regAt) rex |= 4;
      else if (i === row.rmAt || i === row.oAt) rex |= 1;
    }
  }
  const memAt = row.rmAt >= 0 && ops[row.rmAt]!.t === 'mem' ? row.rmAt : -1;
  const ea = memAt >= 0 ? job.eas[memAt]! : row.moffsAt >= 0 ? job.eas[row.moffsAt]! : undefined;
  if (memAt >= 0) {
    if (ea!.bad) return job.explain ? reject(job, memAt, ea!.bad, 98) : -1;
    rex |= (ea!.rexX << 1) | ea!.rexB;
  }
  if ((rex || forceRex) && high8At >= 0) {
    return reject(job, high8At, `${(ops[high8At] as { reg: Reg }).reg.name} cannot be used in an instruction that needs a REX prefix`, 99);
  }
  if (bits !== 64 && rex) return -1;
  const hasRex = rex !== 0 || forceRex;

  // Prefixes
  const relWidth = row.relAt < 0 ? 0 : row.ops[row.relAt] === 'rel8' ? 1 : bits === 16 && (ops[row.relAt] as ImmOperand).size !== 32 ? 2 : 4;
  const p66 = (osz === 16 && bits !== 16) || (osz === 32 && bits === 16) || (bits === 16 && relWidth === 4);
  const addressing = addressingOf(insn, row, ea);
  if (typeof addressing === 'string') return reject(job, memAt, addressing, 97);
  const p67 = addressing.asz !== bits;
  const seg = addressing.seg;
  const pre = row.pre ?? 0;
  let len = insn.prefixes.length + (seg ? 1 : 0) + (p66 ? 1 : 0) + (p67 ? 1 : 0) + (pre ? 1 : 0) + (hasRex ? 1 : 0) + row.op.length;

  // ModRM, SIB, displacement
  let dispLen = 0;
  if (row.rmAt >= 0) {
    len += 1;
    if (memAt >= 0) {
      const e = ea!;
      len += e.sib >= 0 ? 1 : 0;
      dispLen = e.dispMin;
    }
  }
  // Immediate, branch displacement or absolute address
  let tailLen = 0;
  if (row.immAt >= 0) tailLen += immWidth(row.ops[row.immAt]!) / 8;
  if (row.imm2At >= 0) tailLen += immWidth(row.ops[row.imm2At]!) / 8;
  if (row.ptrAt >= 0) tailLen += KIND_SIZE[row.ops[row.ptrAt]!]! / 8 + 2;
  tailLen += relWidth;
  if (row.moffsAt >= 0) {
    const aw = ea!.asz / 8;
    tailLen += aw;
    const v = ea!.disp;
    if (v !== undefined && (v < -(1n << BigInt(ea!.asz - 1)) || v >= 1n << BigInt(ea!.asz))) {
      return job.explain ? reject(job, row.moffsAt, `address ${v} does not fit in ${ea!.asz} bits`, 50) : -1;
    }
  }
  // Grow the displacement (disp8 → disp32) if the instruction must keep an earlier, longer size.
  if (memAt >= 0 && !ea!.fixed) {
    while (len + dispLen + tailLen < minLen && dispLen < ea!.dispMax) dispLen = dispLen === 0 ? 1 : ea!.dispMax;
  }
  len += dispLen + tailLen;

  // Branch range
  let rel = 0n;
  if (row.relAt >= 0) {
    const t = job.vals[row.relAt];
    if (t !== undefined) {
      rel = t - BigInt(ctx.address + len);
      if (row.ops[row.relAt] === 'rel8') {
        if (rel < I8_MIN || rel > I8_MAX) {
          const o = ops[row.relAt] as ImmOperand;
          const hard = o.dist === 'short' || !(ROWS.get(row.mn)!.some((r) => r.ops[0] === 'rel32'));
          return job.explain ? reject(job, row.relAt, `branch target out of range: displacement ${rel} does not fit in a signed byte (-128..127)`, hard ? 60 : 0) : -1;
        }
      } else if (relWidth === 2) rel = asSigned(BigInt.asUintN(16, rel), 16);
      // 32-bit mode: EIP wraps, so any 32-bit target is in reach (nasm: `jmp 0xbabecafe` from 0).
      else if (bits === 32 && t >= I32_MIN && t < U32) rel = asSigned(BigInt.asUintN(32, rel), 32);
      else if (rel < I32_MIN || rel > I32_MAX) return job.explain ? reject(job, row.relAt, `branch target out of range: displacement ${rel} does not fit in 32 bits`, 60) : -1;
    }
  }
  if (!out) return len;

  // --- write the bytes ---
  let p = base;
  const prefixes = insn.prefixes;
  for (let k = 0; k < prefixes.length; k++) out[p++] = prefixes[k]!;
  if (seg) out[p++] = seg;
  if (p66) out[p++] = 0x66;
  if (p67) out[p++] = 0x67;
  if (pre) out[p++] = pre;
  if (hasRex) out[p++] = 0x40 | rex;
  for (let k = 0; k < row.op.length; k++) out[p++] = row.op[k]!;
  if (row.oAt >= 0) out[p - 1] = row.op[row.op.length - 1]! + ((ops[row.oAt] as { reg: Reg }).reg.num & 7);
  if (row.rmAt >= 0) {
    const regField = row.regAt >= 0 ? (ops[row.regAt] as { reg: Reg }).reg.num & 7 : row.digit ?? 0;
    const rmOp = ops[row.rmAt]!;
    if (rmOp.t === 'reg') out[p++] = 0xc0 | (regField << 3) | (rmOp.reg.num & 7);
    else {
      const e = ea!;
      const mod = e.fixed || dispLen === 0 ? 0 : e.asz === 16 && e.rm === 6 && dispLen === 0 ? 0 : dispLen === 1 ? 1 : 2;
      out[p++] = (mod << 6) | (regField << 3) | e.rm;
      if (e.sib >= 0) out[p++] = e.sib;
      let d = e.disp ?? 0n;
      if (e.rip && e.disp !== undefined) {
        d = e.disp - BigInt(ctx.address + len);
        if (ctx.final && (d < I32_MIN || d > I32_MAX)) opFail(ctx.loc, rmOp, memAt, `RIP-relative displacement ${d} does not fit in 32 bits`);
      }
      if (!e.fixed && dispLen === 1 && ctx.final && (d < I8_MIN || d > I8_MAX)) opFail(ctx.loc, rmOp, memAt, 'internal: disp8 out of range');
      p = writeLE(out, p, d, dispLen);
    }
  }
  if (row.moffsAt >= 0) p = writeLE(out, p, ea!.disp ?? 0n, ea!.asz / 8);
  if (row.immAt >= 0) p = writeLE(out, p, job.vals[row.immAt] ?? 0n, immWidth(row.ops[row.immAt]!) / 8);
  if (row.imm2At >= 0) p = writeLE(out, p, job.vals[row.imm2At] ?? 0n, immWidth(row.ops[row.imm2At]!) / 8);
  if (row.ptrAt >= 0) {
    p = writeLE(out, p, job.vals[row.ptrAt] ?? 0n, KIND_SIZE[row.ops[row.ptrAt]!]! / 8);
    p = writeLE(out, p, job.segVals[row.ptrAt] ?? 0n, 2);
  }
  if (row.relAt >= 0) p = writeLE(out, p, rel, relWidth);
  if (p - base !== len) throw new Error(`internal: x86 encoder wrote ${p - base} bytes, planned ${len} (${insn.mn})`);
  return len;
}

function writeLE(out: Uint8Array, p: number, v: bigint, n: number): number {
  if (n === 0) return p;
  if (n <= 4) {
    // In the int32 range (the usual case) the number is the value itself: no BigInt made.
    let x = v >= I32_MIN && v <= I32_MAX ? Number(v) : Number(BigInt.asIntN(32, v));
    for (let i = 0; i < n; i++, x >>= 8) out[p++] = x & 0xff;
    return p;
  }
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < n; i++, x >>= 8n) out[p++] = Number(x & 0xffn);
  return p;
}


/**
 * Encodes one instruction: the shortest matching form of at least `ctx.atLeast` bytes. With
 * `nasmForms`, where nasm (-Ox) picks a longer form than the shortest, nasm's: for an immediate or
 * displacement that is an address (see `isAddress`), which nasm never shortens.
 */
export function encodeX86(insn: X86Insn, ctx: EncodeContext, nasmForms = false): Uint8Array {
  // An instruction whose bytes do not depend on its address or on symbols is encoded once;
  // the result stays the shortest of at least `atLeast` bytes while atLeast does not pass it.
  const cache = insn.cache;
  if (cache && cache.atLeast <= ctx.atLeast && cache.bytes.length >= ctx.atLeast) return cache.bytes;
  const bytes = encodeUncached(insn, ctx, nasmForms);
  if (insn.pure === undefined) insn.pure = isPure(insn);
  if (insn.pure) insn.cache = { atLeast: ctx.atLeast, bytes };
  return bytes;
}

/** True when the bytes depend only on the instruction (the core then encodes it once). */
export function isFixedX86(insn: X86Insn): boolean {
  if (insn.pure === undefined) insn.pure = isPure(insn);
  return insn.pure;
}

function isPure(insn: X86Insn): boolean {
  if (HAS_REL.has(insn.mn)) return false;
  const ops = insn.ops;
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.t === 'imm' && (!isConstant(o.e) || (o.seg !== undefined && !isConstant(o.seg)))) return false;
    if (o.t === 'mem' && ((o.disp && !isConstant(o.disp)) || (!o.base && !o.index && insn.bits === 64))) return false;
  }
  return true;
}

/**
 * Rows of a mnemonic that can take operands of these shapes, in table order (the shape filter of
 * `encodeRow`, done once per mnemonic and signature).
 */
const BY_SIGNATURE = new Map<string, Map<number, readonly Row[]>>();

function rowsFor(mn: string, rows: readonly Row[], shapes: number[], n: number): readonly Row[] {
  let bySig = BY_SIGNATURE.get(mn);
  if (!bySig) BY_SIGNATURE.set(mn, (bySig = new Map()));
  let key = n;
  for (let i = 0; i < n; i++) key = key * SHAPE_BASE + shapes[i]!;
  let list = bySig.get(key);
  if (!list) {
    list = rows.filter((r) => r.ops.length === n && r.accept.every((a, i) => (a & shapes[i]!) !== 0));
    bySig.set(key, list);
  }
  return list;
}

/**
 * Relative branches with one short (rel8) and one near (rel32) row and nothing else taking an
 * immediate (jmp, jcc): their opcodes, for the fast path of `encodeBranch`.
 */
export interface BranchPair {
  readonly short: readonly number[];
  readonly near: readonly number[];
}
const BRANCH_PAIRS: ReadonlyMap<string, BranchPair> = (() => {
  const m = new Map<string, BranchPair>();
  for (const [mn, rows] of ROWS) {
    // (far pointers `selector:offset` are told apart by their form, not their value)
    const imm = rows.filter((r) => r.ptrAt < 0 && r.accept.some((a) => (a & S_IMM) !== 0));
    const r8 = imm.find((r) => r.ops.length === 1 && r.ops[0] === 'rel8');
    const r32 = imm.find((r) => r.ops.length === 1 && r.ops[0] === 'rel32');
    if (imm.length === 2 && r8 && r32 && !r8.as && !r32.as && !r8.mode && !r32.mode && r8.osz === 0 && r32.osz === 0) {
      m.set(mn, { short: r8.op, near: r32.op });
    }
  }
  return m;
})();

/** The opcodes of a relative branch that `encodeBranch` encodes (jmp, jcc), else undefined. */
export function branchPairOf(mn: string): BranchPair | undefined {
  return BRANCH_PAIRS.get(mn);
}

const I32_MIN_N = -0x80000000, I32_MAX_N = 0x7fffffff;

/**
 * jmp/jcc to a target without `short`/`near`, prefixes or 16-bit mode: the short form when it
 * reaches and `atLeast` allows, else the near form (what the row search gives). Returns -1 to
 * leave anything unusual (an out-of-range target, an odd value) to the row search.
 */
export function encodeBranch(target: Expr, pair: BranchPair, ctx: EncodeContext, out: Uint8Array, at: number): number {
  const v = ctx.value(target);
  const s = pair.short;
  const shortLen = s.length + 1;
  if (v === undefined) {
    if (ctx.atLeast > shortLen) return -1;
    for (let k = 0; k < s.length; k++) out[at + k] = s[k]!;
    out[at + s.length] = 0;
    return shortLen;
  }
  if (v > 0x7fffffffffffn || v < -0x7fffffffffffn) return -1;
  const t = Number(v);
  if (ctx.atLeast <= shortLen) {
    const rel = t - (ctx.address + shortLen);
    if (rel >= -128 && rel <= 127) {
      for (let k = 0; k < s.length; k++) out[at + k] = s[k]!;
      out[at + s.length] = rel & 0xff;
      return shortLen;
    }
  }
  const nr = pair.near;
  const nearLen = nr.length + 4;
  if (ctx.atLeast > nearLen) return -1;
  const rel = t - (ctx.address + nearLen);
  if (rel < I32_MIN_N || rel > I32_MAX_N) return -1;
  let p = at;
  for (let k = 0; k < nr.length; k++) out[p++] = nr[k]!;
  out[p++] = rel & 0xff;
  out[p++] = (rel >> 8) & 0xff;
  out[p++] = (rel >> 16) & 0xff;
  out[p] = (rel >> 24) & 0xff;
  return nearLen;
}

function encodeUncached(insn: X86Insn, ctx: EncodeContext, nasmForms: boolean): Uint8Array {
  if (insn.prefixes.length > 64) return Uint8Array.from(insn.prefixes); // (only a prefix-only line can be this long)
  const n = encodeTo(insn, ctx, SCRATCH, 0, nasmForms);
  return SCRATCH.slice(0, n);
}

/**
 * Encodes into `out` at `at` (room for at least 128 bytes); returns the length, or -1 when the
 * instruction needs more room (then `encodeX86` is the way).
 */
export function encodeIntoX86(insn: X86Insn, ctx: EncodeContext, out: Uint8Array, at: number, nasmForms = false): number {
  if (insn.prefixes.length > 64) return -1;
  return encodeTo(insn, ctx, out, at, nasmForms);
}

function encodeTo(insn: X86Insn, ctx: EncodeContext, dest: Uint8Array, at: number, nasmForms: boolean): number {
  let ops = insn.ops;
  if (insn.mn === '') {
    // a prefix alone on its line
    for (let k = 0; k < insn.prefixes.length; k++) dest[at + k] = insn.prefixes[k]!;
    return insn.prefixes.length;
  }
  // Common 64-bit forms (registers, int32 constants, [base+index*scale+disp]) without the row search.
  const end = encodeFastInsn(insn, dest, at);
  if (end >= 0 && end - at >= ctx.atLeast) return end - at;
  if (ops.length === 1 && insn.prefixes.length === 0 && insn.bits !== 16 && insn.seg === undefined && insn.addrSize === undefined && insn.opSize === undefined) {
    const o = ops[0]!;
    if (o.t === 'imm' && o.dist === undefined && o.size === undefined && o.seg === undefined) {
      const pair = BRANCH_PAIRS.get(insn.mn);
      if (pair) {
        const len = encodeBranch(o.e, pair, ctx, dest, at);
        if (len >= 0) return len;
      }
    }
  }
  const rows = ROWS.get(insn.mn);
  if (!rows) fail(ctx.loc, `unknown instruction '${insn.mn}'`);
  // `imul r, imm` is nasm shorthand for `imul r, r, imm`.
  if (insn.mn === 'imul' && ops.length === 2 && ops[1]!.t === 'imm') ops = [ops[0]!, ops[0]!, ops[1]!];
  const n = ops.length;
  // One job object, reused: the encoder does not call itself.
  const job = JOB;
  if (n > job.vals.length) {
    job.vals = new Array(n).fill(undefined);
    job.segVals = new Array(n).fill(undefined);
    job.eas = new Array(n).fill(undefined);
    job.shapes = new Array(n).fill(0);
  }
  job.nasmForms = nasmForms;
  const vals = job.vals;
  const segVals = job.segVals;
  const eas = job.eas;
  const shapes = job.shapes;
  job.insn = insn;
  job.ops = ops;
  job.ctx = ctx;
  job.why = undefined;
  job.explain = false;
  let mems = 0;
  for (let i = 0; i < n; i++) {
    const o = ops[i]!;
    vals[i] = undefined;
    segVals[i] = undefined;
    eas[i] = undefined;
    shapes[i] = shapeOf(o);
    if (o.t === 'imm') {
      vals[i] = ctx.value(o.e);
      if (o.seg !== undefined) segVals[i] = ctx.value(o.seg);
    } else if (o.t === 'mem') {
      if (++mems > 1) opFail(ctx.loc, o, i, 'x86 instructions take at most one memory operand');
      eas[i] = analyzeMem(o, i, insn, ctx, nasmForms);
    } else if (insn.bits !== 64 && (o.reg.needsRex || o.reg.cls === 'r64')) opFail(ctx.loc, o, i, `register ${o.reg.name} needs 64-bit mode`);
  }
  let best: Row | undefined;
  let bestLen = Infinity;
  let longest: Row | undefined;
  let longestLen = -1;
  const candidates = rowsFor(insn.mn, rows, shapes, n);
  if (candidates.length === 1) {
    // One row can match: measure and write in one go.
    const len = encodeRow(job, candidates[0]!, ctx.atLeast, dest, at);
    if (len >= ctx.atLeast) return len;
    if (len >= 0) throw new Error(`internal: no ${insn.mn} form is ${ctx.atLeast} bytes or longer`);
  }
  for (let r = 0; r < candidates.length; r++) {
    const row = candidates[r]!;
    const len = encodeRow(job, row, ctx.atLeast);
    if (len < 0) continue;
    if (len >= ctx.atLeast && len < bestLen) {
      best = row;
      bestLen = len;
    }
    if (len > longestLen) {
      longest = row;
      longestLen = len;
    }
  }
  if (!best) {
    if (!rows.some((r) => r.ops.length === n)) {
      const counts = [...new Set(rows.map((r) => r.ops.length))].sort();
      fail(ctx.loc, `${insn.mn} takes ${counts.map((c) => (c === 0 ? 'no' : String(c))).join(' or ')} operand${counts.length === 1 && counts[0] === 1 ? '' : 's'}, not ${n}`);
    }
    if (longest) throw new Error(`internal: no ${insn.mn} form is ${ctx.atLeast} bytes or longer`);
    // Run again, this time collecting why each row did not fit.
    job.explain = true;
    for (const row of rows) if (row.ops.length === n) encodeRow(job, row, ctx.atLeast);
    const why = job.why as Job['why'];
    if (why && why.at >= 0) opFail(ctx.loc, ops[why.at], why.at, why.msg);
    fail(ctx.loc, `${insn.mn}: ${why?.msg ?? 'no form matches these operands'}`);
  }
  encodeRow(job, best, ctx.atLeast, dest, at);
  return bestLen;
}

const MAX_OPS = 4;
const JOB: Job = {
  insn: undefined as unknown as X86Insn,
  ops: [],
  ctx: undefined as unknown as EncodeContext,
  vals: new Array(MAX_OPS).fill(undefined),
  segVals: new Array(MAX_OPS).fill(undefined),
  eas: new Array(MAX_OPS).fill(undefined),
  nasmForms: false,
  why: undefined,
  shapes: new Array(MAX_OPS).fill(0),
  explain: false,
};

/** Where a lone candidate row writes its bytes (no instruction is longer than 15 bytes). */
const SCRATCH = new Uint8Array(256);
