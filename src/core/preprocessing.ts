/**
 * Where source text enters the front end: through the dialect's preprocessor first, when the
 * backend has one (nasm's `%define`, `%macro`, `%include`, … for x86), with what the front end
 * then says about the preprocessed text moved back to the user's files and lines.
 */
import { AsmError, type Diagnostic } from './errors.js';
import type { Backend } from './backend.js';
import type { SourceMap } from './source-map.js';

export interface PreprocessOptions {
  /** Directories `%include` searches after the including file's own directory, in order (`-I`). */
  includePaths?: readonly string[];
  /** Called for each `%warning` (default: written to standard error). */
  onWarning?: (warning: Diagnostic) => void;
}

/** A text dialect's preprocessor: the text for the front end and its map, or undefined when it changes nothing. */
export type Preprocessor = (text: string, options: PreprocessOptions & { file: string }) => { text: string; map: SourceMap } | undefined;

export interface SourceText {
  /** What the front end reads. */
  readonly text: string;
  /** From the lines of `text` to the user's; undefined when `text` is the user's source itself. */
  readonly map: SourceMap | undefined;
}

export function preprocessSource(backend: Backend<unknown, unknown>, text: string, file: string, options: PreprocessOptions): SourceText {
  const result = backend.preprocess?.(text, { file, includePaths: options.includePaths, onWarning: options.onWarning });
  return result ?? { text, map: undefined };
}

/** Runs `read` (which reads `source.text`), telling its errors at the user's places. */
export function atUserPlaces<T>(source: SourceText, read: () => T): T {
  if (source.map === undefined) return read();
  try {
    return read();
  } catch (err) {
    throw err instanceof AsmError ? source.map.mapError(err) : err;
  }
}
