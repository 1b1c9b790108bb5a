/** Runs the tinyelf CLI as a separate process through tsx from the source (no build needed). */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];

export interface Result {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function tinyelf(args: string[], opts: { input?: string | Uint8Array } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A fresh temporary directory for the calling test file, removed after it. */
export function useTempDir(): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tinyelf-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The files of a tar, via tar itself. */
export function untar(tarPath: string, into: string): string[] {
  mkdirSync(into, { recursive: true });
  const list = spawnSync('tar', ['-tf', tarPath]).stdout.toString().trim().split('\n');
  expect(spawnSync('tar', ['-xf', tarPath, '-C', into]).status).toBe(0);
  return list;
}

