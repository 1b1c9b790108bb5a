import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from './gen.js';
import { missingFiles } from '../helpers/oracles.js';
import { GOLDEN_DIR, GOLDEN_FILES, invalidGolden, LLVM_MC, OBJCOPY, oracleEncode, oracleRejects, validGolden } from './oracle.js';

const live = !missingFiles(LLVM_MC, OBJCOPY);

describe.skipIf(!live).each(['first', 'second'] as const)('aarch64 golden files against the live llvm-mc, %s half of the table', (half) => {
  const g = generate(0xa64, half);

  it('regenerating the golden files with llvm-mc changes nothing', () => {
    const res = oracleEncode(g.valid, half);
    if ('rejected' in res) {
      const list = [...res.rejected].map(([n, m]) => `${g.valid[n - 1]}: ${m}`);
      expect.fail(`llvm-mc rejects generated forms:\n${list.slice(0, 20).join('\n')}`);
    }
    expect(validGolden(g.valid, res.hex, half)).toBe(readFileSync(join(GOLDEN_DIR, GOLDEN_FILES[half].valid), 'utf8'));
    expect(invalidGolden(g, half)).toBe(readFileSync(join(GOLDEN_DIR, GOLDEN_FILES[half].invalid), 'utf8'));
  });

  it('llvm-mc rejects every form tinyelf must reject', () => {
    const parse = oracleRejects(g.invalid, false, half);
    expect(g.invalid.filter((_, i) => !parse.has(i + 1))).toEqual([]);
    const range = oracleRejects(g.invalidRange, true, half);
    expect(g.invalidRange.filter((_, i) => !range.has(i + 1))).toEqual([]);
  });
});
