/** Generated programs of %define/%assign/%if/%rep/%macro combinations: tinyelf's bytes must be nasm's, and both must accept or refuse alike. */
import { describe, expect, it } from 'vitest';
import { missing } from '../helpers/oracles.js';
import { randomProgram } from './gen.js';
import { hasNasm, nasmText, tinyText } from './helpers.js';

const SEEDS = 250;

describe.skipIf(missing('nasm', hasNasm()))('generated preprocessor programs against nasm', () => {
  it(`${SEEDS} programs: the same bytes, or both refuse`, () => {
    const mismatches: string[] = [];
    let accepted = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const src = randomProgram(seed);
      const want = nasmText(src);
      const got = tinyText(src);
      if (want.hex !== undefined) accepted++;
      if (want.hex !== got.hex || (want.error === undefined) !== (got.error === undefined)) {
        mismatches.push(`seed ${seed}:\n${src}\nnasm: ${want.hex ?? want.error}\ntinyelf: ${got.hex ?? got.error?.message}`);
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // (The generator must make mostly valid programs, or the comparison says little.)
    expect(accepted).toBeGreaterThan(SEEDS * 0.8);
  });
});
