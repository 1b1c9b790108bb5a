/**
 * Multi-line macros (`%macro`): a definition's head (`name 1-3+ defaults`) and what a parameter
 * token (`%1`, `%{2}`, `%0`, `%?`, `%+1`, `%-1`) stands for in one use.
 */
import { joinText, solid, splitArgs, trimToks, type PTok } from './lex.js';

/** A line of a file (or of a macro's or `%rep`'s body), as written. */
export interface SrcLine {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** For lines joined by a final `\`: the column in the first line of each character (the rest of the text is at the `\`). */
  readonly cols?: readonly number[];
}

export interface MMacro {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly greedy: boolean;
  readonly defaults: readonly PTok[][];
  readonly body: readonly SrcLine[];
}

/** One use of a multi-line macro: its parameters (`%rotate` turns them) and its number for `%%` labels. */
export interface MacroCall {
  readonly name: string;
  params: PTok[][];
  readonly id: number;
}

/** Condition codes and their opposites (`%-1` of `e` is `ne`), as nasm's `j%-1` uses them. */
const INVERSE_CC: Record<string, string> = {};
for (const [a, b] of [['o', 'no'], ['b', 'nb'], ['c', 'nc'], ['ae', 'nae'], ['e', 'ne'], ['z', 'nz'], ['be', 'nbe'], ['a', 'na'], ['s', 'ns'], ['p', 'np'], ['pe', 'po'], ['l', 'nl'], ['ge', 'nge'], ['le', 'nle'], ['g', 'ng']]) {
  INVERSE_CC[a!] = b!;
  INVERSE_CC[b!] = a!;
}

/** What a macro parameter token stands for in a use of the macro, or why it cannot be read. */
export function paramText(t: PTok, call: MacroCall): string | { error: string } {
  let inner = t.text.slice(1);
  if (inner.startsWith('{')) inner = inner.slice(1, -1);
  if (inner === '?') return call.name;
  const m = /^([-+]?)(\d+)$/.exec(inner);
  if (!m) return { error: `'${t.text}' is not a macro parameter tinyelf supports (%1…, %{1}, %0, %?, %+1, %-1, %%name)` };
  const n = Number(m[2]);
  if (n === 0) return m[1] || m[2]!.length > 1 ? { error: `'${t.text}' is not a macro parameter tinyelf supports (%0 is the count; %00 is not supported)` } : String(call.params.length);
  const value = joinText(trimToks(call.params[n - 1] ?? []));
  if (!m[1]) return value;
  const cc = value.toLowerCase();
  if (INVERSE_CC[cc] === undefined) return { error: `macro parameter ${n} is '${value}', not a condition code, so ${t.text} cannot be used` };
  return m[1] === '-' ? INVERSE_CC[cc]! : cc;
}

/** `%macro name min[-max|-*][+][.nolist] [defaults…]`, or the reason it cannot be read. */
export function parseMacroHead(args: PTok[]): { name: string; min: number; max: number; greedy: boolean; defaults: PTok[][] } | string {
  const s = solid(args);
  const name = s[0];
  if (name?.kind !== 'id') return 'expected a macro name';
  let k = 1;
  const count = s[k];
  if (count?.kind !== 'num' || !/^\d+$/.test(count.text)) return `expected the number of parameters after '${name.text}'`;
  const min = Number(count.text);
  let max = min;
  k++;
  if (s[k]?.text === '-') {
    const hi = s[k + 1];
    if (hi?.text === '*') max = Infinity;
    else if (hi?.kind === 'num' && /^\d+$/.test(hi.text) && Number(hi.text) >= min) max = Number(hi.text);
    else return `expected the highest number of parameters (or *) after '${min}-'`;
    k += 2;
  }
  let greedy = false;
  if (s[k]?.text === '+') {
    greedy = true;
    k++;
  }
  if (s[k]?.kind === 'id' && s[k]!.text.toLowerCase() === '.nolist') k++;
  const restStart = s[k] ? args.indexOf(s[k]!) : args.length;
  const defaults = s[k] ? splitArgs(args.slice(restStart), Infinity, false) : [];
  if (defaults.length > 0 && max === min) return 'default parameters need a range of parameter counts (as in 1-3)';
  return { name: name.text, min, max, greedy, defaults };
}
