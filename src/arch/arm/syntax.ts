import type { Backend, EncodeContext } from '../../core/backend.js';
import type { Item } from '../../core/assembler.js';
import { evaluate, isConstant, num, type EvalEnv, type Expr, type TokenStream } from '../../core/expr.js';
import type { Token } from '../../core/lexer.js';
import { poolIndex } from '../literal-pool.js';
import { A32_ROWS } from './a32-table.js';
import { encodeA32, encodeA32Word } from './a32-encoder.js';
import { armModImm, le16, le32, thumbModImm, value32 } from './encoder.js';
import type { ArmInsn, Isa, Operand, Pool, Shift } from './operands.js';
import { CONDS, regNumber, SHIFT_NAMES, type ShiftType } from './registers.js';
import { encodeThumb, THUMB_MNEMONICS } from './thumb-encoder.js';
import { encodeBranchInto, parseLineArm } from './fast.js';

/**
 * The GNU/UAL text syntax of 32-bit ARM (`@` and `//` comments, `#imm`, `[rn, #off]!`,
 * `{r0-r3, lr}`) and the backend the core calls. Only unified syntax is read (`.syntax unified`,
 * llvm-mc's default): in Thumb code the `s` suffix says whether flags are set.
 */
export interface ArmState {
  thumb: boolean;
  isa: Isa;
  /** Conditions still owed by the current IT block, first one next. */
  it: number[];
  /** Where the text fast path (fast.ts) puts the bytes it encodes. */
  buf?: Uint8Array;
  pos?: number;
}

export interface ArmOptions {
  /** 'v6' (default: runs on linux/arm/v6) or 'v7' (Thumb-2, movw/movt, the nop hint). */
  isa?: Isa;
  /** Start in Thumb state. */
  thumb?: boolean;
}

/** Zero-size marker instructions: directives that must keep their place among the items. */
const MARKERS = new Set(['.ltorg', '.pool', '.arm', '.thumb', '.code', '.thumb_func']);

const COND_NAMES = Object.keys(CONDS);
const AMODES: Record<string, { ldm: ArmInsn['amode']; stm: ArmInsn['amode'] }> = {
  ia: { ldm: 'ia', stm: 'ia' }, ib: { ldm: 'ib', stm: 'ib' }, da: { ldm: 'da', stm: 'da' }, db: { ldm: 'db', stm: 'db' },
  // stack aliases: full/empty, descending/ascending
  fd: { ldm: 'ia', stm: 'db' }, ed: { ldm: 'ib', stm: 'da' }, fa: { ldm: 'da', stm: 'ib' }, ea: { ldm: 'db', stm: 'ia' },
};

/** Mnemonics with an `s` form in either instruction set. */
const WITH_S = new Set([
  'and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'orr', 'orn', 'mov', 'bic', 'mvn', 'lsl', 'lsr', 'asr', 'ror', 'rrx',
  'neg', 'mul', 'mla', 'umull', 'umlal', 'smull', 'smlal',
]);

/**
 * Mnemonics whose bare operand is a label or a name (a branch target, a literal load, a barrier
 * option, an IT condition): elsewhere a bare constant is an immediate, as GNU as reads `mov r0, 1`.
 */
const BARE_IS_LABEL = new Set(['b', 'bl', 'blx', 'bx', 'cbz', 'cbnz', 'adr', 'it', 'dmb', 'dsb', 'isb', 'pld', 'pldw', 'pli']);

interface Mnemonic {
  mn: string;
  s: boolean;
  cond: number;
  condExplicit: boolean;
  width?: 'w' | 'n';
  amode?: ArmInsn['amode'];
  itPattern?: string;
}

/**
 * Words GNU as knows as ARM instructions that tinyelf does not assemble, by family: each is
 * refused by line, naming the family, rather than read as anything else. (A condition suffix
 * and, for VFP/NEON, a data-type suffix may follow.)
 */
const CONDITION = '(?:eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?';
const UNSUPPORTED: readonly [RegExp, string][] = [
  [/^v[a-z][a-z0-9]*(\.[a-z0-9.]+)?$/, 'VFP/NEON'],
  [new RegExp(`^f(abs|add|cmp|const|cpy|cvt|div|ld|mac|mdhr|mdlr|mdrr|mrdh|mrdl|mrrd|mrrs|mrs|mrx|msc|msr|msrr|mstat|mul|mxr|neg|nmac|nmsc|nmul|sito|sqrt|st|sub|tosi|toui|uito)[a-z0-9]*$`), 'VFP'],
  [new RegExp(`^(cdp2?|ldc2?l?|stc2?l?|mcrr?2?|mrrc2?|mrc2?)${CONDITION}(l${CONDITION})?$`), 'coprocessor'],
  [new RegExp(`^(mrs|msr|cps|cpsie|cpsid|srs|rfe|setend|smc|smi|hvc|eret|bxj)(ia|ib|da|db|fd|fa|ed|ea)?${CONDITION}(\.[wn])?$`), 'system'],
  [new RegExp(`^(sdiv|udiv)${CONDITION}(\.w)?$`), 'integer divide extension'],
  [new RegExp(`^pldw${CONDITION}$`), 'multiprocessing extension'],
  [new RegExp(`^(ldaexd|ldaexb|ldaexh|ldaex|ldab|ldah|lda|stlexd|stlexb|stlexh|stlex|stlb|stlh|stl|crc32c?[bhw]|sevl|hlt|dcps[123]|ssbb|pssbb|csdb|sb)${CONDITION}(\.[wn])?$`), 'ARMv8'],
];

/** The family of a word GNU as knows but tinyelf does not assemble, or undefined. */
export function unsupportedFamily(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [re, family] of UNSUPPORTED) if (re.test(lower)) return family;
  return undefined;
}

/** All base mnemonics, longest first so `bl` is tried before `b` (and `bls` falls back to b+ls). */
const BASES = [...new Set([...A32_ROWS.keys(), ...THUMB_MNEMONICS, 'ldm', 'stm'])].sort((a, b) => b.length - a.length);

/** splitMnemonic's answers so far (a program uses few distinct mnemonics). */
const SPLIT = new Map<string, Readonly<Mnemonic> | undefined>();

/** Splits `addseq.w` into base, `s`, condition and width; undefined if it is no instruction. */
export function splitMnemonic(name: string): Readonly<Mnemonic> | undefined {
  let m = SPLIT.get(name);
  if (m === undefined && !SPLIT.has(name)) {
    m = splitUncached(name);
    if (m !== undefined) Object.freeze(m);
    if (SPLIT.size >= 4096) SPLIT.clear();
    SPLIT.set(name, m);
  }
  return m;
}

function splitUncached(name: string): Mnemonic | undefined {
  let m = name.toLowerCase();
  let width: Mnemonic['width'];
  if (m.endsWith('.w') || m.endsWith('.n')) {
    width = m.endsWith('.w') ? 'w' : 'n';
    m = m.slice(0, -2);
  }
  const it = /^it([te]{0,3})$/.exec(m);
  if (it) return { mn: 'it', s: false, cond: 14, condExplicit: false, itPattern: it[1]!, ...(width ? { width } : {}) };
  for (const base of BASES) {
    if (!m.startsWith(base)) continue;
    let rest = m.slice(base.length);
    let amode: Mnemonic['amode'];
    if (base === 'ldm' || base === 'stm') {
      // ldm{mode}{cond} (UAL) or ldm{cond}{mode} (pre-UAL)
      for (const [k, v] of Object.entries(AMODES)) {
        if (rest.startsWith(k)) { amode = v[base]; rest = rest.slice(2); break; }
        if (rest.endsWith(k) && rest.length === 4) { amode = v[base]; rest = rest.slice(0, 2); break; }
      }
    }
    const sOk = WITH_S.has(base);
    let s = false;
    let c = '';
    if (sOk && rest.startsWith('s') && (rest.length === 1 || COND_NAMES.includes(rest.slice(1)))) {
      s = true;
      c = rest.slice(1);
    } else if (sOk && rest.endsWith('s') && COND_NAMES.includes(rest.slice(0, -1))) {
      s = true; // pre-UAL addeqs
      c = rest.slice(0, -1);
    } else if (rest === '' || COND_NAMES.includes(rest)) c = rest;
    else continue;
    return { mn: base, s, cond: c ? CONDS[c]! : 14, condExplicit: c !== '', ...(width ? { width } : {}), ...(amode ? { amode } : {}) };
  }
  return undefined;
}

export function armBackend(opts: ArmOptions = {}): Backend<ArmInsn, ArmState> & { finishSection(items: Item[], state: ArmState): void } {
  const isa = opts.isa ?? 'v6';
  /** Mode of the instruction encoded last, so code fill pads with that mode's nops. */
  let lastThumb = opts.thumb ?? false;
  return {
    arch: 'arm',
    endian: 'little',
    lex: { comments: ['@', '//'], suffixNumbers: false },
    initialState: () => ({ thumb: opts.thumb ?? false, isa, it: [] }),
    isMnemonic: (name) => MARKERS.has(name) || splitMnemonic(name) !== undefined || unsupportedFamily(name) !== undefined,
    directive(name, ts) {
      if (name === '.syntax') {
        const w = ts.next();
        if (w.text.toLowerCase() !== 'unified') ts.error(`only '.syntax unified' is supported, not '${w.text}'`, w);
        ts.expectEnd();
        return true;
      }
      return false;
    },
    parseLine: (source, start, end, state, out) => parseLineArm(source, start, end, state, out, splitMnemonic),
    parseInstruction(mnemonic, ts, state) {
      return parseArmInstruction(mnemonic, ts, state);
    },
    encode(insn, ctx) {
      if (insn.mn.startsWith('.')) return encodeMarker(insn, ctx, (t) => (lastThumb = t));
      lastThumb = insn.thumb;
      return insn.thumb ? encodeThumb(insn, ctx) : encodeA32(insn, ctx);
    },
    isFixed: isFixedArm,
    encodeInto(insn, ctx, out, at) {
      if (insn.thumb || insn.mn.charCodeAt(0) === 46) return -1; // Thumb, and markers ('.')
      lastThumb = false;
      if (insn.branchWord !== undefined) {
        const n = encodeBranchInto(insn, ctx, out, at);
        if (n >= 0) return n;
      }
      const w = encodeA32Word(insn, ctx);
      out[at] = w & 0xff;
      out[at + 1] = (w >>> 8) & 0xff;
      out[at + 2] = (w >>> 16) & 0xff;
      out[at + 3] = w >>> 24;
      return 4;
    },
    codeFill(count, address) {
      const out = new Uint8Array(count);
      let i = 0;
      // The no-op's bytes written in place (a large .p2align is millions of them).
      if (lastThumb) {
        if (address & 1) i = 1;
        const nop = le16(isa === 'v7' ? 0xbf00 : 0x46c0);
        for (; i + 2 <= count; i += 2) {
          out[i] = nop[0]!;
          out[i + 1] = nop[1]!;
        }
      } else {
        i = (4 - (address & 3)) & 3;
        const nop = le32(isa === 'v7' ? 0xe320f000 : 0xe1a00000);
        for (; i + 4 <= count; i += 4) {
          out[i] = nop[0]!;
          out[i + 1] = nop[1]!;
          out[i + 2] = nop[2]!;
          out[i + 3] = nop[3]!;
        }
      }
      return out;
    },
    finishSection,
  };
}

/**
 * True for an A32 or Thumb instruction whose bytes depend on nothing but itself: no label or
 * literal operand (every pc-relative form takes one) and only plain numbers. A Thumb instruction's
 * width is picked on its first encoding from the operands alone, and its IT-block context is part
 * of the instruction. Markers are never fixed: they set the mode code fill uses.
 */
function isFixedArm(insn: ArmInsn): boolean {
  if (insn.mn.charCodeAt(0) === 46) return false;
  const ops = insn.ops;
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    switch (o.k) {
      case 'reg':
        if (o.shift?.imm !== undefined && o.shift.imm.k !== 'num') return false;
        break;
      case 'imm':
        if (o.e.k !== 'num') return false;
        break;
      case 'mem':
        if (o.imm !== undefined && o.imm.k !== 'num') return false;
        if (o.reg?.shift?.imm !== undefined && o.reg.shift.imm.k !== 'num') return false;
        break;
      case 'list':
        break;
      default:
        return false;
    }
  }
  return true;
}

function encodeMarker(insn: ArmInsn, ctx: EncodeContext, setMode: (thumb: boolean) => void): Uint8Array {
  if (insn.mn !== '.pool') {
    if (insn.mn !== '.thumb_func') setMode(insn.thumb);
    return new Uint8Array(0);
  }
  const pool = insn.pool!;
  if (pool.entries.length === 0) return new Uint8Array(0);
  // Entries are words, aligned to 4; sizes may only grow, so extra padding keeps a pool at its size.
  let pad = (4 - (ctx.address & 3)) & 3;
  while (pad + 4 * pool.entries.length < ctx.atLeast) pad += 4;
  pool.at = ctx.address + pad;
  const out = new Uint8Array(pad + 4 * pool.entries.length);
  pool.entries.forEach((en, i) => out.set(le32(value32(ctx, en.e, insn.loc, 'literal') ?? 0), pad + 4 * i));
  return out;
}

/**
 * Called once per section when it is complete: binds each `ldr rX, =value` to the next literal
 * pool (`.ltorg`, or one added at the end), marks `.thumb_func` labels (bit 0 of their value),
 * and starts the section with a mode marker.
 */
function finishSection(items: Item[], state: ArmState): void {
  let open: ArmInsn[] = [];
  let thumbFunc = false;
  /** The mode of the section's first instruction. */
  let firstThumb: boolean | undefined;
  const bind = (pool: Pool): void => {
    for (const insn of open) {
      const e = (insn.ops[1] as Operand & { k: 'lit' }).e;
      insn.lit = { pool, index: poolIndex(pool, e, 4) };
    }
    open = [];
  };
  const visit = (it: Item): void => {
    if (it.kind === 'label' && thumbFunc) {
      it.lowBits = 1;
      thumbFunc = false;
    }
    if (it.kind === 'times') visit(it.item);
    if (it.kind !== 'insn') return;
    if (it.bytes !== undefined) {
      firstThumb ??= (it.insn as { thumb?: boolean } | undefined)?.thumb === true; // encoded by parseLine (THUMB_LINE or none): no literal
      return;
    }
    const insn = it.insn as ArmInsn;
    firstThumb ??= insn.thumb;
    if (insn.mn === '.thumb_func') thumbFunc = true;
    else if (insn.mn === '.pool') bind(insn.pool!);
    else if (insn.ops[1]?.k === 'lit' && insn.mn === 'ldr') open.push(insn);
  };
  items.forEach(visit);
  if (open.length) {
    const pool: Pool = { entries: [] };
    bind(pool);
    const loc = items[items.length - 1]?.loc ?? { file: '', line: 0, column: 0 };
    items.push({ kind: 'insn', insn: { mn: '.pool', s: false, cond: 14, thumb: state.thumb, isa: state.isa, ops: [], pool, loc }, loc });
  }
  // The mode the section starts in (the code fill of a leading .balign depends on it).
  const loc = items[0]?.loc ?? { file: '', line: 0, column: 0 };
  const startThumb = firstThumb ?? state.thumb;
  items.unshift({ kind: 'insn', insn: { mn: '.arm', s: false, cond: 14, thumb: startThumb, isa: state.isa, ops: [], loc }, loc });
}

function parseArmInstruction(mnemonic: Token, ts: TokenStream, state: ArmState): ArmInsn {
  const name = mnemonic.text.toLowerCase();
  const loc = ts.locOf(mnemonic);
  if (MARKERS.has(name)) {
    const base = { s: false, cond: 14, isa: state.isa, loc, ops: [] as Operand[] };
    if (name === '.arm') state.thumb = false;
    else if (name === '.thumb') state.thumb = true;
    else if (name === '.code') {
      const t = ts.next();
      if (t.kind !== 'number' || (t.value !== 16n && t.value !== 32n)) ts.error('.code takes 16 or 32', t);
      state.thumb = t.value === 16n;
    }
    ts.expectEnd();
    const pool: Pool | undefined = name === '.ltorg' || name === '.pool' ? { entries: [] } : undefined;
    return { ...base, mn: pool ? '.pool' : name, thumb: state.thumb, ...(pool ? { pool } : {}) };
  }
  const m = splitMnemonic(name);
  if (!m) {
    const family = unsupportedFamily(name);
    ts.error(family ? `instruction not supported: ${mnemonic.text} (${family})` : `unknown instruction '${mnemonic.text}'`, mnemonic);
  }
  const ops = parseOperands(ts, m.mn);
  // A literal, not spreads: spread objects with overridden keys are slow to make and to read.
  const insn: ArmInsn = { mn: m.mn, s: m.s, cond: m.cond, thumb: state.thumb, isa: state.isa, ops, loc };
  if (m.width) insn.width = m.width;
  if (m.amode) insn.amode = m.amode;
  if (m.itPattern !== undefined) insn.itPattern = m.itPattern;
  if (!state.thumb && m.mn === 'it') ts.error('IT blocks exist only in Thumb code', mnemonic);
  if (state.thumb) trackIt(insn, ts, mnemonic, state);
  rewriteLiteral(insn, state);
  return insn;
}

/** IT blocks: the next 1-4 instructions must carry the conditions the block announces. */
function trackIt(insn: ArmInsn, ts: TokenStream, mnemonic: Token, state: ArmState): void {
  if (insn.mn === 'it') {
    if (state.isa !== 'v7') ts.error('IT blocks need Thumb-2 (ARMv7)', mnemonic);
    if (state.it.length) ts.error('an IT block cannot contain another IT', mnemonic);
    const c = insn.ops[0];
    if (insn.ops.length !== 1 || c?.k !== 'expr' || c.e.k !== 'sym' || !(c.e.name.toLowerCase() in CONDS)) ts.error('it needs a condition (eq, ne, …)', mnemonic);
    const first = CONDS[c.e.name.toLowerCase()]!;
    if (first === 14 && insn.itPattern!.includes('e')) ts.error('an IT block with condition al cannot have else slots', mnemonic);
    insn.cond = first;
    state.it = [first, ...[...insn.itPattern!].map((x) => (x === 't' ? first : first ^ 1))];
    return;
  }
  if (state.it.length) {
    const want = state.it.shift()!;
    // bkpt is unconditional: inside an IT block it runs whatever the condition
    if (insn.mn === 'bkpt' && insn.cond === 14) insn.cond = want;
    if (insn.cond !== want) ts.error(`condition does not match the IT block (expected ${condName(want)})`, mnemonic);
    insn.inIT = true;
    insn.itLast = state.it.length === 0;
  } else if (insn.cond !== 14 && insn.mn !== 'b') {
    ts.error('conditional instruction outside an IT block', mnemonic);
  }
}

function condName(c: number): string {
  return c === 14 ? 'al' : Object.keys(CONDS).find((k) => CONDS[k] === c)!;
}

/** `ldr rX, =constant` becomes mov/mvn (or movw in v7) when the value fits, as GNU as does. */
function rewriteLiteral(insn: ArmInsn, state: ArmState): void {
  const lit = insn.ops[1];
  if (insn.mn !== 'ldr' || lit?.k !== 'lit' || insn.ops.length !== 2 || !isConstant(lit.e)) return;
  const big = evalConst(lit.e);
  // A value that does not fit 32 bits stays a literal, whose pool entry reports it.
  if (big < -(1n << 31n) || big > 0xffffffffn) return;
  const v = Number(BigInt.asUintN(32, big));
  const fits = state.thumb ? (x: number): boolean => thumbModImm(x) !== undefined : (x: number): boolean => armModImm(x) !== undefined;
  if (state.thumb && state.isa !== 'v7') return; // Thumb-1 has no flag-preserving mov immediate
  const imm: Operand = { k: 'imm', e: num(v), loc: lit.loc };
  if (fits(v) || fits(~v >>> 0)) {
    insn.mn = 'mov';
    if (state.thumb) insn.width = 'w';
  } else if (state.isa === 'v7' && v <= 0xffff) insn.mn = 'movw';
  else return;
  insn.ops = [insn.ops[0]!, imm];
}

/** Evaluates a constant expression (no symbols, `$` or `.`) with the core's rules. */
function evalConst(e: Expr): bigint {
  return evaluate(e, CONST_ENV)!;
}
const CONST_ENV: EvalEnv = { here: 0, start: 0, lookup: () => undefined };

function parseOperands(ts: TokenStream, mn: string): Operand[] {
  const ops: Operand[] = [];
  if (ts.atEnd()) return ops;
  const bareImm = !BARE_IS_LABEL.has(mn) && !mn.startsWith('ld');
  do {
    // `r1, lsl #2`: the shift belongs to the register before it
    const prev = ops[ops.length - 1];
    if (prev?.k === 'reg' && isShiftWord(ts.peek()) && mn !== 'lsl' && mn !== 'lsr' && mn !== 'asr' && mn !== 'ror') {
      prev.shift = parseShift(ts);
      continue;
    }
    const op = parseOperand(ts);
    ops.push(bareImm && op.k === 'expr' && isConstant(op.e) ? { k: 'imm', e: op.e, loc: op.loc } : op);
  } while (ts.eat(','));
  ts.expectEnd("',' or end of line");
  return ops;
}

function isShiftWord(t: Token): boolean {
  return t.kind === 'ident' && ((SHIFT_NAMES as readonly string[]).includes(t.text.toLowerCase()) || t.text.toLowerCase() === 'asl');
}

function parseShift(ts: TokenStream): Shift {
  const word = ts.next().text.toLowerCase();
  // asl is another name of lsl (GNU as and llvm-mc take it)
  const type = (word === 'asl' ? 'lsl' : word) as ShiftType;
  if (type === 'rrx') return { type };
  if (eatImmediatePrefix(ts)) return { type, imm: ts.expr() };
  const r = regAt(ts.peek());
  if (r !== undefined) {
    ts.next();
    return { type, reg: r };
  }
  ts.error(`expected #amount or a register after ${type}, found ${ts.describe()}`);
}

function regAt(t: Token): number | undefined {
  return t.kind === 'ident' ? regNumber(t.text) : undefined;
}

function parseOperand(ts: TokenStream): Operand {
  const t = ts.peek();
  const loc = ts.locOf(t);
  const r = regAt(t);
  if (r !== undefined) {
    ts.next();
    return ts.eat('!') ? { k: 'reg', r, wb: true, loc } : { k: 'reg', r, loc };
  }
  if (eatImmediatePrefix(ts)) {
    const sign = ts.peek().kind === 'punct' ? ts.peek().text : '';
    let e = ts.expr();
    // `#~0xffffff00` is the 32-bit complement (0xff), as GNU as and llvm-mc take it
    if (sign === '~' && isConstant(e)) {
      const v = evalConst(e);
      if (v < 0n && v >= -(1n << 32n)) e = num(BigInt.asUintN(32, v));
    }
    return sign === '-' ? { k: 'imm', e, minus: true, loc } : { k: 'imm', e, loc };
  }
  if (ts.eat('=')) return { k: 'lit', e: ts.expr(), loc };
  if (ts.eat('{')) {
    let mask = 0;
    do {
      const a = regAt(ts.peek());
      if (a === undefined) ts.error(`expected a register in the list, found ${ts.describe()}`);
      ts.next();
      let b = a;
      if (ts.eat('-')) {
        const e = regAt(ts.peek());
        if (e === undefined || e < a) ts.error(`expected a register above r${a} to end the range, found ${ts.describe()}`);
        ts.next();
        b = e;
      }
      for (let i = a; i <= b; i++) {
        if (mask & (1 << i)) ts.error(`register r${i} appears twice in the list`);
        mask |= 1 << i;
      }
    } while (ts.eat(','));
    ts.expect('}', "'}'");
    return ts.eat('^') ? { k: 'list', mask, user: true, loc } : { k: 'list', mask, loc };
  }
  if (ts.eat('[')) return parseMemory(ts, loc);
  return { k: 'expr', e: ts.expr(), loc };
}

/** `#`, or GNU's other immediate prefix `$` (`add r0, r1, $4`). */
function eatImmediatePrefix(ts: TokenStream): boolean {
  if (ts.eat('#')) return true;
  const t = ts.peek();
  if (t.kind !== 'punct' || t.text !== '$') return false;
  // `$` then a number, a name or a sign: an immediate (`$` alone stays an expression)
  const next = ts.peek(1);
  const startsValue = next.kind === 'number' || next.kind === 'ident' || (next.kind === 'punct' && ['-', '~', '('].includes(next.text));
  return startsValue && ts.eat('$');
}

function parseMemory(ts: TokenStream, loc: Operand['loc']): Operand {
  const base = regAt(ts.peek());
  if (base === undefined) ts.error(`expected a base register, found ${ts.describe()}`);
  ts.next();
  const offset = (): Pick<Operand & { k: 'mem' }, 'imm' | 'reg' | 'minus'> => {
    if (eatImmediatePrefix(ts)) {
      const minus = ts.peek().kind === 'punct' && ts.peek().text === '-';
      return minus ? { imm: ts.expr(), minus } : { imm: ts.expr() };
    }
    const sub = ts.eat('-');
    if (!sub) ts.eat('+');
    const r = regAt(ts.peek());
    if (r === undefined) ts.error(`expected #offset or an offset register, found ${ts.describe()}`);
    ts.next();
    let shift: Shift | undefined;
    if (ts.eat(',')) {
      if (!isShiftWord(ts.peek())) ts.error(`expected a shift (lsl, lsr, asr, ror, rrx), found ${ts.describe()}`);
      shift = parseShift(ts);
    }
    return { reg: { r, sub, ...(shift ? { shift } : {}) } };
  };
  if (ts.eat(']')) {
    if (ts.eat('!')) return { k: 'mem', base, pre: true, wb: true, loc };
    // post-indexed: [rn], #imm / [rn], rm
    if (ts.peek().kind === 'punct' && ts.peek().text === ',' && (ts.peek(1).text === '#' || ts.peek(1).text === '$' || regAt(ts.peek(1)) !== undefined || ts.peek(1).text === '-' || ts.peek(1).text === '+')) {
      ts.next();
      return { k: 'mem', base, ...offset(), pre: false, wb: true, loc };
    }
    return { k: 'mem', base, pre: true, wb: false, loc };
  }
  ts.expect(',', "',' or ']'");
  const off = offset();
  ts.expect(']', "']'");
  const wb = ts.eat('!');
  return { k: 'mem', base, ...off, pre: true, wb, loc };
}
