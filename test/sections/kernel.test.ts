/**
 * The programs of programs.ts booted as /init on real kernels (Debian's, under qemu-system): the
 * zero fill and writable memory of tinyelf's one segment proven on the kernel of each
 * architecture, not only on this host's x86-64 kernel and qemu-user. What the program must print
 * and return is what its conventional build (GNU as or nasm, + ld) does under qemu-user.
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { layoutElf, programFromSource } from '../../src/index.js';
import { runBinary } from '../helpers/run.js';
import { missing, missingFiles } from '../helpers/oracles.js';
import { bootWithInit, type VmName } from '../kernel/boot.js';
import { kernelProblem } from '../kernel/require.js';
import { conventionalBuild, conventionalTools } from './conventional.js';
import { PROGRAMS } from './programs.js';

const BOOT_TIMEOUT = 300_000;

function requireVm(ctx: TestContext, vm: VmName): void {
  const p = kernelProblem(vm);
  if (missing(`a bootable ${vm} kernel (${p})`, !p)) ctx.skip();
}

/** Foreign architectures on their kernels; i386 also on a native 32-bit kernel (the host runs it through IA32 emulation). */
const TARGETS: { arch: 'arm' | 'aarch64' | 'i386'; vm: VmName }[] = [
  { arch: 'aarch64', vm: 'arm64' },
  { arch: 'arm', vm: 'armmp' },
  { arch: 'arm', vm: 'arm64' },
  { arch: 'i386', vm: '686' },
];

describe('programs with .data and .bss as /init on the kernel of their architecture', () => {
  for (const { arch, vm } of TARGETS) {
    for (const p of PROGRAMS.filter((x) => x.arch === arch)) {
      for (const loader of ['linux', 'portable'] as const) {
        it.skipIf(missingFiles(...conventionalTools(arch)))(`${arch} (${loader}) on the ${vm} kernel: ${p.name}`, async (ctx) => {
          requireVm(ctx, vm);
          const writableText = p.writableText === true;
          const reference = await runBinary(conventionalBuild(arch, p.source, writableText), { arch, via: 'qemu' });
          expect([reference.signal, reference.status !== null && reference.status < 100]).toEqual([null, true]);
          const elf = layoutElf({ arch, program: programFromSource(p.source, { arch, file: 'prog.s' }), loader, writableText }).bytes;
          const r = await bootWithInit(arch, elf, { vm, timeoutMs: 150_000 });
          const tail = r.console.slice(-2000);
          expect([r.timedOut, r.exitedCleanly, r.signal, r.exitStatus], tail).toEqual([false, true, null, reference.status]);
          expect(r.console).toContain(reference.stdout.toString());
        }, BOOT_TIMEOUT);
      }
    }
  }
});
