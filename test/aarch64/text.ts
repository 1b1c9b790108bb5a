/** The AArch64 tests' shorthands for assembling a snippet of text. */
import { aarch64Backend } from '../../src/arch/aarch64/index.js';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';

const backend = aarch64Backend();

/** The snippet's bytes, assembled at `origin`. */
export const asm = (src: string, origin = 0): Uint8Array => assembleText(src, backend, { file: 't.s', origin }).bytes;
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The AsmError the snippet must raise (any other outcome fails the test). */
export function asmError(src: string): AsmError {
  try {
    asm(src);
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error(`accepted: ${src}`);
}
