import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { x86Backend } from '../../src/arch/x86/syntax.js';
import { hex, type Bits } from './gen.js';

const backends = { 16: x86Backend(16), 32: x86Backend(32), 64: x86Backend(64) };

/** tinyelf's bytes for one line (as hex), or its AsmError. */
export function tiny(bits: Bits, line: string): { hex?: string; error?: AsmError } {
  try {
    return { hex: hex(assembleText(line, backends[bits], { file: 'gen.asm' }).bytes) };
  } catch (e) {
    if (e instanceof AsmError) return { error: e };
    throw new Error(`${line}: ${(e as Error).stack}`);
  }
}
