/**
 * Runs a tinyelf-made executable natively or under qemu-user, for tests.
 *
 * `runBinary(bytes, { arch, via })` writes the bytes to a fresh 0755 file in a temporary folder
 * and runs it with a timeout. What stdout is for the program:
 *   default          a pipe whose contents come back as `stdout`;
 *   closeStdout      fd 1 is closed (`sh -c 'exec "$0" "$@" >&-'`): write(1, …) returns -EBADF;
 *   brokenPipe       fd 1 is a pipe with no reader left. With 'default' SIGPIPE disposition a
 *                    write kills the program with SIGPIPE (as `yes | head` does); with 'ignored'
 *                    (`trap '' PIPE`, inherited across exec) write returns -EPIPE.
 * So a program that writes must not depend on write succeeding: it exits with its own status in
 * every case except the default-SIGPIPE one, where the signal is the conventional answer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchName } from '../../src/core/backend.js';
import { machine } from '../../src/elf/machines.js';
import { minimalElf } from '../../src/elf/minimal.js';

export type Via = 'native' | 'qemu';

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
}

export interface RunResult {
  /** Exit status, or null when a signal ended the program. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly timedOut: boolean;
}

let dir: string | undefined;
let counter = 0;
/** A temporary folder for this test process, removed at exit. */
export function scratchDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'tinyelf-run-'));
    const d = dir;
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return dir;
}

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

export async function runBinary(bytes: Uint8Array, opts: RunOptions): Promise<RunResult> {
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

/**
 * Runs a command to its end and collects what it printed; SIGKILLed (and `timedOut`) after
 * `timeoutMs`. `stdin`: what to feed it (undefined: no stdin at all). Rejects only when the
 * command cannot be started.
 */
export function runCollecting(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; stdin?: string | Uint8Array; timeoutMs: number },
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    if (opts.stdin !== undefined) {
      child.stdin!.on('error', () => {}); // the program may exit without reading
      child.stdin!.end(opts.stdin);
    }
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), timedOut });
    });
  });
}

/** Runs `fn` over `items` with at most `limit` running at once; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// --- exit(status) programs, hand-encoded, used by the probes and the ELF tests -------------------

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

// --- probes --------------------------------------------------------------------------------------

const probeCache = new Map<string, boolean>();

function probeRun(bytes: Uint8Array, cmd: string, args: string[]): boolean {
  const path = join(scratchDir(), `probe-${process.pid}-${counter++}`);
  writeFileSync(path, bytes, { mode: 0o755 });
  try {
    const r = spawnSync(cmd === '' ? path : cmd, cmd === '' ? args : [...args, path], { cwd: scratchDir(), timeout: 10_000 });
    return r.status === 42;
  } catch {
    return false;
  } finally {
    rmSync(path, { force: true });
  }
}

/** True when the qemu-user binary for `arch` is installed and runs an exit(42) ELF. */
export function qemuAvailable(arch: ArchName): boolean {
  const key = `qemu-${arch}`;
  if (!probeCache.has(key)) {
    const m = machine(arch);
    probeCache.set(key, probeRun(minimalElf({ arch, code: exitCode(arch, 42) }).bytes, m.qemu, [...m.qemuArgs]));
  }
  return probeCache.get(key)!;
}

/** Host architectures whose kernel runs `arch` itself (not through binfmt_misc). */
const NATIVE_HOSTS: Record<ArchName, readonly string[]> = {
  i386: ['x64', 'ia32'],
  x86_64: ['x64'],
  arm: ['arm', 'arm64'],
  aarch64: ['arm64'],
};

/** A binfmt_misc entry that would hand `arch` to qemu, making a "native" run a qemu run. */
function binfmtQemuEnabled(arch: ArchName): boolean {
  const name = machine(arch).qemu;
  const p = `/proc/sys/fs/binfmt_misc/${name}`;
  return existsSync(p) && readFileSync(p, 'utf8').startsWith('enabled');
}

/**
 * True when the running kernel executes `arch` binaries itself: the host is of a fitting
 * architecture (i386 needs IA32 emulation on an x86-64 kernel), no binfmt_misc entry hands them
 * to qemu, and an exit(42) ELF returns 42.
 */
export function nativeAvailable(arch: ArchName): boolean {
  const key = `native-${arch}`;
  if (!probeCache.has(key)) {
    const ok =
      NATIVE_HOSTS[arch].includes(process.arch) &&
      !binfmtQemuEnabled(arch) &&
      probeRun(minimalElf({ arch, code: exitCode(arch, 42) }).bytes, '', []);
    probeCache.set(key, ok);
  }
  return probeCache.get(key)!;
}
