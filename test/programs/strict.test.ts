/**
 * The `strict` profile promises a conventional ELF: binutils' readelf and file(1) read every
 * built-in program made with it without a warning, and see one executable PT_LOAD segment.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cases } from './cases.js';

const strict = cases().filter((c) => c.loader === 'strict' && existsSync(c.file));
const have = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const inCI = !!process.env.CI;

describe('strict files read cleanly', () => {
  it('has the tools', () => {
    if (inCI) {
      expect(have('readelf'), 'readelf (binutils) is missing').toBe(true);
      expect(have('file'), 'file is missing').toBe(true);
    }
  });
  it.runIf(have('readelf') && have('file')).each(strict.map((c) => [`${c.program} ${c.arch}`, c] as const))('%s', (_n, c) => {
    const r = spawnSync('readelf', ['-h', '-l', '-W', c.file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Type:\s+EXEC/);
    expect(r.stdout).toMatch(/LOAD\s+0x000000 /);
    // The whole report: no warning at all (readelf -a exits 1 on any section-less ARM file, from
    // its unwind-table pass, while printing none).
    const all = spawnSync('readelf', ['-a', '-W', c.file], { encoding: 'utf8' });
    expect(all.stderr).toBe('');
    expect(all.stdout).toMatch(/There are no sections in this file/);
    const f = spawnSync('file', ['-b', c.file], { encoding: 'utf8' });
    expect(f.stdout).toMatch(/^ELF (32|64)-bit LSB executable/);
    expect(f.stdout).not.toMatch(/corrupted|invalid|bad/i);
  });
});
