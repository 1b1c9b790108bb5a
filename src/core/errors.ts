/** Where a piece of source text sits. Lines and columns count from 1. */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export const noLoc: SourceLoc = { file: '<builder>', line: 0, column: 0 };

export function formatLoc(loc: SourceLoc): string {
  return loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file;
}

/** One problem found in a source, with the place it was found. */
export interface Diagnostic {
  loc: SourceLoc;
  message: string;
  /** The source line the problem is on, when known, so messages can show a caret. */
  sourceLine?: string;
}

/**
 * The only error the assembler throws for bad input. It carries every problem found
 * (assembly goes on after the first one), and the first one's place as its own fields.
 */
export class AsmError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'AsmError';
    this.diagnostics = list;
    this.file = list[0]?.loc.file ?? '';
    this.line = list[0]?.loc.line ?? 0;
    this.column = list[0]?.loc.column ?? 0;
  }

  /** The message without the place, for the first problem. */
  get reason(): string {
    return this.diagnostics[0]?.message ?? '';
  }

  /** All problems with the source line and a caret under the column (for a terminal). */
  pretty(): string {
    return this.diagnostics.map(prettyDiagnostic).join('\n');
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLoc(d.loc)}: error: ${d.message}`;
}

export function prettyDiagnostic(d: Diagnostic): string {
  const head = formatDiagnostic(d);
  if (d.sourceLine === undefined || d.loc.line <= 0) return head;
  // (a tab is one column; a CRLF source's carriage return is no part of the line shown)
  const text = d.sourceLine.replace(/\t/g, ' ').replace(/\r$/, '');
  const caret = ' '.repeat(Math.max(0, d.loc.column - 1)) + '^';
  return `${head}\n    ${text}\n    ${caret}`;
}

/** Throw a single-problem AsmError. */
export function fail(loc: SourceLoc, message: string): never {
  throw new AsmError({ loc, message });
}
