import { AsmError, type Diagnostic, type SourceLoc } from './errors.js';
import { evaluate, type EvalEnv, type Expr } from './expr.js';
import type { Backend, EncodeContext } from './backend.js';

/**
 * One statement of a section. The front ends (text and builder) only produce these; the core
 * lays them out, resolves symbols and relaxes instruction sizes.
 */
export type Item =
  /** `lowBits` is ORed into the label's value, not its address (ARM: bit 0 marks a Thumb function). */
  | { kind: 'label'; name: string; loc: SourceLoc; lowBits?: number }
  /** `name equ expr`: positional, because `$` in the expression is the address where it stands. */
  | { kind: 'equ'; name: string; value: Expr; loc: SourceLoc }
  /** `mnemonic` (lower case) lets the layout planner see where control flow ends (jmp, ret). */
  | { kind: 'insn'; insn: unknown; loc: SourceLoc; mnemonic?: string }
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

interface ItemState {
  /** Current size of an instruction (grows only). */
  size: number;
}

/**
 * Lays out sections and resolves every expression. Instruction sizes start at their shortest form
 * and only grow until nothing changes (the monotone scheme of Go's span6), so relaxation ends.
 */
export function assembleSections(sections: Section[], backend: Backend, state?: unknown): Assembled {
  const endian = backend.endian;
  const labels = new Map<string, number>();
  const labelBits = new Map<string, number>();
  const equs = new Map<string, bigint>();
  const equItems = new Map<string, Item & { kind: 'equ' }>();
  const diagnostics: Diagnostic[] = [];

  // Definitions are known up front so an undefined symbol is reported, not waited for.
  for (const s of sections)
    for (const it of s.items) {
      if (it.kind === 'label' || it.kind === 'equ') {
        if (labels.has(it.name) || equItems.has(it.name)) {
          diagnostics.push({ loc: it.loc, message: `symbol '${it.name}' is defined more than once` });
        }
        if (it.kind === 'label') {
          labels.set(it.name, NaN);
          if (it.lowBits) labelBits.set(it.name, it.lowBits);
        } else equItems.set(it.name, it);
      }
    }
  if (diagnostics.length) throw new AsmError(diagnostics);

  const itemStates = new Map<Item, ItemState>();
  let final = false;
  let here = 0;
  let start = 0;

  const env: EvalEnv = {
    get here() {
      return here;
    },
    get start() {
      return start;
    },
    lookup(name: string, loc: SourceLoc): bigint | undefined {
      const a = labels.get(name);
      if (a !== undefined) {
        if (Number.isNaN(a)) {
          if (final) throw new AsmError({ loc, message: `internal: label '${name}' has no address in the last pass` });
          return undefined;
        }
        return BigInt(a | (labelBits.get(name) ?? 0));
      }
      if (equItems.has(name)) {
        const v = equs.get(name);
        if (v === undefined && final) throw new AsmError({ loc, message: `symbol '${name}' cannot be resolved (circular definition?)` });
        return v;
      }
      throw new AsmError({ loc, message: `undefined symbol '${name}'` });
    },
  };

  const value = (e: Expr): bigint | undefined => evaluate(e, env);

  let outputs: { name: string; start: number; bytes: Uint8Array }[] = [];
  let placed: Placed[] = [];
  let changed = true;

  for (let pass = 0; ; pass++) {
    if (pass > MAX_PASSES) {
      throw new AsmError({ loc: sections[0]?.items[0]?.loc ?? { file: '', line: 0, column: 0 }, message: 'internal: layout did not settle (sizes kept changing)' });
    }
    final = !changed;
    changed = false;
    placed = [];
    outputs = [];
    const passDiagnostics: Diagnostic[] = [];

    sections.forEach((section, si) => {
      start = section.start;
      here = start;
      const chunks: Uint8Array[] = [];

      const emitItem = (it: Item): void => {
        const at = here;
        let bytes: Uint8Array;
        try {
          bytes = encodeItem(it);
        } catch (err) {
          if (!(err instanceof AsmError)) throw err;
          if (final) passDiagnostics.push(...err.diagnostics);
          bytes = new Uint8Array(itemStates.get(it)?.size ?? 0);
        }
        chunks.push(bytes);
        placed.push({ item: it, section: si, address: at, size: bytes.length });
        here += bytes.length;
      };

      const encodeItem = (it: Item): Uint8Array => {
        switch (it.kind) {
          case 'label': {
            if (labels.get(it.name) !== here) {
              if (final) throw new AsmError({ loc: it.loc, message: `internal: label '${it.name}' moved in the last pass` });
              changed = true;
              labels.set(it.name, here);
            }
            return EMPTY;
          }
          case 'equ': {
            const v = value(it.value);
            if (v !== equs.get(it.name)) {
              if (v !== undefined) equs.set(it.name, v);
              else equs.delete(it.name);
              changed = true;
            }
            return EMPTY;
          }
          case 'insn': {
            let st = itemStates.get(it);
            if (!st) itemStates.set(it, (st = { size: 0 }));
            const ctx: EncodeContext = { address: here, final, atLeast: st.size, loc: it.loc, value };
            const bytes = backend.encode(it.insn, ctx);
            if (bytes.length < st.size) {
              throw new AsmError({ loc: it.loc, message: `internal: encoder shrank an instruction from ${st.size} to ${bytes.length} bytes` });
            }
            if (bytes.length !== st.size) {
              if (final) throw new AsmError({ loc: it.loc, message: 'internal: instruction size changed in the last pass' });
              st.size = bytes.length;
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
            if (n > 1n << 28n) throw new AsmError({ loc: it.loc, message: `fill count ${n} is too large` });
            return new Uint8Array(Number(n)).fill(it.byte);
          }
          case 'align': {
            const to = value(it.to);
            if (to === undefined) throw new AsmError({ loc: it.loc, message: 'align needs a value known at this point' });
            if (to <= 0n || (to & (to - 1n)) !== 0n) throw new AsmError({ loc: it.loc, message: `align needs a power of two, not ${to}` });
            const t = Number(to);
            const pad = (t - ((here - start) % t)) % t;
            return it.fill === undefined ? backend.codeFill(pad, here, state) : new Uint8Array(pad).fill(it.fill);
          }
          case 'times': {
            const n = value(it.count);
            if (n === undefined) {
              if (final) throw new AsmError({ loc: it.loc, message: 'times count is not known' });
              return EMPTY;
            }
            if (n < 0n) throw new AsmError({ loc: it.loc, message: `times count is negative (${n})` });
            if (n > 1n << 24n) throw new AsmError({ loc: it.loc, message: `times count ${n} is too large` });
            const parts: Uint8Array[] = [];
            const base = here;
            for (let i = 0; i < Number(n); i++) {
              const b = encodeItem(it.item);
              parts.push(b);
              here += b.length;
            }
            here = base;
            return concat(parts);
          }
        }
      };

      for (const it of section.items) emitItem(it);
      outputs.push({ name: section.name, start: section.start, bytes: concat(chunks) });
    });

    if (final) {
      if (passDiagnostics.length) throw new AsmError(passDiagnostics);
      break;
    }
  }

  const symbols = new Map<string, bigint>();
  for (const [k, v] of labels) symbols.set(k, BigInt(v | (labelBits.get(k) ?? 0)));
  for (const [k, v] of equs) symbols.set(k, v);
  return { sections: outputs, symbols, placed };
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
