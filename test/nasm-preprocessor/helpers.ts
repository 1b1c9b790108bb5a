/** nasm as the oracle for the preprocessor tests: its `-f bin` bytes for a source, or its error. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../src/assemble.js';
import { AsmError } from '../../src/core/errors.js';

export const NASM = '/usr/bin/nasm';
export const hasNasm = (): boolean => existsSync(NASM);

export const CORPUS = join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
/** The -I directory of the corpus (the programs also include files beside themselves). */
export const LIB = join(CORPUS, 'lib');

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * nasm -f bin of a file, run in the file's directory (nasm looks for %include files in the
 * directory it runs in, then in -I directories), as hex; or its messages when it fails.
 */
export function nasmFile(path: string, includeDirs: readonly string[] = [], cwd = CORPUS): { hex?: string; error?: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'tinyelf-pp-'));
  try {
    const out = join(tmp, 'out.bin');
    const r = spawnSync(NASM, ['-f', 'bin', ...includeDirs.flatMap((d) => ['-I', d]), '-o', out, path], { cwd, encoding: 'utf8' });
    if (r.status !== 0) return { error: r.stderr };
    return { hex: toHex(readFileSync(out)) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** nasm -f bin of a source text (written to a temporary file). */
export function nasmText(source: string): { hex?: string; error?: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'tinyelf-pp-'));
  try {
    const file = join(tmp, 'in.asm');
    writeFileSync(file, source);
    return nasmFile(file, [], tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** tinyelf's flat bytes for a source text, as hex, or its AsmError. */
export function tinyText(source: string, file = 'in.asm', includePaths: string[] = []): { hex?: string; error?: AsmError } {
  try {
    return { hex: toHex(assemble(source, { arch: 'x86_64', file, includePaths, onWarning: () => {} })) };
  } catch (e) {
    if (e instanceof AsmError) return { error: e };
    throw e;
  }
}

export function nasmVersion(): string {
  return execFileSync(NASM, ['-v'], { encoding: 'utf8' }).trim();
}
