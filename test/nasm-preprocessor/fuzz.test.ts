/**
 * Fuzzes the preprocessor with seeded random sources made of directive fragments (unbalanced
 * %if/%rep/%macro, parameters outside macros, contexts, struc pieces, bad expressions, lines
 * ending in `\`): each must assemble or throw an AsmError whose every diagnostic names a line of
 * the source and a column inside (or just after) it; never another exception, never a hang.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { rng } from '../helpers/rng.js';
import { expectOnlyPlacedErrors } from '../fuzz/placed-errors.js';
import { missing } from '../helpers/oracles.js';
import { hasNasm, nasmText, tinyText } from './helpers.js';

const RUNS = Number(process.env.TINYELF_FUZZ_RUNS ?? 4000);
const MAX_MS = 1500;

export const FRAGMENTS = [
  '%define A 1', '%define F(x) x+1', '%define F(x, y) (x*y', '%xdefine B A+A', '%undef A', '%assign n n+1', '%assign n 0', '%assign', '%define',
  '%macro m 1', '%macro m 0-2 5', '%macro g 1+', '%imacro M 2', '%endmacro', '%endm', '%rotate 1', '%exitmacro',
  '%rep 3', '%rep n', '%rep -1', '%endrep', '%exitrep', '%if A', '%if 1/0', '%if n > 2 && A', '%elif 0', '%else', '%endif',
  '%ifdef A', '%ifndef B', '%ifidn A, 1', '%ifnum A', '%ifstr "x"', '%ifmacro m', '%ifctx c', '%ifempty', '%elifdef A',
  '%push c', '%pop', '%repl d', '%$x:', 'db %$x', 'db %$$y', '%include "nope.inc"', '%include', '%error "stop"', '%warning w',
  '%strlen L "abc"', '%substr S "abc" 2, 1', '%substr S', '%defstr D a b', '%pragma x', '%use y', '%[A]', '%!HOME', '%00',
  'm 1', 'm', 'm 1, 2, 3', 'g 1, 2, 3', 'M a, b', 'lbl: m 2', '  nop', '  db A, F(2)', '  dd n', 'x: db 1', '  jmp x',
  '%%l:', 'jmp %%l', 'db %1, %2', 'db %0', 'j%-1 x', 'j%+1 x', '%{1}_y equ 3', 'a %+ b:', '  mov eax, %1',
  'struc s', '.f resd 1', '.g resb A', 'endstruc', 'istruc s', 'at .f, dd 1', 'at s.g, db 2', 'iend', 'alignb 4',
  'db 1, \\', '; comment \\', '  db __LINE__', '  db __FILE__', '%if', '%elif', '%endif junk', 'mov eax, [',
];

function randomSource(r: () => number): string {
  const lines: string[] = [];
  for (let n = 1 + Math.floor(r() * 14); n > 0; n--) {
    let line = FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]!;
    if (r() < 0.1) line = line.slice(0, Math.floor(r() * line.length));
    if (r() < 0.05) line = line.toUpperCase();
    lines.push(line);
  }
  return lines.join('\n') + (r() < 0.5 ? '\n' : '');
}

describe('fuzz: the preprocessor fails only with a placed AsmError', () => {
  it(`${RUNS} random sources of directive fragments`, () => {
    const r = rng(Number(process.env.TINYELF_FUZZ_SEED ?? 0x9e3779b9));
    expectOnlyPlacedErrors(RUNS, 'fuzz.asm', MAX_MS, () => randomSource(r), (src) => {
      assemble(src, { arch: 'x86_64', file: 'fuzz.asm', onWarning: () => {} });
    });
  });
});

describe.skipIf(missing('nasm', hasNasm()))('fuzz against nasm: what tinyelf accepts, nasm accepts, with the same bytes', () => {
  it('1500 random sources of directive fragments (nasm run on those tinyelf accepts)', () => {
    const r = rng(0x51ed);
    // (__FILE__ is left out: nasm's and tinyelf's names for the temporary file differ.)
    const fragments = FRAGMENTS.filter((f) => !f.includes('__FILE__'));
    const problems: string[] = [];
    let same = 0;
    for (let i = 0; i < 1500; i++) {
      const lines = ['bits 64'];
      for (let n = 1 + Math.floor(r() * 10); n > 0; n--) lines.push(fragments[Math.floor(r() * fragments.length)]!);
      const src = lines.join('\n') + '\n';
      const ours = tinyText(src);
      if (ours.hex === undefined) continue;
      const theirs = nasmText(src);
      if (theirs.hex === ours.hex) same++;
      else problems.push(`${JSON.stringify(src)}: tinyelf ${ours.hex}, nasm ${theirs.hex ?? theirs.error}`);
    }
    expect(problems).toEqual([]);
    expect(same).toBeGreaterThan(30);
  });
});
