/**
 * What a section means when the program is loaded: whether its memory is executable, writable,
 * whether it has file bytes at all (nobits: .bss) and whether it is in memory (allocated). The
 * defaults per section name are the ones each assembler gives when the source names no
 * attributes (checked with `nasm -f elf64` / GNU as and `readelf -S`):
 *
 *   nasm   .text: exec;  .data .ldata: write;  .bss .lbss .tbss: write nobits;  .rodata .lrodata:
 *          read-only;  .comment: not allocated;  any other name (`.text.x`, `.init`, `foo`):
 *          read-only progbits.
 *   GNU    .text* .init .fini: exec;  .data* .init_array .fini_array .tdata* .ldata*: write;
 *          .bss* .tbss* .lbss*: write nobits;  .rodata*: read-only;  any other name: not allocated
 *          (flags "awx" and the type @progbits/@nobits, %… on ARM, say otherwise).
 */
import { AsmError, type SourceLoc } from './errors.js';
import type { Token } from './lexer.js';
import type { TokenStream } from './expr.js';
import type { Item } from './assembler.js';

export interface SectionAttributes {
  /** In memory at run time (ELF SHF_ALLOC); a non-allocated section may only be empty. */
  alloc: boolean;
  exec: boolean;
  write: boolean;
  /** No file bytes: memory the loader zero-fills (ELF SHT_NOBITS). */
  nobits: boolean;
  /** `align=N` written on the section line (nasm); undefined: none written. */
  align?: number;
}

const RO: SectionAttributes = { alloc: true, exec: false, write: false, nobits: false };
const CODE: SectionAttributes = { alloc: true, exec: true, write: false, nobits: false };
const DATA: SectionAttributes = { alloc: true, exec: false, write: true, nobits: false };
const BSS: SectionAttributes = { alloc: true, exec: false, write: true, nobits: true };
const NONE: SectionAttributes = { alloc: false, exec: false, write: false, nobits: false };

const NASM_DEFAULTS: Record<string, SectionAttributes> = {
  '.text': CODE, '.data': DATA, '.ldata': DATA, '.tdata': DATA, '.bss': BSS, '.lbss': BSS, '.tbss': BSS,
  '.rodata': RO, '.lrodata': RO, '.comment': NONE,
};

/** GNU as: name prefixes, longest first wins; exact names first. */
const GNU_EXACT: Record<string, SectionAttributes> = {
  '.init': CODE, '.fini': CODE, '.init_array': DATA, '.fini_array': DATA, '.preinit_array': DATA,
};
const GNU_PREFIXES: [string, SectionAttributes][] = [
  ['.text', CODE], ['.data', DATA], ['.tdata', DATA], ['.ldata', DATA], ['.bss', BSS], ['.tbss', BSS], ['.lbss', BSS], ['.rodata', RO],
];

/** The attributes a section named `name` has when the source gives none. */
export function defaultAttributes(name: string, gnu: boolean): SectionAttributes {
  if (!gnu) return { ...(NASM_DEFAULTS[name] ?? RO) };
  const exact = GNU_EXACT[name];
  if (exact) return { ...exact };
  for (const [prefix, attrs] of GNU_PREFIXES) if (name === prefix || name.startsWith(prefix + '.')) return { ...attrs };
  return { ...NONE };
}

const NASM_WORDS = new Set(['progbits', 'nobits', 'alloc', 'noalloc', 'exec', 'noexec', 'write', 'nowrite', 'tls', 'notls']);
/** nasm attributes of other output formats (`-f bin` placement): tinyelf places sections itself. */
const NASM_REFUSED = new Set(['start', 'vstart', 'follows', 'vfollows', 'merge', 'strings', 'pointer', 'note', 'preinit_array', 'init_array', 'fini_array', 'data', 'code', 'text', 'bss', 'rdata', 'info', 'use16', 'use32', 'class', 'overlay', 'private', 'public', 'common', 'stack', 'absolute', 'group']);

/**
 * Reads nasm attributes after `section NAME`: `progbits`, `nobits`, `alloc`, `noalloc`, `exec`,
 * `noexec`, `write`, `nowrite`, `tls`, `align=N` (a power of two). Anything else is an error at
 * its column.
 */
export function readNasmAttributes(ts: TokenStream, attrs: SectionAttributes): void {
  while (!ts.atEnd()) {
    const t = ts.next();
    const w = t.text.toLowerCase();
    if (t.kind === 'ident' && w === 'align') {
      ts.expect('=');
      attrs.align = alignValue(ts, ts.expr(), t);
      continue;
    }
    if (t.kind !== 'ident' || !NASM_WORDS.has(w)) {
      if (t.kind === 'ident' && NASM_REFUSED.has(w)) ts.error(`section attribute '${t.text}' is not supported (tinyelf places sections itself)`, t);
      ts.error(`expected a section attribute (progbits, nobits, alloc, noalloc, exec, noexec, write, nowrite, align=N), found ${ts.describe(t)}`, t);
    }
    if (w === 'progbits' || w === 'nobits') attrs.nobits = w === 'nobits';
    else if (w === 'alloc' || w === 'noalloc') attrs.alloc = w === 'alloc';
    else if (w === 'exec' || w === 'noexec') attrs.exec = w === 'exec';
    else if (w === 'write' || w === 'nowrite') attrs.write = w === 'write';
    // (tls/notls: thread-local storage needs a TLS segment a static program never sets up)
    else ts.error(`thread-local sections ('${t.text}') are not supported`, t);
  }
}

/**
 * Reads what follows `.section NAME` in GNU syntax: `, "flags"` (a w x, and M S G T o R, which
 * change nothing tinyelf does), then `, @type` / `, %type` (`progbits`, `nobits`, and GNU's
 * `init_array` kinds, which are progbits); further operands (entity size, group) are skipped.
 */
export function readGnuAttributes(ts: TokenStream, attrs: SectionAttributes): void {
  if (!ts.eat(',')) {
    ts.expectEnd();
    return;
  }
  const f = ts.next();
  if (f.kind !== 'string') ts.error(`expected the section flags as a string ("ax", "aw", …), found ${ts.describe(f)}`, f);
  const flags = new TextDecoder().decode(f.bytes);
  attrs.alloc = attrs.exec = attrs.write = false;
  for (const c of flags) {
    if (c === 'a') attrs.alloc = true;
    else if (c === 'w') attrs.write = true;
    else if (c === 'x') attrs.exec = true;
    else if (c === 'T') ts.error('thread-local sections ("T") are not supported', f);
    else if (!'MSGoRdey'.includes(c)) ts.error(`unknown section flag '${c}' (expected a, w, x, M, S, G, o, R)`, f);
  }
  if (!ts.eat(',')) {
    ts.expectEnd();
    return;
  }
  // (`@nobits` lexes as one word, `@` being a name character; `%nobits` as two tokens.)
  const percent = ts.eat('%');
  const type = ts.next();
  if (!percent && !(type.kind === 'ident' && type.text.startsWith('@'))) ts.error(`expected a section type (@progbits, @nobits; %… on ARM), found ${ts.describe(type)}`, type);
  const w = type.text.replace(/^@/, '').toLowerCase();
  if (w === 'nobits') attrs.nobits = true;
  else if (w === 'progbits' || w === 'init_array' || w === 'fini_array' || w === 'preinit_array' || w === 'note') attrs.nobits = false;
  else ts.error(`expected a section type (progbits, nobits), found ${ts.describe(type)}`, type);
  while (!ts.atEnd()) ts.next(); // (entity size, group name: nothing tinyelf lays out differently)
}

/**
 * A section name: a word or a string, with what is written right against it (`.note.GNU-stack`
 * lexes as `.note.GNU`, `-`, `stack`).
 */
export function readSectionName(ts: TokenStream): string {
  const first = ts.next();
  if (first.kind === 'string') return new TextDecoder().decode(first.bytes);
  if (first.kind !== 'ident') ts.error(`expected a section name, found ${ts.describe(first)}`, first);
  let name = first.text;
  let end = first.column + first.text.length;
  for (;;) {
    const t = ts.peek();
    if (t.kind === 'end' || t.column !== end || (t.kind === 'punct' && t.text === ',') || t.kind === 'string') return name;
    ts.next();
    name += t.text;
    end = t.column + t.text.length;
  }
}

function alignValue(ts: TokenStream, e: ReturnType<TokenStream['expr']>, at: Token): number {
  if (e.k !== 'num' || e.v < 1n || e.v > 1n << 16n || (e.v & (e.v - 1n)) !== 0n) ts.error('align= needs a constant power of two (1 to 65536)', at);
  return Number((e as { v: bigint }).v);
}

/** An error at `loc` for a statement that would put bytes into a nobits section. */
export function initialisedInNobits(loc: SourceLoc, section: string, what: string): AsmError {
  return new AsmError({ loc, message: `${what} in the nobits section '${section}' (it has no file bytes; only resb/resw/resd/resq/rest/reso, .space/.skip/.zero without a fill, times of those, align and labels belong there)` });
}

/** What in an item would be file bytes in a nobits section (undefined: nothing, it only reserves). */
export function initialisedWhat(it: Item): string | undefined {
  switch (it.kind) {
    case 'data':
      return 'initialised data';
    case 'insn':
      return isModeMarker(it) ? undefined : 'an instruction';
    case 'fill':
      return it.byte === 0 ? undefined : `a fill with byte ${it.byte}`;
    case 'align':
      return it.fill === undefined || it.fill === 0 ? undefined : `alignment padding with byte ${it.fill}`;
    case 'times':
      return initialisedWhat(it.item);
    default:
      return undefined;
  }
}

/** ARM's zero-size `.arm`/`.thumb` markers, which the backend puts at a section's start. */
export function isModeMarker(it: Item): boolean {
  if (it.kind !== 'insn') return false;
  const mn = it.mnemonic ?? (it.insn as { mn?: unknown } | undefined)?.mn;
  return mn === '.arm' || mn === '.thumb';
}
