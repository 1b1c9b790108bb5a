import type { ArchName, Backend } from '../core/backend.js';
import type { Item, Section } from '../core/assembler.js';
import { AsmError, noLoc } from '../core/errors.js';
import { num } from '../core/expr.js';
import { parseSource, withSourceLines } from '../core/frontend.js';
import { initialisedInNobits, initialisedWhat, isModeMarker } from '../core/sections.js';
import { atUserPlaces, preprocessSource, type PreprocessOptions } from '../core/preprocessing.js';
import { backendFor, type BackendOptions } from '../arch/backends.js';

/**
 * A program as the ELF layout planner sees it: instructions that run in order (the planner may
 * cut between any two and join the pieces with jumps) and blocks of data it may put anywhere.
 */
export interface Program {
  readonly arch: ArchName;
  readonly backend: Backend;
  /** Instructions and their labels, in the order they run. */
  readonly code: Item[];
  /** Blocks of data, each kept whole; a block starts at a label of a data section. */
  readonly data: DataBlock[];
  /** Label of the first instruction to run; undefined: the first instruction. */
  readonly entry?: string;
  readonly name?: string;
}

export interface DataBlock {
  label: string;
  items: Item[];
  /** The program writes to it (a `write` section: .data, .bss): its memory must be writable. */
  writable?: boolean;
  /** No file bytes (.bss): the loader gives zero-filled memory after the file. */
  nobits?: boolean;
  /** The block starts at a multiple of this (the section's `align=`; .bss: 16, memory being free). */
  align?: number;
}

/** Where a nobits block starts, at least, when its section names no alignment: a .bss costs no file bytes. */
const NOBITS_ALIGN = 16;

/** A program that can be built for any architecture (the built-ins: `sleepForever`, `hello()`, `exit()`). */
export interface ProgramFamily {
  readonly name: string;
  build(arch: ArchName, options?: BackendOptions): Program;
  /**
   * Optional: programs that do the same as `build`'s but suit other layouts (an x86-64 file based
   * above 4 GiB needs RIP-relative addresses). emitElf lays out each and keeps the smallest file;
   * one that fails to build or lay out is passed over.
   */
  alternatives?(arch: ArchName, options?: BackendOptions): Program[];
}

export type ProgramLike = Program | ProgramFamily;

export function isProgramFamily(p: ProgramLike): p is ProgramFamily {
  return typeof (p as ProgramFamily).build === 'function';
}

export function resolveProgram(p: ProgramLike, arch: ArchName, options?: BackendOptions): Program {
  if (isProgramFamily(p)) return p.build(arch, options);
  if (p.arch !== arch) throw new Error(`the program is for ${p.arch}, not ${arch}`);
  return p;
}

export interface SourceProgramOptions extends BackendOptions, PreprocessOptions {
  arch: ArchName;
  file?: string;
  name?: string;
  /** Values that replace the source's `NAME equ …` definitions (e.g. `{ status: 3 }`). */
  defines?: Record<string, number | bigint>;
  /** Bytes that replace the text (string data) of a data block (e.g. `{ message: utf8('hi\n') }`). */
  data?: Record<string, Uint8Array>;
}

/**
 * Reads a program from assembly text. Executable sections (`.text`, or no section at all) are
 * code, in running order; every other section (`.data`, `.rodata`, …) is data, each section one
 * block the planner places whole (see wholeSection); a nobits
 * section (`.bss`) is one block, memory the loader zero-fills. The entry is `_start` if the
 * source defines it, else the first instruction.
 */
export function programFromSource(text: string, options: SourceProgramOptions): Program {
  const backend = backendFor(options.arch, options);
  const file = options.file ?? '<input>';
  const source = preprocessSource(backend, text, file, options);
  const parsed = atUserPlaces(source, () => parseSource(source.text, backend, { file }));
  // (Later errors, the listing and inspect then name the user's lines.)
  source.map?.relocate(parsed.sections);
  const code: Item[] = [];
  const data: DataBlock[] = [];
  for (const section of parsed.sections) {
    if (isCode(section)) code.push(...section.items);
    else data.push(...sectionBlocks(section));
  }
  const defines = new Map(Object.entries(options.defines ?? {}));
  const overrides = new Map(Object.entries(options.data ?? {}));
  const substituted = (items: Item[]): Item[] =>
    items.map((it) => {
      if (it.kind === 'equ' && defines.has(it.name)) {
        const v = BigInt(defines.get(it.name)!);
        defines.delete(it.name);
        return { ...it, value: num(v) };
      }
      return it;
    });
  const program: Program = {
    arch: options.arch,
    backend,
    code: substituted(code),
    data: data.map((b) => {
      // (The label may be inside a block that holds more than it: a section is one block.)
      const label = b.items.find((it): it is Item & { kind: 'label' } => it.kind === 'label' && overrides.has(it.name));
      const bytes = label && overrides.get(label.name);
      if (label) overrides.delete(label.name);
      const items = substituted(b.items);
      if (!label || !bytes) return { ...b, items };
      // The label's text (its first string data) becomes the new bytes; numbers (a length word)
      // and definitions (`len equ $ - message`) stay where they are.
      const isText = (i: Item): boolean => i.kind === 'data' && i.width === 1 && i.values.some((v) => v instanceof Uint8Array);
      const from = b.items.indexOf(label);
      let until = b.items.findIndex((it, k) => k > from && it.kind === 'label' && !it.name.includes('.'));
      if (until < 0) until = b.items.length;
      const ofLabel = (k: number): boolean => k > from && k < until;
      const first = items.findIndex((it, k) => ofLabel(k) && isText(it));
      if (first < 0) throw new AsmError({ loc: label.loc, message: `data label '${label.name}' has no text to replace` });
      const replaced = items.flatMap((i, k) => (k === first ? [{ ...i, values: [bytes] } as Item] : ofLabel(k) && isText(i) ? [] : [i]));
      return { ...b, items: replaced };
    }),
    entry: hasLabel(code, '_start') ? '_start' : undefined,
    name: options.name,
  };
  for (const name of defines.keys()) throw new AsmError({ loc: { ...noLoc, file }, message: `no '${name} equ …' in the source to set` });
  for (const name of overrides.keys()) throw new AsmError({ loc: { ...noLoc, file }, message: `no data label '${name}' in the source to fill` });
  if (!program.code.some((i) => i.kind === 'insn')) {
    throw withSourceLines(new AsmError({ loc: { file, line: 1, column: 1 }, message: 'the program has no instructions (expected code in .text)' }), text.split('\n'));
  }
  return program;
}

export interface ItemsProgramOptions extends BackendOptions {
  arch: ArchName;
  /** Instructions and their labels, in the order they run (e.g. a builder's `items()`). */
  code: Item[];
  /**
   * Data the planner may place anywhere: items kept whole, in order (as a data section of the
   * text syntax is; read-only), or blocks the planner may place apart (a block the program writes to says
   * `writable: true`; zero-filled memory that needs no file bytes, `nobits: true`).
   */
  data?: Item[] | DataBlock[];
  /** Label of the first instruction to run; default `_start` if the code binds it, else the first instruction. */
  entry?: string;
  name?: string;
}

/**
 * A program from items the builder APIs make (`x86.X86Builder`, `arm.ArmBuilder`, …):
 *
 *   const a = new x86.X86Builder('x86_64');  a.mov(x86.edi, 0); a.mov(x86.eax, 60); a.syscall();
 *   emitElf({ arch: 'x86_64', program: programFromItems({ arch: 'x86_64', code: a.items() }) });
 */
export function programFromItems(options: ItemsProgramOptions): Program {
  const backend = backendFor(options.arch, options);
  const loc = { ...noLoc, file: options.name ?? '<builder>' };
  const raw = options.data ?? [];
  const data: DataBlock[] = raw.length > 0 && isBlock(raw[0]!) ? (raw as DataBlock[]).map((b) => ({ ...b, items: [...b.items] })) : wholeSection(raw as Item[], '.data');
  // A nobits block's bytes would not be in the file: its statements may only reserve.
  for (const b of data) {
    if (!b.nobits) continue;
    const bad = b.items.find((it) => initialisedWhat(it) !== undefined);
    if (bad) throw initialisedInNobits(bad.loc, b.label, initialisedWhat(bad)!);
  }
  if (!options.code.some((i) => i.kind === 'insn')) throw new AsmError({ loc, message: 'the program has no instructions (expected code)' });
  const entry = options.entry ?? (hasLabel(options.code, '_start') ? '_start' : undefined);
  if (entry !== undefined && !hasLabel(options.code, entry)) throw new AsmError({ loc, message: `the entry label '${entry}' is not bound in the code` });
  return { arch: options.arch, backend, code: [...options.code], data, entry, name: options.name };
}


function isBlock(x: Item | DataBlock): x is DataBlock {
  return Array.isArray((x as DataBlock).items) && typeof (x as DataBlock).label === 'string';
}

function hasLabel(items: Item[], name: string): boolean {
  return items.some((i) => i.kind === 'label' && i.name === name);
}

/** Code runs in order; `.text*` and `.init` without attributes (a builder's sections). */
function isCode(section: Section): boolean {
  return section.attrs ? section.attrs.exec : section.name.startsWith('.text') || section.name === '.init';
}

/** A data section's blocks, with what the section says of its memory. */
function sectionBlocks(section: Section): DataBlock[] {
  const attrs = section.attrs;
  const write = attrs?.write ?? false;
  if (attrs?.nobits) {
    if (!section.items.some((it) => it.kind !== 'label' && it.kind !== 'equ')) return [];
    const label = section.items.find((it) => it.kind === 'label')?.name ?? `${section.name}@start`;
    return [{ label, items: section.items, writable: write, nobits: true, align: Math.max(attrs.align ?? 1, NOBITS_ALIGN) }];
  }
  const blocks = wholeSection(section.items, section.name);
  return blocks.map((b) => ({ ...b, ...(write ? { writable: true } : {}), ...(attrs?.align ? { align: attrs.align } : {}) }));
}

/** Cuts a data section into blocks at its non-local labels; items before the first label form their own block. */
/**
 * A data section as one block, its statements in source order: code may walk from one label's
 * data into the next (`[table+8]`, a loop over two labelled rows) as it does after `nasm && ld`, so
 * a section is never cut. Data the planner may place apart goes in sections of its own
 * (`.rodata.message`), as in the built-in programs.
 */
function wholeSection(items: Item[], section: string): DataBlock[] {
  const blocks = cutBlocks(items, section);
  if (blocks.length <= 1) return blocks;
  return [{ ...blocks[0]!, items: blocks.flatMap((b) => b.items) }];
}

function cutBlocks(items: Item[], section: string): DataBlock[] {
  const blocks: DataBlock[] = [];
  let current: DataBlock | undefined;
  for (const it of items) {
    if (it.kind === 'label' && !it.name.includes('.')) {
      // Alignment written just before a label belongs to that label's block (`.balign 4` / `msg:`).
      const carried: Item[] = [];
      while (current && current.items.length && current.items[current.items.length - 1]!.kind === 'align') carried.unshift(current.items.pop()!);
      // So does the zero-size mode marker ARM puts at a section's start: no block of its own.
      if (current && current.label === `${section}@start` && current.items.every(isModeMarker)) {
        carried.unshift(...current.items);
        blocks.pop();
      }
      current = { label: it.name, items: [...carried, it] };
      blocks.push(current);
      continue;
    }
    if (!current) {
      current = { label: `${section}@start`, items: [] };
      blocks.push(current);
    }
    current.items.push(it);
  }
  return attachEndLabels(blocks.filter((b) => b.items.length > 0));
}

/**
 * A block of nothing but labels (`table_end:` after a table, `buf_end:`) marks where the block
 * before it ends: it stays there, so `cmp rsi, table_end` bounds a loop over the table wherever
 * the table goes. (Placed apart, it would be an address anywhere, and loops would run off.)
 */
function attachEndLabels(blocks: DataBlock[]): DataBlock[] {
  const out: DataBlock[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && b.items.every((it) => it.kind === 'label' || it.kind === 'equ' || it.kind === 'align' || isModeMarker(it))) last.items.push(...b.items);
    else out.push(b);
  }
  return out;
}


