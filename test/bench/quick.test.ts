// The bench's size table in --quick mode: shows `npm run bench` works (builds and runs each
// built-in program); no timing is checked.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '../helpers/run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('bench --quick', () => {
  it('prints the size table of every built-in program', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--arches', 'x86_64,i386'], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Sizes');
    // The bench runs on the host only: where the host kernel cannot run i386 it says so (the
    // loader proofs of these programs are test/programs, which then boots a real kernel).
    const kernel = (arch: 'i386' | 'x86_64'): boolean => nativeAvailable(arch);
    expect(r.stdout).toMatch(kernel('x86_64') ? /\| x86_64 +\| exit +\| portable +\| \d+ +\| kernel ok/ : /\| x86_64 +\| exit +\| portable +\| \d+ +\| qemu ok +\|/);
    expect(r.stdout).toMatch(kernel('i386') ? /\| i386 +\| exit +\| portable +\| \d+ +\| kernel ok, qemu ok/ : /\| i386 +\| exit +\| portable +\| \d+ +\| qemu ok +\|/);
    // The records' job (bench/records/) is built and run as hello too.
    expect(r.stdout).toMatch(kernel('i386') ? /\| i386 +\| hello, the records' job +\| linux +\| \d+ +\| kernel ok/ : /\| i386 +\| hello, the records' job +\| linux +\| \d+ +\| not run \(no loader on this host\)/);
    expect(r.stdout).not.toContain('FAILED');
  }, 30_000);
});
