import { describe, expect, it } from 'vitest';
import { aarch64Backend } from '../../src/arch/aarch64/index.js';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { GOLDEN_FILES, readGolden } from './oracle.js';

const backend = aarch64Backend();

/** Source line, expected and actual hex, and a caret under the first differing hex digit pair. */
function mismatch(text: string, want: string, got: string): string {
  let i = 0;
  while (i < want.length && want[i] === got[i]) i++;
  const at = i - (i % 2);
  return `${text}\n  expected ${want}\n  actual   ${got}\n           ${' '.repeat(at)}^`;
}

describe.each(['first', 'second'] as const)('aarch64 golden encodings (llvm-mc answers, committed), %s half of the table', (half) => {
  const files = GOLDEN_FILES[half];
  const valid = readGolden(files.valid);

  it('has thousands of generated forms', () => {
    expect(valid.length).toBeGreaterThan(5000);
  });

  it('encodes every form exactly as llvm-mc did', () => {
    // One source, so `.+n` targets are relative to each line's own address, as in llvm-mc's object.
    const { bytes } = assembleText(valid.map((v) => v.text).join('\n'), backend, { file: 'valid.s' });
    expect(bytes.length).toBe(valid.length * 4);
    const bad: string[] = [];
    valid.forEach((v, i) => {
      const got = Buffer.from(bytes.subarray(i * 4, i * 4 + 4)).toString('hex');
      if (got !== v.expect) bad.push(mismatch(v.text, v.expect, got));
    });
    expect(bad.slice(0, 20).join('\n')).toBe('');
  });

  it('rejects every invalid form with file:line:column and an operand-specific reason', () => {
    const invalid = readGolden(files.invalid);
    expect(invalid.length).toBeGreaterThan(half === 'first' ? 100 : 70);
    const problems: string[] = [];
    invalid.forEach((v, i) => {
      // The line sits at line i+1 of its file, so the reported place can be checked.
      const src = '\n'.repeat(i) + v.text;
      try {
        const out = assembleText(src, backend, { file: 'invalid.s' });
        problems.push(`accepted: ${v.text} → ${Buffer.from(out.bytes).toString('hex')}`);
      } catch (e) {
        if (!(e instanceof AsmError)) throw e;
        if (e.file !== 'invalid.s' || e.line !== i + 1 || e.column < 1) problems.push(`bad place ${e.file}:${e.line}:${e.column} for ${v.text}`);
        if (!new RegExp(`^invalid\\.s:${i + 1}:\\d+: error: `).test(e.message)) problems.push(`bad message format: ${e.message}`);
      }
    });
    expect(problems).toEqual([]);
  });
});
