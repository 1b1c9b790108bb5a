/**
 * What this host can run, probed once per test run.
 *
 *   native    the host kernel execs the binary itself: x86_64, i386 (IA32 emulation), x32, arm,
 *             aarch64 — each an exit(42) ELF that must return 42 (binfmt_misc handing it to qemu
 *             does not count);
 *   qemu      each qemu-user binary runs an exit(42) ELF of its architecture;
 *   vm        each real-kernel harness of test/kernel/boot.ts: its qemu-system binary is
 *             installed and its Debian kernel and busybox are cached (or can be fetched: root and
 *             apt). Not booted here: a boot costs seconds, and the kernel tests prove each one.
 *
 * vitest's globalSetup (test/helpers/global-setup.ts) probes once, prints the table and writes
 * the result to a JSON file named by $TINYELF_HOST_PROBE, which test workers inherit and read;
 * without it (a script run outside vitest) the probe runs in-process, once.
 *
 * $TINYELF_PROBE_DENY (comma-separated capability names from the table, e.g. `i386-native` or
 * `i386-native,686-vm`) makes the probe report those as absent, so the fallbacks can be run on a
 * host that does not need them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchName } from '../../src/core/backend.js';
import { ARCHES, machine } from '../../src/elf/machines.js';
import { minimalElf } from '../../src/elf/minimal.js';
import { VMS, type VmName } from '../kernel/boot.js';
import { cachedKernel, fetchBlocker, KERNEL_SPECS } from '../kernel/kernels.js';
import { scratchDir } from './process.js';

/** An ABI the host kernel may exec: the four architectures, and x32 (ILP32 on x86-64). */
export type NativeAbi = ArchName | 'x32';
export const NATIVE_ABIS: readonly NativeAbi[] = [...ARCHES, 'x32'];

export interface Capability {
  readonly available: boolean;
  /** Why not, or what was found (a kernel version, "denied by TINYELF_PROBE_DENY"). */
  readonly detail: string;
}

export interface HostProbe {
  readonly native: Readonly<Record<NativeAbi, Capability>>;
  readonly qemu: Readonly<Record<ArchName, Capability>>;
  readonly vm: Readonly<Record<VmName, Capability>>;
  /** The capability names $TINYELF_PROBE_DENY removed. */
  readonly denied: readonly string[];
}

export const PROBE_FILE_VAR = 'TINYELF_HOST_PROBE';
export const DENY_VAR = 'TINYELF_PROBE_DENY';

/** Every capability name, as $TINYELF_PROBE_DENY and the table spell them. */
export function capabilityNames(): string[] {
  return [...NATIVE_ABIS.map((a) => `${a}-native`), ...ARCHES.map((a) => `${a}-qemu`), ...Object.keys(VMS).map((v) => `${v}-vm`)];
}

/** The names in $TINYELF_PROBE_DENY; an unknown name is an error (a typo must not deny nothing). */
export function deniedNames(env: string | undefined = process.env[DENY_VAR]): string[] {
  const names = (env ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set(capabilityNames());
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new Error(`${DENY_VAR}: unknown capability ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return names;
}

// --- exit(status) programs, hand-encoded, used by the probes here and the ELF tests -------------------

/** Machine code for exit(status), status 0..255, each checked against llvm-mc / nasm. */
export function exitCode(arch: ArchName, status: number): Uint8Array {
  switch (arch) {
    case 'i386':
      // xor ebx,ebx / mov bl,status / xor eax,eax / inc eax / int 0x80
      return new Uint8Array([0x31, 0xdb, 0xb3, status, 0x31, 0xc0, 0x40, 0xcd, 0x80]);
    case 'x86_64':
      // push status / pop rdi / push 60 / pop rax / syscall   (status < 128: imm8 is sign-extended)
      if (status > 127) throw new RangeError('x86_64 exitCode: status must be < 128');
      return new Uint8Array([0x6a, status, 0x5f, 0x6a, 60, 0x58, 0x0f, 0x05]);
    case 'arm':
      // mov r0,#status (e3a000ss) / mov r7,#1 (e3a07001) / svc #0 (ef000000), ARM mode
      return new Uint8Array([status, 0x00, 0xa0, 0xe3, 0x01, 0x70, 0xa0, 0xe3, 0x00, 0x00, 0x00, 0xef]);
    case 'aarch64': {
      // movz x0,#status (d2800000 | imm16<<5) / movz x8,#93 (d2800ba8) / svc #0 (d4000001)
      const w = 0xd2800000 | (status << 5);
      return new Uint8Array([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]);
    }
  }
}

// --- the probes ----------------------------------------------------------------------------------

/** Host (process.arch) values whose kernel can exec each ABI without binfmt_misc. */
const NATIVE_HOSTS: Readonly<Record<NativeAbi, readonly string[]>> = {
  i386: ['x64', 'ia32'],
  x86_64: ['x64'],
  x32: ['x64'],
  arm: ['arm', 'arm64'],
  aarch64: ['arm64'],
};

/**
 * An x32 exit(42): the i386 minimal ELF (ELFCLASS32) relabelled EM_X86_64, whose code is
 * mov eax, 0x4000003c (exit | __X32_SYSCALL_BIT) / mov edi, 42 / syscall (checked with nasm).
 */
function x32Exit42(): Uint8Array {
  const code = new Uint8Array([0xb8, 0x3c, 0x00, 0x00, 0x40, 0xbf, 0x2a, 0x00, 0x00, 0x00, 0x0f, 0x05]);
  const bytes = minimalElf({ arch: 'i386', code }).bytes.slice();
  bytes[18] = 62; // e_machine: EM_X86_64
  bytes[19] = 0;
  return bytes;
}

const exit42 = (abi: NativeAbi): Uint8Array => (abi === 'x32' ? x32Exit42() : minimalElf({ arch: abi, code: exitCode(abi, 42) }).bytes);

let probeCounter = 0;
/** Runs `bytes` (written to a scratch file) through `cmd args` or directly; what went wrong, or undefined. */
function runsExit42(bytes: Uint8Array, cmd?: string, args: readonly string[] = []): string | undefined {
  const path = join(scratchDir(), `probe-${process.pid}-${probeCounter++}`);
  writeFileSync(path, bytes, { mode: 0o755 });
  try {
    const r = spawnSync(cmd ?? path, cmd ? [...args, path] : [], { cwd: scratchDir(), timeout: 10_000 });
    if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOEXEC' ? 'Exec format error' : r.error.message;
    if (r.status === 42) return undefined;
    // On ENOEXEC, execvp (libuv's) hands the file to /bin/sh, which then complains about it.
    if (!cmd && r.stderr.toString().includes(path)) return 'Exec format error (the kernel refused it)';
    return r.signal ? `killed by ${r.signal}` : `exit status ${r.status}, not 42${r.stderr.length ? `: ${r.stderr.toString().trim().split('\n')[0]}` : ''}`;
  } finally {
    rmSync(path, { force: true });
  }
}

function binfmtHandler(abi: NativeAbi): string | undefined {
  const dir = '/proc/sys/fs/binfmt_misc';
  if (abi === 'x32' || !existsSync(dir)) return undefined;
  const name = machine(abi).qemu;
  const p = join(dir, name);
  return existsSync(p) && readFileSync(p, 'utf8').startsWith('enabled') ? name : undefined;
}

function probeNative(abi: NativeAbi): Capability {
  if (!NATIVE_HOSTS[abi].includes(process.arch)) return { available: false, detail: `not on a ${process.arch} host` };
  const handler = binfmtHandler(abi);
  if (handler) return { available: false, detail: `binfmt_misc hands it to ${handler}` };
  const problem = runsExit42(exit42(abi));
  return problem ? { available: false, detail: problem } : { available: true, detail: 'exit(42) ran' };
}

function probeQemu(arch: ArchName): Capability {
  const m = machine(arch);
  if (spawnSync('sh', ['-c', `command -v ${m.qemu}`]).status !== 0) return { available: false, detail: `${m.qemu} is not installed (apt-get install qemu-user)` };
  const problem = runsExit42(exit42(arch), m.qemu, m.qemuArgs);
  return problem ? { available: false, detail: `${m.qemu}: ${problem}` } : { available: true, detail: `${m.qemu} ran exit(42)` };
}

function probeVm(name: VmName): Capability {
  const vm = VMS[name];
  if (spawnSync('sh', ['-c', `command -v ${vm.qemu}`]).status !== 0) return { available: false, detail: `${vm.qemu} is not installed` };
  const kernel = cachedKernel(vm.flavour);
  const busyboxCached = existsSync(join(process.env.TINYELF_KERNEL_CACHE ?? '/var/cache/tinyelf-kernels', `busybox-${KERNEL_SPECS[vm.flavour].debArch}`, 'busybox'));
  if (kernel && busyboxCached) return { available: true, detail: `${kernel.package} ${kernel.version}` };
  const blocker = fetchBlocker(vm.flavour) ?? (typeof process.getuid === 'function' && process.getuid() !== 0 ? 'fetching busybox needs root' : undefined);
  return blocker ? { available: false, detail: `kernel or busybox not cached, and ${blocker}` } : { available: true, detail: 'not cached; fetched on first boot' };
}

function deny(c: Capability, name: string, denied: readonly string[]): Capability {
  return denied.includes(name) ? { available: false, detail: `denied by ${DENY_VAR} (${c.available ? 'present' : c.detail})` } : c;
}

/** Probes everything now (a few hundred ms: one short process per capability). */
export function probeHost(): HostProbe {
  const denied = deniedNames();
  const record = <K extends string>(keys: readonly K[], suffix: string, probe: (k: K) => Capability): Record<K, Capability> =>
    Object.fromEntries(keys.map((k) => [k, deny(probe(k), `${k}-${suffix}`, denied)])) as Record<K, Capability>;
  return {
    native: record(NATIVE_ABIS, 'native', probeNative),
    qemu: record(ARCHES, 'qemu', probeQemu),
    vm: record(Object.keys(VMS) as VmName[], 'vm', probeVm),
    denied,
  };
}

let cached: HostProbe | undefined;

/** The run's probe: the globalSetup's file when there is one, else probed here once. */
export function hostProbe(): HostProbe {
  if (!cached) {
    const file = process.env[PROBE_FILE_VAR];
    cached = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HostProbe) : probeHost();
  }
  return cached;
}

/** The probe as a short table, one capability a line. */
export function formatProbe(p: HostProbe): string {
  const rows: [string, Capability][] = [
    ...NATIVE_ABIS.map((a) => [`${a}-native`, p.native[a]] as [string, Capability]),
    ...ARCHES.map((a) => [`${a}-qemu`, p.qemu[a]] as [string, Capability]),
    ...(Object.keys(p.vm) as VmName[]).map((v) => [`${v}-vm`, p.vm[v]] as [string, Capability]),
  ];
  const width = Math.max(...rows.map(([n]) => n.length));
  const lines = rows.map(([n, c]) => `  ${n.padEnd(width)}  ${c.available ? 'yes' : 'no '}  ${c.detail}`);
  return [`What this host runs (test/helpers/host.ts${p.denied.length ? `; ${DENY_VAR}=${p.denied.join(',')}` : ''}):`, ...lines].join('\n');
}
