import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missing, missingFiles } from '../helpers/oracles.js';
import { LLVM_MC } from '../arm/oracle.js';
import { runSuite, SUITE_DIR, type Result, type Verdict } from './arm-suite.js';

/**
 * The base-integer lines of LLVM's ARM MC tests that tinyelf refuses, each for a stated reason
 * (docs/isa.md lists them too). A line fixed drops out of this list; a new refusal fails the test.
 */
const KNOWN_REJECTED: readonly { file: string; src: string; why: string }[] = [
  { file: 'basic-arm-instructions.s', src: 'nop.w', why: "'.w' is refused in A32 code, as GNU as does (llvm-mc ignores it)" },
  { file: 'basic-thumb2-instructions.s', src: 'str.w pc, [r7, #257]', why: 'str of pc is UNPREDICTABLE in Thumb-2 (llvm-mc takes it)' },
  { file: 'thumb_rewrites.s', src: 'add     r0, r0, r1', why: 'ARMv6 leaves the 16-bit add of two low registers UNPREDICTABLE (llvm-mc takes it for thumbv6)' },
  { file: 'thumb_rewrites.s', src: 'add     r2, r2, r3', why: 'as above' },
];

const present = existsSync(SUITE_DIR);
describe.skipIf(missing(`the LLVM MC tests (${SUITE_DIR})`, present) || missingFiles(LLVM_MC))('LLVM MC ARM encoding tests, each line alone, against the installed llvm-mc', () => {
  const results = runSuite();
  const of = (v: Verdict): Result[] => results.filter((r) => r.verdict === v);
  const show = (rs: Result[]): string[] => rs.map((r) => `${r.file}:${r.line} ${r.src.join(' ; ')}  llvm ${r.llvm}  ours ${r.ours}${r.why ? `  (${r.why})` : ''}`);
  const base = results.filter((r) => ['identical', 'wrong', 'vanished', 'rejected'].includes(r.verdict));

  it('reports its counts', () => {
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    console.log(`llvm-mc ARM suite: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')} (${base.length} base-integer lines)`);
    expect(results.length).toBeGreaterThan(2500);
    expect(of('identical').length).toBeGreaterThan(2600);
  });
  it('no base-integer line gets other bytes than llvm-mc gives, and none vanishes', () => {
    expect(show(of('wrong'))).toEqual([]);
    expect(show(of('vanished'))).toEqual([]);
  });
  it('the refused base-integer lines are the known ones, at most 1%', () => {
    const got = of('rejected').map((r) => `${r.file}: ${r.src.join(' ; ')}`);
    expect(got).toEqual(KNOWN_REJECTED.map((k) => `${k.file}: ${k.src}`));
    expect(got.length).toBeLessThanOrEqual(base.length / 100);
  });
  it('VFP/NEON, coprocessor and system lines are refused by line, with their place', () => {
    for (const r of of('out-of-scope')) expect(r.why, `${r.file}:${r.line}`).toMatch(/^\S+:\d+:\d+: error: /);
    const named = of('out-of-scope').filter((r) => /instruction not supported: .* \((VFP\/NEON|VFP|coprocessor|system|integer divide extension|multiprocessing extension|ARMv8)\)/.test(r.why!));
    // (the rest: llvm-mc's own `trap`, which GNU as does not know, and `subs pc, lr, #4`, an exception return)
    expect(of('out-of-scope').length - named.length).toBeLessThanOrEqual(3);
  });
  it('what llvm-mc refuses with the file’s options, tinyelf refuses too; lines llvm-mc keeps a relocation for are refused alone', () => {
    expect(show(of('accepted'))).toEqual([]);
    for (const r of of('needs-symbol')) expect(r.why, `${r.file}:${r.line}`).toMatch(/undefined symbol/);
  });
});
