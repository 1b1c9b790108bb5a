/**
 * emitElf: program → the smallest executable the chosen loader runs.
 *
 *   1. assemble the program once in order, to learn each instruction's and data block's size;
 *   2. for every header template of the loader profile (each place the program header may start),
 *      pack code and data into the template's free bytes and the tail (pack.ts);
 *   3. assemble again with every run and data block at its planned address, runs joined by jumps;
 *      if an item came out longer than planned (a branch that now spans more, an `align` that
 *      landed elsewhere), re-pack with the new sizes — sizes only grow, so this ends;
 *   4. lay the sections over the header, checking that no byte gets two different values, write
 *      the entry and the segment size, and check the whole file against the profile.
 * A program that writes to memory (a `write` section: .data, .bss; or its code, with
 * `writableText`) gets a writable segment (PF_W, so code and data are both writable); .bss blocks
 * are memory after the file's end, which p_memsz covers and the loader zero-fills.
 * The smallest file wins; ties go to the earlier program-header offset, so output is deterministic.
 */
import type { ArchName, Backend } from '../core/backend.js';
import { assembleSections, type Item, type Placed, type Section } from '../core/assembler.js';
import { AsmError } from '../core/errors.js';
import { evaluate } from '../core/expr.js';
import { parseSource } from '../core/frontend.js';
import { isProgramFamily, resolveProgram, type Program, type ProgramLike } from '../programs/program.js';
import { backendFor, type BackendOptions } from '../arch/backends.js';
import { ehdrSize, writeField, PF_R, PF_W, PF_X } from './fields.js';
import { minimalElf } from './minimal.js';
import { machine } from './machines.js';
import { pack, type CodeUnit, type Hole, type Packing } from './pack.js';
import { profile, type Profile, type ProfileName } from './profiles.js';
import { headerTemplates, verifyHeader, type HeaderTemplate } from './template.js';

export type LoaderProfileName = ProfileName | 'strict';
export const LOADER_PROFILES: readonly LoaderProfileName[] = ['portable', 'linux', 'qemu', 'strict'];

export interface EmitOptions extends BackendOptions {
  arch: ArchName;
  program: ProgramLike;
  /** Which loaders the file must satisfy; default 'portable' (the kernel and qemu-user). */
  loader?: LoaderProfileName;
  /** Virtual address of the file's first byte (page aligned); default the machine's. */
  base?: number | bigint;
  /**
   * Code may be written to at run time (self-modifying code, as `ld -N` links it): the segment
   * is writable. Without it, code is writable only when the program has writable data, which
   * shares its one segment.
   */
  writableText?: boolean;
}

/** Where everything went: what `tinyelf inspect` shows. */
export interface ElfLayout {
  bytes: Uint8Array;
  arch: ArchName;
  loader: LoaderProfileName;
  base: bigint;
  entry: bigint;
  phoff: number;
  /** Header region size (ELF header ∪ program header). */
  headerSize: number;
  /** Each instruction, label and data item with its address and size. */
  placed: Placed[];
  /** File ranges of code runs and data blocks; for .bss blocks the same offsets past the file's end. */
  pieces: { kind: 'code' | 'data' | 'bss'; start: number; end: number; name: string }[];
  /** The segment's p_flags (PF_R | PF_X, with PF_W when the program writes to memory). */
  flags: number;
  /** The segment's memory size past the file, zero-filled by the loader (.bss); 0: none. */
  bssSize: number;
}

const JUMP: Record<ArchName, string> = { i386: 'jmp', x86_64: 'jmp', arm: 'b', aarch64: 'b' };
/** Mnemonics after which control never falls through (so a run may end there with no jump). */
const ENDS_FLOW: Record<ArchName, ReadonlySet<string>> = {
  i386: new Set(['jmp', 'ret', 'retn', 'retf', 'iret', 'iretd', 'hlt', 'ud2']),
  x86_64: new Set(['jmp', 'ret', 'retn', 'retf', 'iretq', 'hlt', 'ud2']),
  arm: new Set(['b', 'bal', 'bx']),
  aarch64: new Set(['b', 'br', 'ret']),
};
const MAX_REPLANS = 12;

export function emitElf(opts: EmitOptions): Uint8Array {
  return layoutElf(opts).bytes;
}

export function layoutElf(opts: EmitOptions): ElfLayout {
  const loader = opts.loader ?? 'portable';
  if (!LOADER_PROFILES.includes(loader)) throw new Error(`unknown loader profile '${loader}' (expected ${LOADER_PROFILES.join(', ')})`);
  // Equivalent programs (a family's alternatives): the smallest file wins, ties to the first. The
  // first is the program itself, whose errors are the user's; an alternative that cannot be laid
  // out (a switch that does not suit every message, say) just does not compete.
  let best = layoutProgram(resolveProgram(opts.program, opts.arch, opts), opts, loader);
  for (const program of alternativesOf(opts.program, opts)) {
    let layout: ElfLayout;
    try {
      layout = layoutProgram(program, opts, loader);
    } catch {
      continue;
    }
    if (layout.bytes.length < best.bytes.length) best = layout;
  }
  return best;
}

function alternativesOf(p: ProgramLike, opts: EmitOptions): Program[] {
  if (!isProgramFamily(p) || !p.alternatives) return [];
  try {
    return p.alternatives(opts.arch, opts);
  } catch {
    return []; // (the program itself built: its alternatives are only a chance of a smaller file)
  }
}

function layoutProgram(program: Program, opts: EmitOptions, loader: LoaderProfileName): ElfLayout {
  const m = machine(opts.arch);
  const base = opts.base === undefined ? undefined : BigInt(opts.base);
  if (base !== undefined && base % BigInt(m.maxPageSize) !== 0n) {
    throw new Error(`base 0x${base.toString(16)} is not a multiple of the page size 0x${m.maxPageSize.toString(16)}`);
  }
  const p = profile(opts.arch, loader === 'strict' ? 'portable' : loader);
  const writable = needsWritableMemory(program, opts.writableText === true);
  const templates = loader === 'strict' ? [strictTemplate(opts.arch, base ?? BigInt(m.defaultBase), writable)] : headerTemplates(p, { base, writable });
  const codeAlign = codeAlignment(program);

  let best: ElfLayout | undefined;
  let lastError: unknown;
  // An AsmError that survives every fallback (see layoutWithFallbacks) is the program's own.
  for (const t of templates) {
    // Templates go in order and ties keep the earlier, so one that cannot beat the best is skipped.
    if (best && loader !== 'strict' && shortestFileFrom(p, t) >= best.bytes.length) continue;
    let result: ElfLayout;
    try {
      result = layoutWithFallbacks(program, t, loader, codeAlign);
    } catch (err) {
      // The program itself is wrong: no layout will help. Unless the header chose the base (a
      // pinned entry point): then an address may just not fit this base.
      if (err instanceof AsmError && t.entryOffset === undefined) throw err;
      lastError = err;
      continue;
    }
    if (loader !== 'strict') {
      const problems = verifyHeader(p, result.bytes);
      if (problems.length) {
        lastError = new Error(`internal: layout at phoff ${t.phoff} breaks the ${loader} profile: ${problems.join('; ')}`);
        continue;
      }
      result = trimZeroTail(p, result);
    }
    if (!best || result.bytes.length < best.bytes.length) best = result;
  }
  if (!best) throw lastError instanceof Error ? lastError : new Error('internal: no header layout fits');
  return best;
}

/**
 * No file made from `t` is shorter than this: its pinned non-zero header bytes stay (only a zero
 * tail is ever trimmed), and a loader that reads the program header from the file needs all of it.
 */
function shortestFileFrom(p: Profile, t: HeaderTemplate): number {
  let n = p.phdrZeroPadLimit === 0 ? t.phoff + p.phdrSize : 0;
  for (let o = t.size - 1; o >= n; o--) {
    if (t.fixed[o] && t.bytes[o] !== 0) {
      n = o + 1;
      break;
    }
  }
  return n;
}

/**
 * Both loaders read header bytes past the end of the file as zero, so trailing zero bytes that
 * belong to no code or data can go, as long as the profile still accepts the shorter file (the
 * kernel, for one, wants the program headers inside the file).
 */
function trimZeroTail(p: Profile, layout: ElfLayout): ElfLayout {
  if (!p.ehdrPastEofIsZero) return layout;
  const contentEnd = layout.pieces.reduce((n, piece) => (piece.kind === 'bss' ? n : Math.max(n, piece.end)), 0);
  let end = layout.bytes.length;
  while (end > contentEnd && layout.bytes[end - 1] === 0) end--;
  for (; end < layout.bytes.length; end++) {
    const shorter = layout.bytes.slice(0, end);
    if (verifyHeader(p, shorter).length === 0) return { ...layout, bytes: shorter };
  }
  return layout;
}

/** True when the program writes to memory: writable data, any .bss, or code when asked. */
function needsWritableMemory(program: Program, writableText: boolean): boolean {
  return writableText || program.data.some((b) => b.writable === true || b.nobits === true);
}

function codeAlignment(program: Program): number {
  if (program.arch === 'aarch64') return 4;
  if (program.arch === 'arm') return program.code.every((it) => it.kind !== 'insn' || isThumb(it)) ? 2 : 4;
  return 1;
}

/** ARM instructions carry their state; a jump joining two Thumb runs must be a Thumb branch. */
function isThumb(it: Item): boolean {
  return it.kind === 'insn' && (it.insn as { thumb?: boolean } | undefined)?.thumb === true; // (pre-encoded x86 items have no insn)
}

/** Instructions grouped with the labels and definitions in front of them. */
interface Unit {
  items: Item[];
  fallsThrough: boolean;
}

function unitsOf(program: Program): Unit[] {
  const units: Unit[] = [];
  let pending: Item[] = [];
  const ends = ENDS_FLOW[program.arch];
  for (const it of program.code) {
    pending.push(it);
    if (it.kind !== 'label' && it.kind !== 'equ') {
      const mn = it.kind === 'insn' ? it.mnemonic : undefined;
      units.push({ items: pending, fallsThrough: !(mn !== undefined && ends.has(mn)) });
      pending = [];
    }
  }
  if (pending.length) {
    if (units.length) units[units.length - 1]!.items.push(...pending);
    else units.push({ items: pending, fallsThrough: true });
  }
  return units;
}

function makeJump(backend: Backend, arch: ArchName, target: string, after?: Item): Item {
  const b = arch === 'arm' && after && isThumb(after) ? backendFor('arm', { thumb: true }) : backend;
  const parsed = parseSource(`${JUMP[arch]} ${target}`, b, { file: '<planner>' });
  // (ARM's parser also emits zero-size mode markers; take the branch itself.)
  const insn = parsed.sections[0]!.items.find((i) => i.kind === 'insn' && i.mnemonic === JUMP[arch]);
  if (!insn) throw new Error(`internal: cannot make a ${JUMP[arch]} for ${arch}`);
  return insn;
}

/**
 * Where the code must start when the header pins the entry point (t.entryOffset): at the first
 * free byte after it, with the program's entry as its first instruction, so that the pinned
 * bytes in between run in front of it. Throws (the template is unusable) when the program does
 * not start at its entry or the architecture does not vouch for those bytes.
 */
function pinnedEntryStart(program: Program, units: Unit[], t: HeaderTemplate, firstInsn: Uint8Array): number | undefined {
  if (t.entryOffset === undefined) return undefined;
  const harmless = program.backend.leadingBytesHarmless!; // (layoutWith checked it is there)
  let start = t.entryOffset;
  while (start < t.size && !t.free[start]) start++;
  if (start >= t.size) throw new Error('no free byte after the pinned entry point');
  if (!harmless(t.bytes.subarray(t.entryOffset, start), firstInsn)) {
    throw new Error(`the header bytes before the pinned entry point would change the program's first instruction`);
  }
  if (program.entry !== undefined && !units[0]?.items.some((it) => it.kind === 'label' && it.name === program.entry)) {
    throw new Error(`the pinned entry point needs '${program.entry}' to be the first instruction`);
  }
  return start;
}

/** A packed layout that put a reference out of an instruction's range. */
class LayoutReachError extends Error {}

/**
 * Holes for everything; if that puts a reference out of reach (a Thumb `adr` only reaches
 * forwards), data after the code (in order, so forward of it) with code still in holes; if even
 * that fails, everything in order after the header, which is how the program first assembled.
 */
function layoutWithFallbacks(program: Program, t: HeaderTemplate, loader: LoaderProfileName, codeAlign: number): ElfLayout {
  const modes: HoleUse[] = ['all', 'code', 'none'];
  for (const mode of modes) {
    try {
      return layoutWith(program, t, loader, codeAlign, mode);
    } catch (err) {
      if (!(err instanceof LayoutReachError) || mode === 'none') throw err;
    }
  }
  throw new Error('unreachable');
}

/** Which pieces may go into header holes. */
type HoleUse = 'all' | 'code' | 'none';

function layoutWith(program: Program, t: HeaderTemplate, loader: LoaderProfileName, codeAlign: number, holeUse: HoleUse): ElfLayout {
  const { backend, arch } = program;
  const units = unitsOf(program);
  const runLabel = (i: number): string => `__tinyelf_run${i}`;

  if (t.entryOffset !== undefined && !backend.leadingBytesHarmless) throw new Error(`${arch} cannot run header bytes in front of its code`);

  // Sizes from an in-order assembly; replaced by what the real layout produced if it differs.
  const sizeOf = new Map<Item, number>();
  let trialSymbols = new Map<string, bigint>();
  let firstBytes: Uint8Array = new Uint8Array(0);
  {
    const trial = assembleSections(
      [{ name: '.text', start: Number(t.base) + Math.ceil(t.size / codeAlign) * codeAlign, items: [...program.code, ...program.data.flatMap((d) => d.items)] }],
      backend,
    );
    for (const pl of trial.placed) sizeOf.set(pl.item, pl.size);
    trialSymbols = trial.symbols;
    if (t.entryOffset !== undefined) {
      // Reject a pinned entry early, from the in-order bytes (compose checks the final ones again).
      const first = trial.placed.find((pl) => pl.item.kind === 'insn' && pl.size > 0);
      const sec = trial.sections[0]!;
      if (first) firstBytes = sec.bytes.subarray(first.address - sec.start, first.address - sec.start + first.size);
    }
  }
  const unitSize = (u: Unit): number => u.items.reduce((n, it) => n + (sizeOf.get(it) ?? 0), 0);
  const blockSize = (items: Item[]): number => items.reduce((n, it) => n + (sizeOf.get(it) ?? 0), 0);
  // File blocks are packed into holes and the tail; nobits blocks (.bss) follow the file in memory.
  const fileBlocks = program.data.filter((d) => !d.nobits);
  const bssBlocks = program.data.filter((d) => d.nobits);
  // Where a data block may start: at a multiple of the alignment it opens with (`.balign N` just
  // before its label, after any zero-size marker), else of what its loads may need (ARM word
  // loads and `adr` targets).
  const blockAlign = (items: Item[]): number => {
    for (const it of items) {
      if (it.kind === 'align') {
        const to = evaluate(it.to, { here: 0, start: 0, lookup: (name) => trialSymbols.get(name) });
        if (to !== undefined && to >= 1n && to <= 4096n) return Number(to);
        break;
      }
      if (it.kind !== 'label' && it.kind !== 'equ' && (it.kind !== 'insn' || sizeOf.get(it) !== 0)) break;
    }
    return arch === 'arm' ? 4 : codeAlign;
  };
  const alignOf = (d: Program['data'][number]): number => Math.max(blockAlign(d.items), d.align ?? 1);
  const firstInsn = program.code.find((it) => it.kind === 'insn');
  const jumpProbe = assembleSections([{ name: 'j', start: 0, items: [makeJump(backend, arch, 'x', firstInsn), { kind: 'label', name: 'x', loc: { file: '', line: 0, column: 0 } }] }], backend);
  const jumpSize = jumpProbe.sections[0]!.bytes.length;

  const entryAt = pinnedEntryStart(program, units, t, firstBytes);

  const holes: Hole[] = [];
  for (let o = 0; o < t.size && holeUse !== 'none'; o++) {
    if (!t.free[o]) continue;
    const last = holes[holes.length - 1];
    if (last && last.end === o) last.end = o + 1;
    else holes.push({ start: o, end: o + 1 });
  }

  for (let attempt = 0; attempt <= MAX_REPLANS; attempt++) {
    const code: CodeUnit[] = units.map((u) => ({ size: unitSize(u), fallsThrough: u.fallsThrough }));
    const data = fileBlocks.map((d) => ({ size: blockSize(d.items), align: alignOf(d) }));
    const packing = pack({ holes, headerEnd: t.size, code, codeAlign, data, jumpSize, dataInHoles: holeUse === 'all', ...(entryAt !== undefined ? { entryAt } : {}) });
    const bssAt = placeAfter(Math.max(packing.fileSize, t.size), bssBlocks.map((d) => ({ size: blockSize(d.items), align: alignOf(d) })));
    const placement: Placement = { packing, blocks: [...fileBlocks, ...bssBlocks], blockAt: [...packing.data, ...bssAt] };
    const sections = sectionsOf(program, units, placement, t, runLabel, (target, after) => makeJump(backend, arch, target, after));
    let out: ReturnType<typeof assembleSections>;
    try {
      out = assembleSections(sections, backend);
    } catch (err) {
      if (err instanceof AsmError && holeUse !== 'none') throw new LayoutReachError(err.message);
      throw err;
    }

    // Did an item come out longer than planned (a branch now further from its target, an `align`
    // whose padding depends on where it landed)? Then plan again with the real sizes. One that
    // came out shorter just leaves the rest of its slot unused: planning again with the smaller
    // size could move things back and make it long again, for ever. Sizes only grow, so this ends.
    let grew = false;
    for (const pl of out.placed) {
      const planned = sizeOf.get(pl.item);
      if (planned !== undefined && pl.size > planned) {
        sizeOf.set(pl.item, pl.size);
        grew = true;
      }
    }
    // Runs in closed holes must also still fit (the jump may have grown).
    const fits = packing.runs.every((r, i) => {
      const sec = out.sections[i]!;
      const hole = holes.find((h) => h.start <= r.start && r.start < h.end);
      return !hole || hole.end === t.size || r.start + sec.bytes.length <= hole.end;
    });
    if (grew || !fits) {
      if (!grew) throw new Error('internal: a run outgrew its hole without any item growing');
      continue;
    }
    return compose(program, t, loader, out, placement);
  }
  throw new Error('internal: layout did not settle');
}

/** Offsets of blocks laid one after another from `start`, each at a multiple of its alignment (.bss after the file). */
function placeAfter(start: number, blocks: { size: number; align: number }[]): number[] {
  let end = start;
  return blocks.map((b) => {
    const at = Math.ceil(end / b.align) * b.align;
    end = at + b.size;
    return at;
  });
}

/** The packing of code and file data, and where every data block went (file ones first, then .bss). */
interface Placement {
  packing: Packing;
  blocks: Program['data'];
  /** File offset of each of `blocks` (for .bss, the offset its memory would have). */
  blockAt: number[];
}

function sectionsOf(
  program: Program,
  units: Unit[],
  { packing, blocks, blockAt }: Placement,
  t: HeaderTemplate,
  runLabel: (i: number) => string,
  jump: (target: string, after: Item | undefined) => Item,
): Section[] {
  const base = Number(t.base);
  // The instruction a joining jump follows decides its kind (an ARM jump after Thumb code is a
  // Thumb branch): the run's last, or, for a run of nothing but padding, the last one before it
  // (before any, the program's first: the state it starts in).
  let lastInsn: Item | undefined = program.code.find((it) => it.kind === 'insn');
  const sections: Section[] = packing.runs.map((r, i) => {
    const items: Item[] = [{ kind: 'label', name: runLabel(i), loc: { file: '<planner>', line: 0, column: 0 } }];
    for (let u = r.first; u < r.end; u++) items.push(...units[u]!.items);
    lastInsn = [...items].reverse().find((it) => it.kind === 'insn') ?? lastInsn;
    if (r.jump) items.push(jump(runLabel(i + 1), lastInsn));
    return { name: `run${i}`, start: base + r.start, items };
  });
  blocks.forEach((d, i) => sections.push({ name: `${d.nobits ? 'bss' : 'data'}:${d.label}`, start: base + blockAt[i]!, items: d.items }));
  return sections;
}

function compose(program: Program, t: HeaderTemplate, loader: LoaderProfileName, out: ReturnType<typeof assembleSections>, placement: Placement): ElfLayout {
  const { packing, blocks, blockAt } = placement;
  const base = Number(t.base);
  // (.bss sections come last: their zeros are the loader's, not the file's)
  const fileSections = out.sections.slice(0, packing.runs.length + packing.data.length);
  let size = t.size;
  for (const s of fileSections) size = Math.max(size, s.start - base + s.bytes.length);
  let memEnd = size;
  for (const s of out.sections.slice(fileSections.length)) memEnd = Math.max(memEnd, s.start - base + s.bytes.length);
  const file = new Uint8Array(size);
  file.set(t.bytes.subarray(0, Math.min(t.bytes.length, size)));
  const owner = new Array<string | undefined>(size).fill(undefined);
  for (const s of fileSections) {
    const off = s.start - base;
    for (let i = 0; i < s.bytes.length; i++) {
      const o = off + i;
      if (o < t.size && !t.free[o]) {
        throw new Error(`internal: ${s.name} puts a byte at header offset ${o}, which is not free`);
      }
      if (owner[o] !== undefined) throw new Error(`internal: ${s.name} and ${owner[o]} both claim file offset ${o}`);
      owner[o] = s.name;
      file[o] = s.bytes[i]!;
    }
  }
  const entryName = program.entry ?? '__tinyelf_run0';
  let entry = out.symbols.get(entryName);
  if (entry === undefined) throw new Error(`internal: entry label '${entryName}' has no address`);
  if (t.entryOffset !== undefined) {
    // The header's bytes from the pinned entry point up to the code run first: they must leave
    // the program's first instruction meaning what it says.
    const first = out.placed.find((pl) => pl.item.kind === 'insn' && pl.size > 0);
    const codeAt = Number(entry - BigInt(base));
    const leading = file.subarray(t.entryOffset, codeAt);
    const insn = first ? file.subarray(first.address - base, first.address - base + first.size) : new Uint8Array(0);
    if (!first || first.address !== Number(entry) || !program.backend.leadingBytesHarmless!(leading, insn)) {
      throw new Error(`the header bytes before the pinned entry point would change the program's first instruction`);
    }
    entry = t.base + BigInt(t.entryOffset);
  }
  // No `_start`: the first instruction; a Thumb one is entered through an odd address.
  if (program.entry === undefined && program.code.some((it) => it.kind === 'insn' && isThumb(it))) entry |= 1n;
  // Thumb entry: the label's value carries bit 0 already (lowBits), which is what e_entry needs.
  const bytes = t.finish(file, entry, memEnd);
  return {
    bytes,
    arch: program.arch,
    loader,
    base: t.base,
    entry,
    phoff: t.phoff,
    headerSize: t.size,
    placed: out.placed.map((pl) => ({ ...pl })),
    pieces: [
      ...packing.runs.map((r, i) => ({ kind: 'code' as const, start: r.start, end: r.start + out.sections[i]!.bytes.length, name: `run ${i}` })),
      ...blocks.map((d, i) => ({ kind: d.nobits ? ('bss' as const) : ('data' as const), start: blockAt[i]!, end: blockAt[i]! + out.sections[packing.runs.length + i]!.bytes.length, name: d.label })),
    ],
    flags: t.pFlags,
    bssSize: memEnd - size,
  };
}

/** The conventional header (minimal.ts): nothing overlaps, nothing hides in it; readelf and file read it cleanly. */
function strictTemplate(arch: ArchName, base: bigint, writable: boolean): HeaderTemplate {
  const m = machine(arch);
  const cls = m.elfClass;
  const eh = ehdrSize(cls);
  const { bytes } = minimalElf({ arch, code: new Uint8Array(0), base });
  const size = bytes.length;
  return {
    phoff: eh,
    base,
    size,
    bytes,
    free: new Array<boolean>(size).fill(false),
    fixed: new Array<boolean>(size).fill(true),
    pFlags: writable ? PF_R | PF_W | PF_X : PF_R | PF_X,
    finish(file: Uint8Array, entry: bigint, memEnd?: number): Uint8Array {
      const out = file.slice();
      writeField(out, cls, m.endian, 'e_entry', entry);
      writeField(out, cls, m.endian, 'p_filesz', out.length, eh);
      writeField(out, cls, m.endian, 'p_memsz', Math.max(out.length, memEnd ?? 0), eh);
      if (writable) writeField(out, cls, m.endian, 'p_flags', PF_R | PF_W | PF_X, eh);
      return out;
    },
  };
}
