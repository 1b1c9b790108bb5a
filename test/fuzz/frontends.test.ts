import { describe, it } from 'vitest';
import '../../src/arch/index.js';
import { assemble } from '../../src/assemble.js';
import { randomSource, seeded, targets } from './corpus.js';
import { expectOnlyPlacedErrors } from './placed-errors.js';

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
      expectOnlyPlacedErrors(PER_TARGET, 'fuzz.s', MAX_MS, () => randomSource(r, t), (src) => {
        assemble(src, { arch: t.arch, isa: t.isa, thumb: t.thumb, file: 'fuzz.s' });
      });
    });
  }
});
