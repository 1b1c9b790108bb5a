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

describe.skipIf(missing('nasm', hasNasm()))('generated programs with a bad line put in: the lines nasm and tinyelf blame are the same', () => {
  it('80 programs, the bad line anywhere (a taken or skipped branch, a %rep, a macro body)', () => {
    const mismatches: string[] = [];
    let blamed = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const lines = randomProgram(seed).split('\n');
      let at = 1 + ((seed * 7919) % (lines.length - 2));
      // (Not inside a struc: there tinyelf stops at the preprocessor's error, where nasm goes on to
      // blame the istruc lines after it too.)
      while (lines.slice(0, at).filter((l) => /^struc /.test(l)).length > lines.slice(0, at).filter((l) => l === 'endstruc').length) at++;
      lines.splice(at, 0, '  movx eax, 1');
      const src = lines.join('\n');
      const want = nasmText(src);
      const nasmLines = [...new Set([...(want.error ?? '').matchAll(/^[^\n:]+:(\d+): error:/gm)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      const got = tinyText(src);
      const ourLines = [...new Set(got.error?.diagnostics.map((d) => d.loc.line) ?? [])].sort((a, b) => a - b);
      if (nasmLines.length) blamed++;
      if (JSON.stringify(nasmLines) !== JSON.stringify(ourLines)) mismatches.push(`seed ${seed}, bad line at ${at + 1}: nasm blames ${nasmLines}, tinyelf ${ourLines}\n${got.error?.message}`);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(blamed).toBeGreaterThan(40);
  });
});
