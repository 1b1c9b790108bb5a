import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/core/frontend.js';
import { x86Backend } from '../../src/arch/x86/index.js';
import { buildX86 } from '../../bench/build-x86.js';
import { genX86, renderX86 } from '../../bench/gen.js';
import { hasNasm, NASM, nasmBytes } from './gen.js';
import { missing } from '../helpers/oracles.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function hasLlvmMc(): boolean {
  try {
    execFileSync('llvm-mc', ['--version'], { stdio: 'ignore' });
    execFileSync('objcopy', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The program's Intel-syntax rendering through llvm-mc, as flat bytes of .text. */
function llvmBytes(intel: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-bench-prog-'));
  try {
    writeFileSync(join(dir, 'a.s'), intel);
    execFileSync('llvm-mc', ['-triple=x86_64', '-filetype=obj', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    return readFileSync(join(dir, 'a.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the throughput program (bench/gen.ts)', () => {
  it('text and builder give the same bytes', () => {
    for (const seed of [1, 2, 3]) {
      const prog = genX86(2000, 250, seed);
      const text = assembleText(renderX86(prog, 'nasm'), x86Backend('x86_64')).bytes;
      expect(hex(buildX86(prog)())).toBe(hex(text));
    }
  });

  it.skipIf(missing('nasm', hasNasm()))('gives nasm’s bytes for the bench program (live)', () => {
    const src = renderX86(genX86(), 'nasm');
    expect(hex(assembleText(src, x86Backend('x86_64')).bytes)).toBe(hex(nasmBytes(src)));
  });

  // nasm's relaxation is not always the shortest; llvm-mc's is, and tinyelf must match it.
  it.skipIf(missing('llvm-mc and objcopy', hasLlvmMc()))('gives llvm-mc’s bytes: every branch in its shortest form (live)', () => {
    for (const prog of [genX86(), genX86(10_000, 1_250, 1), genX86(10_000, 1_250, 7)]) {
      expect(hex(assembleText(renderX86(prog, 'nasm'), x86Backend('x86_64')).bytes)).toBe(hex(llvmBytes(renderX86(prog, 'intel'))));
    }
  });
});
