import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from './gen.js';
import { SYSTEM_NAMES_FILE, systemNamesSource } from './system-names-gen.js';
import { missingFiles } from '../helpers/oracles.js';
import { GNU_AS, gnuEncode, GOLDEN_DIR, GOLDEN_FILES, invalidGolden, LLVM_MC, OBJCOPY, oracleEncode, oracleRejects, readGolden, validGolden } from './oracle.js';

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

describe.skipIf(missingFiles(GNU_AS, OBJCOPY)).each(['first', 'second'] as const)('the %s half of the table against GNU as', (half) => {
  it('GNU as makes the same bytes for every form it takes, but for the documented llvm-mc choices', () => {
    const golden = readGolden(GOLDEN_FILES[half].valid);
    const gnu = gnuEncode(golden.map((g) => g.text));
    // docs/isa.md: where tinyelf follows llvm-mc rather than GNU as.
    const llvmChoice = /^uxtw x/;
    const differ = golden.flatMap((g, i) => (gnu[i] !== undefined && gnu[i] !== g.expect && !llvmChoice.test(g.text) ? [`${g.text}: llvm-mc ${g.expect}, GNU as ${gnu[i]}`] : []));
    expect(differ.slice(0, 20)).toEqual([]);
    // GNU as refuses adrp #offset, msr spsel above #1 and a few newer system registers: it must take nearly all.
    expect(gnu.filter((h) => h !== undefined).length).toBeGreaterThan(golden.length - 40);
  });
});

describe.skipIf(!live)('system-names.ts against the live llvm-mc', () => {
  it('regenerating it from llvm-mc changes nothing', () => {
    expect(systemNamesSource()).toBe(readFileSync(SYSTEM_NAMES_FILE, 'utf8'));
  });
});
