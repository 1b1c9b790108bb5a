import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/core/frontend.js';
import { X86Builder, x86Backend } from '../../src/arch/x86/index.js';
import { genX86, x86Build, x86Calls, x86Text } from '../../bench/gen-x86.js';
import { hasNasm, NASM, nasmBytes } from './gen.js';

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

/** The same program through llvm-mc (Intel syntax), as flat bytes of .text. */
function llvmBytes(src: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-bench-prog-'));
  try {
    const gas = '.intel_syntax noprefix\n' + src.replace(/^bits 64$/m, '').replace(/(qword|dword) \[/g, '$1 ptr [');
    writeFileSync(join(dir, 'a.s'), gas);
    execFileSync('llvm-mc', ['-triple=x86_64', '-filetype=obj', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    return readFileSync(join(dir, 'a.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the throughput program (bench/gen-x86.ts)', () => {
  it('text and builder give the same bytes', () => {
    for (const seed of [1, 2, 3]) {
      const prog = genX86({ instructions: 2000, labels: 250, seed });
      const text = assembleText(x86Text(prog), x86Backend('x86_64')).bytes;
      const built = x86Build(x86Calls(prog), prog.labels, new X86Builder('x86_64')).assemble();
      expect(hex(built)).toBe(hex(text));
    }
  });

  it.skipIf(!hasNasm())('gives nasm’s bytes for the default program (live)', () => {
    const src = x86Text(genX86({ seed: 1 }));
    expect(hex(assembleText(src, x86Backend('x86_64')).bytes)).toBe(hex(nasmBytes(src)));
  });

  // nasm's relaxation is not always the shortest (seed 7: one `ja` nasm leaves near at +127);
  // llvm-mc's is, and tinyelf must match it on every seed.
  it.skipIf(!hasLlvmMc())('gives llvm-mc’s bytes: every branch in its shortest form (live)', () => {
    for (const seed of [1, 7]) {
      const src = x86Text(genX86({ seed }));
      expect(hex(assembleText(src, x86Backend('x86_64')).bytes)).toBe(hex(llvmBytes(src)));
    }
  });
});
