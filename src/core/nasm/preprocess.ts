/**
 * nasm's preprocessor, the part real sources use: `%define` and friends, `%assign`, multi-line
 * `%macro`s, `%rep`, `%if` and its variants, `%include`, `%strlen`/`%substr`, `%error`/`%warning`
 * and `struc`/`istruc`. It runs over a nasm-dialect source before the front end reads it and
 * gives the front end plain text, with a SourceMap from each line it made back to the user's
 * line (and the macros it came through). Anything else that starts with `%` is refused by line.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { AsmError, type Diagnostic } from '../errors.js';
import type { PreprocessOptions } from '../preprocessing.js';
import { SourceMap, type Expansion, type LineOrigin } from '../source-map.js';
import { evaluate, ExprError } from './expr.js';
import { joinText, lexPP, solid, splitArgs, trimToks, type PTok } from './lex.js';
import { parseMacroHead, paramText, type MacroCall, type MMacro, type SrcLine } from './mmacro.js';
import { SMacroError, SMacros } from './smacro.js';
import { StrucBuilder, type StrucContext } from './struc.js';
import { quoteString, stringBytes } from './strings.js';

export interface NasmPreprocessOptions extends PreprocessOptions {
  /** The source's name in messages; also where `%include` looks first (beside it). */
  file?: string;
}

export interface Preprocessed {
  text: string;
  map: SourceMap;
}

/** Where lines are being read: a file, a macro's expansion or one round of a `%rep`. */
interface Frame {
  readonly lines: readonly SrcLine[];
  pos: number;
  /** The macro whose parameters the lines use (a `%rep` inside a macro reads its macro's). */
  readonly macro: MacroCall | undefined;
  readonly stack: readonly Expansion[] | undefined;
  /** Number of `%rep`s around (for `%exitrep`). */
  readonly reps: number;
  readonly conds: Cond[];
}

/** An open `%if`: 'on' emits lines; 'seek' has not found its true branch yet; 'off' has passed it; 'dead' is inside a skipped one. */
interface Cond {
  state: 'on' | 'seek' | 'off' | 'dead';
  elseSeen: boolean;
  readonly at: SrcLine;
}

type Outcome = 'done' | 'exitrep' | 'exitmacro';

const MAX_DEPTH = 1000;
const MAX_INCLUDE_DEPTH = 64;
const MAX_REP = 1_000_000;
/** Lines the preprocessor may make in all (a `%rep` inside a `%rep` grows fast). */
const MAX_LINES = 1 << 24;

const COND_KINDS = new Set(['', 'def', 'idn', 'idni', 'num', 'str', 'id', 'macro', 'empty', 'token', 'ctx']);
/** Built-in macros of nasm's standard set that tinyelf makes itself (like `%imacro`s: any case). */
const STRUC_WORDS = new Set(['struc', 'endstruc', 'istruc', 'at', 'iend']);

/**
 * Whether a source needs the preprocessor at all: one without `%`, `struc`, `__LINE__`/`__FILE__`
 * and lines ending in `\` is given to the front end as it is (no copy, no map).
 */
export function needsPreprocessing(text: string): boolean {
  if (text.includes('%')) return true;
  if (text.includes('\\') && /\\\r?$/m.test(text)) return true;
  if (text.includes('__') && /__\??(FILE|LINE)\??__/.test(text)) return true;
  // (`includes` first: a case-blind regex over a large source costs more than the front end's
  // reading of a few thousand lines. The struc words written in lower, upper or capitalized case
  // are found; a sTrUc-like spelling of a lone `endstruc`/`iend` alone would be missed.)
  return STRUC_SPELLINGS.some((w) => text.includes(w)) && /\b(i?struc|endstruc|iend)\b/i.test(text);
}

/** (`truc` rather than `struc`: `s` is frequent in x86 sources, so searching for it is slower.) */
const STRUC_SPELLINGS = ['truc', 'TRUC', 'iend', 'IEND', 'Iend'];

/** Preprocesses a nasm source; undefined when it has nothing for the preprocessor. Throws AsmError. */
export function preprocessNasm(text: string, options: NasmPreprocessOptions = {}): Preprocessed | undefined {
  if (!needsPreprocessing(text)) return undefined;
  return new Preprocessor(options).run(text);
}

class Preprocessor {
  private readonly file: string;
  private readonly smacros = new SMacros();
  private readonly mmacros = new Map<string, MMacro[]>();
  /** `%imacro`s, by lower-case name. */
  private readonly imacros = new Map<string, MMacro[]>();
  private readonly out: string[] = [];
  private readonly origins: LineOrigin[] = [];
  private readonly files = new Map<string, readonly string[]>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly includeStack: string[] = [];
  private readonly struc = new StrucBuilder();
  private nextId = 1;
  /** The context stack of `%push`/`%pop`; its top names the `%$name`s. */
  private readonly contexts: { name: string; readonly id: number }[] = [];
  /** A placeholder map (no lines) for telling errors before the real one is made. */
  private readonly map: SourceMap;

  /** The line being read (for `__LINE__` and `__FILE__`). */
  private current: SrcLine | undefined;

  constructor(private readonly options: NasmPreprocessOptions) {
    this.file = options.file ?? '<input>';
    this.map = new SourceMap(this.file, this.origins, this.files);
    this.smacros.builtin = (name) => this.builtin(name);
  }

  /** nasm's `__LINE__` (in a macro or `%rep`: the line of its body, as nasm 2.16 gives it) and `__FILE__`. */
  private builtin(name: string): PTok[] | undefined {
    const at = this.current;
    if (at === undefined) return undefined;
    if (name === '__LINE__' || name === '__?LINE?__') return [{ kind: 'num', text: String(at.line), col: 0 }];
    if (name === '__FILE__' || name === '__?FILE?__') return [{ kind: 'str', text: quoteString(new TextEncoder().encode(at.file)), col: 0 }];
    return undefined;
  }

  run(text: string): Preprocessed {
    const lines = splitLines(text);
    this.files.set(this.file, lines);
    const realMain = this.realPath(this.file);
    if (realMain) this.includeStack.push(realMain);
    const frame = this.frame(sourceLines(lines, this.file), undefined, undefined, 0);
    try {
      const outcome = this.runFrame(frame);
      if (outcome === 'exitrep') this.problem(frame.lines[frame.pos - 1]!, undefined, 0, '%exitrep outside %rep');
      this.struc.finish();
    } catch (err) {
      if (!(err instanceof FatalStop)) throw err;
    }
    if (this.diagnostics.length) throw new AsmError(this.diagnostics);
    return { text: this.out.join('\n'), map: this.map };
  }

  private frame(lines: readonly SrcLine[], macro: MacroCall | undefined, stack: readonly Expansion[] | undefined, reps: number): Frame {
    return { lines, pos: 0, macro, stack, reps, conds: [] };
  }

  private runFrame(f: Frame): Outcome {
    while (f.pos < f.lines.length) {
      const raw = f.lines[f.pos++]!;
      const outcome = this.line(raw, f);
      if (outcome !== 'done') return outcome;
    }
    for (const c of f.conds) this.problem(c.at, undefined, 0, 'unterminated %if: no %endif before the end of the ' + (f.macro ? 'macro' : f.reps ? '%rep' : 'file'));
    return 'done';
  }

  // --- one line --------------------------------------------------------------------------------

  private line(raw: SrcLine, f: Frame): Outcome {
    this.current = raw;
    let text = raw.text;
    let cols: number[] | undefined;
    if (text.includes('%')) {
      const sub = this.substitute(raw, f);
      if (sub === undefined) return 'done';
      ({ text, cols } = sub);
    }
    if (raw.cols) cols = (cols ?? Array.from({ length: text.length }, (_, k) => k)).map((c) => raw.cols![c] ?? raw.cols![raw.cols!.length - 1]!);
    const at: Located = { raw, f, cols };
    const toks = text.includes('%') || this.struc.active || this.struc.inInstance || this.mayUseMacro(text) ? lexPP(text) : undefined;
    if (toks === undefined) {
      if (!skipping(f)) this.emit(text, at);
      return 'done';
    }
    const first = solid(toks)[0];
    if (first?.kind === 'pp') return this.directive(first, toks, at);
    if (skipping(f)) return 'done';
    let expanded: PTok[];
    try {
      expanded = this.smacros.expand(toks);
      if (expanded.some(isPaste)) expanded = this.smacros.expand(paste(expanded));
    } catch (err) {
      if (!(err instanceof SMacroError)) throw err;
      this.problem(raw, f, cols?.[0] ?? 0, err.message);
      return 'done';
    }
    for (const t of expanded) {
      if (t.kind === 'param' || t.kind === 'local') {
        this.problemAt(at, t, `'${t.text}' is only meaningful inside a multi-line macro (%macro … %endmacro)`);
        return 'done';
      }
      if (t.kind === 'pp') {
        this.problemAt(at, t, t.text.startsWith('%$') ? `'${t.text}' needs a context: no such %push is open` : `preprocessor directive not supported: ${t.text}`);
        return 'done';
      }
    }
    return this.statement(expanded, at);
  }

  /** A line that is not a directive: a macro use, a struc word, or text for the front end. */
  private statement(toks: PTok[], at: Located): Outcome {
    const s = solid(toks);
    const first = s[0];
    if (first?.kind !== 'id') {
      this.emitToks(toks, at);
      return 'done';
    }
    const colon = s[1]?.kind === 'op' && s[1].text === ':';
    // (`name:` is a label even when a macro has the name, as in nasm.)
    const direct = colon ? undefined : this.findMacro(first.text);
    if (direct) return this.callMacro(direct, first, toks.slice(toks.indexOf(first) + 1), at);
    // `label: macro args` and `label macro args`: the label first, then the expansion.
    const second = s[colon ? 2 : 1];
    if (second?.kind === 'id' && (this.findMacro(second.text) || this.strucWord(second.text))) {
      this.emitToks([first, { kind: 'op', text: ':', col: first.col + first.text.length - 1, made: true }], at);
      const rest = toks.slice(toks.indexOf(second));
      const macro = this.findMacro(second.text);
      if (macro) return this.callMacro(macro, second, rest.slice(1), at);
      this.strucStatement(second, rest.slice(1), at);
      return 'done';
    }
    if (this.strucWord(first.text)) {
      this.strucStatement(first, toks.slice(toks.indexOf(first) + 1), at);
      return 'done';
    }
    this.emitToks(toks, at);
    return 'done';
  }

  // --- output ----------------------------------------------------------------------------------

  private emitToks(toks: readonly PTok[], at: Located): void {
    let text = '';
    let changed = at.cols !== undefined;
    const cols: number[] = [];
    for (const t of toks) {
      if (t.made) changed = true;
      for (let k = 0; k < t.text.length; k++) {
        const c = t.made ? t.col : t.col + k;
        cols.push(at.cols ? (at.cols[c] ?? c) : c);
      }
      text += t.text;
    }
    this.emit(text, { ...at, cols: changed ? cols : undefined });
  }

  private emit(text: string, at: Located): void {
    if (this.struc.active) this.struc.take(text, this.strucContext(at, undefined));
    else this.emitMade(text, at);
  }

  private emitMade(text: string, at: Located): void {
    if (this.out.length >= MAX_LINES) this.fatal(at.raw, at.f, 'the preprocessor made more than 2^24 lines (a %rep or macro without end?)');
    this.out.push(text);
    this.origins.push({ file: at.raw.file, line: at.raw.line, cols: at.cols, stack: at.f.stack });
  }

  // --- errors ----------------------------------------------------------------------------------

  private problem(raw: SrcLine, f: Frame | undefined, col: number, message: string): void {
    this.diagnostics.push(this.map.diagnostic({ file: raw.file, line: raw.line, stack: f?.stack }, col + 1, message));
  }

  private problemAt(at: Located, t: PTok | undefined, message: string): void {
    const end = at.raw.cols ? at.raw.cols[at.raw.cols.length - 1]! + 1 : at.raw.text.length;
    const col = t === undefined ? end : at.cols ? (at.cols[t.col] ?? end) : t.col;
    this.problem(at.raw, at.f, col, message);
  }

  private fatal(raw: SrcLine, f: Frame | undefined, message: string): never {
    this.problem(raw, f, 0, message);
    throw new FatalStop();
  }

  // --- directives ------------------------------------------------------------------------------

  private directive(name: PTok, toks: PTok[], at: Located): Outcome {
    const word = name.text.slice(1).toLowerCase();
    const args = toks.slice(toks.indexOf(name) + 1);
    const f = at.f;
    if (this.conditional(word, name, args, at)) return 'done';
    if (skipping(f)) return 'done';
    switch (word) {
      case 'define': case 'xdefine': case 'idefine': case 'ixdefine':
        this.define(word, args, at);
        return 'done';
      case 'undef':
        this.undef(args, at);
        return 'done';
      case 'assign': case 'iassign':
        this.assign(word === 'iassign', args, at);
        return 'done';
      case 'defstr': case 'idefstr':
        this.defstr(word === 'idefstr', args, at);
        return 'done';
      case 'strlen': case 'substr':
        this.stringDirective(word, args, at);
        return 'done';
      case 'macro': case 'imacro': case 'rmacro': case 'irmacro':
        this.defineMacro(word.startsWith('i'), name, args, at);
        return 'done';
      case 'unmacro': case 'unimacro':
        this.unmacro(word === 'unimacro', name, args, at);
        return 'done';
      case 'deftok': case 'ideftok':
        this.deftok(word === 'ideftok', args, at);
        return 'done';
      case 'endmacro': case 'endm':
        this.problemAt(at, name, `${name.text} without %macro`);
        return 'done';
      case 'rotate':
        this.rotate(name, args, at);
        return 'done';
      case 'exitmacro':
        if (f.macro === undefined) this.problemAt(at, name, '%exitmacro outside a macro');
        return f.macro === undefined ? 'done' : 'exitmacro';
      case 'rep':
        return this.rep(name, args, at);
      case 'endrep':
        this.problemAt(at, name, '%endrep without %rep');
        return 'done';
      case 'exitrep':
        if (f.reps === 0) this.problemAt(at, name, '%exitrep outside %rep');
        return f.reps === 0 ? 'done' : 'exitrep';
      case 'include':
        this.include(name, args, at);
        return 'done';
      case 'push': case 'pop': case 'repl':
        this.context(word, name, args, at);
        return 'done';
      case 'error': case 'fatal': case 'warning':
        this.report(word, name, args, at);
        return 'done';
      default:
        this.problemAt(at, name, `preprocessor directive not supported: ${name.text}`);
        return 'done';
    }
  }

  /** `%if…`, `%elif…`, `%else`, `%endif`; false for any other directive. */
  private conditional(word: string, name: PTok, args: PTok[], at: Located): boolean {
    const conds = at.f.conds;
    const top = conds[conds.length - 1];
    if (word === 'else' || word === 'endif') {
      if (top === undefined) {
        this.problemAt(at, name, `%${word} without %if`);
        return true;
      }
      if (word === 'endif') conds.pop();
      else {
        if (top.elseSeen) this.problemAt(at, name, '%else after %else');
        top.elseSeen = true;
        top.state = top.state === 'seek' ? 'on' : top.state === 'on' ? 'off' : top.state;
      }
      return true;
    }
    const isElif = word.startsWith('elif');
    if (!isElif && !word.startsWith('if')) return false;
    const rest = word.slice(isElif ? 4 : 2);
    const negate = !COND_KINDS.has(rest) && rest.startsWith('n');
    const kind = negate ? rest.slice(1) : rest;
    if (!COND_KINDS.has(kind)) {
      // (Still an %if for nesting: its %endif must not close the one around it.)
      if (!skipping(at.f)) this.problemAt(at, name, `preprocessor directive not supported: ${name.text}`);
      if (!isElif) conds.push({ state: 'dead', elseSeen: false, at: at.raw });
      return true;
    }
    if (!isElif) {
      const state = skipping(at.f) ? 'dead' : this.test(kind, args, at) !== negate ? 'on' : 'seek';
      conds.push({ state, elseSeen: false, at: at.raw });
      return true;
    }
    if (top === undefined) {
      this.problemAt(at, name, `${name.text} without %if`);
      return true;
    }
    if (top.elseSeen) this.problemAt(at, name, `${name.text} after %else`);
    if (top.state === 'on') top.state = 'off';
    else if (top.state === 'seek' && this.test(kind, args, at) !== negate) top.state = 'on';
    return true;
  }

  /** The condition of `%if<kind>`; an error in it counts as false. */
  private test(kind: string, args: PTok[], at: Located): boolean {
    if (kind === 'def') {
      const id = this.nameArg(args, at, '%ifdef');
      return id !== undefined && this.smacros.isDefined(id.text);
    }
    if (kind === 'ctx') {
      const names = solid(args);
      const top = this.contexts[this.contexts.length - 1];
      return top !== undefined && names.some((n) => n.text === top.name);
    }
    if (kind === 'macro') {
      const id = this.nameArg(args, at, '%ifmacro', true);
      return id !== undefined && this.findMacro(id.text) !== undefined;
    }
    const expanded = this.expandArgs(args, at);
    if (expanded === undefined) return false;
    const s = solid(expanded);
    switch (kind) {
      case '': {
        const v = this.value(expanded, at, '%if');
        return v !== undefined && v !== 0n;
      }
      case 'idn': case 'idni': {
        const [a, b] = splitArgs(expanded, 2, false);
        if (b === undefined) {
          this.problemAt(at, undefined, `%if${kind} needs two pieces of text separated by a comma`);
          return false;
        }
        const norm = (p: PTok[]): string => solid(p).map((t) => (kind === 'idni' ? t.text.toLowerCase() : t.text)).join(' ');
        return norm(a!) === norm(b);
      }
      // (nasm: a sign before the number still makes a number; several strings are still strings.)
      case 'num': return (s.length === 1 || (s.length === 2 && (s[0]!.text === '-' || s[0]!.text === '+'))) && s[s.length - 1]!.kind === 'num';
      case 'str': return s.length >= 1 && s.every((t) => t.kind === 'str');
      case 'id': return s.length === 1 && s[0]!.kind === 'id';
      case 'empty': return s.length === 0;
      default: return s.length === 1; // token
    }
  }

  private nameArg(args: PTok[], at: Located, what: string, more = false): PTok | undefined {
    const s = solid(args);
    if (s[0]?.kind !== 'id' || (!more && s.length > 1)) {
      this.problemAt(at, s[more ? 0 : 1] ?? s[0], `${what} needs one macro name`);
      return undefined;
    }
    return s[0];
  }

  private expandArgs(args: PTok[], at: Located): PTok[] | undefined {
    try {
      return this.smacros.expand(args);
    } catch (err) {
      if (!(err instanceof SMacroError)) throw err;
      this.problemAt(at, solid(args)[0], err.message);
      return undefined;
    }
  }

  /** The value of an expression (already expanded), or undefined after reporting why it has none. */
  private value(toks: PTok[], at: Located, what: string): bigint | undefined {
    try {
      return evaluate(toks);
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      this.problemAt(at, err.at ?? undefined, `${what}: ${err.message}`);
      return undefined;
    }
  }

  private define(word: string, args: PTok[], at: Located): void {
    const s = solid(args);
    const name = s[0];
    if (name?.kind !== 'id') {
      this.problemAt(at, name, `%${word} needs a macro name, found ${name ? `'${name.text}'` : 'end of line'}`);
      return;
    }
    let k = args.indexOf(name) + 1;
    let params: string[] | undefined;
    if (args[k]?.kind === 'op' && args[k]!.text === '(') {
      const close = args.findIndex((t, j) => j > k && t.kind === 'op' && t.text === ')');
      const inside = close < 0 ? [] : splitArgs(args.slice(k + 1, close));
      const bad = inside.find((p) => p.length !== 1 || p[0]!.kind !== 'id');
      if (close < 0 || (bad && !(inside.length === 1 && inside[0]!.length === 0))) {
        this.problemAt(at, bad?.[0] ?? args[k], `%${word}: expected parameter names in parentheses, as in ${name.text}(a, b)`);
        return;
      }
      params = inside[0]!.length === 0 ? [] : inside.map((p) => p[0]!.text);
      k = close + 1;
    }
    let body = trimToks(args.slice(k));
    if (word.includes('x')) {
      const expanded = this.expandArgs(body, at);
      if (expanded === undefined) return;
      body = expanded;
    }
    this.smacros.define(name.text, params, body.map(({ kind, text, col }) => ({ kind, text, col })), word.startsWith('i'));
  }

  private undef(args: PTok[], at: Located): void {
    const id = this.nameArg(args, at, '%undef');
    if (id) this.smacros.undef(id.text);
  }

  /**
   * The macro name a defining directive starts with and the rest of its line, macros expanded;
   * undefined (the problem reported) when there is no name or the expansion fails.
   */
  private nameAndExpansion(args: PTok[], at: Located, needs: string): { name: PTok; expanded: PTok[] } | undefined {
    const name = solid(args)[0];
    if (name?.kind !== 'id') {
      this.problemAt(at, name, needs);
      return undefined;
    }
    const expanded = this.expandArgs(args.slice(args.indexOf(name) + 1), at);
    return expanded === undefined ? undefined : { name, expanded };
  }

  private assign(caseless: boolean, args: PTok[], at: Located): void {
    const named = this.nameAndExpansion(args, at, '%assign needs a name and an expression');
    if (!named) return;
    const { name, expanded } = named;
    const v = this.value(expanded, at, '%assign');
    if (v === undefined) return;
    // (A negative value is two tokens, `-` and the number, as nasm makes it.)
    this.smacros.define(name.text, undefined, lexPP(v.toString()), caseless);
  }

  /** `%defstr name text`: the text (macros expanded, spaces between tokens made one) as a string. */
  private defstr(caseless: boolean, args: PTok[], at: Located): void {
    const named = this.nameAndExpansion(args, at, '%defstr needs a macro name');
    if (!named) return;
    const { name, expanded } = named;
    const text = trimToks(expanded).map((t) => (t.kind === 'ws' ? ' ' : t.text)).join('');
    this.smacros.define(name.text, undefined, [{ kind: 'str', text: quoteString(new TextEncoder().encode(text)), col: 0 }], caseless);
  }

  /** `%strlen name 'text'` and `%substr name 'text' start[, length]`. */
  private stringDirective(word: string, args: PTok[], at: Located): void {
    const named = this.nameAndExpansion(args, at, `%${word} needs a macro name`);
    if (!named) return;
    const { name, expanded } = named;
    const str = solid(expanded)[0];
    const after = str ? expanded.slice(expanded.indexOf(str) + 1) : [];
    if (str?.kind !== 'str' || (word === 'strlen' && solid(after).length > 0)) {
      this.problemAt(at, str?.kind === 'str' ? solid(after)[0] : str, `%${word} needs ${word === 'strlen' ? 'one string' : 'a string, a start and a length'} after the name`);
      return;
    }
    const rest = solid(after).length ? splitArgs(after, Infinity, true) : [];
    const bytes = stringBytes(str.text);
    if (bytes === undefined) {
      this.problemAt(at, str, `${str.text} is not a valid string (no closing quote, or a bad escape)`);
      return;
    }
    if (word === 'strlen') {
      this.smacros.define(name.text, undefined, [{ kind: 'num', text: String(bytes.length), col: 0 }], false);
      return;
    }
    const start = rest[0] && this.value(rest[0], at, '%substr');
    const count = rest[1] ? this.value(rest[1], at, '%substr') : 1n;
    if (start === undefined || count === undefined) {
      if (!rest[0]) this.problemAt(at, undefined, '%substr needs a start position (from 1)');
      return;
    }
    const from = Math.max(0, Number(start) - 1);
    const to = count < 0n ? bytes.length + Number(count) + 1 : from + Number(count);
    this.smacros.define(name.text, undefined, [{ kind: 'str', text: quoteString(bytes.subarray(from, Math.max(from, to))), col: 0 }], false);
  }

  private report(word: string, name: PTok, args: PTok[], at: Located): void {
    const expanded = this.expandArgs(args, at) ?? args;
    const s = solid(expanded);
    const bytes = s.length === 1 && s[0]!.kind === 'str' ? stringBytes(s[0]!.text) : undefined;
    const message = bytes ? new TextDecoder().decode(bytes) : joinText(trimToks(expanded));
    if (word !== 'warning') {
      this.problemAt(at, name, `${name.text}: ${message}`);
      if (word === 'fatal') throw new FatalStop();
      return;
    }
    this.warn(at, name, message);
  }

  private warn(at: Located, t: PTok, message: string): void {
    const d = this.map.diagnostic({ file: at.raw.file, line: at.raw.line, cols: at.cols, stack: at.f.stack }, (at.cols?.[t.col] ?? t.col) + 1, message);
    if (this.options.onWarning) this.options.onWarning(d);
    else process.stderr.write(`${d.loc.file}:${d.loc.line}:${d.loc.column}: warning: ${d.message}\n`);
  }

  // --- %rep ------------------------------------------------------------------------------------

  private rep(name: PTok, args: PTok[], at: Located): Outcome {
    const body = this.block(at, name, /^(rep)$/, /^(endrep)$/, '%rep', '%endrep');
    const expanded = this.expandArgs(args, at);
    const count = expanded && this.value(expanded, at, '%rep');
    if (count === undefined || body === undefined) return 'done';
    if (count < 0n || count > BigInt(MAX_REP)) {
      this.problemAt(at, solid(args)[0], `%rep count ${count} is out of range (0..${MAX_REP})`);
      return 'done';
    }
    for (let k = 0n; k < count; k++) {
      const outcome = this.runFrame(this.frame(body, at.f.macro, at.f.stack, at.f.reps + 1));
      if (outcome === 'exitrep') break;
      if (outcome === 'exitmacro') return outcome;
    }
    return 'done';
  }

  /**
   * The lines after the current one up to the matching end directive (nested pairs included),
   * which is consumed; undefined (after an error) when the frame ends first.
   */
  private block(at: Located, name: PTok, open: RegExp, close: RegExp, what: string, end: string): SrcLine[] | undefined {
    const f = at.f;
    let depth = 0;
    for (let k = f.pos; k < f.lines.length; k++) {
      const word = directiveWord(f.lines[k]!.text);
      if (word === undefined) continue;
      if (open.test(word)) depth++;
      else if (close.test(word) && depth-- === 0) {
        const body = f.lines.slice(f.pos, k);
        f.pos = k + 1;
        return body;
      }
    }
    this.problemAt(at, name, `unterminated ${what}: no ${end} before the end of the ${f.macro ? 'macro' : 'file'}`);
    f.pos = f.lines.length;
    return undefined;
  }

  // --- multi-line macros -----------------------------------------------------------------------

  /**
   * False when no macro (nor `struc`/`istruc`) can be on the line: none of their names is in its
   * text. Lets most lines skip tokens. (With very many names, the answer is always true.)
   */
  private mayUseMacro(text: string): boolean {
    if (text.includes('__')) return true; // (__LINE__, __FILE__)
    const exact = this.smacros.names(false);
    const folded = this.smacros.names(true);
    if (exact.length + folded.length + this.mmacros.size + this.imacros.size > 64) return true;
    for (const name of exact) if (text.includes(name)) return true;
    for (const name of this.mmacros.keys()) if (text.includes(name)) return true;
    if (folded.length === 0 && this.imacros.size === 0 && !/struc|iend/i.test(text)) return false;
    const lower = text.toLowerCase();
    if (lower.includes('struc') || lower.includes('iend')) return true;
    for (const name of folded) if (lower.includes(name)) return true;
    for (const name of this.imacros.keys()) if (lower.includes(name)) return true;
    return false;
  }

  private findMacro(name: string): MMacro[] | undefined {
    return this.mmacros.get(name) ?? this.imacros.get(name.toLowerCase());
  }

  private defineMacro(caseless: boolean, name: PTok, args: PTok[], at: Located): void {
    const body = this.block(at, name, /^i?r?macro$/, /^(endmacro|endm)$/, '%macro', '%endmacro');
    const head = parseMacroHead(args);
    if (typeof head === 'string') {
      this.problemAt(at, solid(args)[0] ?? name, `${name.text}: ${head}`);
      return;
    }
    if (body === undefined) return;
    const macro: MMacro = { ...head, body };
    const table = caseless ? this.imacros : this.mmacros;
    const key = caseless ? head.name.toLowerCase() : head.name;
    const list = (table.get(key) ?? []).filter((m) => m.min !== macro.min || m.max !== macro.max);
    list.push(macro);
    table.set(key, list);
  }

  /** `%unmacro name N[-M][+]`: removes the definition with exactly that parameter count. */
  private unmacro(caseless: boolean, name: PTok, args: PTok[], at: Located): void {
    const head = parseMacroHead(args);
    if (typeof head === 'string') {
      this.problemAt(at, solid(args)[0] ?? name, `${name.text}: ${head}`);
      return;
    }
    const table = caseless ? this.imacros : this.mmacros;
    const key = caseless ? head.name.toLowerCase() : head.name;
    const list = (table.get(key) ?? []).filter((m) => m.min !== head.min || m.max !== head.max);
    if (list.length) table.set(key, list);
    else table.delete(key);
  }

  /** `%deftok name 'text'`: the macro's value is the text of the string, read as tokens. */
  private deftok(caseless: boolean, args: PTok[], at: Located): void {
    const s = solid(args);
    const name = s[0];
    const expanded = name?.kind === 'id' ? this.expandArgs(args.slice(args.indexOf(name) + 1), at) : undefined;
    const str = expanded && solid(expanded);
    const bytes = str?.length === 1 && str[0]!.kind === 'str' ? stringBytes(str[0]!.text) : undefined;
    if (name?.kind !== 'id' || bytes === undefined) {
      if (name?.kind !== 'id' || expanded !== undefined) this.problemAt(at, name?.kind === 'id' ? str?.[0] : name, '%deftok needs a macro name and one string');
      return;
    }
    this.smacros.define(name.text, undefined, trimToks(lexPP(new TextDecoder().decode(bytes))), caseless);
  }

  private callMacro(defs: readonly MMacro[], nameTok: PTok, rest: PTok[], at: Located): Outcome {
    const all = solid(rest).length === 0 ? [] : splitArgs(rest, Infinity, false);
    // nasm drops one empty last parameter (`m a,` has one), with a warning.
    if (all.length > 1 && all[all.length - 1]!.length === 0) {
      all.pop();
      this.warn(at, nameTok, `dropping the empty last parameter in the use of macro '${nameTok.text}' (as nasm does)`);
    }
    const given = all.length;
    const macro = defs.find((m) => given >= m.min && (given <= m.max || m.greedy));
    if (macro === undefined) {
      const takes = defs.map((m) => (m.max === m.min ? `${m.min}` : m.max === Infinity ? `${m.min} or more` : `${m.min} to ${m.max}`)).join(' or ');
      this.problemAt(at, nameTok, `macro '${nameTok.text}' takes ${takes} parameter${takes === '1' ? '' : 's'}, found ${given}`);
      return 'done';
    }
    const params = macro.greedy && given > macro.max ? splitArgs(rest, macro.max, false) : all;
    // Defaults fill the parameters after the required ones; %0 counts them (as in nasm).
    for (let k = params.length; k < macro.max && k - macro.min < macro.defaults.length; k++) if (k >= macro.min) params.push(macro.defaults[k - macro.min]!);
    const depth = at.f.stack?.length ?? 0;
    if (depth >= MAX_DEPTH) this.fatal(at.raw, at.f, `macros nest more than ${MAX_DEPTH} deep (a macro that uses itself without end?)`);
    const column = (at.cols ? (at.cols[nameTok.col] ?? 0) : nameTok.col) + 1;
    const stack = [...(at.f.stack ?? []), { macro: macro.name, file: at.raw.file, line: at.raw.line, column }];
    const call: MacroCall = { name: macro.name, params, id: this.nextId++ };
    const outcome = this.runFrame(this.frame(macro.body, call, stack, at.f.reps));
    return outcome === 'exitmacro' ? 'done' : outcome;
  }

  private rotate(name: PTok, args: PTok[], at: Located): void {
    const call = at.f.macro;
    if (call === undefined) {
      this.problemAt(at, name, '%rotate outside a macro');
      return;
    }
    const expanded = this.expandArgs(args, at);
    const by = expanded && this.value(expanded, at, '%rotate');
    if (by === undefined || call.params.length === 0) return;
    const n = call.params.length;
    const k = ((Number(by % BigInt(n)) % n) + n) % n;
    call.params = [...call.params.slice(k), ...call.params.slice(0, k)];
  }

  /**
   * The line with a macro's `%1`, `%{1}`, `%0`, `%?`, `%+1`/`%-1`, `%%name` and the context's
   * `%$name` put in; the columns of its characters in the line as written. Undefined after an
   * error. Outside a macro, `%1` and `%%name` are left for `line` to refuse.
   */
  private substitute(raw: SrcLine, f: Frame): { text: string; cols: number[] | undefined } | undefined {
    const call = f.macro;
    const toks = lexPP(raw.text);
    const isContext = (t: PTok): boolean => t.kind === 'pp' && t.text.startsWith('%$');
    if (!toks.some((t) => ((t.kind === 'param' || t.kind === 'local') && call) || isContext(t))) return { text: raw.text, cols: undefined };
    let text = '';
    const cols: number[] = [];
    const put = (s: string, col: number, verbatim: boolean): void => {
      for (let k = 0; k < s.length; k++) cols.push(verbatim ? col + k : col);
      text += s;
    };
    for (const t of toks) {
      if (call && t.kind === 'local') put(`..@${call.id}.${t.text.slice(2)}`, t.col, false);
      else if (call && t.kind === 'param') {
        const value = paramText(t, call);
        if (typeof value !== 'string') {
          this.problem(raw, f, raw.cols?.[t.col] ?? t.col, value.error);
          return undefined;
        }
        put(value, t.col, false);
      } else if (isContext(t)) {
        const name = this.contextName(t.text);
        // (In a skipped branch a missing context is no error: the token is left, and not read.)
        if (name === undefined && !skipping(f)) {
          this.problem(raw, f, raw.cols?.[t.col] ?? t.col, `'${t.text}' needs ${t.text.startsWith('%$$') ? 'an outer' : 'a'} context: no such %push is open`);
          return undefined;
        }
        put(name ?? t.text, t.col, name === undefined);
      } else put(t.text, t.col, true);
    }
    return { text, cols };
  }

  /** `%$name` → the name local to the context on top (`%$$name`: the one below it, …), as nasm names it: `..@N.name`. */
  private contextName(token: string): string | undefined {
    let dollars = 1;
    while (token[1 + dollars] === '$') dollars++;
    const ctx = this.contexts[this.contexts.length - dollars];
    return ctx && token.length > 1 + dollars ? `..@${ctx.id}.${token.slice(1 + dollars)}` : undefined;
  }

  /** `%push name`, `%pop [name]`, `%repl name`. */
  private context(word: string, name: PTok, args: PTok[], at: Located): void {
    const s = solid(args);
    const id = s[0];
    if ((word !== 'pop' && (id?.kind !== 'id' || s.length > 1)) || (word === 'pop' && s.length > (id?.kind === 'id' ? 1 : 0))) {
      this.problemAt(at, s[word === 'pop' ? 0 : 1] ?? s[0] ?? name, `${name.text} ${word === 'pop' ? 'takes at most the name of the context' : 'needs the name of a context'}`);
      return;
    }
    if (word === 'push') {
      this.contexts.push({ name: id!.text, id: this.nextId++ });
      return;
    }
    const top = this.contexts[this.contexts.length - 1];
    if (top === undefined) this.problemAt(at, name, `${name.text} with no context open (no %push)`);
    else if (word === 'repl') top.name = id!.text;
    else if (id !== undefined && id.text !== top.name) this.problemAt(at, id, `%pop ${id.text}, but the context open is '${top.name}'`);
    else this.contexts.pop();
  }

  // --- %include --------------------------------------------------------------------------------

  private include(name: PTok, args: PTok[], at: Located): void {
    const expanded = this.expandArgs(args, at);
    if (expanded === undefined) return;
    const s = solid(expanded);
    const text = joinText(trimToks(expanded));
    let path: string | undefined;
    const bytes = s.length === 1 && s[0]!.kind === 'str' ? stringBytes(s[0]!.text) : undefined;
    if (bytes) path = new TextDecoder().decode(bytes);
    else if (text.startsWith('<') && text.endsWith('>')) path = text.slice(1, -1);
    if (path === undefined || path === '') {
      this.problemAt(at, s[0] ?? name, `%include needs a file name in quotes, found ${s[0] ? `'${text}'` : 'end of line'}`);
      return;
    }
    const tried = this.candidates(path, at.raw.file);
    const found = tried.find((p) => existsSync(p) && statSync(p).isFile());
    if (found === undefined) {
      this.problemAt(at, s[0], `cannot find the include file '${path}' (looked for ${tried.map((p) => `'${p}'`).join(', ')})`);
      return;
    }
    const real = this.realPath(found) ?? found;
    if (this.includeStack.includes(real)) {
      this.problemAt(at, s[0], `include cycle: '${found}' is already being read (${[...this.includeStack, real].join(' -> ')})`);
      return;
    }
    if (this.includeStack.length >= MAX_INCLUDE_DEPTH) this.fatal(at.raw, at.f, `%include nests more than ${MAX_INCLUDE_DEPTH} deep`);
    const lines = splitLines(readFileSync(found, 'utf8'));
    this.files.set(found, lines);
    this.includeStack.push(real);
    const outcome = this.runFrame(this.frame(sourceLines(lines, found), undefined, at.f.stack, 0));
    if (outcome !== 'done') this.problemAt(at, name, `%${outcome} in '${found}' does not reach outside the file`);
    this.includeStack.pop();
  }

  /** Where `%include "path"` may be: beside the including file, then in each include directory. */
  private candidates(path: string, from: string): string[] {
    if (isAbsolute(path)) return [path];
    const besideOf = (file: string): string => (file.startsWith('<') ? path : join(dirname(file), path));
    // (nasm looks in the directory it runs in, which is usually the main source's: so does tinyelf, after the includer's own.)
    const all = [besideOf(from), besideOf(this.file), ...(this.options.includePaths ?? []).map((dir) => join(dir, path))];
    return all.filter((p, k) => all.indexOf(p) === k);
  }

  private realPath(path: string): string | undefined {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  }

  // --- struc -----------------------------------------------------------------------------------

  private strucWord(word: string): boolean {
    return STRUC_WORDS.has(word.toLowerCase());
  }

  private strucStatement(word: PTok, rest: PTok[], at: Located): void {
    const w = word.text.toLowerCase();
    if (w !== 'struc' && w !== 'istruc' && !this.struc.expects(w)) {
      this.problemAt(at, word, `${word.text} without ${w === 'endstruc' ? 'struc' : 'istruc'}`);
      return;
    }
    this.struc.statement(word.text.toLowerCase(), splitArgs(rest, 2, false), this.strucContext(at, word));
  }

  private strucContext(at: Located, word: PTok | undefined): StrucContext & { report: (message: string) => void } {
    // (A line made here is located, all of it, at the struc word, or at the start of the struc line it stands for.)
    const col = word ? (at.cols?.[word.col] ?? word.col) : Math.max(0, at.raw.text.search(/\S/));
    return {
      emit: (line) => this.emitMade(line, { ...at, cols: new Array<number>(line.length).fill(col) }),
      fail: (message, t) => this.problemAt(at, t ?? word, message),
      report: (message) => this.problemAt(at, word, message),
      value: (toks) => this.value(toks, at, word?.text ?? 'struc'),
      id: () => this.nextId++,
    };
  }
}

/** Thrown by `%fatal` and by limits: stop reading at once. */
class FatalStop extends Error {}

/** Where a line is being read, and the columns of its characters in the line as written. */
interface Located {
  readonly raw: SrcLine;
  readonly f: Frame;
  readonly cols: number[] | undefined;
}

const isPaste = (t: PTok): boolean => t.kind === 'op' && t.text === '%+';

/** `a %+ b` made into one token `ab` (nasm's pasting, after single-line macros are expanded). */
function paste(toks: readonly PTok[]): PTok[] {
  const out: PTok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!isPaste(t)) {
      out.push(t);
      continue;
    }
    while (out.length && out[out.length - 1]!.kind === 'ws') out.pop();
    while (toks[i + 1]?.kind === 'ws') i++;
    const left = out.pop();
    const right = toks[++i];
    if (left === undefined || right === undefined) {
      if (left) out.push(left);
      if (right) out.push(right);
      continue;
    }
    const text = left.text + right.text;
    const relexed = lexPP(text);
    out.push({ kind: relexed.length === 1 ? relexed[0]!.kind : left.kind, text, col: left.col, made: true, hide: left.hide });
  }
  return out;
}

function skipping(f: Frame): boolean {
  const top = f.conds[f.conds.length - 1];
  return top !== undefined && top.state !== 'on';
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

/**
 * A file's lines as the preprocessor reads them: a line that ends in `\` goes on with the next
 * (as in nasm, also in a comment); the joined line is located at its first line, what follows the
 * first `\` at that backslash.
 */
function sourceLines(lines: readonly string[], file: string): SrcLine[] {
  const out: SrcLine[] = [];
  for (let k = 0; k < lines.length; k++) {
    const first = k;
    let text = lines[k]!;
    if (!(k + 1 < lines.length && (text.endsWith('\\') || text.endsWith('\\\r')))) {
      out.push({ text, file, line: first + 1 });
      continue;
    }
    const backslash = text.lastIndexOf('\\');
    while (k + 1 < lines.length && (text.endsWith('\\') || text.endsWith('\\\r'))) text = text.slice(0, text.lastIndexOf('\\')) + lines[++k]!;
    out.push({ text, file, line: first + 1, cols: Array.from({ length: text.length }, (_, c) => Math.min(c, backslash)) });
  }
  return out;
}

/** The lower-case directive a line starts with (`%rep` → 'rep'), if any. */
function directiveWord(text: string): string | undefined {
  const m = /^\s*%([A-Za-z_]\w*)/.exec(text);
  return m ? m[1]!.toLowerCase() : undefined;
}

