/**
 * The host probe, and the fallback it drives: with TINYELF_PROBE_DENY=i386-native a child vitest
 * (under CI=true) runs a few files' i386 kernel proofs, which must move to a VM and pass; with
 * every kernel for i386 denied, the same proofs must fail, not skip. So the fallback path runs on
 * every CI run, even on a host whose own kernel runs i386.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capabilityNames, deniedNames, DENY_VAR, formatProbe, hostProbe, probeHost } from './host.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the host probe', () => {
  it('is the one globalSetup wrote, and names every capability', () => {
    expect(process.env.TINYELF_HOST_PROBE, 'vitest.config.ts runs test/helpers/global-setup.ts').toBeDefined();
    const table = formatProbe(hostProbe());
    for (const name of capabilityNames()) expect(table).toMatch(new RegExp(`^  ${name} +(yes|no) `, 'm'));
  });

  it(`${DENY_VAR} turns a capability off, and refuses names it does not know`, () => {
    const saved = process.env[DENY_VAR];
    try {
      process.env[DENY_VAR] = 'x86_64-native, arm-qemu';
      const p = probeHost();
      expect([p.native.x86_64.available, p.qemu.arm.available]).toEqual([false, false]);
      expect(p.native.x86_64.detail).toMatch(/^denied by TINYELF_PROBE_DENY/);
      expect(p.denied).toEqual(['x86_64-native', 'arm-qemu']);
    } finally {
      if (saved === undefined) delete process.env[DENY_VAR];
      else process.env[DENY_VAR] = saved;
    }
    expect(() => deniedNames('i386-nativ')).toThrow(/unknown capability i386-nativ \(known: i386-native, /);
  });
});

interface Report {
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

/** Runs vitest on `files` with `env` and CI=true; its report and its output. */
function childVitest(files: readonly string[], testNamePattern: string, env: Record<string, string>): { report: Report; output: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-fallback-'));
  try {
    const json = join(dir, 'report.json');
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...files, '-t', testNamePattern, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
      { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: 'true', ...env } },
    );
    return { report: JSON.parse(readFileSync(json, 'utf8')) as Report, output: r.stdout + r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FILES = ['test/elf/minimal.test.ts', 'test/examples/planner-fuzz.test.ts'];

describe('with the host kernel denied i386', () => {
  it("the i386 kernel proofs run on a VM's kernel and pass", () => {
    const { report, output, status } = childVitest(FILES, 'i386', { [DENY_VAR]: 'i386-native', TINYELF_PLANNER_PROGRAMS: '12' });
    // -t leaves the other tests out (reported as skipped).
    const tests = report.testResults.flatMap((f) => f.assertionResults).filter((t) => /i386/.test(t.fullName));
    expect(output).toMatch(/^ {2}i386-native +no +denied by TINYELF_PROBE_DENY/m);
    expect(tests.filter((t) => t.status !== 'passed').map((t) => `${t.fullName}: ${t.status} ${t.failureMessages.join('\n')}`)).toEqual([]);
    expect([status, report.numFailedTests]).toEqual([0, 0]);
    const moved = tests.filter((t) => /\bvm:(amd64|686)\b/.test(t.fullName)).map((t) => t.fullName);
    // elf/minimal's exit(42), and planner-fuzz's two i386 cases.
    expect(moved).toHaveLength(3);
    expect(tests.filter((t) => /\bnative\b/.test(t.fullName))).toEqual([]);
  }, 240_000);

  it('with no kernel for i386 at all, the proofs fail under CI instead of being skipped', () => {
    const { output, status } = childVitest(['test/elf/minimal.test.ts'], 'i386', { [DENY_VAR]: 'i386-native,amd64-vm,686-vm' });
    expect(status).not.toBe(0);
    expect(output).toContain('nowhere to run the kernel proof of i386 binaries (native: denied by TINYELF_PROBE_DENY');
  }, 120_000);
});
