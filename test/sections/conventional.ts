/**
 * The conventional build of a test program: nasm -f elf64/elf32 (x86) or GNU as (ARM, AArch64),
 * then GNU ld, with -N when the program's code writes to itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchName } from '../../src/core/backend.js';

interface Toolchain {
  assemble: (src: string, obj: string) => [string, string[]];
  link: [string, string[]];
}

const TOOLCHAINS: Record<ArchName, Toolchain> = {
  x86_64: { assemble: (src, obj) => ['nasm', ['-f', 'elf64', src, '-o', obj]], link: ['ld', ['-m', 'elf_x86_64']] },
  i386: { assemble: (src, obj) => ['nasm', ['-f', 'elf32', src, '-o', obj]], link: ['ld', ['-m', 'elf_i386']] },
  aarch64: { assemble: (src, obj) => ['aarch64-linux-gnu-as', [src, '-o', obj]], link: ['aarch64-linux-gnu-ld', []] },
  arm: { assemble: (src, obj) => ['arm-linux-gnueabihf-as', ['-march=armv6', src, '-o', obj]], link: ['arm-linux-gnueabihf-ld', []] },
};

/** The tools each architecture's conventional build needs, by path (for missingFiles). */
export function conventionalTools(arch: ArchName): string[] {
  const t = TOOLCHAINS[arch];
  return [t.assemble('', '')[0], t.link[0]].map((tool) => `/usr/bin/${tool}`);
}

/** Assembles and links `source`; throws with the tools' messages if either fails. */
export function conventionalBuild(arch: ArchName, source: string, writableText: boolean): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-conventional-'));
  try {
    const src = join(dir, 'prog.s');
    const obj = join(dir, 'prog.o');
    const exe = join(dir, 'prog');
    writeFileSync(src, source);
    const t = TOOLCHAINS[arch];
    const steps: [string, string[]][] = [t.assemble(src, obj), [t.link[0], [...t.link[1], ...(writableText ? ['-N'] : []), '-o', exe, obj]]];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error}`);
    }
    return new Uint8Array(readFileSync(exe));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
