import { AsmError, noLoc, type Diagnostic, type SourceLoc } from './errors.js';
import { evaluate, type EvalEnv, type Expr } from './expr.js';
import type { Backend } from './backend.js';
import type { SectionAttributes } from './sections.js';

/**
 * One statement of a section. The front ends (text and builder) only produce these; the core
 * lays them out, resolves symbols and relaxes instruction sizes.
 */
export type Item =
  /** `lowBits` is ORed into the label's value, not its address (ARM: bit 0 marks a Thumb function). */
  | { kind: 'label'; name: string; loc: SourceLoc; lowBits?: number }
  /** `name equ expr`: positional, because `$` in the expression is the address where it stands. */
  | { kind: 'equ'; name: string; value: Expr; loc: SourceLoc }
  /**
   * `mnemonic` (lower case) lets the layout planner see where control flow ends (jmp, ret). With
   * `bytes`, the instruction is encoded already (the text front end's fast path): its bytes are
   * `bytes[bytesAt, bytesAt + size)` wherever it stands, and `insn` is not read.
   */
  | { kind: 'insn'; insn: unknown; loc: SourceLoc; mnemonic?: string; bytes?: Uint8Array; bytesAt?: number; size?: number }
  /** db/dw/dd/dq: numbers of `width` bytes; strings are bytes padded to a multiple of `width`. */
  | { kind: 'data'; width: 1 | 2 | 4 | 8; values: (Expr | Uint8Array)[]; loc: SourceLoc }
  /** resb/resw/… and `.space`: `count` bytes of `byte`. */
  | { kind: 'fill'; count: Expr; byte: number; loc: SourceLoc }
  | { kind: 'times'; count: Expr; item: Item; loc: SourceLoc }
  /** Pads to a multiple of `to` relative to the section start; `fill` undefined = the backend's code fill. */
  | { kind: 'align'; to: Expr; fill: number | undefined; loc: SourceLoc };

export interface Section {
  name: string;
  /** Address of the section's first byte (nasm `org`). */
  start: number;
  items: Item[];
  /** What the section is at run time (text front end); absent: code or data as its name says. */
  attrs?: SectionAttributes;
}

/** Where each item landed, for listings, the ELF inspector and the layout planner. */
export interface Placed {
  item: Item;
  section: number;
  address: number;
  size: number;
}

export interface Assembled {
  sections: { name: string; start: number; bytes: Uint8Array }[];
  symbols: Map<string, bigint>;
  placed: Placed[];
}

/** Passes before the core gives up with an internal error (sizes only grow, so this is never reached in practice). */
const MAX_PASSES = 64;
/** The most bytes one `resb`/`.space`/`align`/`times` may add. */
const MAX_FILL = 1n << 28n;
/** The most repetitions of one `times` (nested ones included). */
const MAX_TIMES = 1n << 24n;

/** Are the item's bytes the same wherever it stands (data and fills without `$`)? */
function repeatable(it: Item): boolean {
  if (it.kind === 'fill') return !usesHere(it.count);
  if (it.kind === 'data') return !it.values.some((v) => !(v instanceof Uint8Array) && usesHere(v));
  if (it.kind === 'times') return !usesHere(it.count) && repeatable(it.item);
  return false;
}

/** Does the expression use `$` (so that each repetition of a `times` differs)? */
function usesHere(e: Expr): boolean {
  if (e.k === 'here') return true;
  if (e.k === 'un') return usesHere(e.a);
  if (e.k === 'bin') return usesHere(e.a) || usesHere(e.b);
  return false;
}

/**
 * Where a label is: its address in the last pass that placed it, and in which pass that was.
 * A class, not an object literal: records made by a literal that all live through the layout get
 * V8 to switch that literal to old-space allocation after a few runs, which throws away the
 * optimized code of assembleSections (and runs are slow until it is made again).
 */
class LabelRec {
  addr = NaN;
  /** Pass that last placed the label (-1: never). */
  pass = -1;
  /**
   * The last value handed out, and the number it was made from (saves a BigInt per lookup).
   * `bigOf` starts as NaN, a double like the addresses it will hold: a field that starts as a
   * small integer and later holds a double changes representation, which discards optimized code.
   */
  big = 0n;
  bigOf = NaN;
  constructor(
    readonly section: number,
    readonly lowBits: number,
  ) {}
}

/** Room `encodeInto` gets in the arena. */
const INTO_ROOM = 256;

/** Statement kinds; K_ENCODED: an instruction encoded already (its `bytes`). */
const K_LABEL = 0, K_EQU = 1, K_INSN = 2, K_OTHER = 3, K_ENCODED = 4;

/**
 * Lays out sections and resolves every expression. Instruction sizes start at their shortest form
 * and only grow until nothing changes (the monotone scheme of Go's span6), so relaxation ends.
 *
 * A forward reference to a label of the same section that this pass has not placed yet is read
 * as the label's last address moved by how much the referring statement itself moved since the
 * last pass: the distance between them is never less than it was, so a short branch is only
 * grown when it truly cannot reach (the result is the shortest layout, as nasm and llvm-mc give).
 *
 * An instruction the backend declares fixed (`isFixed`) is encoded once: its bytes are kept and
 * later passes only add its size.
 */
export function assembleSections(sections: Section[], backend: Backend, state?: unknown): Assembled {
  const endian = backend.endian;
  const labels = new Map<string, LabelRec>();
  const equs = new Map<string, bigint>();
  const equItems = new Map<string, Item & { kind: 'equ' }>();
  const diagnostics: Diagnostic[] = [];

  // Definitions are known up front so an undefined symbol is reported, not waited for.
  let total = 0;
  for (let si = 0; si < sections.length; si++) {
    const items = sections[si]!.items;
    total += items.length;
    for (let j = 0; j < items.length; j++) {
      const it = items[j]!;
      if (it.kind === 'label' || it.kind === 'equ') {
        if (labels.has(it.name) || equItems.has(it.name)) {
          diagnostics.push({ loc: it.loc, message: `symbol '${it.name}' is defined more than once` });
        }
        if (it.kind === 'label') labels.set(it.name, new LabelRec(si, it.lowBits ?? 0));
        else equItems.set(it.name, it);
      }
    }
  }
  if (diagnostics.length) throw new AsmError(diagnostics);

  // Per statement (all sections, in order): kind, size, address in the last pass, kept bytes.
  const kinds = new Uint8Array(total);
  const sizes = new Int32Array(total);
  const addrs = new Float64Array(total).fill(NaN);
  const kept: (Uint8Array | undefined)[] = new Array(total);
  // With `encodeInto`, instruction bytes live in one arena instead: `off` is where (-1: not there).
  const encodeInto = backend.encodeInto;
  const off = new Int32Array(total).fill(-1);
  const keptFlag = new Uint8Array(total);
  let arena = new Uint8Array(Math.min(1 << 26, total * 8 + 1024));
  let arenaPos = 0;
  const recs: (LabelRec | undefined)[] = new Array(total);
  // The statements as they are now (a caller may add to the sections afterwards).
  const flat: Item[] = new Array(total);
  const sectionEnds = new Int32Array(sections.length);
  {
    let idx = 0;
    for (let si = 0; si < sections.length; si++) {
      for (const it of sections[si]!.items) {
        flat[idx] = it;
        const k = it.kind === 'label' ? K_LABEL : it.kind === 'equ' ? K_EQU : it.kind === 'insn' ? (it.bytes !== undefined ? K_ENCODED : K_INSN) : K_OTHER;
        kinds[idx] = k;
        if (k === K_LABEL) recs[idx] = labels.get((it as { name: string }).name);
        else if (k === K_ENCODED) sizes[idx] = (it as { size: number }).size;
        idx++;
      }
      sectionEnds[si] = idx;
    }
  }
  const isFixed = backend.isFixed;
  /** Sizes of nested statements (`times`), which have no index. */
  const nestedSizes = new Map<Item, number>();

  let final = false;
  let pass = 0;
  let here = 0;
  let start = 0;
  let section = 0;
  /** How far the statement being encoded moved since the last pass. */
  let shift = 0;

  /**
   * A symbol's value. Where it is written, `loc`, or else `sym.loc`, is read only for an error:
   * a symbol expression may make its place only when asked (the x86 text path's branches).
   */
  const resolve = (name: string, loc: SourceLoc | undefined, sym: { readonly loc: SourceLoc } | undefined): bigint | undefined => {
    const r = labels.get(name);
    if (r !== undefined) {
      let a = r.addr;
      if (a !== a) {
        if (final) throw new AsmError({ loc: loc ?? sym!.loc, message: `internal: label '${name}' has no address in the last pass` });
        return undefined;
      }
      if (r.pass !== pass && r.section === section) a += shift;
      const v = r.lowBits ? a | r.lowBits : a;
      if (v !== r.bigOf || r.big === 0n) {
        r.big = BigInt(v);
        r.bigOf = v;
      }
      return r.big;
    }
    if (equItems.has(name)) {
      const v = equs.get(name);
      if (v === undefined && final) throw new AsmError({ loc: loc ?? sym!.loc, message: `symbol '${name}' cannot be resolved (circular definition?)` });
      return v;
    }
    throw new AsmError({ loc: loc ?? sym!.loc, message: `undefined symbol '${name}'` });
  };
  const lookup = (name: string, loc: SourceLoc): bigint | undefined => resolve(name, loc, undefined);
  const env: EvalEnv = {
    get here() {
      return here;
    },
    get start() {
      return start;
    },
    lookup,
  };
  const value = (e: Expr): bigint | undefined => (e.k === 'num' ? e.v : e.k === 'sym' ? resolve(e.name, undefined, e) : evaluate(e, env));

  /** How many more addresses (labels, `$`, `$$`) the expression adds than it subtracts; NaN when it scales or masks one. */
  const addressWeight = (e: Expr, depth: number): number => {
    switch (e.k) {
      case 'num': return 0;
      case 'here': case 'start': return 1;
      case 'sym': {
        if (labels.has(e.name)) return 1;
        const def = equItems.get(e.name);
        return def === undefined || depth > 64 ? 0 : addressWeight(def.value, depth + 1);
      }
      case 'un': {
        const a = addressWeight(e.a, depth);
        return e.op === '-' ? -a : e.op === '+' || a === 0 ? a : NaN;
      }
      case 'bin': {
        const a = addressWeight(e.a, depth), b = addressWeight(e.b, depth);
        if (e.op === '+') return a + b;
        if (e.op === '-') return a - b;
        return a === 0 && b === 0 ? 0 : NaN;
      }
    }
  };
  const isAddress = (e: Expr): boolean => addressWeight(e, 0) !== 0;

  /** Context handed to the backend; one object, updated per instruction. */
  const ctx = {
    address: 0,
    final: false,
    atLeast: 0,
    /** The item being encoded: its `loc` is read only when asked for (text items make it then). */
    item: undefined as Item | undefined,
    get loc(): SourceLoc {
      return this.item === undefined ? noLoc : this.item.loc;
    },
    value,
    isAddress,
  };

  let changed = true;
  let passDiagnostics: Diagnostic[] = [];
  /** `times` nesting depth and repetitions so far inside the outermost one. */
  let timesDepth = 0;
  let timesReps = 0;

  const encodeInsn = (it: Item & { kind: 'insn' }, atLeast: number): Uint8Array => {
    if (it.bytes !== undefined) return it.bytes.subarray(it.bytesAt!, it.bytesAt! + it.size!);
    ctx.address = here;
    ctx.final = final;
    ctx.atLeast = atLeast;
    ctx.item = it;
    const bytes = backend.encode(it.insn, ctx);
    if (bytes.length < atLeast) {
      throw new AsmError({ loc: it.loc, message: `internal: encoder shrank an instruction from ${atLeast} to ${bytes.length} bytes` });
    }
    return bytes;
  };

  /** Everything but labels, equ and instructions with an index (data, fill, align, times, nested). */
  const encodeOther = (it: Item): Uint8Array => {
    switch (it.kind) {
      case 'label':
        throw new AsmError({ loc: it.loc, message: 'internal: a label inside times' });
      case 'equ':
        throw new AsmError({ loc: it.loc, message: 'internal: equ inside times' });
      case 'insn': {
        const size = nestedSizes.get(it) ?? 0;
        const bytes = encodeInsn(it, size);
        if (bytes.length !== size) {
          if (final) throw new AsmError({ loc: it.loc, message: 'internal: instruction size changed in the last pass' });
          nestedSizes.set(it, bytes.length);
          changed = true;
        }
        return bytes;
      }
      case 'data':
        return encodeData(it, value, final, endian);
      case 'fill': {
        const n = value(it.count);
        if (n === undefined) return EMPTY;
        if (n < 0n) throw new AsmError({ loc: it.loc, message: `fill count is negative (${n})` });
        if (n > MAX_FILL) throw new AsmError({ loc: it.loc, message: `fill count ${n} is too large` });
        return new Uint8Array(Number(n)).fill(it.byte);
      }
      case 'align': {
        const to = value(it.to);
        if (to === undefined) throw new AsmError({ loc: it.loc, message: 'align needs a value known at this point' });
        if (to <= 0n || (to & (to - 1n)) !== 0n) throw new AsmError({ loc: it.loc, message: `align needs a power of two, not ${to}` });
        // Absolute alignment, which is what loads and adr need (nasm aligns relative to the section
        // start; the two agree whenever org is itself aligned, as it is in practice).
        const bigPad = (to - (BigInt(here) % to)) % to;
        if (bigPad > MAX_FILL) throw new AsmError({ loc: it.loc, message: `align ${to} needs ${bigPad} bytes of padding here, more than ${MAX_FILL}` });
        const pad = Number(bigPad);
        return it.fill === undefined ? backend.codeFill(pad, here, state) : new Uint8Array(pad).fill(it.fill);
      }
      case 'times': {
        const n = value(it.count);
        if (n === undefined) {
          if (final) throw new AsmError({ loc: it.loc, message: 'times count is not known' });
          return EMPTY;
        }
        if (n < 0n) throw new AsmError({ loc: it.loc, message: `times count is negative (${n})` });
        if (n > MAX_TIMES) throw new AsmError({ loc: it.loc, message: `times count ${n} is too large` });
        const count = Number(n);
        const inner = it.item;
        if (repeatable(inner)) {
          // The same bytes every time: encode once and repeat them.
          const one = encodeOther(inner);
          if (BigInt(one.length) * n > MAX_FILL) throw new AsmError({ loc: it.loc, message: `times makes ${BigInt(one.length) * n} bytes, more than ${MAX_FILL}` });
          const out = new Uint8Array(one.length * count);
          for (let i = 0; i < count; i++) out.set(one, i * one.length);
          return out;
        }
        // Nested `times` multiply: the repetitions inside the outermost one are capped together.
        let reps = n;
        for (let x: Item = inner; x.kind === 'times'; x = x.item) reps *= value(x.count) ?? 0n;
        if (reps > MAX_TIMES) throw new AsmError({ loc: it.loc, message: `times repeats its statement ${reps} times in all, more than ${MAX_TIMES}` });
        if (timesDepth === 0) timesReps = 0;
        timesDepth++;
        try {
          const parts: Uint8Array[] = [];
          const base = here;
          for (let i = 0; i < count; i++) {
            if (++timesReps > MAX_TIMES) throw new AsmError({ loc: it.loc, message: `times repeats its statement more than ${MAX_TIMES} times in all` });
            const b = encodeOther(inner);
            parts.push(b);
            here += b.length;
            if (here - base > MAX_FILL) throw new AsmError({ loc: it.loc, message: `times makes more than ${MAX_FILL} bytes` });
          }
          here = base;
          return concat(parts);
        } finally {
          timesDepth--;
        }
      }
    }
  };

  let outputs: { name: string; start: number; bytes: Uint8Array }[] = [];

  for (pass = 0; ; pass++) {
    if (pass > MAX_PASSES) {
      throw new AsmError({ loc: sections[0]?.items[0]?.loc ?? { file: '', line: 0, column: 0 }, message: 'internal: layout did not settle (sizes kept changing)' });
    }
    final = !changed;
    changed = false;
    passDiagnostics = [];
    /** Bytes of the statements without kept bytes, in the last pass only. */
    const fresh: (Uint8Array | undefined)[] | undefined = final ? new Array(total) : undefined;

    let idx = 0;
    for (section = 0; section < sections.length; section++) {
      const sec = sections[section]!;
      start = sec.start;
      here = start;
      const items = sec.items;
      for (let j = 0; j < items.length; j++, idx++) {
        const k = kinds[idx]!;
        const prev = addrs[idx]!;
        addrs[idx] = here;
        if (k === K_LABEL) {
          const r = recs[idx]!;
          if (r.addr !== here) {
            if (final) passDiagnostics.push({ loc: items[j]!.loc, message: `internal: label '${(items[j] as { name: string }).name}' moved in the last pass` });
            changed = true;
            r.addr = here;
          }
          r.pass = pass;
          continue;
        }
        if (k === K_ENCODED || (k === K_INSN && (keptFlag[idx] === 1 || kept[idx] !== undefined))) {
          here += sizes[idx]!;
          continue;
        }
        const it = items[j]!;
        shift = prev === prev ? here - prev : 0;
        let bytes: Uint8Array;
        try {
          if (k === K_INSN && encodeInto !== undefined) {
            if (arena.length - arenaPos < INTO_ROOM) {
              const bigger = new Uint8Array(arena.length * 2 + INTO_ROOM);
              bigger.set(arena.subarray(0, arenaPos));
              arena = bigger;
            }
            const insnItem = it as Item & { kind: 'insn' };
            const size = sizes[idx]!;
            ctx.address = here;
            ctx.final = final;
            ctx.atLeast = size;
            ctx.item = it;
            const len = encodeInto(insnItem.insn, ctx, arena, arenaPos);
            if (len >= 0) {
              if (len < size) throw new AsmError({ loc: it.loc, message: `internal: encoder shrank an instruction from ${size} to ${len} bytes` });
              if (len !== size) {
                if (final) throw new AsmError({ loc: it.loc, message: 'internal: instruction size changed in the last pass' });
                sizes[idx] = len;
                changed = true;
              }
              if (isFixed !== undefined && isFixed(insnItem.insn)) {
                keptFlag[idx] = 1;
                off[idx] = arenaPos;
                arenaPos += len;
              } else if (final) {
                off[idx] = arenaPos;
                arenaPos += len;
              }
              here += len;
              continue;
            }
          }
          if (k === K_INSN) {
            const size = sizes[idx]!;
            bytes = encodeInsn(it as Item & { kind: 'insn' }, size);
            if (bytes.length !== size) {
              if (final) throw new AsmError({ loc: it.loc, message: 'internal: instruction size changed in the last pass' });
              sizes[idx] = bytes.length;
              changed = true;
            }
            if (isFixed !== undefined && isFixed((it as Item & { kind: 'insn' }).insn)) kept[idx] = bytes;
          } else if (k === K_EQU) {
            const eq = it as Item & { kind: 'equ' };
            const v = value(eq.value);
            if (v !== equs.get(eq.name)) {
              if (v !== undefined) equs.set(eq.name, v);
              else equs.delete(eq.name);
              changed = true;
            }
            bytes = EMPTY;
          } else {
            bytes = encodeOther(it);
            sizes[idx] = bytes.length;
          }
        } catch (err) {
          if (!(err instanceof AsmError)) throw err;
          if (final) for (const d of err.diagnostics) passDiagnostics.push(d);
          bytes = new Uint8Array(k === K_INSN ? sizes[idx]! : 0);
          if (k !== K_INSN) sizes[idx] = 0;
        }
        if (fresh) fresh[idx] = bytes;
        here += bytes.length;
      }
    }

    if (final) {
      if (passDiagnostics.length) throw new AsmError(passDiagnostics);
      // Gather the bytes: every statement's address and size are known now.
      outputs = [];
      idx = 0;
      for (let si = 0; si < sections.length; si++) {
        const sec = sections[si]!;
        const items = sec.items;
        const first = idx;
        let end = sec.start;
        for (let j = 0; j < items.length; j++, idx++) {
          const k = kinds[idx]!;
          const size = k === K_LABEL || k === K_EQU ? 0 : sizes[idx]!;
          end = addrs[idx]! + size;
        }
        const out = new Uint8Array(end - sec.start);
        for (let i = first; i < idx; i++) {
          const from = off[i]!;
          if (from >= 0) {
            // Instructions are a few bytes: a loop beats the call into TypedArray.set.
            const len = sizes[i]!;
            let o = addrs[i]! - sec.start;
            for (let q = from; q < from + len; q++) out[o++] = arena[q]!;
            continue;
          }
          if (kinds[i] === K_ENCODED) {
            // Statements encoded one after another while they were read sit one after another in
            // their buffer too: the run of them (labels between add no bytes) is copied at once.
            const it = flat[i] as { bytes: Uint8Array; bytesAt: number };
            const from = it.bytesAt, bytes = it.bytes, at = addrs[i]!;
            let len = sizes[i]!;
            for (let k = i + 1; k < idx; k++) {
              const kind = kinds[k]!;
              if (kind === K_LABEL) continue;
              if (kind !== K_ENCODED) break;
              const next = flat[k] as { bytes: Uint8Array; bytesAt: number };
              if (next.bytes !== bytes || next.bytesAt !== from + len || addrs[k] !== at + len) break;
              len += sizes[k]!;
              i = k;
            }
            // A run of a few instructions copies faster by hand than through a subarray view.
            let o = at - sec.start;
            if (len <= 64) for (let q = from, end = from + len; q < end; q++) out[o++] = bytes[q]!;
            else out.set(bytes.subarray(from, from + len), o);
            continue;
          }
          const b = kept[i] ?? fresh![i];
          if (b === undefined) continue;
          const len = b.length;
          let o = addrs[i]! - sec.start;
          if (len <= 16) for (let q = 0; q < len; q++) out[o++] = b[q]!;
          else out.set(b, o);
        }
        outputs.push({ name: sec.name, start: sec.start, bytes: out });
      }
      break;
    }
  }

  // The symbol table (a BigInt per label) and where each statement went: made when first asked
  // for (assemble() and the builder's assemble() ask for neither).
  let symbols: Map<string, bigint> | undefined;
  let placed: Placed[] | undefined;
  return {
    sections: outputs,
    get symbols(): Map<string, bigint> {
      if (symbols) return symbols;
      symbols = new Map();
      for (const [k, r] of labels) symbols.set(k, BigInt(r.lowBits ? r.addr | r.lowBits : r.addr)); // (| would cut 64-bit addresses to 32 bits)
      for (const [k, v] of equs) symbols.set(k, v);
      return symbols;
    },
    get placed(): Placed[] {
      if (placed) return placed;
      placed = new Array(total);
      let i = 0;
      for (let si = 0; si < sectionEnds.length; si++) {
        for (; i < sectionEnds[si]!; i++) {
          const k = kinds[i]!;
          placed[i] = { item: flat[i]!, section: si, address: addrs[i]!, size: k === K_LABEL || k === K_EQU ? 0 : sizes[i]! };
        }
      }
      return placed;
    },
  };
}

const EMPTY = new Uint8Array(0);

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Checks that `v` fits in `bits` bits, read as signed or unsigned (as nasm accepts both for data). */
export function fitsBits(v: bigint, bits: number): boolean {
  return v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits);
}

export function writeInt(out: Uint8Array, offset: number, v: bigint, width: number, endian: 'little' | 'big'): void {
  let x = BigInt.asUintN(width * 8, v);
  for (let i = 0; i < width; i++) {
    const b = Number(x & 0xffn);
    out[endian === 'little' ? offset + i : offset + width - 1 - i] = b;
    x >>= 8n;
  }
}

function encodeData(it: Item & { kind: 'data' }, value: (e: Expr) => bigint | undefined, final: boolean, endian: 'little' | 'big'): Uint8Array {
  const parts: Uint8Array[] = [];
  const w = it.width;
  for (const v of it.values) {
    if (v instanceof Uint8Array) {
      const padded = new Uint8Array(Math.ceil(v.length / w) * w);
      padded.set(v);
      parts.push(padded);
      continue;
    }
    const out = new Uint8Array(w);
    const x = value(v);
    if (x !== undefined) {
      if (!fitsBits(x, w * 8)) {
        throw new AsmError({ loc: it.loc, message: `value ${x} does not fit in ${w} byte${w > 1 ? 's' : ''}` });
      }
      writeInt(out, 0, x, w, endian);
    } else if (final) {
      throw new AsmError({ loc: it.loc, message: 'value is not known' });
    }
    parts.push(out);
  }
  return concat(parts);
}
