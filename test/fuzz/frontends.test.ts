import { describe, expect, it } from 'vitest';
import '../../src/arch/index.js';
import { assemble } from '../../src/assemble.js';
import { AsmError } from '../../src/core/errors.js';
import { randomSource, seeded, targets } from './corpus.js';

/**
 * Fuzzes every text front end with seeded random and mutated lines (random tokens, truncated and
 * mutated golden instructions, unbalanced brackets, stray punctuation, huge numbers, empty
 * operands, unicode): each source must either assemble or throw an AsmError whose every
 * diagnostic names a line of the source and a column inside (or just after) that line. Any other
 * exception is a bug at the depth where it was thrown.
 */

const PER_TARGET = Number(process.env.TINYELF_FUZZ_RUNS ?? 8000);
const SEED = Number(process.env.TINYELF_FUZZ_SEED ?? 0x5eed);
/** No single source may take longer than this (a runaway loop shows up as one slow call). */
const MAX_MS = 1500;

describe('fuzz: every text front end fails only with a placed AsmError', () => {
  for (const t of targets()) {
    it(t.name, () => {
      const r = seeded(SEED ^ t.name.length * 7919);
      const problems: string[] = [];
      let ok = 0;
      let failed = 0;
      for (let i = 0; i < PER_TARGET && problems.length < 10; i++) {
        const src = randomSource(r, t);
        const t0 = performance.now();
        try {
          assemble(src, { arch: t.arch, isa: t.isa, thumb: t.thumb, file: 'fuzz.s' });
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
            if (d.loc.file !== 'fuzz.s' || line === undefined || d.loc.column < 1 || d.loc.column > line.length + 1) {
              problems.push(`${JSON.stringify(src)}: misplaced diagnostic ${d.loc.file}:${d.loc.line}:${d.loc.column}: ${d.message}`);
            }
            if (!d.message) problems.push(`${JSON.stringify(src)}: empty message`);
          }
        }
        const ms = performance.now() - t0;
        if (ms > MAX_MS) problems.push(`${JSON.stringify(src)}: took ${ms.toFixed(0)} ms`);
      }
      expect(problems.join('\n')).toBe('');
      // The generator must reach both outcomes, or it tests nothing.
      expect(ok).toBeGreaterThan(PER_TARGET / 50);
      expect(failed).toBeGreaterThan(PER_TARGET / 5);
    });
  }
});
