import { describe, expect, it } from 'vitest';
import { hasNasm, runNasm, type Bits } from './gen.js';
import { tiny } from './harness.js';

/** Regression tests for bugs found in the nasm-syntax front end, one `describe` per bug. */

describe('x86: an unfinished memory operand is an AsmError, not a crash', () => {
  const cases: [string, number][] = [
    ['add eax, [', 11],
    ['add eax, [rax+', 15],
    ['mov [', 6],
    ['mov eax, [rax-', 15],
  ];
  for (const [src, col] of cases) {
    it(src, () => {
      const t = tiny(64, src);
      expect(t.error, `accepted as ${t.hex}`).toBeDefined();
      expect(t.error!.message).toMatch(/^gen\.asm:1:\d+: error: /);
      expect(t.error!.line).toBe(1);
      expect(t.error!.column).toBe(col);
      expect(t.error!.reason).toMatch(/expected a register or an expression in the memory operand, found end of line/);
    });
  }
});
