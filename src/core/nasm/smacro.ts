/**
 * nasm's single-line macros (`%define`, `%xdefine`, `%idefine`, `%assign`, `%undef`) and their
 * expansion. As in nasm, a name may have one definition without parameters and one for each
 * number of parameters; an expansion is scanned again for more macros, but a macro is never
 * expanded inside its own expansion (`%define a a+1` makes `a` into `a+1`), and arguments are
 * put in unexpanded (so `f(f(1))` is `f(1)+1`, as nasm makes it).
 */
import { splitArgs, type PTok } from './lex.js';

export interface SMacro {
  /** Parameter names, or undefined for a macro used without parentheses. */
  readonly params: readonly string[] | undefined;
  readonly body: readonly PTok[];
}

/** Expansions allowed on one line: stops a macro set that grows without end. */
const MAX_EXPANSIONS = 100_000;

export class SMacroError extends Error {}

export class SMacros {
  /** Case-sensitive definitions, by name. */
  private readonly exact = new Map<string, SMacro[]>();
  /** `%idefine` definitions, by lower-case name. */
  private readonly folded = new Map<string, SMacro[]>();

  /**
   * Macros whose value depends on where they are used (`__LINE__`): the tokens for a name, or
   * undefined when it is not one. Asked only for names with no definition of their own.
   */
  builtin: ((name: string) => PTok[] | undefined) | undefined = undefined;

  get empty(): boolean {
    return this.exact.size === 0 && this.folded.size === 0 && this.builtin === undefined;
  }

  define(name: string, params: readonly string[] | undefined, body: readonly PTok[], caseless: boolean): void {
    const table = caseless ? this.folded : this.exact;
    const key = caseless ? name.toLowerCase() : name;
    const list = (table.get(key) ?? []).filter((m) => m.params?.length !== params?.length);
    list.push({ params, body });
    table.set(key, list);
  }

  /** The names defined (`%idefine` ones in lower case when `caseless`). */
  names(caseless: boolean): string[] {
    return [...(caseless ? this.folded : this.exact).keys()];
  }

  undef(name: string): void {
    this.exact.delete(name);
    this.folded.delete(name.toLowerCase());
  }

  isDefined(name: string): boolean {
    return this.exact.has(name) || this.folded.has(name.toLowerCase());
  }

  private lookup(name: string): SMacro[] | undefined {
    return this.exact.get(name) ?? (this.folded.size ? this.folded.get(name.toLowerCase()) : undefined);
  }

  /** The tokens with every macro expanded. */
  expand(input: readonly PTok[]): PTok[] {
    if (this.empty) return input as PTok[];
    const work = input.slice();
    const out: PTok[] = [];
    let expansions = 0;
    for (let i = 0; i < work.length; ) {
      const t = work[i]!;
      const defs = t.kind === 'id' && !t.hide?.has(t.text) ? this.lookup(t.text) : undefined;
      const dynamic = defs === undefined && t.kind === 'id' ? this.builtin?.(t.text) : undefined;
      if (dynamic !== undefined) {
        out.push(...dynamic.map((b): PTok => ({ kind: b.kind, text: b.text, col: t.col, made: true })));
        i++;
        continue;
      }
      if (defs === undefined) {
        out.push(t);
        i++;
        continue;
      }
      const call = this.callAt(work, i, defs);
      if (call === undefined) {
        out.push(t);
        i++;
        continue;
      }
      if (++expansions > MAX_EXPANSIONS) throw new SMacroError(`single-line macros expand without end at '${t.text}'`);
      const hide = new Set(t.hide ?? []);
      hide.add(t.text);
      const made = substitute(call.macro, call.args).map((b): PTok => ({ kind: b.kind, text: b.text, col: t.col, hide, made: true }));
      // (Scanned again from the start of the expansion: it may hold more macros.)
      work.splice(i, call.end - i, ...made);
    }
    return out;
  }

  /** The definition used at `work[i]` (with its arguments and where the call ends), if any applies. */
  private callAt(work: readonly PTok[], i: number, defs: readonly SMacro[]): { macro: SMacro; args: PTok[][]; end: number } | undefined {
    const withParams = defs.some((d) => d.params !== undefined);
    if (withParams) {
      let j = i + 1;
      while (j < work.length && work[j]!.kind === 'ws') j++;
      if (work[j]?.kind === 'op' && work[j]!.text === '(') {
        const close = matchingParen(work, j);
        if (close >= 0) {
          const inside = work.slice(j + 1, close);
          const args = inside.every((x) => x.kind === 'ws') ? [] : splitArgs(inside);
          const macro = defs.find((d) => d.params !== undefined && d.params.length === args.length);
          if (macro) return { macro, args, end: close + 1 };
        }
      }
    }
    const plain = defs.find((d) => d.params === undefined);
    return plain ? { macro: plain, args: [], end: i + 1 } : undefined;
  }
}

function matchingParen(work: readonly PTok[], open: number): number {
  let depth = 0;
  for (let k = open; k < work.length; k++) {
    const t = work[k]!;
    if (t.kind !== 'op') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth === 0) return k;
  }
  return -1;
}

function substitute(macro: SMacro, args: readonly PTok[][]): PTok[] {
  const params = macro.params;
  if (!params || params.length === 0) return macro.body.slice();
  const out: PTok[] = [];
  for (const b of macro.body) {
    const k = b.kind === 'id' ? params.indexOf(b.text) : -1;
    if (k < 0) out.push(b);
    else out.push(...args[k]!);
  }
  return out;
}
