import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/core/frontend.js';
import { armBackend } from '../../src/arch/arm/index.js';
import { goldenText, LLVM_MC, TARGETS } from './oracle.js';
import { missingFiles } from '../helpers/oracles.js';
import { BRANCH_PROGRAMS } from './programs.js';
import { genArm } from '../../bench/gen.js';

const live = !missingFiles(LLVM_MC);

describe.skipIf(!live)('golden files are current with the live llvm-mc', () => {
  for (const t of TARGETS) {
    it(t.name, () => {
      const have = readFileSync(new URL(`./golden/${t.name}.txt`, import.meta.url), 'utf8');
      expect(goldenText(t) === have, `test/arm/golden/${t.name}.txt is stale: run npx tsx test/arm/regen.ts`).toBe(true);
      // the golden files hold rejected forms too: llvm-mc rejects them as we do
      expect(have.split('\n').filter((l) => l.endsWith('\terror')).length).toBeGreaterThan(50);
    });
  }
});

/** Branch and literal boundary programs, assembled to an object by llvm-mc and cut out with llvm-objcopy. */
describe.skipIf(!live)('branch boundaries agree with llvm-mc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-arm-'));
  for (const p of BRANCH_PROGRAMS) {
    it(p.name, () => {
      const src = join(dir, 'p.s');
      writeFileSync(src, p.text + '\n');
      execFileSync(LLVM_MC, [`-triple=${p.triple}`, '-filetype=obj', '-o', join(dir, 'p.o'), src]);
      execFileSync('/usr/bin/llvm-objcopy', ['-O', 'binary', '--only-section=.text', join(dir, 'p.o'), join(dir, 'p.bin')]);
      const want = readFileSync(join(dir, 'p.bin'));
      const got = assembleText(p.text, armBackend({ isa: p.isa })).bytes;
      expect(Buffer.from(got).equals(want), p.name).toBe(true);
    });
  }
});

/** The benchmark's A32 and Thumb programs (bench/gen.ts), whole: the figures in the README are for the bytes llvm-mc makes. */
describe.skipIf(!live)('the throughput programs agree with llvm-mc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-arm-bench-'));
  for (const kind of ['arm', 'thumb'] as const) {
    it(kind, () => {
      const text = genArm(kind);
      const src = join(dir, `${kind}.s`);
      writeFileSync(src, text);
      execFileSync(LLVM_MC, [`-triple=${kind === 'arm' ? 'armv7-linux-gnueabihf' : 'thumbv7-linux-gnueabihf'}`, '-filetype=obj', '-o', join(dir, 'p.o'), src]);
      execFileSync('/usr/bin/llvm-objcopy', ['-O', 'binary', '--only-section=.text', join(dir, 'p.o'), join(dir, 'p.bin')]);
      const want = readFileSync(join(dir, 'p.bin'));
      const got = assembleText(text, armBackend({ isa: 'v7' })).bytes;
      expect(want.length).toBeGreaterThan(30_000);
      expect(Buffer.from(got).equals(want), kind).toBe(true);
    });
  }
});
