/**
 * Whole programs in the shapes tutorials write (macros for system calls, %rep tables, struc
 * records, %%local loops, strings a macro puts in .rodata), built by `tinyelf asm` and by
 * `nasm -f elfNN && ld`: both binaries, run on the kernel and under qemu-user, must print the
 * same and exit with the same status.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ArchName } from '../../src/core/backend.js';
import { emitElf, programFromSource } from '../../src/index.js';
import { missing } from '../helpers/oracles.js';
import { nativeAvailable, qemuAvailable, runBinary, type Via } from '../helpers/run.js';
import { hasNasm, NASM } from './helpers.js';

const DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'programs');
const LD = '/usr/bin/ld';
const programs = readdirSync(DIR).filter((f) => f.endsWith('.asm')).sort();
const archOf = (f: string): ArchName => (f.endsWith('-i386.asm') ? 'i386' : 'x86_64');

/** The conventional build: nasm -f elf32/elf64, then ld. */
function conventional(path: string, arch: ArchName): Uint8Array {
  const tmp = mkdtempSync(join(tmpdir(), 'tinyelf-ld-'));
  try {
    execFileSync(NASM, ['-f', arch === 'i386' ? 'elf32' : 'elf64', '-o', join(tmp, 'p.o'), path]);
    execFileSync(LD, ['-m', arch === 'i386' ? 'elf_i386' : 'elf_x86_64', '-o', join(tmp, 'p'), join(tmp, 'p.o')]);
    return readFileSync(join(tmp, 'p'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe.skipIf(missing('nasm', hasNasm()) || missing('ld', existsSync(LD)))('preprocessed programs behave as the nasm && ld build', () => {
  it('has the programs', () => expect(programs.length).toBeGreaterThanOrEqual(5));
  for (const f of programs) {
    const arch = archOf(f);
    const vias: Via[] = [...(nativeAvailable(arch) ? (['native'] as const) : []), ...(missing(`qemu-user for ${arch}`, qemuAvailable(arch)) ? [] : (['qemu'] as const))];
    for (const via of vias) {
      it(`${f} (${via})`, async () => {
        const path = join(DIR, f);
        const ours = emitElf({ arch, program: programFromSource(readFileSync(path, 'utf8'), { arch, file: path }) });
        const theirs = conventional(path, arch);
        const [a, b] = await Promise.all([runBinary(ours, { arch, via }), runBinary(theirs, { arch, via })]);
        expect(b.status).not.toBeNull();
        expect({ status: a.status, signal: a.signal, stdout: a.stdout.toString() }).toEqual({ status: b.status, signal: b.signal, stdout: b.stdout.toString() });
      });
    }
  }
});
