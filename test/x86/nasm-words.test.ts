import { describe, expect, it } from 'vitest';
import { isNasmPrefix, nasmWordCategory, nasmWords } from '../../src/arch/x86/nasm-words.js';
import { hasNasm } from './gen.js';
import { tiny } from './harness.js';
import { classifyNasmWords, llvmFirstWords, LLVM_X86_DIR, type NasmWordClasses } from './mnemonic-sources.js';
import { missing, missingFiles } from '../helpers/oracles.js';

/**
 * Words nasm knows that are not instructions or prefixes, so not in the list: pseudo-instructions
 * and directives the front end reads (or refuses), standard macros, and the two segment registers
 * nasm reserves but refuses as prefixes.
 */
const NOT_INSTRUCTIONS = new Set([
  ...'db dw dd dq dt do dy dz resb resw resd resq rest reso resy resz incbin equ times'.split(' '),
  ...'iend use16 use32 use64 useabs userel usebnd usenobnd'.split(' '),
  'segr6', 'segr7',
]);

describe('the list of nasm instruction words', () => {
  it('has a category for every word, and prefixes are prefixes', () => {
    const words = nasmWords();
    expect(words.length).toBeGreaterThan(2000);
    expect(new Set(words).size).toBe(words.length);
    for (const w of words) expect(nasmWordCategory(w), w).toBeTypeOf('string');
    for (const p of ['rep', 'lock', 'o16', 'a32', 'cs', 'gs', 'xacquire']) expect(isNasmPrefix(p), p).toBe(true);
    expect(nasmWordCategory('fld1')).toBe('x87');
    expect(nasmWordCategory('vaddps')).toBe('AVX');
    expect(nasmWordCategory('pushfq')).toBe('general');
    expect(nasmWordCategory('loop_top')).toBeUndefined();
  });
});

describe.skipIf(missing('nasm', hasNasm()) || missingFiles(LLVM_X86_DIR))('the list of nasm instruction words against nasm', () => {
  let classes: NasmWordClasses;
  const classify = () => (classes ??= classifyNasmWords([...llvmFirstWords(), ...nasmWords()]));

  it('is exactly the words nasm takes as instructions or prefixes', () => {
    const { known } = classify();
    const fromNasm = [...known].filter((w) => !NOT_INSTRUCTIONS.has(w)).sort();
    const listed = nasmWords().sort();
    expect(listed.filter((w) => !known.has(w)), 'listed, but a label or reserved word to nasm').toEqual([]);
    expect(fromNasm.filter((w) => nasmWordCategory(w) === undefined), 'known to nasm, missing from the list').toEqual([]);
    for (const w of NOT_INSTRUCTIONS) expect(known.has(w), `${w} (nasm knows it)`).toBe(true);
  });

  it('every word nasm reserves (registers, operand keywords) is refused alone on a line, by line', () => {
    const { reserved } = classify();
    expect(reserved.size).toBeGreaterThan(200);
    const accepted = [...reserved].filter((w) => tiny(64, w).error?.line !== 1);
    expect(accepted).toEqual([]);
  });

  it('a word that is a label to nasm alone on a line gives no bytes in tinyelf either (or is refused)', () => {
    const { labels } = classify();
    expect(labels.size).toBeGreaterThan(5000);
    const bytes = [...labels].filter((w) => {
      const r = tiny(64, w);
      return r.error === undefined && r.hex !== '';
    });
    expect(bytes).toEqual([]);
  });
});
