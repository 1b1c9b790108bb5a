import { AsmError, type Diagnostic, type SourceLoc } from './errors.js';
import { TokenStream, evaluate, isConstant, numericLabel, type Expr } from './expr.js';
import { lexLine, type Token } from './lexer.js';
import { assembleSections, type Assembled, type Item, type Placed, type Section } from './assembler.js';
import { ENCODED, type Backend, type LineOut } from './backend.js';
import { defaultAttributes, initialisedInNobits, initialisedWhat, isModeMarker, readGnuAttributes, readNasmAttributes, readSectionName } from './sections.js';

/**
 * The text front end shared by every architecture: lines, labels, directives and data. It reads
 * nasm's directives (`db`, `times`, `equ`, `org`, `align`, `resb`, `section`) and GNU as's
 * (`.byte`, `.ascii`, `.equ`, `.balign`, `.space`, `.section`); instructions are handed to the
 * architecture's backend. The result is the same list of items the builder API makes.
 */
export interface ParsedSource {
  sections: Section[];
  /** Labels named by `global`/`.globl`. */
  globals: Set<string>;
  /** True if the source set its own address with `org`. */
  hasOrg: boolean;
}

export interface ParseOptions {
  file?: string;
  /** Start address when the source has no `org`. */
  origin?: number;
  /**
   * Consecutive instructions the backend encoded while reading them (bytes one after another in
   * its buffer) become one item, located at the first. For callers that want bytes and symbols,
   * not a statement per line (assembleText): fewer objects to make, keep and lay out.
   */
  mergeEncoded?: boolean;
}

const DATA_WIDTH: Record<string, 1 | 2 | 4 | 8> = { db: 1, dw: 2, dd: 4, dq: 8 };
/** The highest `org` (48-bit addresses, as x86-64 and AArch64 user space have). */
const MAX_ORG = (1n << 48n) - 1n;
const RES_WIDTH: Record<string, number> = { resb: 1, resw: 2, resd: 4, resq: 8, rest: 10, reso: 16, resy: 32, resz: 64 };
/** GNU data directives for the ARM targets (where `.word` is 4 bytes). */
const GNU_DATA: Record<string, 1 | 2 | 4 | 8> = {
  '.byte': 1, '.hword': 2, '.short': 2, '.2byte': 2, '.word': 4, '.long': 4, '.int': 4, '.4byte': 4, '.quad': 8, '.8byte': 8, '.dword': 8,
};

/** nasm pseudo-instructions the front end does not read (10-, 16-, 32- and 64-byte data, files). */
const NASM_DATA_UNSUPPORTED: ReadonlySet<string> = new Set(['dt', 'do', 'dy', 'dz', 'rest', 'reso', 'resy', 'resz', 'incbin']);
/** Words `isDataDirective` accepts. */
const DATA_WORDS: ReadonlySet<string> = new Set([...Object.keys(DATA_WIDTH), ...Object.keys(RES_WIDTH), 'times', ...Object.keys(GNU_DATA), '.ascii', '.asciz', '.string']);
/** Words `isDirective` accepts. */
const DIRECTIVE_WORDS: ReadonlySet<string> = new Set([...DATA_WORDS, 'org', 'align', 'alignb', 'section', 'segment', 'global', 'extern', 'bits', 'equ']);
/** Every word the core's `directive()` reads itself (the rest goes to the backend). */
const CORE_DIRECTIVES: ReadonlySet<string> = new Set([
  ...Object.keys(DATA_WIDTH), ...Object.keys(GNU_DATA), '.ascii', '.asciz', '.string', ...Object.keys(RES_WIDTH),
  '.space', '.skip', '.zero', 'times', '.rept', 'org', 'align', 'alignb', '.balign', '.align', '.p2align',
  'section', 'segment', '.section', '.text', '.data', '.rodata', '.bss', '.pushsection', '.popsection', '.previous', '.lcomm', '.comm', 'common', 'sectalign', 'global', '.global', '.globl', 'extern', '.extern',
  '.equ', '.set', 'cpu', '.type', '.size', '.file', '.ident', '.arch', '.cpu', '.fpu', '.eabi_attribute',
]);

/**
 * Where the name starts (in `text`) when the line `text[from, n)` is only `name:` with a plain
 * name (`[A-Za-z_][A-Za-z0-9_]*`, spaces around), else -1: such a line is read without tokens, as
 * `defineLabel` would read it.
 */
function plainLabel(text: string, from: number, n: number): number {
  let i = from;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const start = i;
  // (Never read past the line: a read past the source's end stops V8 inlining this charCodeAt.)
  let c = i < n ? text.charCodeAt(i) : -1;
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return -1;
  for (i++; i < n; i++) {
    c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  if (c !== 58 || i >= n) return -1;
  for (i++; i < n; i++) {
    c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return -1;
  }
  return start;
}

/**
 * An instruction of the text front end: its place is kept as plain numbers in the item (no
 * SourceLoc object per instruction) and made into a SourceLoc only when asked for (errors). An
 * instruction the backend's `parseLine` encoded already keeps only where its bytes are (`bytes`);
 * with `mergeEncoded`, the run of such instructions that starts with it (`size` grows).
 */
class TextInsn {
  readonly kind = 'insn' as const;
  constructor(
    readonly insn: unknown,
    readonly mnemonic: string,
    private readonly file: string,
    private readonly line: number,
    private readonly column: number,
    readonly bytes: Uint8Array | undefined = undefined,
    readonly bytesAt = 0,
    public size = 0,
  ) {}

  get loc(): SourceLoc {
    return { file: this.file, line: this.line, column: this.column };
  }
}

/**
 * A `name:` line, its place kept as numbers like TextInsn's. Made by a class rather than an
 * object literal: every label lives through the whole assembly, and V8 answers a literal whose
 * objects all survive by allocating it in old space from then on, which discards the optimized
 * parseSource (several slow runs until it is made again).
 */
class TextLabel {
  readonly kind = 'label' as const;
  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly line: number,
    private readonly column: number,
  ) {}

  get loc(): SourceLoc {
    return { file: this.file, line: this.line, column: this.column };
  }
}

export function parseSource<S>(source: string, backend: Backend<unknown, S>, opts: ParseOptions = {}): ParsedSource {
  const file = opts.file ?? '<input>';
  const state = backend.initialState();
  const diagnostics: Diagnostic[] = [];
  const sections: Section[] = [];
  const globals = new Set<string>();
  let hasOrg = false;
  let scope = '';
  const gnu = backend.lex.comments.some((c) => c !== ';');
  let current: Section = { name: '.text', start: opts.origin ?? 0, items: [], attrs: defaultAttributes('.text', gnu) };
  sections.push(current);
  const numeric = new Map<string, number>();
  /** GNU's `.previous` (the section before the last change) and `.pushsection` stack. */
  let previous: Section | undefined;
  const sectionStack: Section[] = [];

  /** The section named so, made (with its name's default attributes, nasm's or GNU's) if new. */
  const sectionNamed = (name: string, gnuDefaults: boolean): Section => {
    let s = sections.find((x) => x.name === name);
    if (!s) sections.push((s = { name, start: 0, items: [], attrs: defaultAttributes(name, gnuDefaults) }));
    return s;
  };

  const parseLine = backend.parseLine;
  const mergeEncoded = opts.mergeEncoded === true;
  const lineOut: LineOut = { file, line: 0, mnemonic: '', column: 0, bytes: undefined, bytesAt: 0, size: 0, insn: undefined };
  /** The statements of one line (reused from line to line). */
  const lineItems: Item[] = [];
  // Lines are cut one at a time (not split up front): each dies young instead of living through the parse.
  for (let li = 0, at = 0; at <= source.length; li++) {
    let eol = source.indexOf('\n', at);
    if (eol < 0) eol = source.length;
    const lineStart = at;
    at = eol + 1;
    if (parseLine !== undefined) {
      lineOut.line = li + 1;
      lineOut.insn = undefined;
      const insn = parseLine(source, lineStart, eol, state, lineOut);
      if (insn === ENCODED) {
        if (mergeEncoded) {
          const items = current.items;
          const last = items[items.length - 1];
          if (last instanceof TextInsn && last.bytes === lineOut.bytes && last.bytesAt + last.size === lineOut.bytesAt && last.insn === lineOut.insn) {
            last.size += lineOut.size;
            continue;
          }
        }
        current.items.push(new TextInsn(lineOut.insn, lineOut.mnemonic, file, li + 1, lineOut.column, lineOut.bytes, lineOut.bytesAt, lineOut.size));
        continue;
      }
      if (insn !== undefined) {
        current.items.push(new TextInsn(insn, lineOut.mnemonic, file, li + 1, lineOut.column));
        continue;
      }
    }
    // (Read in place: the line is cut out of the source only when tokens are needed.)
    const labelAt = plainLabel(source, lineStart, eol);
    if (labelAt >= 0) {
      const name = source.slice(labelAt, source.indexOf(':', labelAt));
      if (!backend.isReserved?.(name)) {
        scope = name;
        current.items.push(new TextLabel(name, file, li + 1, labelAt - lineStart + 1));
        continue;
      }
    }
    const text = source.slice(lineStart, eol);
    const lineLoc = { file, line: li + 1 };
    try {
      const tokens = lexLine(text, lineLoc, backend.lex);
      const ts = new TokenStream(tokens, lineLoc);
      ts.scope = scope;
      if (gnu) ts.numeric = numeric;
      const items = lineItems;
      items.length = 0;
      parseStatement(ts, items);
      const into = current.items;
      for (let k = 0; k < items.length; k++) into.push(items[k]!);
    } catch (err) {
      if (!(err instanceof AsmError)) throw err;
      for (const d of err.diagnostics) diagnostics.push({ ...d, sourceLine: text });
    }
  }
  if (diagnostics.length) throw new AsmError(diagnostics);
  if (backend.finishSection) for (const s of sections) backend.finishSection(s.items, state);
  checkSectionContents(sections, source);
  return { sections: sections.filter((s) => s.items.length > 0 || s === sections[0]), globals, hasOrg };

  function locOf(ts: TokenStream, t: Token): SourceLoc {
    return ts.locOf(t);
  }

  function defineLabel(ts: TokenStream, t: Token, items: Item[]): void {
    if (backend.isReserved?.(t.text)) ts.error(`'${t.text}' is a reserved word, not a label`, t);
    // nasm: `..@name` labels are allowed; other `..` names are special symbols (`..start`).
    if (!gnu && t.text.startsWith('..') && !t.text.startsWith('..@')) ts.error(`'${t.text}' is not a valid label (of names starting with '..', only '..@name' ones are labels)`, t);
    const name = t.text.startsWith('.') && !t.text.startsWith('..') ? ts.qualify(t.text) : t.text;
    // nasm: a `..@name` label is not local, but it does not start a new scope for `.local` ones.
    if (!t.text.startsWith('.')) {
      scope = name;
      ts.scope = name;
    }
    items.push({ kind: 'label', name, loc: locOf(ts, t) });
  }

  function parseStatement(ts: TokenStream, items: Item[]): void {
    if (ts.atEnd()) return;
    // `[bits 32]`-style directives in brackets (nasm's primitive form).
    if (ts.peek().kind === 'punct' && ts.peek().text === '[' && ts.peek(1).kind === 'ident') {
      const save = ts.pos;
      ts.next();
      const name = ts.next();
      const inner: Token[] = [];
      while (!ts.atEnd() && !(ts.peek().kind === 'punct' && ts.peek().text === ']')) inner.push(ts.next());
      if (ts.eat(']') && ts.atEnd()) {
        const sub = new TokenStream([name, ...inner, { kind: 'end', text: '', column: ts.peek().column }], ts.loc);
        parseStatement(sub, items);
        return;
      }
      ts.pos = save;
    }
    const first = ts.peek();
    // GNU numeric label: `1:`
    if (gnu && first.kind === 'number' && ts.peek(1).kind === 'punct' && ts.peek(1).text === ':') {
      ts.next();
      ts.next();
      const n = first.text;
      const index = (numeric.get(n) ?? 0) + 1;
      numeric.set(n, index);
      items.push({ kind: 'label', name: numericLabel(n, index), loc: locOf(ts, first) });
      parseStatement(ts, items);
      return;
    }
    if (first.kind === 'ident') {
      const lower = first.text.toLowerCase();
      const second = ts.peek(1);
      // `name:` label (possibly followed by a statement)
      if (second.kind === 'punct' && second.text === ':' && !(ts.peek(2).kind === 'punct' && ts.peek(2).text === ':')) {
        ts.next();
        ts.next();
        if (ts.peek().kind === 'ident' && ts.peek().text.toLowerCase() === 'equ') {
          ts.next();
          items.push({ kind: 'equ', name: qualifyDef(ts, first), value: ts.expr(), loc: locOf(ts, first) });
          ts.expectEnd();
          return;
        }
        defineLabel(ts, first, items);
        parseStatement(ts, items);
        return;
      }
      // `name equ expr`, `name = expr` (GNU)
      if (second.kind === 'ident' && second.text.toLowerCase() === 'equ') {
        ts.next();
        ts.next();
        items.push({ kind: 'equ', name: qualifyDef(ts, first), value: ts.expr(), loc: locOf(ts, first) });
        ts.expectEnd();
        return;
      }
      if (gnu && second.kind === 'punct' && second.text === '=') {
        ts.next();
        ts.next();
        items.push({ kind: 'equ', name: first.text, value: ts.expr(), loc: locOf(ts, first) });
        ts.expectEnd();
        return;
      }
      // nasm label without a colon before a data directive: `msg db "hi"`
      if (second.kind === 'ident' && !isDirective(lower) && !backend.isMnemonic(lower, state) && isDataDirective(second.text.toLowerCase())) {
        ts.next();
        defineLabel(ts, first, items);
        parseStatement(ts, items);
        return;
      }
      if (directive(ts, items)) return;
      if (backend.isMnemonic(lower, state) || backend.isMnemonic(prefixWord(lower), state)) {
        ts.next();
        const insn = backend.parseInstruction(first, ts, state);
        items.push(new TextInsn(insn, lower, ts.loc.file, ts.loc.line, first.column));
        return;
      }
      // nasm label without a colon before an instruction or prefix: `loop_top mov eax, 1`
      if (second.kind === 'ident' && !gnu && backend.isMnemonic(second.text.toLowerCase(), state)) {
        ts.next();
        defineLabel(ts, first, items);
        parseStatement(ts, items);
        return;
      }
      // A lone word on a line is a label in nasm (without the colon).
      if (second.kind === 'end' && !gnu) {
        ts.next();
        defineLabel(ts, first, items);
        return;
      }
      // nasm's data words tinyelf lacks, with or without a label in front: refused as what they are.
      const unsupported = !gnu ? [first, second].find((t) => t.kind === 'ident' && NASM_DATA_UNSUPPORTED.has(t.text.toLowerCase())) : undefined;
      if (unsupported) ts.error(`nasm's '${unsupported.text}' is not supported`, unsupported);
      ts.error(`unknown instruction or directive '${first.text}'`, first);
    }
    // GNU numeric-free: anything else is an error
    ts.error(`expected a label, instruction or directive, found ${ts.describe(first)}`, first);
  }

  function prefixWord(lower: string): string {
    return lower;
  }

  function qualifyDef(ts: TokenStream, t: Token): string {
    if (backend.isReserved?.(t.text)) ts.error(`'${t.text}' is a reserved word, not a symbol name`, t);
    return t.text.startsWith('.') && !t.text.startsWith('..') ? ts.qualify(t.text) : t.text;
  }

  function isDataDirective(w: string): boolean {
    return DATA_WORDS.has(w);
  }

  function isDirective(w: string): boolean {
    return DIRECTIVE_WORDS.has(w);
  }

  /** Reads a directive; returns false if the line does not start with one. */
  function directive(ts: TokenStream, items: Item[]): boolean {
    const t = ts.peek();
    const w = t.text.toLowerCase();
    if (!CORE_DIRECTIVES.has(w)) return backendDirective(ts, w);
    const loc = locOf(ts, t);
    if (w in DATA_WIDTH || w in GNU_DATA) {
      ts.next();
      items.push({ kind: 'data', width: DATA_WIDTH[w] ?? GNU_DATA[w]!, values: dataList(ts), loc });
      return true;
    }
    if (w === '.ascii' || w === '.asciz' || w === '.string') {
      ts.next();
      const values: Uint8Array[] = [];
      do {
        const s = ts.next();
        if (s.kind !== 'string') ts.error(`expected a string, found ${ts.describe(s)}`, s);
        values.push(s.bytes!);
        if (w !== '.ascii') values.push(new Uint8Array(1));
      } while (ts.eat(','));
      ts.expectEnd();
      items.push({ kind: 'data', width: 1, values, loc });
      return true;
    }
    if (w in RES_WIDTH) {
      ts.next();
      const n = ts.expr();
      ts.expectEnd();
      items.push({ kind: 'fill', count: { k: 'bin', op: '*', a: n, b: { k: 'num', v: BigInt(RES_WIDTH[w]!) }, loc }, byte: 0, loc });
      return true;
    }
    if (w === 'sectalign' && !gnu) {
      // nasm: raise the current section's alignment (its start); `on`/`off` switch whether
      // align/alignb raise it, which tinyelf's --flat always does.
      ts.next();
      if (ts.eatWord('on')) {
        ts.expectEnd();
        return true;
      }
      if (ts.peek().text.toLowerCase() === 'off') ts.error("'sectalign off' is not supported (align always raises the section's alignment)");
      const e = ts.expr();
      ts.expectEnd();
      const v = constValue(e, ts, 'sectalign');
      if (v < 1n || v > 1n << 16n || (v & (v - 1n)) !== 0n) ts.error(`sectalign needs a power of two (1 to 65536), not ${v}`, t);
      current.attrs!.align = Math.max(current.attrs!.align ?? 1, Number(v));
      return true;
    }
    if (w === '.lcomm' || w === '.comm' || (w === 'common' && !gnu)) {
      ts.next();
      commonSymbol(ts, loc, w === 'common');
      return true;
    }
    if (w === '.space' || w === '.skip' || w === '.zero') {
      ts.next();
      const n = ts.expr();
      let fill = 0;
      if (ts.eat(',')) fill = constByte(ts);
      ts.expectEnd();
      items.push({ kind: 'fill', count: n, byte: fill, loc });
      return true;
    }
    if (w === 'times' || w === '.rept') {
      if (w === '.rept') ts.error('.rept is not supported; use `times COUNT statement`');
      ts.next();
      const count = ts.expr();
      const inner: Item[] = [];
      parseStatement(ts, inner);
      if (inner.length !== 1 || inner[0]!.kind === 'label' || inner[0]!.kind === 'equ') {
        ts.error('times needs exactly one instruction or data directive after the count', t);
      }
      items.push({ kind: 'times', count, item: inner[0]!, loc });
      return true;
    }
    if (w === 'org') {
      ts.next();
      const e = ts.expr();
      ts.expectEnd();
      const v = constValue(e, ts, 'org');
      // Addresses are exact JavaScript numbers: keep them well below 2^53.
      if (v < 0n || v > MAX_ORG) ts.error(`org ${v} is out of range (0..0x${MAX_ORG.toString(16)})`, t);
      if (current.items.some((i) => i.kind !== 'label' && i.kind !== 'equ') || hasOrg) ts.error('org may appear only once, before any code or data', t);
      hasOrg = true;
      current.start = Number(v);
      return true;
    }
    if (w === 'alignb') {
      // nasm's alignment for reservations (.bss): padding that is reserved, not written (zeros
      // elsewhere); `alignb 4, resb 1` spells the padding unit, which must be a byte.
      ts.next();
      const to = ts.expr();
      if (ts.eat(',') && !(ts.eatWord('resb') && ts.peek().kind === 'number' && ts.next().value === 1n)) ts.error('alignb pads with resb 1 only');
      ts.expectEnd();
      items.push({ kind: 'align', to, fill: 0, loc });
      return true;
    }
    if (w === 'align' || w === '.balign' || w === '.align' || w === '.p2align') {
      ts.next();
      let to = ts.expr();
      // GNU `.align` on ARM and `.p2align` take a power of two.
      if (w === '.p2align' || (w === '.align' && gnu)) to = { k: 'bin', op: '<<', a: { k: 'num', v: 1n }, b: to, loc };
      let fill: number | undefined;
      if (ts.eat(',')) {
        // nasm: `align 4, db 0`; GNU: `.balign 4, 0`
        if (ts.eatWord('db')) fill = constByte(ts);
        else if (ts.eatWord('nop')) fill = undefined;
        else fill = constByte(ts);
      }
      ts.expectEnd();
      items.push({ kind: 'align', to, fill, loc });
      return true;
    }
    if (w === '.popsection' || w === '.previous') {
      ts.next();
      ts.expectEnd();
      const to = w === '.popsection' ? sectionStack.pop() : previous;
      if (!to) ts.error(w === '.popsection' ? '.popsection without a .pushsection' : '.previous before any section change', t);
      previous = current;
      current = to;
      return true;
    }
    if (w === 'section' || w === 'segment' || w === '.section' || w === '.pushsection' || w === '.text' || w === '.data' || w === '.rodata' || w === '.bss') {
      ts.next();
      if (w === '.pushsection') sectionStack.push(current);
      const dotted = w.startsWith('.') && w !== '.section' && w !== '.pushsection';
      const name = dotted ? w : readSectionName(ts);
      // nasm spells attributes as words (`write`, `align=16`), GNU as flags and a type (`"aw", @nobits`).
      const section = sectionNamed(name, w.startsWith('.'));
      if (dotted) {
        // (`.text 1`: GNU subsections are not supported)
        ts.expectEnd();
      } else if (w === '.section' || w === '.pushsection') {
        // (named again without flags, a section keeps the ones it has, as in GNU as)
        readGnuAttributes(ts, section.attrs!);
      } else readNasmAttributes(ts, section.attrs!);
      previous = current;
      current = section;
      return true;
    }
    if (w === 'global' || w === '.global' || w === '.globl' || w === 'extern' || w === '.extern') {
      ts.next();
      do {
        const n = ts.next();
        if (n.kind !== 'ident') ts.error(`expected a symbol name, found ${ts.describe(n)}`, n);
        if (w.includes('glob')) globals.add(n.text);
        // `global _start:function` (nasm) carries a type; ignore it
        if (ts.eat(':')) ts.next();
      } while (ts.eat(','));
      ts.expectEnd();
      return true;
    }
    if (w === '.equ' || w === '.set') {
      ts.next();
      const n = ts.next();
      if (n.kind !== 'ident') ts.error(`expected a symbol name, found ${ts.describe(n)}`, n);
      ts.expect(',');
      items.push({ kind: 'equ', name: n.text, value: ts.expr(), loc });
      ts.expectEnd();
      return true;
    }
    if (w === 'cpu' || w === '.type' || w === '.size' || w === '.file' || w === '.ident' || w === '.arch' || w === '.cpu' || w === '.fpu' || w === '.eabi_attribute') {
      ts.next();
      while (!ts.atEnd()) ts.next();
      return true;
    }
    return backendDirective(ts, w);
  }

  /**
   * `.lcomm name, size[, align]`, `.comm name, size[, align]` and nasm's `common name size[:align]`:
   * `size` zero bytes named `name` in .bss (where ld puts a common symbol of a single file), the
   * current section unchanged.
   */
  function commonSymbol(ts: TokenStream, loc: SourceLoc, nasm: boolean): void {
    const n = ts.next();
    if (n.kind !== 'ident') ts.error(`expected a symbol name, found ${ts.describe(n)}`, n);
    if (!nasm) ts.expect(',');
    const size = constValue(ts.expr(), ts, 'the size');
    let align: bigint | undefined;
    if (ts.eat(nasm ? ':' : ',')) {
      align = constValue(ts.expr(), ts, 'the alignment');
      if (align < 1n || (align & (align - 1n)) !== 0n) ts.error(`the alignment must be a power of two, not ${align}`);
    }
    ts.expectEnd();
    if (size < 0n) ts.error(`the size must not be negative (${size})`);
    // No alignment given: the largest power of two not above the size, at most 16 (as GNU as's ELF target).
    if (align === undefined) for (align = 1n; align < 16n && align * 2n <= size; align *= 2n);
    const bss = sectionNamed('.bss', true);
    bss.items.push({ kind: 'align', to: { k: 'num', v: align }, fill: 0, loc });
    bss.items.push({ kind: 'label', name: n.text, loc: locOf(ts, n) });
    bss.items.push({ kind: 'fill', count: { k: 'num', v: size }, byte: 0, loc });
  }

  function backendDirective(ts: TokenStream, w: string): boolean {
    if (backend.directive) {
      const save = ts.pos;
      ts.next();
      if (backend.directive(w, ts, state)) return true;
      ts.pos = save;
    }
    return false;
  }

  function dataList(ts: TokenStream): (Expr | Uint8Array)[] {
    const values: (Expr | Uint8Array)[] = [];
    do {
      const t = ts.peek();
      const after = ts.peek(1);
      if (t.kind === 'string' && (after.kind === 'end' || (after.kind === 'punct' && after.text === ','))) {
        ts.next();
        values.push(t.bytes!);
      } else values.push(ts.expr());
    } while (ts.eat(','));
    ts.expectEnd();
    return values;
  }

  function constValue(e: Expr, ts: TokenStream, what: string): bigint {
    if (e.k === 'num') return e.v;
    ts.error(`${what} needs a constant number`);
  }

  function constByte(ts: TokenStream): number {
    const v = constValue(ts.expr(), ts, 'fill');
    if (v < -128n || v > 255n) ts.error(`fill byte ${v} does not fit in a byte`);
    return Number(v & 0xffn);
  }
}

/**
 * Refuses what a section cannot hold: initialised bytes or instructions in a nobits section (nasm
 * warns and drops them, GNU as refuses them), and anything at all in a section that is not loaded
 * (`noalloc`, or a GNU section without the "a" flag): a linked program would not have it in memory.
 */
function checkSectionContents(sections: Section[], source: string): void {
  const diagnostics: Diagnostic[] = [];
  const report = (err: AsmError): void => {
    for (const d of err.diagnostics) diagnostics.push(d);
  };
  for (const s of sections) {
    const attrs = s.attrs;
    if (!attrs) continue;
    if (!attrs.alloc) {
      const first = s.items.find((it) => it.kind !== 'label' && it.kind !== 'equ' && !isModeMarker(it));
      if (first) report(new AsmError({ loc: first.loc, message: `section '${s.name}' is not loaded at run time (GNU: no "a" flag; nasm: noalloc), so it may hold nothing; give it flags such as "a", "aw" or "ax" (nasm: alloc)` }));
      continue;
    }
    if (!attrs.nobits) continue;
    for (const it of s.items) {
      const what = initialisedWhat(it);
      if (what) report(initialisedInNobits(it.loc, s.name, what));
    }
  }
  if (diagnostics.length) throw withSourceLines(new AsmError(diagnostics), source.split('\n'));
}

/**
 * Assembles a whole source to flat bytes, with nasm `-f bin` semantics: sections follow one
 * another (the later ones aligned as nasm aligns them, a nobits one last), starting at `org`.
 */
export function assembleText<S>(source: string, backend: Backend<unknown, S>, opts: ParseOptions = {}): { bytes: Uint8Array; symbols: Map<string, bigint> } {
  // Only bytes and symbols are wanted here, so runs of pre-encoded lines may be one item each;
  // not when the backend's finishSection reads the statements (ARM literal pools).
  // (Options spelled out, not spread: a spread object's shape can differ from call to call.)
  const parsed = parseSource(source, backend, { file: opts.file, origin: opts.origin, mergeEncoded: backend.finishSection === undefined });
  const { bytes, out } = assembleFlat(source, parsed.sections, backend);
  // `symbols` only when asked for: out.symbols makes a BigInt per label.
  return {
    bytes,
    get symbols() {
      return out.symbols;
    },
  };
}

/** assembleText keeping every statement, each with the address it went to (for a listing). */
export function assembleTextPlaced<S>(source: string, backend: Backend<unknown, S>, opts: ParseOptions = {}): { bytes: Uint8Array; placed: Placed[]; origin: number } {
  const parsed = parseSource(source, backend, { file: opts.file, origin: opts.origin, mergeEncoded: false });
  const { bytes, out, origin } = assembleFlat(source, parsed.sections, backend);
  return { bytes, placed: out.placed, origin };
}

/** Sections one after another, as nasm -f bin lays them out, and the flat bytes from the first one's start. */
function assembleFlat<S>(source: string, parsedSections: Section[], backend: Backend<unknown, S>): { bytes: Uint8Array; out: Assembled; origin: number } {
  try {
    const { sections, nobitsStart } = flatSections(parsedSections);
    const out = assembleSections(sections, backend);
    const origin = sections[0]!.start;
    let bytes: Uint8Array;
    if (out.sections.length === 1 && out.sections[0]!.start === origin) {
      bytes = out.sections[0]!.bytes; // made for this call alone: no copy needed
    } else {
      const total = out.sections.reduce((n, s) => Math.max(n, s.start - origin + s.bytes.length), 0);
      bytes = new Uint8Array(total);
      for (const s of out.sections) bytes.set(s.bytes, s.start - origin);
    }
    // The nobits section has addresses but no bytes in the file.
    if (nobitsStart) bytes = bytes.subarray(0, out.placed.find((pl) => pl.item === nobitsStart)!.address - origin);
    return { bytes, out, origin };
  } catch (err) {
    if (err instanceof AsmError) throw withSourceLines(err, source.split('\n'));
    throw err;
  }
}

/**
 * Where nasm -f bin starts a later section: at a multiple of 4, of its `align=`, and of every
 * `align`/`alignb` in it (nasm's align macros raise the section's alignment, `sectalign`).
 */
function flatSectionAlignment(s: Section): number {
  let align = Math.max(4, s.attrs?.align ?? 1);
  const none = { here: 0, start: 0, lookup: () => undefined };
  for (const it of s.items) {
    if (it.kind !== 'align' || !isConstant(it.to)) continue;
    const to = evaluate(it.to, none);
    if (to !== undefined && to > BigInt(align) && to <= 1n << 16n && (to & (to - 1n)) === 0n) align = Number(to);
  }
  return align;
}

/**
 * Chains sections one after another: one section's start is the end of the previous one, aligned
 * (flatSectionAlignment); as nasm -f bin does, a nobits section (.bss) comes after all the others, and the file ends
 * where it starts (`nobitsStart`, the item in front of it).
 */
function flatSections(sections: Section[]): { sections: Section[]; nobitsStart?: Item } {
  const nobits = sections.filter((s) => s.attrs?.nobits && s.items.length > 0);
  if (nobits.length > 1) {
    // (nasm -f bin places a second nobits section at an address of its own choosing)
    const second = nobits[1]!;
    throw new AsmError({ loc: second.items[0]!.loc, message: `a second nobits section ('${second.name}' after '${nobits[0]!.name}') is not supported in flat output; put the reservations in one` });
  }
  if (sections.length === 1) return { sections };
  const ordered = [...sections.filter((s) => !nobits.includes(s)), ...nobits];
  // Put every section into one, with alignment items between, so addresses chain naturally.
  const first = sections[0]!;
  const items: Item[] = [...first.items];
  const loc = { file: '', line: 0, column: 0 };
  let nobitsStart: Item | undefined;
  for (const s of ordered.slice(1)) {
    const align: Item = { kind: 'align', to: { k: 'num', v: BigInt(flatSectionAlignment(s)) }, fill: 0, loc };
    if (s === nobits[0]) nobitsStart = align;
    items.push(align);
    items.push(...s.items);
  }
  return { sections: [{ name: first.name, start: first.start, items }], ...(nobitsStart ? { nobitsStart } : {}) };
}

export function withSourceLines(err: AsmError, lines: string[]): AsmError {
  return new AsmError(err.diagnostics.map((d) => (d.sourceLine === undefined && d.loc.line > 0 ? { ...d, sourceLine: lines[d.loc.line - 1] ?? '' } : d)));
}
