import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, rng, goldenPath, goldenText, hasNasm, MODES, nasmVersion, parseGolden, runNasm, type Bits, type GoldenLine } from './gen.js';
import { tiny } from './harness.js';
import { missing } from '../helpers/oracles.js';

/**
 * Where tinyelf deliberately differs from nasm, and why. Every other golden line must give
 * nasm's bytes exactly (or, for lines nasm rejected, an AsmError).
 */
const DIFFERENCES: { match: RegExp; bits?: Bits; expect: 'reject' | 'moffs'; reason: string }[] = [
  {
    match: /-0x80000001\b/,
    expect: 'reject',
    reason: 'the value does not fit in 32 bits; nasm silently truncates it to 0x7fffffff',
  },
  {
    match: /\[0x80000000\]/,
    bits: 64,
    expect: 'moffs',
    reason: 'a disp32 is sign-extended in 64-bit mode, so nasm (with a warning) addresses 0xffffffff80000000; tinyelf uses the moffs64 form (A0-A3), which addresses 0x80000000',
  },
];

/** A readable mismatch: expected and actual hex with a caret under the first differing byte. */
function explain(bits: Bits, g: GoldenLine, actual: string): string {
  const a = actual.split(' ');
  const e = g.hex.split(' ');
  let k = 0;
  while (k < a.length && a[k] === e[k]) k++;
  return `bits ${bits}, golden line ${g.lineNo}: ${g.source}\n  nasm:    ${g.hex}\n  tinyelf: ${actual}\n           ${' '.repeat(k * 3)}^`;
}

function check(bits: Bits, lines: GoldenLine[]): { failures: string[]; compared: number; rejected: number; deliberate: number } {
  const failures: string[] = [];
  let compared = 0, rejected = 0, deliberate = 0;
  for (const g of lines) {
    const t = tiny(bits, g.source);
    const diff = DIFFERENCES.find((d) => d.match.test(g.source) && (d.bits === undefined || d.bits === bits));
    if (g.kind === 'error') {
      rejected++;
      if (!t.error) failures.push(`bits ${bits}, golden line ${g.lineNo}: ${g.source}\n  nasm rejects it (${g.note}) but tinyelf gave ${t.hex}`);
      else if (t.error.line !== 1 || t.error.column < 1 || t.error.file !== 'gen.asm') failures.push(`${g.source}: error without a file:line:column (${t.error.message})`);
      continue;
    }
    if (t.hex === g.hex) {
      compared++;
      continue;
    }
    if (diff) {
      deliberate++;
      if (diff.expect === 'reject' && !t.error) failures.push(`${g.source}: expected a rejection (${diff.reason}), got ${t.hex}`);
      if (diff.expect === 'moffs' && !/^(66 |48 )?a[0-3] /.test(t.hex ?? '')) failures.push(`${g.source}: expected the moffs form, got ${t.hex ?? t.error?.message}`);
      continue;
    }
    // nasm only warned: rejecting is fine (tinyelf is stricter about values that do not fit).
    if (g.kind === 'warn' && t.error) {
      deliberate++;
      continue;
    }
    failures.push(t.error ? `bits ${bits}, golden line ${g.lineNo}: ${g.source}\n  nasm: ${g.hex}\n  tinyelf: ${t.error.message}` : explain(bits, g, t.hex!));
  }
  return { failures, compared, rejected, deliberate };
}

describe('x86 encodings against nasm (committed golden files)', () => {
  for (const bits of MODES) {
    it(`bits ${bits}: every generated form encodes as nasm does`, () => {
      const lines = parseGolden(readFileSync(goldenPath(bits), 'utf8'));
      const r = check(bits, lines);
      expect(r.failures.slice(0, 20).join('\n\n')).toBe('');
      expect(r.compared).toBeGreaterThan(bits === 16 ? 5000 : 10000);
      expect(r.rejected).toBeGreaterThan(100);
    });
  }
});

describe.skipIf(missing('nasm', hasNasm()))('x86 golden files are current (live nasm)', () => {
  for (const bits of MODES) {
    it(`bits ${bits}: regenerating with nasm changes nothing`, () => {
      const text = goldenText(bits, runNasm(generate(bits), bits), nasmVersion());
      // Compare line by line for a readable failure.
      const have = readFileSync(goldenPath(bits), 'utf8').split('\n');
      const want = text.split('\n');
      const diffs = want.map((l, i) => (l !== have[i] ? `line ${i + 1}:\n  live:      ${l}\n  committed: ${have[i]}` : '')).filter(Boolean);
      expect(diffs.slice(0, 10).join('\n'), 'run `npx tsx test/x86/gen.ts` to regenerate').toBe('');
      expect(have.length).toBe(want.length);
    });
  }
});

describe.skipIf(missing('nasm', hasNasm()))('x86 fuzz against live nasm (fresh random operand combinations)', () => {
  for (const bits of [32, 64] as Bits[]) {
    it(`bits ${bits}`, () => {
      // A different seed each day: new combinations, reproducible from the seed a failure prints
      // (TINYELF_X86_FUZZ_SEED=N runs that day's combinations again).
      const seed = Number(process.env.TINYELF_X86_FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000));
      const all = generate(bits, 6, seed);
      const rand = rng(seed);
      const lines = all.filter(() => rand() < 0.15);
      const res = runNasm(lines, bits);
      const golden: GoldenLine[] = res.map((r, i) => ({
        source: r.line, lineNo: i + 1, note: r.error ?? r.warning ?? '',
        kind: r.error !== undefined ? 'error' : r.warning !== undefined ? 'warn' : 'ok', hex: r.hex ?? '',
      }));
      const out = check(bits, golden);
      expect(out.failures.slice(0, 10).join('\n\n'), `seed ${seed}`).toBe('');
      expect(out.compared).toBeGreaterThan(1000);
    });
  }
});

