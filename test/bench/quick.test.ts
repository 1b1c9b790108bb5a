// The bench's size table in --quick mode: shows `npm run bench` works (builds and runs each
// built-in program); no timing is checked.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('bench --quick', () => {
  it('prints the size table of every built-in program', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--arches', 'x86_64,i386'], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Sizes');
    expect(r.stdout).toMatch(/\| x86_64 +\| exit +\| portable +\| \d+ +\| kernel ok/);
    expect(r.stdout).toMatch(/\| i386 +\| exit +\| portable +\| \d+ +\| kernel ok, qemu ok/);
    // The records' job (bench/records/) is built and run as hello too.
    expect(r.stdout).toMatch(/\| i386 +\| hello, the records' job +\| linux +\| \d+ +\| kernel ok/);
  }, 30_000);
});
