/**
 * The preprocessor against real nasm: every program of corpus/ (macros with local labels, nested
 * macros, %rep tables, %if on %define'd values, %include'd helpers through -I, struc/istruc
 * headers, %assign counters) must come out of tinyelf as exactly the bytes `nasm -f bin` makes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { emitElf, programFromSource } from '../../src/index.js';
import { missing } from '../helpers/oracles.js';
import { tinyelf, useTempDir } from '../cli/helpers.js';
import { CORPUS, hasNasm, LIB, nasmFile, toHex } from './helpers.js';

const sources = readdirSync(CORPUS).filter((f) => f.endsWith('.asm')).sort();
const tmp = useTempDir();

describe.skipIf(missing('nasm', hasNasm()))('nasm preprocessor: the corpus against nasm -f bin', () => {
  it('has the programs', () => expect(sources.length).toBeGreaterThanOrEqual(18));
  for (const f of sources) {
    it(f, () => {
      const path = join(CORPUS, f);
      const expected = nasmFile(path, [LIB]);
      expect(expected.error).toBeUndefined();
      const bytes = assemble(readFileSync(path, 'utf8'), { arch: 'x86_64', file: path, includePaths: [LIB], onWarning: () => {} });
      expect(toHex(bytes)).toBe(expected.hex);
    });
  }

  it('with CRLF line ends (as nasm reads them), every program gives the same bytes', () => {
    for (const f of sources) {
      const path = join(CORPUS, f);
      const crlf = readFileSync(path, 'utf8').replace(/\n/g, '\r\n');
      expect([f, toHex(assemble(crlf, { arch: 'x86_64', file: path, includePaths: [LIB], onWarning: () => {} }))]).toEqual([f, nasmFile(path, [LIB]).hex]);
    }
  });

  it('tinyelf asm --flat -I DIR (the CLI) gives the same bytes', async () => {
    const out = join(tmp(), 'helpers.bin');
    const r = await tinyelf(['asm', '--flat', '--arch', 'x86_64', '-I', LIB, join(CORPUS, 'include-helpers.asm'), '-o', out]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(toHex(readFileSync(out))).toBe(nasmFile(join(CORPUS, 'include-helpers.asm'), [LIB]).hex);
    const joined = await tinyelf(['asm', '--flat', '--arch', 'x86_64', `-I${LIB}`, join(CORPUS, 'include-helpers.asm'), '-o', out]);
    expect([joined.status, joined.stderr]).toEqual([0, '']);
    const without = await tinyelf(['asm', '--flat', '--arch', 'x86_64', join(CORPUS, 'include-helpers.asm'), '-o', out]);
    expect(without.status).toBe(1);
    expect(without.stderr).toContain("include-helpers.asm:4:10: error: cannot find the include file 'macros.inc'");
  });
});

describe.skipIf(process.arch !== 'x64')('preprocessed programs run (x86-64 host)', () => {
  it('the flat tiny ELF (a hand-built header with %define) runs and exits 42', () => {
    const file = join(tmp(), 'tiny-elf64');
    writeExecutable(file, assemble(readFileSync(join(CORPUS, 'tiny-elf64.asm'), 'utf8'), { arch: 'x86_64' }));
    expect(spawnSync(file).status).toBe(42);
  });

  it('tinyelf asm (the planner) of a program made of %include\'d macros prints and exits 0', async () => {
    const out = join(tmp(), 'helpers');
    const r = await tinyelf(['asm', '--arch', 'x86_64', '-I', LIB, join(CORPUS, 'include-helpers.asm'), '-o', out]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const run = spawnSync(out, { encoding: 'utf8' });
    expect([run.status, run.stdout]).toEqual([0, 'hello\n']);
  });

  it('programFromSource of the i386 macro program writes its message (the x86-64 kernel runs i386 programs)', () => {
    const file = join(tmp(), 'exit-i386');
    const text = readFileSync(join(CORPUS, 'exit-i386.asm'), 'utf8');
    writeExecutable(file, emitElf({ arch: 'i386', program: programFromSource(text, { arch: 'i386', file: 'exit-i386.asm' }) }));
    const run = spawnSync(file, { encoding: 'utf8' });
    expect([run.status, run.stdout]).toEqual([0, 'Hello from i386\n']);
  });
});

function writeExecutable(file: string, bytes: Uint8Array): void {
  writeFileSync(file, bytes);
  chmodSync(file, 0o755);
}
