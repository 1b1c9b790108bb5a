/**
 * tinyelf executables booted as /init on real Linux kernels (Debian's, under qemu-system): the
 * loader profiles are proven on the kernel itself, not only on this host's kernel or qemu-user.
 *
 *   amd64 kernel (qemu-system-x86_64, TCG)          x86_64, and i386 through IA32 emulation
 *   686 kernel (qemu-system-i386, TCG)              i386 on a native 32-bit kernel
 *   arm64 kernel (qemu-system-aarch64 virt, A53)    aarch64, and arm through AArch32 compat
 *   armmp kernel (qemu-system-arm virt, A15)        arm
 *
 * Each boot reads init's exit status from the kernel's "Attempted to kill init! exitcode=0x…"
 * panic. A minimal exit(42) ELF per (kernel, arch) proves the harness itself; then every built-in
 * hello / exit(42) whose asm/ source exists is booted for the `linux` and `portable` loaders (the
 * golden file when there is one, else emitElf's output).
 *
 * Needs qemu-system-x86 and qemu-system-arm, and the kernels (fetched with apt into
 * $TINYELF_KERNEL_CACHE, default /var/cache/tinyelf-kernels, on first use). Under CI a missing
 * tool or kernel fails the test; elsewhere the test is skipped and says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { ArchName } from '../../src/core/backend.js';
import { minimalElf } from '../../src/elf/minimal.js';
import { exitCode } from '../helpers/run.js';
import { build, cases, type Case } from '../programs/cases.js';
import { bootBatch, bootWithInit, DEFAULT_VM, VMS, type BootResult, type VmName } from './boot.js';
import { cachedKernel, type Kernel } from './kernels.js';
import { kernelProblem } from './require.js';
import { missing } from '../helpers/oracles.js';

// Per test, which includes waiting for one of the two guest slots: a TCG x86 boot takes 3-5 s on
// an idle 2-core machine and 20 s or more when the rest of the suite runs beside it.
const BOOT_TIMEOUT = 300_000;
const QEMU_TIMEOUT = 150_000;

const kernels = new Map<VmName, Kernel>();
const timings: string[] = [];

beforeAll(() => {
  for (const vm of Object.values(VMS)) {
    const t = Date.now();
    if (kernelProblem(vm.name)) continue;
    const k = cachedKernel(vm.flavour)!;
    kernels.set(vm.name, k);
    timings.push(`kernel ${vm.flavour}: ${k.package} ${k.version} (${Date.now() - t} ms to get)`);
  }
}, 600_000);

afterAll(() => {
  if (timings.length) console.log(`kernel boots:\n  ${timings.join('\n  ')}`);
});

/** Fails under CI, skips elsewhere, when `vm` cannot be booted here. */
function requireVm(ctx: TestContext, vm: VmName): void {
  const p = kernelProblem(vm);
  if (missing(`a bootable ${vm} kernel (${p})`, !p)) ctx.skip();
}

// Two cores: at most two guests at once.
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  while (running >= 2) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function boot(label: string, arch: ArchName, bytes: Uint8Array, vm: VmName): Promise<BootResult> {
  const r = await limited(() => bootWithInit(arch, bytes, { vm, timeoutMs: QEMU_TIMEOUT }));
  timings.push(`${label} on ${r.kernel.package}: ${r.durationMs} ms, ${r.execError !== null ? `execve error ${r.execError}` : r.signal !== null ? `signal ${r.signal}` : `exit ${r.exitStatus}`}`);
  return r;
}

function expectExit(r: BootResult, status: number): void {
  const tail = r.console.slice(-2500);
  expect(r.timedOut, `guest timed out; console:\n${tail}`).toBe(false);
  expect(r.exitedCleanly, `no init-exit panic; console:\n${tail}`).toBe(true);
  expect(r.signal, `init killed by a signal; console:\n${tail}`).toBeNull();
  expect(r.exitStatus, `console:\n${tail}`).toBe(status);
  expect(r.execError).toBeNull();
}

/** Every (kernel, arch) pair a tinyelf executable is booted on. */
const TARGETS: readonly { vm: VmName; arch: ArchName }[] = Object.values(VMS).flatMap((vm) => vm.runs.map((arch) => ({ vm: vm.name, arch })));

describe.concurrent('harness: a minimal exit(42) ELF as /init', () => {
  for (const { vm, arch } of TARGETS) {
    it(`${arch} on the ${vm} kernel`, async (ctx) => {
      requireVm(ctx, vm);
      const r = await boot(`minimal exit42 ${arch}`, arch, minimalElf({ arch, code: exitCode(arch, 42) }).bytes, vm);
      expectExit(r, 42);
      expect(r.console).not.toContain('unable to open an initial console');
    }, BOOT_TIMEOUT);
  }
});

describe.concurrent('harness: what a failing /init looks like', () => {
  // Fast guests only: these prove the console parsing, not a loader.
  it('a fault kills init with its signal (SIGILL from udf #0, aarch64)', async (ctx) => {
    requireVm(ctx, 'arm64');
    const r = await boot('minimal udf aarch64', 'aarch64', minimalElf({ arch: 'aarch64', code: new Uint8Array(4) }).bytes, 'arm64');
    expect(r.exitedCleanly).toBe(true);
    expect([r.exitStatus, r.signal]).toEqual([null, 4]);
  }, BOOT_TIMEOUT);

  it('a file the loader refuses is reported as execve error -8 (ENOEXEC)', async (ctx) => {
    requireVm(ctx, 'arm64');
    const bytes = minimalElf({ arch: 'aarch64', code: exitCode('aarch64', 42) }).bytes.slice();
    bytes[18] = 0x3f; // e_machine EM_AARCH64 (183) → EM_X86_64 (62)
    const r = await boot('minimal bad e_machine aarch64', 'aarch64', bytes, 'arm64');
    expect(r.exitedCleanly).toBe(false);
    expect(r.timedOut).toBe(false);
    expect(r.execError).toBe(-8);
    expect(r.console).toContain('No working init found');
  }, BOOT_TIMEOUT);
});

const BOOTED_LOADERS = ['linux', 'portable'] as const;
const EXPECT: Record<string, { status: number; output?: string }> = {
  hello: { status: 0, output: 'Hello, World!\n' },
  exit42: { status: 42 },
};

function bytesOf(c: Case): Uint8Array {
  return existsSync(c.file) ? readFileSync(c.file) : build(c);
}

describe.concurrent('built-in programs as /init', () => {
  const selected = cases().filter((c) => c.program in EXPECT && (BOOTED_LOADERS as readonly string[]).includes(c.loader));
  for (const c of selected) {
    // Each architecture on its own kernel; i386 also on a native 32-bit kernel, ARM also on the
    // arm64 kernel's AArch32 compat.
    const vms: VmName[] = c.arch === 'arm' ? [DEFAULT_VM.arm, 'arm64'] : c.arch === 'i386' ? [DEFAULT_VM.i386, '686'] : [DEFAULT_VM[c.arch]];
    for (const vm of vms) {
      it(`${c.program} ${c.arch} (${c.loader} loader${existsSync(c.file) ? ', golden' : ''}) on the ${vm} kernel`, async (ctx) => {
        requireVm(ctx, vm);
        const want = EXPECT[c.program]!;
        const r = await boot(`${c.program} ${c.arch} ${c.loader}`, c.arch, bytesOf(c), vm);
        expectExit(r, want.status);
        if (want.output) expect(r.console).toContain(want.output);
      }, BOOT_TIMEOUT);
    }
  }
});

describe.concurrent('sleep programs (not as init) under busybox timeout 2', () => {
  // sleep must still be running when the timeout's SIGTERM comes, then exit 0 (it handles
  // SIGTERM); sleep-bare must be running and be killed by it (status 128 + 15).
  const WANT: Record<string, number> = { sleep: 0, 'sleep-bare': 143 };
  const selected = cases().filter((c) => c.program in WANT && (BOOTED_LOADERS as readonly string[]).includes(c.loader));
  for (const vm of Object.values(VMS)) {
    const mine = selected.filter((c) => vm.runs.includes(c.arch));
    if (mine.length === 0) continue;
    it(`${[...new Set(mine.map((c) => c.arch))].join(', ')} on the ${vm.name} kernel: ${mine.length} files`, async (ctx) => {
      requireVm(ctx, vm.name);
      const files = mine.map((c) => ({ name: `${c.program}-${c.arch}-${c.loader}`, bytes: bytesOf(c), want: WANT[c.program]! }));
      const r = await limited(() => bootBatch(vm.name, files, { perProgramSeconds: 2, timeoutMs: QEMU_TIMEOUT }));
      timings.push(`${files.length} sleep files on ${r.kernel.package}: ${r.durationMs} ms`);
      const wrong = files
        .filter((f) => r.status.get(f.name) !== f.want || r.elapsedMs.get(f.name)! < 1900)
        .map((f) => `${f.name}: status ${r.status.get(f.name)} after ${r.elapsedMs.get(f.name)} ms, expected ${f.want} after 2 s`);
      expect(wrong).toEqual([]);
    }, BOOT_TIMEOUT);
  }
});
