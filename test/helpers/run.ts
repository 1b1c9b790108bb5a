/**
 * Runs tinyelf-made executables for tests, on whichever loader can run them here.
 *
 * A test proves one of two claims about a binary: that the Linux kernel runs it (`kernel`) or
 * that qemu-user does (`qemu`). `viaFor(arch, proof)` says where that proof runs on this host,
 * from the run's one probe (test/helpers/host.ts):
 *
 *   kernel proof   `native` when the host kernel execs the architecture (x86-64 hosts: x86_64,
 *                  and i386 when IA32 emulation is on); else `vm:NAME`, a real Debian kernel under
 *                  qemu-system (test/kernel/boot.ts) — i386 on the amd64 kernel's IA32
 *                  emulation, the loader an x86-64 host runs it with (else the 686 kernel; it
 *                  boots slower, and test/kernel proves both), x86_64 on amd64, arm on armmp
 *                  (else arm64), aarch64 on arm64;
 *   qemu proof     `qemu`, the architecture's qemu-user binary.
 *
 * Nowhere to run is a failure under CI (process.env.CI) and a skip with a warning elsewhere.
 *
 * `runBinary(bytes, { arch, via })` writes the bytes to a fresh 0755 file and runs it with a
 * timeout; `runAll(items)` runs many, and boots each VM once for all the items sent to it (a boot
 * costs seconds). What stdout is for the program:
 *   default          a pipe (in a VM: a file) whose contents come back as `stdout`;
 *   closeStdout      fd 1 is closed (`sh -c 'exec "$0" "$@" >&-'`): write(1, …) returns -EBADF;
 *   brokenPipe       fd 1 is a pipe with no reader left. With 'default' SIGPIPE disposition a
 *                    write kills the program with SIGPIPE (as `yes | head` does); with 'ignored'
 *                    (`trap '' PIPE`, inherited across exec) write returns -EPIPE.
 * So a program that writes must not depend on write succeeding: it exits with its own status in
 * every case except the default-SIGPIPE one, where the signal is the conventional answer.
 *
 * What a VM run can and cannot tell (the guest's busybox sh runs each program, see bootBatch):
 * args, stdout, status, closed and broken fd 1 are as on the host; stdin is always empty
 * (/dev/null; other stdin is refused); a signal that dumps core (SIGSEGV, SIGILL, …) is reported
 * as a signal, any other as status 128 + n; `cpu` is refused (it is a qemu-user option).
 * Checks that act on the program while it runs (signals sent to a sleeping program, its CPU use,
 * PID 1 of a PID namespace with orphans) are host code in the tests; in a VM the same checks are
 * a busybox sh fragment (`vmScript`) run in the guest beside the program, with the same limits
 * (test/programs/behaviour.test.ts). The negative control of those checks (the bare sleep as
 * PID 1) stays on the host: native, else qemu-user.
 */
import { constants } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchName } from '../../src/core/backend.js';
import { machine } from '../../src/elf/machines.js';
import { bootBatch, type BatchProgram, type VmName } from '../kernel/boot.js';
import { hostProbe } from './host.js';
import { mapLimit, runCollecting, scratchDir, type RunResult } from './process.js';

export { exitCode } from './host.js';
export { mapLimit, runCollecting, scratchDir, type RunResult } from './process.js';

/** The two claims a binary's loader profile makes. */
export type Proof = 'kernel' | 'qemu';
/** Where a binary runs: the host kernel, qemu-user, or a real kernel booted under qemu-system. */
export type Via = 'native' | 'qemu' | `vm:${VmName}`;

export interface RunOptions {
  readonly arch: ArchName;
  readonly via: Via;
  readonly args?: readonly string[];
  readonly stdin?: string | Uint8Array;
  /** Run with fd 1 closed. */
  readonly closeStdout?: boolean;
  /** Run with fd 1 a pipe whose reader has gone, SIGPIPE at its default action or ignored. */
  readonly brokenPipe?: 'default' | 'ignored';
  /** qemu -cpu; default the machine's (arm1176 for ARM). */
  readonly cpu?: string;
  readonly timeoutMs?: number;
  /**
   * In a VM only: a busybox sh fragment run instead of the program, whose status is the result
   * (its path in $f; see BatchProgram.script). For proofs that act on a running program.
   */
  readonly vmScript?: string;
}

// --- where a proof runs --------------------------------------------------------------------------

/** The kernels that take an architecture's kernel proof when the host kernel cannot, best first. */
const KERNEL_VMS: Readonly<Record<ArchName, readonly VmName[]>> = {
  i386: ['amd64', '686'],
  x86_64: ['amd64'],
  arm: ['armmp', 'arm64'],
  aarch64: ['arm64'],
};

const warned = new Set<string>();

/**
 * Where the `proof` of an `arch` binary runs on this host. When it can run nowhere: throws under
 * CI, and elsewhere warns once and returns undefined (the caller skips the proof).
 */
export function viaFor(arch: ArchName, proof: Proof): Via | undefined {
  const probe = hostProbe();
  if (proof === 'qemu') {
    if (probe.qemu[arch].available) return 'qemu';
    return nowhere(`the qemu-user proof of ${arch} binaries: ${probe.qemu[arch].detail}`);
  }
  if (probe.native[arch].available) return 'native';
  const vm = KERNEL_VMS[arch].find((v) => probe.vm[v].available);
  if (vm) return `vm:${vm}`;
  const why = [`native: ${probe.native[arch].detail}`, ...KERNEL_VMS[arch].map((v) => `${v} kernel: ${probe.vm[v].detail}`)];
  return nowhere(`the kernel proof of ${arch} binaries (${why.join('; ')})`);
}

function nowhere(what: string): undefined {
  if (process.env.CI) throw new Error(`nowhere to run ${what}; CI must run every proof (see .ci/setup)`);
  if (!warned.has(what)) {
    warned.add(what);
    console.warn(`SKIPPED: ${what}`);
  }
  return undefined;
}

/** The VM of a `vm:NAME` via, else undefined. */
export function vmOf(via: Via): VmName | undefined {
  return via.startsWith('vm:') ? (via.slice(3) as VmName) : undefined;
}

/** True when the host kernel runs `arch` binaries itself (the run's probe). */
export function nativeAvailable(arch: ArchName): boolean {
  return hostProbe().native[arch].available;
}

/** True when the qemu-user binary for `arch` is installed and runs an exit(42) ELF (the run's probe). */
export function qemuAvailable(arch: ArchName): boolean {
  return hostProbe().qemu[arch].available;
}

// --- running on the host -------------------------------------------------------------------------

let counter = 0;

function command(path: string, opts: RunOptions): [string, string[]] {
  const args = [...(opts.args ?? [])];
  if (opts.via === 'native') return [path, args];
  const m = machine(opts.arch);
  const cpuArgs = opts.cpu ? ['-cpu', opts.cpu] : [...m.qemuArgs];
  return [m.qemu, [...cpuArgs, path, ...args]];
}

// `$0 "$@"` is the real command; the prelude rewires fd 1 first.
const CLOSED = 'exec "$0" "$@" >&-';
// A FIFO opened read-write gives a reader and a writer without blocking (Linux); closing the
// only reader before exec leaves fd 1 a pipe whose reader has gone, deterministically.
const BROKEN =
  'f=$(mktemp -u); mkfifo "$f"; exec 3<>"$f"; exec 4>"$f"; exec 3<&-; rm -f "$f"; exec "$0" "$@" >&4 4>&-';

async function runOnHost(bytes: Uint8Array, opts: RunOptions): Promise<RunResult> {
  if (opts.vmScript !== undefined) throw new Error(`runBinary via ${opts.via}: vmScript is for VM runs only`);
  // One length for every path: qemu-user passes argv (and arm's r1, r2 point into it), so a longer
  // name would change what a program that reads those registers computes.
  const path = join(scratchDir(), `${opts.arch}-${process.pid}-${String(counter++).padStart(8, '0')}`);
  writeFileSync(path, bytes, { mode: 0o755 });
  let [cmd, args] = command(path, opts);
  if (opts.closeStdout || opts.brokenPipe) {
    let script = opts.closeStdout ? CLOSED : BROKEN;
    if (opts.brokenPipe === 'ignored') script = `trap '' PIPE; ${script}`;
    args = ['-c', script, cmd, ...args];
    cmd = 'sh';
  }
  try {
    // cwd is the scratch folder: a mutated header can run stray syscalls (open, mkdir) on header bytes.
    return await runCollecting(cmd, args, { cwd: scratchDir(), stdin: opts.stdin ?? '', timeoutMs: opts.timeoutMs ?? 10_000 });
  } finally {
    rmSync(path, { force: true });
  }
}

// --- running in a VM -----------------------------------------------------------------------------

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

function batchProgram(name: string, bytes: Uint8Array, opts: RunOptions): BatchProgram {
  const refuse = (what: string): never => {
    throw new Error(`runBinary via ${opts.via}: ${what} cannot be given to a program booted in a VM`);
  };
  if (opts.stdin !== undefined && opts.stdin.length > 0) refuse('stdin');
  if (opts.cpu !== undefined) refuse('a qemu -cpu');
  const stdout = opts.closeStdout ? 'closed' : opts.brokenPipe === 'default' ? 'broken-pipe' : opts.brokenPipe === 'ignored' ? 'broken-pipe-ignored' : 'capture';
  return { name, bytes, args: opts.args, stdout, ...(opts.vmScript !== undefined ? { script: opts.vmScript } : {}) };
}

/** Runs every item in one boot of `vm`; results in the items' order. */
async function runOnVm(vm: VmName, items: readonly RunItem[]): Promise<RunResult[]> {
  const secs = Math.ceil(Math.max(...items.map((it) => it.opts.timeoutMs ?? 10_000)) / 1000);
  const programs = items.map((it, i) => batchProgram(`p${String(i).padStart(5, '0')}`, it.bytes, it.opts));
  const r = await bootBatch(vm, programs, { perProgramSeconds: secs, timeoutSignal: 'KILL' });
  return programs.map((p) => {
    const b = r.runs.get(p.name)!;
    // `busybox timeout -s KILL` ends a program that runs too long, as runCollecting does.
    const timedOut = b.shellStatus === 137 && b.elapsedMs >= secs * 1000 - 20;
    return {
      status: timedOut ? null : b.status,
      signal: timedOut ? 'SIGKILL' : b.signal === null ? null : (SIGNAL_NAMES.get(b.signal) ?? null),
      stdout: b.stdout ?? Buffer.alloc(0),
      stderr: '',
      timedOut,
    };
  });
}

// --- the entry points ----------------------------------------------------------------------------

export interface RunItem {
  readonly bytes: Uint8Array;
  readonly opts: RunOptions;
}

/** Runs one binary. Via a VM this is a whole boot: send many at once with runAll. */
export async function runBinary(bytes: Uint8Array, opts: RunOptions): Promise<RunResult> {
  return (await runAll([{ bytes, opts }]))[0]!;
}

/**
 * Runs every item where its `via` says: host runs at most `limit` at once, and one boot per VM
 * for all the items sent to that VM. Results keep the input order.
 */
export async function runAll(items: readonly RunItem[], limit = 8): Promise<RunResult[]> {
  const results = new Array<RunResult>(items.length);
  const onHost: number[] = [];
  const perVm = new Map<VmName, number[]>();
  items.forEach((it, i) => {
    const vm = vmOf(it.opts.via);
    if (vm) perVm.set(vm, [...(perVm.get(vm) ?? []), i]);
    else onHost.push(i);
  });
  await Promise.all([
    mapLimit(onHost, limit, async (i) => {
      results[i] = await runOnHost(items[i]!.bytes, items[i]!.opts);
    }),
    ...[...perVm].map(async ([vm, indices]) => {
      const got = await runOnVm(vm, indices.map((i) => items[i]!));
      indices.forEach((i, k) => (results[i] = got[k]!));
    }),
  ]);
  return results;
}
