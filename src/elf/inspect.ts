/**
 * inspectElf: an annotated byte map of an ELF file, for `tinyelf inspect`.
 *
 * Every byte gets the ELF-header field and the program-header field it belongs to (tiny files lay
 * the program header over the ELF header, so a byte may have both), and — when the file's layout is
 * known (layoutElf's `placed` items) — the instruction or data it also is, with its source line.
 * Without a layout, bytes outside every header field are "code/data", and the entry point is marked.
 * Consecutive bytes with the same owners form one row (at most 8 bytes), so overlaps stand out.
 */
import type { ArchName } from '../core/backend.js';
import { layoutElf, LOADER_PROFILES, type ElfLayout } from './emit.js';
import type { ProgramLike } from '../programs/program.js';
import { byteOwners, ehdrFields, field, phdrFields, phdrSize, readField, type ElfClass, type Endian } from './fields.js';
import { MACHINES } from './machines.js';

export interface InspectRow {
  /** File offsets [start, end). */
  start: number;
  end: number;
  bytes: Uint8Array;
  /** ELF-header field, with the bytes of it this row covers when it covers only part: `e_entry[0-3]`. */
  ehdr?: string;
  /** Program-header field, likewise; `#k p_type` for header k when there are several. */
  phdr?: string;
  /** Instruction or data this row also is (`code/data` when the layout is unknown). */
  code?: string;
  /** The entry point is the first byte of this row. */
  entry: boolean;
}

export interface Inspection {
  /** undefined when e_machine is not one tinyelf knows. */
  arch?: ArchName;
  machine: number;
  elfClass: ElfClass;
  endian: Endian;
  size: number;
  phoff: number;
  /** Program headers shown: e_phnum when they all lie in the file, else 1 (a tiny file's may run past its end). */
  phnum: number;
  entry: bigint;
  /** File offset of the entry point, when a program header maps it. */
  entryOffset?: number;
  /** File ranges covered by no header field. */
  outside: { start: number; end: number }[];
  /** Header fields that lie (partly) past the end of the file: the loader reads them as zero. */
  truncated: string[];
  rows: InspectRow[];
  /** Set when the code column comes from a layout. */
  loader?: string;
  /** The program headers shown, as the loader reads them (fields past the end of the file as zero). */
  segments: Segment[];
}

export interface Segment {
  type: bigint;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
  /** p_flags (PF_X 1, PF_W 2, PF_R 4). */
  flags: bigint;
}

export interface InspectOptions {
  /** The layout the file was made from (layoutElf): labels each instruction and data item. */
  layout?: ElfLayout;
  /** Source text of a file named in the layout's source locations (for the code column). */
  source?: (file: string) => string | undefined;
}

const ROW_MAX = 8;

/** Reads the header facts inspect needs; throws a clear Error for files that are not ELF. */
export function inspectElf(bytes: Uint8Array, opts: InspectOptions = {}): Inspection {
  if (bytes.length < 6 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new Error(`not an ELF file (${bytes.length} bytes, no \\x7fELF magic)`);
  }
  // e_machine sits at offset 18 in both classes. The Linux loader reads neither EI_CLASS nor
  // EI_DATA on some machines (tiny files keep code there), so a known e_machine decides both.
  const le = (bytes[18] ?? 0) | ((bytes[19] ?? 0) << 8);
  const be = ((bytes[18] ?? 0) << 8) | (bytes[19] ?? 0);
  const known = Object.values(MACHINES).find((m) => m.eMachine === (m.endian === 'little' ? le : be));
  const elfClass: ElfClass = known?.elfClass ?? (bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : fail(`unknown ELF class ${bytes[4]} (EI_CLASS must be 1 or 2)`));
  const endian: Endian = known?.endian ?? (bytes[5] === 2 ? 'big' : 'little');
  const machineNo = known?.eMachine ?? Number(readField(bytes, elfClass, endian, 'e_machine'));
  const arch = known?.arch;
  const entry = readField(bytes, elfClass, endian, 'e_entry');
  const phoffBig = readField(bytes, elfClass, endian, 'e_phoff');
  const phoff = phoffBig < BigInt(bytes.length) ? Number(phoffBig) : -1;

  const phsize = phdrSize(elfClass);
  const phnumField = Number(readField(bytes, elfClass, endian, 'e_phnum'));
  const phnum = phoff >= 0 && phnumField > 1 && phoff + phnumField * phsize <= bytes.length ? phnumField : 1;

  // ARM Thumb entry points carry bit 0.
  const entryAddr = arch === 'arm' ? entry & ~1n : entry;
  let entryOffset: number | undefined;
  if (opts.layout) {
    entryOffset = Number((opts.layout.arch === 'arm' ? opts.layout.entry & ~1n : opts.layout.entry) - opts.layout.base);
  } else if (phoff >= 0) {
    // The PT_LOAD that maps the entry (else the first header). The kernel maps whole pages, so the
    // file offset of an address is vaddr-relative even below p_vaddr.
    const at = (k: number, name: string): bigint => readField(bytes, elfClass, endian, name, phoff + k * phsize);
    let k = 0;
    for (let i = 0; i < phnum; i++) {
      if (at(i, 'p_type') === 1n && at(i, 'p_vaddr') <= entryAddr && entryAddr < at(i, 'p_vaddr') + at(i, 'p_memsz')) {
        k = i;
        break;
      }
    }
    const off = entryAddr - at(k, 'p_vaddr') + at(k, 'p_offset');
    if (off >= 0n && off < BigInt(bytes.length)) entryOffset = Number(off);
  }

  // The code column from a layout: file offset → [item number, label].
  const codeAt: ({ id: number; text: string } | undefined)[] = new Array(bytes.length).fill(undefined);
  if (opts.layout) {
    const base = opts.layout.base;
    const texts = new Map<string, string[]>();
    const lineOf = (file: string, line: number): string | undefined => {
      if (!texts.has(file)) texts.set(file, (opts.source?.(file) ?? '').split('\n'));
      return texts.get(file)![line - 1];
    };
    opts.layout.placed.forEach((pl, id) => {
      if (pl.size <= 0) return;
      const start = Number(BigInt(pl.address) - base);
      const text = labelOf(pl.item, start, pl.size, bytes, lineOf);
      for (let o = start; o < start + pl.size && o < bytes.length; o++) if (o >= 0) codeAt[o] = { id, text };
    });
  }

  // An entry point the header pins (x86-64: file offset 1) runs header bytes before the code.
  let entryNote: string | undefined;
  if (opts.layout && entryOffset !== undefined && !codeAt[entryOffset]) {
    const next = codeAt.findIndex((c, o) => o > entryOffset! && c !== undefined);
    if (next >= 0) entryNote = `header bytes ${entryOffset}-${next - 1} run as prefixes of: ${codeAt[next]!.text}`;
  }

  const segments: Segment[] = [];
  for (let k = 0; k < phnum && phoff >= 0; k++) {
    // (a tiny file's program header may run past its end: those bytes read as zero)
    const padded = new Uint8Array(Math.max(bytes.length, phoff + (k + 1) * phsize));
    padded.set(bytes);
    const at = (name: string): bigint => readField(padded, elfClass, endian, name, phoff + k * phsize);
    segments.push({ type: at('p_type'), offset: at('p_offset'), vaddr: at('p_vaddr'), filesz: at('p_filesz'), memsz: at('p_memsz'), flags: at('p_flags') });
  }

  const rows: InspectRow[] = [];
  const outside: { start: number; end: number }[] = [];
  /** Which program header a byte is in (0 for bytes before the first, where only header 0 could reach). */
  const headerOf = (o: number): number => (phoff >= 0 && o >= phoff ? Math.min(phnum - 1, Math.floor((o - phoff) / phsize)) : 0);
  const keyOf = (o: number) => {
    const k = headerOf(o);
    const owners = byteOwners(elfClass, o, phoff >= 0 ? phoff + k * phsize : Number.MAX_SAFE_INTEGER);
    const e = owners.find((w) => w.struct === 'ehdr')?.field;
    const p = owners.find((w) => w.struct === 'phdr')?.field;
    const c = codeAt[o];
    return { e, p, k, c, key: `${e ?? ''}|${p ?? ''}|${k}|${c?.id ?? (opts.layout ? 'none' : e || p ? '' : 'code')}` };
  };
  let o = 0;
  while (o < bytes.length) {
    const first = keyOf(o);
    let end = o + 1;
    while (end < bytes.length && end - o < ROW_MAX && end !== entryOffset && keyOf(end).key === first.key) end++;
    if (!first.e && !first.p) {
      const last = outside[outside.length - 1];
      if (last && last.end === o) last.end = end;
      else outside.push({ start: o, end });
    }
    const row: InspectRow = { start: o, end, bytes: bytes.slice(o, end), entry: o === entryOffset };
    if (first.e) row.ehdr = partial(elfClass, first.e, o, end, 0);
    if (first.p) row.phdr = `${phnum > 1 ? `#${first.k} ` : ''}${partial(elfClass, first.p, o, end, phoff + first.k * phsize)}`;
    if (first.c) {
      const prev = rows[rows.length - 1];
      const cont = prev !== undefined && codeAt[prev.end - 1]?.id === first.c.id;
      row.code = cont ? `  ... ${first.c.text}` : first.c.text;
    } else if (row.entry && entryNote) {
      row.code = entryNote;
    } else if (!opts.layout && !first.e && !first.p) {
      row.code = 'code/data';
    }
    rows.push(row);
    o = end;
  }

  const truncated: string[] = [];
  for (const [name, off] of headerFieldOffsets(elfClass, phoff)) {
    if (off.end > bytes.length) truncated.push(name);
  }

  return {
    ...(arch ? { arch } : {}),
    machine: machineNo,
    elfClass,
    endian,
    size: bytes.length,
    phoff,
    phnum,
    entry,
    ...(entryOffset !== undefined ? { entryOffset } : {}),
    outside,
    truncated,
    rows,
    ...(opts.layout ? { loader: opts.layout.loader } : {}),
    segments,
  };
}

/** `#0 PT_LOAD: file 0-155 at 0x400000, 161 bytes of memory (5 zero-filled past the file: .bss), R W X`. */
function describeSegment(seg: Segment, k: number): string {
  const hex = (n: bigint) => `0x${n.toString(16)}`;
  const type = seg.type === 1n ? 'PT_LOAD' : `p_type ${hex(seg.type)}`;
  const flags = [4n, 2n, 1n].map((bit, i) => (seg.flags & bit ? 'RWX'[i] : '-')).join('');
  const file = seg.filesz === 0n ? 'no file bytes' : `file ${seg.offset}-${seg.offset + seg.filesz - 1n}`;
  const bss = seg.memsz > seg.filesz ? ` (${seg.memsz - seg.filesz} zero-filled past the file's part: .bss)` : '';
  return `#${k} ${type}: ${file} at ${hex(seg.vaddr)}, ${seg.memsz} bytes of memory${bss}, ${flags}${seg.flags & 2n ? ' (writable)' : ''}`;
}

function fail(message: string): never {
  throw new Error(message);
}

/** `name`, or `name[a-b]` when [start, end) covers only bytes a..b of the field. */
function partial(cls: ElfClass, name: string, start: number, end: number, base: number): string {
  const owners = byteOwners(cls, start, base === 0 ? Number.MAX_SAFE_INTEGER : base).find((w) => w.field === name)!;
  const a = owners.byte;
  const b = a + (end - start) - 1;
  const size = fieldSize(cls, name);
  if (a === 0 && b === size - 1) return name;
  return a === b ? `${name}[${a}]` : `${name}[${a}-${b}]`;
}

function fieldSize(cls: ElfClass, name: string): number {
  return field(cls, name).size;
}

function headerFieldOffsets(cls: ElfClass, phoff: number): [string, { start: number; end: number }][] {
  const out: [string, { start: number; end: number }][] = ehdrFields(cls).map((f) => [f.name, { start: f.offset, end: f.offset + f.size }]);
  if (phoff >= 0) for (const f of phdrFields(cls)) out.push([f.name, { start: phoff + f.offset, end: phoff + f.offset + f.size }]);
  return out;
}

type LayoutItem = ElfLayout['placed'][number]['item'];

function labelOf(item: LayoutItem, start: number, size: number, bytes: Uint8Array, lineOf: (file: string, line: number) => string | undefined): string {
  const loc = item.loc;
  if (loc.file === '<planner>') return item.kind === 'insn' ? `${item.mnemonic ?? 'jump'} (inserted: joins code runs)` : '(planner)';
  const where = loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file;
  // (`times N insn`, as the built-ins' equ switches write it, reads as its source line.)
  const repeatsInsn = item.kind === 'times' && (item as { item?: { kind: string } }).item?.kind === 'insn';
  if (item.kind === 'data' || item.kind === 'fill' || (item.kind === 'times' && !repeatsInsn)) {
    const data = bytes.subarray(start, start + size);
    return `data ${quote(data)}  (${where})`;
  }
  const text = loc.line > 0 ? lineOf(loc.file, loc.line) : undefined;
  const clean = text === undefined ? (item.kind === 'insn' ? item.mnemonic ?? 'instruction' : item.kind) : stripComment(text).trim().replace(/\s+/g, ' ');
  return `${clean}  (${where})`;
}

/** Drops a trailing `; …`, `@ …` or `// …` comment that is not inside quotes. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === ';' || c === '@' || (c === '/' && line[i + 1] === '/')) return line.slice(0, i);
  }
  return line;
}

function quote(data: Uint8Array): string {
  const printable = data.every((b) => (b >= 0x20 && b < 0x7f) || b === 10 || b === 9 || b === 0);
  if (!printable) return `${data.length} bytes`;
  let s = '"';
  for (const b of data) s += b === 10 ? '\\n' : b === 9 ? '\\t' : b === 0 ? '\\0' : b === 0x22 || b === 0x5c ? `\\${String.fromCharCode(b)}` : String.fromCharCode(b);
  return `${s}"`;
}

/** The table `tinyelf inspect` prints. */
export function formatInspection(ins: Inspection): string {
  const hex = (n: number | bigint) => `0x${n.toString(16)}`;
  const lines: string[] = [];
  const arch = ins.arch ?? `e_machine ${ins.machine}`;
  lines.push(
    `${arch} ELF${ins.elfClass} ${ins.endian}-endian, ${ins.size} bytes, ${ins.phnum > 1 ? `${ins.phnum} program headers` : 'program header'} at ${ins.phoff >= 0 ? ins.phoff : '(outside the file)'}, ` +
      `entry ${hex(ins.entry)}${ins.entryOffset !== undefined ? ` (file offset ${ins.entryOffset})` : ' (outside the file)'}` +
      (ins.loader ? `, loader profile ${ins.loader}` : ''),
  );
  const header = ['offset', 'bytes', 'ELF header', 'program header', 'code/data'];
  const table = ins.rows.map((r) => [
    r.end - r.start === 1 ? `${r.start}` : `${r.start}-${r.end - 1}`,
    [...r.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    r.ehdr ?? '-',
    r.phdr ?? '-',
    `${r.entry ? '>> entry: ' : ''}${r.code ?? '-'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  lines.push(fmt(header));
  lines.push(widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.max(w, 9) : w)).join('-+-'));
  for (const row of table) lines.push(fmt(row));
  const both = ins.rows.filter((r) => r.ehdr && r.phdr).reduce((n, r) => n + (r.end - r.start), 0);
  const out = ins.outside.reduce((n, r) => n + (r.end - r.start), 0);
  lines.push('');
  lines.push(
    `${both} bytes are both ELF-header and program-header fields; ${out} bytes lie outside every header field` +
      (ins.outside.length ? ` (${ins.outside.map((r) => (r.end - r.start === 1 ? `${r.start}` : `${r.start}-${r.end - 1}`)).join(', ')})` : '') +
      '.',
  );
  if (ins.truncated.length) lines.push(`Past the end of the file (read as zero): ${ins.truncated.join(', ')}.`);
  for (const [k, seg] of ins.segments.entries()) lines.push(`Segment ${describeSegment(seg, k)}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * The layout of `bytes` when it is exactly what tinyelf makes of one of `candidates` (each tried
 * with every loader profile at the default base), so inspecting a file can name its instructions.
 */
export function matchLayout(bytes: Uint8Array, arch: ArchName, candidates: readonly { name: string; program: ProgramLike }[]): { name: string; layout: ElfLayout } | undefined {
  for (const c of candidates) {
    for (const loader of LOADER_PROFILES) {
      let layout: ElfLayout;
      try {
        layout = layoutElf({ arch, program: c.program, loader });
      } catch {
        continue;
      }
      if (layout.bytes.length === bytes.length && layout.bytes.every((b, i) => b === bytes[i])) return { name: c.name, layout };
    }
  }
  return undefined;
}
