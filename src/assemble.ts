import type { ArchName } from './core/backend.js';
import { assembleText } from './core/frontend.js';
import { atUserPlaces, preprocessSource, type PreprocessOptions } from './core/preprocessing.js';
import { backendFor, type BackendOptions } from './arch/index.js';

export interface AssembleOptions extends BackendOptions, PreprocessOptions {
  arch: ArchName;
  /** Name used in error messages; default '<input>'. */
  file?: string;
}

/**
 * Assembles a whole source to flat bytes, as `nasm -f bin` does: sections one after another
 * from `org` (default 0), with nasm's own choices of encoding where they are longer than the
 * shortest (`BackendOptions.flat`); x86 `bits` defaults from the arch. Throws AsmError (with file, line,
 * column and every problem found) on bad input.
 */
export function assemble(source: string, options: AssembleOptions): Uint8Array {
  const backend = backendFor(options.arch, { ...options, flat: true });
  const file = options.file ?? '<input>';
  const text = preprocessSource(backend, source, file, options);
  return atUserPlaces(text, () => assembleText(text.text, backend, { file }).bytes);
}
