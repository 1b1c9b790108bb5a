/**
 * The fuzz check shared by the text front ends and the nasm preprocessor: each random source either
 * assembles or throws an AsmError whose every diagnostic lies on a line of that source, within it,
 * with a message; nothing takes longer than maxMs.
 */
import { expect } from 'vitest';
import { AsmError } from '../../src/core/errors.js';

export function expectOnlyPlacedErrors(runs: number, file: string, maxMs: number, nextSource: () => string, assembleOne: (src: string) => void): void {
  const problems: string[] = [];
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < runs && problems.length < 10; i++) {
    const src = nextSource();
    const t0 = performance.now();
    try {
      assembleOne(src);
      ok++;
    } catch (e) {
      if (!(e instanceof AsmError)) {
        problems.push(`${JSON.stringify(src)}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
        continue;
      }
      failed++;
      const lines = src.split('\n');
      for (const d of e.diagnostics) {
        const line = lines[d.loc.line - 1];
        if (d.loc.file !== file || line === undefined || d.loc.column < 1 || d.loc.column > line.length + 1) {
          problems.push(`${JSON.stringify(src)}: misplaced diagnostic ${d.loc.file}:${d.loc.line}:${d.loc.column}: ${d.message}`);
        }
        if (!d.message) problems.push(`${JSON.stringify(src)}: empty message`);
      }
    }
    const ms = performance.now() - t0;
    if (ms > maxMs) problems.push(`${JSON.stringify(src)}: took ${ms.toFixed(0)} ms`);
  }
  expect(problems.join('\n')).toBe('');
  // The generator must reach both outcomes, or it tests nothing.
  expect(ok).toBeGreaterThan(runs / 50);
  expect(failed).toBeGreaterThan(runs / 5);
}
