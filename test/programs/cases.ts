/**
 * The built-in programs × architectures × loader profiles that have golden files, and the
 * loaders each file is run on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '../../src/arch/index.js';
import type { ArchName } from '../../src/core/backend.js';
import { emitElf, type LoaderProfileName } from '../../src/elf/emit.js';
import { exit, hello, sleepForever } from '../../src/programs/builtins.js';
import type { ProgramFamily } from '../../src/programs/program.js';

export const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const ASM_DIR = fileURLToPath(new URL('../../asm/', import.meta.url));

export const PROGRAMS: readonly { name: string; family: ProgramFamily; source: string }[] = [
  { name: 'sleep', family: sleepForever, source: 'sleep' },
  { name: 'sleep-bare', family: sleepForever.bare, source: 'sleep-bare' },
  { name: 'hello', family: hello(), source: 'hello' },
  { name: 'exit42', family: exit(42), source: 'exit' },
];
export const LOADERS: readonly LoaderProfileName[] = ['portable', 'linux', 'qemu', 'strict'];
export const ALL_ARCHES: readonly ArchName[] = ['i386', 'x86_64', 'arm', 'aarch64'];

export interface Case {
  program: string;
  family: ProgramFamily;
  arch: ArchName;
  loader: LoaderProfileName;
  file: string;
}

/** Every case whose assembly source exists. */
export function cases(): Case[] {
  const out: Case[] = [];
  for (const p of PROGRAMS)
    for (const arch of ALL_ARCHES) {
      if (!existsSync(`${ASM_DIR}${p.source}-${arch}.s`)) continue;
      for (const loader of LOADERS) out.push({ program: p.name, family: p.family, arch, loader, file: `${GOLDEN_DIR}${p.name}-${arch}-${loader}` });
    }
  return out;
}

export function build(c: Case): Uint8Array {
  return emitElf({ arch: c.arch, program: c.family, loader: c.loader });
}

/** Which loaders a file made for `loader` must run on. */
export function runsOn(loader: LoaderProfileName): { kernel: boolean; qemu: boolean } {
  return { kernel: loader !== 'qemu', qemu: loader !== 'linux' };
}
