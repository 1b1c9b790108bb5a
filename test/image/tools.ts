/** Helpers for the tests that use real container tools as oracles. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { missing } from '../helpers/oracles.js';

/** Why these tools can't be used here, or undefined when all are on PATH (and we are root if asked). */
export function whyUnavailable(tools: string[], opts: { root?: boolean } = {}): string | undefined {
  const gone = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (gone.length) return `not installed: ${gone.join(', ')} (bash .ci/setup installs them)`;
  if (opts.root && process.getuid?.() !== 0) return 'needs root';
  return undefined;
}

/**
 * describe() that needs tools (`reason`: why they cannot be used): skipped with a warning, or
 * under CI failed, by the rule every test that needs a tool follows (helpers/oracles.ts).
 */
export function describeWith(name: string, reason: string | undefined, fn: () => void): void {
  describe.skipIf(reason !== undefined && missing(`${name}: ${reason}`, false))(name, fn);
}

/** Runs a command; on failure throws with its stderr, so the test output shows what the tool said. */
export function run(cmd: string, args: string[], opts: { input?: string; timeout?: number; env?: NodeJS.ProcessEnv } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeout ?? 60_000, ...(opts.input !== undefined ? { input: opts.input } : {}), ...(opts.env ? { env: opts.env } : {}) });
  } catch (e) {
    const err = e as { status?: number; stderr?: string; stdout?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${err.status}):\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `tinyelf-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
