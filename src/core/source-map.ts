/**
 * Where each line of a preprocessed source came from, so that what the front end says about
 * line N of the preprocessed text names the user's file, line and column instead: a line of an
 * `%include`d file names that file; a line a macro made names the line that used the macro, and
 * (in error messages) the line inside the macro, for each macro the expansion went through.
 */
import { AsmError, type Diagnostic, type SourceLoc } from './errors.js';

/** One use of a macro: the macro's name and where it was used. */
export interface Expansion {
  readonly macro: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface LineOrigin {
  readonly file: string;
  readonly line: number;
  /** For a line changed by the preprocessor: the 0-based column in the original line of each character. */
  readonly cols?: readonly number[];
  /** The macro uses the line came out of, outermost first (undefined: the line is the user's own). */
  readonly stack?: readonly Expansion[];
}

export class SourceMap {
  constructor(
    /** The name the front end is given for the preprocessed text. */
    readonly file: string,
    /** By preprocessed line, from line 1. */
    readonly origins: readonly LineOrigin[],
    /** The lines of every file read (the source and what it includes), by the name locations give it. */
    readonly files: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The place (in the user's own text) of a column of a preprocessed line, or undefined when the line is not one of ours. */
  place(line: number, column: number): SourceLoc | undefined {
    const origin = this.origins[line - 1];
    if (origin === undefined) return undefined;
    const use = origin.stack?.[0];
    if (use !== undefined) return { file: use.file, line: use.line, column: use.column };
    return { file: origin.file, line: origin.line, column: originalColumn(origin, column) };
  }

  /** A problem at a column (1-based) of a line the preprocessor made, told at the user's place. */
  diagnostic(origin: LineOrigin, column: number, message: string): Diagnostic {
    const inner: SourceLoc = { file: origin.file, line: origin.line, column: originalColumn(origin, column) };
    const stack = origin.stack;
    if (stack === undefined || stack.length === 0) return { loc: inner, message, sourceLine: this.lineText(inner) };
    // Innermost macro first: the line inside it, then the line of each macro that used it.
    const trace: string[] = [];
    for (let k = stack.length - 1; k >= 0; k--) {
      const at = k === stack.length - 1 ? inner : stack[k + 1]!;
      trace.push(`in macro '${stack[k]!.macro}' at ${at.file}:${at.line}:${at.column}`);
    }
    const use: SourceLoc = { file: stack[0]!.file, line: stack[0]!.line, column: stack[0]!.column };
    return { loc: use, message: `${message} (${trace.join(', ')})`, sourceLine: this.lineText(use) };
  }

  /** The error with every problem on a preprocessed line moved to the user's place. */
  mapError(err: AsmError): AsmError {
    return new AsmError(
      err.diagnostics.map((d) => {
        const origin = d.loc.file === this.file ? this.origins[d.loc.line - 1] : undefined;
        return origin === undefined ? d : this.diagnostic(origin, d.loc.column, d.message);
      }),
    );
  }

  /**
   * Moves, in place, every location reachable from `root` (items, their expressions and
   * instructions) from the preprocessed text to the user's place: the listing, `inspect` and
   * errors found after reading (a symbol never defined, a value out of range) then name the
   * user's lines. A location is any object with `file` (this map's name) and a `line` number.
   */
  relocate(root: unknown): void {
    const seen = new Set<object>();
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const x = stack.pop();
      if (typeof x !== 'object' || x === null || seen.has(x) || ArrayBuffer.isView(x)) continue;
      seen.add(x);
      const loc = x as { file?: unknown; line?: unknown; column?: unknown; col?: unknown };
      if (loc.file === this.file && typeof loc.line === 'number') {
        // (The column is `column` in a SourceLoc; objects that keep a place as plain fields may call it `col`.)
        const key = typeof loc.column === 'number' ? 'column' : typeof loc.col === 'number' ? 'col' : undefined;
        const to = this.place(loc.line, key ? (loc[key] as number) : 1);
        if (to !== undefined) {
          loc.file = to.file;
          loc.line = to.line;
          if (key) loc[key] = to.column;
        }
      }
      if (x instanceof Map) for (const v of x.values()) stack.push(v);
      else if (x instanceof Set) for (const v of x) stack.push(v);
      else for (const v of Object.values(x)) if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }

  private lineText(loc: SourceLoc): string | undefined {
    return this.files.get(loc.file)?.[loc.line - 1];
  }
}

function originalColumn(origin: LineOrigin, column: number): number {
  const cols = origin.cols;
  if (cols === undefined) return column;
  if (cols.length === 0) return 1;
  const k = Math.min(Math.max(column - 1, 0), cols.length - 1);
  // (Past the end of the line, as an error at "end of line" is: past the end of the original too.)
  return cols[k]! + 1 + Math.max(0, column - 1 - k);
}
