/**
 * Boots a real Linux kernel under qemu-system with an initramfs whose /init is a given
 * executable, and reads what the serial console shows.
 *
 * The kernel opens /dev/console (from the initramfs, see src/image/cpio.ts) as init's fd 0, 1, 2
 * and `console=ttyS0` / `console=ttyAMA0` makes that the serial port, which qemu writes to its
 * stdout. When init exits the kernel panics with
 *
 *   Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000XX00
 *
 * where exitcode is init's wait status (status << 8 | signal); `panic=-1` then reboots at once and
 * `-no-reboot` makes qemu exit instead. x86 guests run under TCG (KVM is not used: it may be
 * missing, or, in nested setups, present and broken); set TINYELF_QEMU_ACCEL=kvm to try it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchName } from '../../src/core/backend.js';
import { initramfs, writeCpio } from '../../src/image/cpio.js';
import { runCollecting, scratchDir } from '../helpers/process.js';
import { cachedKernel, fetchBusybox, fetchKernel, KERNEL_SPECS, type Flavour, type Kernel } from './kernels.js';

export type VmName = 'amd64' | '686' | 'arm64' | 'armmp';

export interface Vm {
  readonly name: VmName;
  readonly flavour: Flavour;
  readonly qemu: string;
  readonly args: readonly string[];
  /** Serial console device for console=. */
  readonly console: string;
  /** Executable architectures this kernel runs (i386 through IA32 emulation, arm through AArch32 compat). */
  readonly runs: readonly ArchName[];
}

export const VMS: Readonly<Record<VmName, Vm>> = {
  amd64: {
    name: 'amd64',
    flavour: 'amd64',
    qemu: 'qemu-system-x86_64',
    args: ['-accel', process.env.TINYELF_QEMU_ACCEL ?? 'tcg'],
    console: 'ttyS0',
    runs: ['x86_64', 'i386'],
  },
  // Debian's 686 kernel has no PVH entry: booted as its bzImage, through SeaBIOS.
  '686': { name: '686', flavour: '686', qemu: 'qemu-system-i386', args: ['-accel', process.env.TINYELF_QEMU_ACCEL ?? 'tcg'], console: 'ttyS0', runs: ['i386'] },
  // cortex-a53 runs AArch32 at EL0, so the arm64 kernel (CONFIG_COMPAT=y) runs ARM binaries too.
  arm64: { name: 'arm64', flavour: 'arm64', qemu: 'qemu-system-aarch64', args: ['-M', 'virt', '-cpu', 'cortex-a53'], console: 'ttyAMA0', runs: ['aarch64', 'arm'] },
  // Debian's armmp kernel is ARMv7 (multi-platform); qemu's virt machine makes its own device tree.
  armmp: { name: 'armmp', flavour: 'armmp', qemu: 'qemu-system-arm', args: ['-M', 'virt', '-cpu', 'cortex-a15'], console: 'ttyAMA0', runs: ['arm'] },
};

/** The VM an executable of `arch` boots in by default: its own architecture's kernel. */
export const DEFAULT_VM: Readonly<Record<ArchName, VmName>> = { i386: 'amd64', x86_64: 'amd64', arm: 'armmp', aarch64: 'arm64' };

export interface BootOptions {
  readonly timeoutMs?: number;
  /** Appended to the kernel command line. */
  readonly appendCmdline?: string;
  /** Which kernel; default DEFAULT_VM[arch]. */
  readonly vm?: VmName;
  /** Memory in MiB; default 256. */
  readonly memoryMiB?: number;
}

export interface BootResult {
  /** What the serial console showed, as UTF-8, \r\n turned into \n. */
  readonly console: string;
  /** The same, byte for byte. */
  readonly consoleBytes: Uint8Array;
  /** The panic line that says init exited was seen and qemu then exited by itself. */
  readonly exitedCleanly: boolean;
  /** init's exit status (exitcode >> 8), when it exited normally. */
  readonly exitStatus: number | null;
  /** The signal that ended init (exitcode & 0x7f), when one did. */
  readonly signal: number | null;
  /**
   * The error the kernel's execve of /init returned ("Failed to execute /init (error -8)": -8 is
   * ENOEXEC, the loader refused the file), when it did; the kernel then looks for other inits,
   * finds none, and panics with "No working init found".
   */
  readonly execError: number | null;
  readonly timedOut: boolean;
  readonly kernel: Kernel;
  readonly vm: VmName;
  readonly durationMs: number;
}

const PANIC = /Kernel panic - not syncing: Attempted to kill init! exitcode=0x([0-9a-fA-F]+)/;
const EXEC_FAILED = /Failed to execute \/init \(error (-?\d+)\)/;
const NO_INIT = /Kernel panic - not syncing: No working init found/;

/** Reads init's wait status out of the console text. */
export function parseInitExit(console: string): { exitStatus: number | null; signal: number | null } | undefined {
  const m = PANIC.exec(console);
  if (!m) return undefined;
  const code = parseInt(m[1]!, 16);
  const sig = code & 0x7f;
  return sig === 0 ? { exitStatus: (code >> 8) & 0xff, signal: null } : { exitStatus: null, signal: sig };
}

/** The qemu command line for a boot (for reports and reproducing by hand). */
export function qemuCommand(vm: Vm, kernel: string, initrd: string, opts: BootOptions = {}): [string, string[]] {
  const cmdline = `console=${vm.console} panic=-1 quiet${opts.appendCmdline ? ` ${opts.appendCmdline}` : ''}`;
  return [
    vm.qemu,
    [
      ...vm.args,
      '-m', `${opts.memoryMiB ?? 256}M`,
      '-nodefaults', '-display', 'none', '-serial', 'stdio', '-no-reboot',
      '-kernel', kernel,
      '-initrd', initrd,
      '-append', cmdline,
    ],
  ];
}

let counter = 0;

interface QemuRun {
  readonly text: string;
  readonly bytes: Buffer;
  readonly status: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly kernel: Kernel;
}

/** Boots the kernel of `vm` with `archive` as its initramfs; resolves when qemu exits. */
async function runQemu(vm: Vm, archive: Uint8Array, opts: BootOptions): Promise<QemuRun> {
  const kernel = cachedKernel(vm.flavour) ?? fetchKernel(vm.flavour);
  const initrd = join(scratchDir(), `initramfs-${process.pid}-${counter++}.cpio`);
  writeFileSync(initrd, archive);
  const [cmd, args] = qemuCommand(vm, kernel.path, initrd, opts);
  const start = Date.now();
  try {
    const r = await runCollecting(cmd, args, { timeoutMs: opts.timeoutMs ?? 60_000 }).catch((e: Error) => {
      throw new Error(`${cmd}: ${e.message}`);
    });
    const text = r.stdout.toString('utf8').replace(/\r\n?/g, '\n');
    if (!r.timedOut && r.status !== 0 && !PANIC.test(text) && !NO_INIT.test(text)) {
      throw new Error(`${cmd} exited ${r.status}: ${r.stderr.trim()}\n--- console ---\n${text.slice(-3000)}`);
    }
    return { text, bytes: r.stdout, status: r.status, stderr: r.stderr, timedOut: r.timedOut, durationMs: Date.now() - start, kernel };
  } finally {
    rmSync(initrd, { force: true });
  }
}

/** Boots `initBytes` as /init of a fresh initramfs on the kernel for `arch` and reads the console. */
export async function bootWithInit(arch: ArchName, initBytes: Uint8Array, opts: BootOptions = {}): Promise<BootResult> {
  const vm = VMS[opts.vm ?? DEFAULT_VM[arch]];
  if (!vm.runs.includes(arch)) throw new Error(`the ${vm.name} kernel does not run ${arch} executables`);
  const r = await runQemu(vm, initramfs(initBytes), opts);
  const exit = parseInitExit(r.text);
  const execFailed = EXEC_FAILED.exec(r.text);
  return {
    console: r.text,
    consoleBytes: r.bytes,
    exitedCleanly: !r.timedOut && r.status === 0 && exit !== undefined,
    exitStatus: exit?.exitStatus ?? null,
    signal: exit?.signal ?? null,
    execError: execFailed ? parseInt(execFailed[1]!, 10) : null,
    timedOut: r.timedOut,
    kernel: r.kernel,
    vm: vm.name,
    durationMs: r.durationMs,
  };
}

/** One executable of a batch boot, and how it is run. */
export interface BatchProgram {
  /** [A-Za-z0-9._-]+; the file is /t/NAME in the guest. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly args?: readonly string[];
  /**
   * What fd 1 is: /dev/null (default); a file whose bytes come back in `stdout`; closed; a pipe
   * whose reader has gone, with SIGPIPE at its default action or ignored (`trap '' PIPE`).
   */
  readonly stdout?: 'null' | 'capture' | 'closed' | 'broken-pipe' | 'broken-pipe-ignored';
  /**
   * A busybox sh fragment run instead of the program (its path in $f; the applets as
   * `/bin/busybox NAME`); its exit status is what is reported. For checks a single run cannot
   * express, such as signals sent while the program sleeps.
   */
  readonly script?: string;
}

export interface BatchRun {
  /** As the guest's shell saw it: the program's status, or 128 + n when signal n ended it. */
  readonly shellStatus: number;
  /**
   * The signal that ended the program when the kernel said so: with print-fatal-signals=1 it logs
   * "potentially unexpected fatal signal N" for signals that dump core (SIGSEGV, SIGILL, SIGBUS,
   * SIGFPE, SIGTRAP, SIGSYS, …). Other signals (SIGPIPE, SIGTERM) leave no trace and read as
   * status 128 + n.
   */
  readonly signal: number | null;
  /** Status when no signal was seen (`shellStatus`), else null. */
  readonly status: number | null;
  readonly elapsedMs: number;
  /** fd 1's bytes, with stdout: 'capture'. */
  readonly stdout?: Buffer;
}

export interface BatchResult {
  /**
   * Exit status of each executable by name, as `busybox timeout` returns it: the program's own,
   * 128 + n when a signal ended it (143: the timeout's SIGTERM), 127 or 126 when it could not be
   * executed.
   */
  readonly status: ReadonlyMap<string, number>;
  /** How long each ran, in ms (10 ms resolution, from /proc/uptime). */
  readonly elapsedMs: ReadonlyMap<string, number>;
  /** Everything known of each run, by name. */
  readonly runs: ReadonlyMap<string, BatchRun>;
  readonly console: string;
  readonly kernel: Kernel;
  readonly durationMs: number;
}

const NAME = /^[A-Za-z0-9._-]+$/;
const BB = '/bin/busybox';

/** A word for sh, single-quoted. */
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The sh lines that run one program and print "@@ NAME STATUS T0 T1 SIGNAL HEX". */
function runLines(p: BatchProgram, secs: number, signal: string): string[] {
  const exec = [`${BB} timeout -s ${signal} ${secs} "$f"`, ...(p.args ?? []).map(quote), '</dev/null'].join(' ');
  const mode = p.stdout ?? 'null';
  let command: string[];
  if (p.script !== undefined) command = [`(${p.script}) </dev/null >/dev/null 2>&1`];
  else if (mode === 'null') command = [`${exec} >/dev/null 2>&1`];
  else if (mode === 'capture') command = [`${exec} >/o 2>/dev/null`];
  else if (mode === 'closed') command = [`${exec} >&- 2>/dev/null`];
  else {
    // A FIFO opened read-write gives a reader and a writer without blocking; closing the only
    // reader leaves fd 4 a pipe with no reader, as test/helpers/run.ts does on the host.
    const trap = mode === 'broken-pipe-ignored' ? "trap '' PIPE; " : '';
    command = [`${BB} rm -f /p; ${BB} mkfifo /p; exec 3<>/p; exec 4>/p; exec 3<&-; ${BB} rm -f /p`, `(${trap}${exec} >&4 2>/dev/null)`];
  }
  const hex = mode === 'capture' && p.script === undefined ? `x$(${BB} od -An -v -tx1 /o | ${BB} tr -d ' \\n')` : '-';
  return [
    `f=/t/${p.name}`,
    'read t0 x </proc/uptime',
    ...command,
    's=$?',
    'exec 4>&-',
    'read t1 x </proc/uptime',
    // Only a death by signal logs the line; reading it with -c clears it for the next program.
    `sig=0; [ $s -gt 128 ] && sig=$(${BB} dmesg -c | ${BB} sed -n 's/.*potentially unexpected fatal signal \\([0-9]*\\).*/\\1/p' | ${BB} head -n 1)`,
    `echo "@@ ${p.name} $s $t0 $t1 \${sig:-0} ${hex}"`,
  ];
}

/**
 * When init exits the kernel panics at once, and what the tty had not yet sent to the serial port
 * is lost: a long last line came out cut. stty sets the console's modes with TCSADRAIN, which
 * waits until the port has sent everything; the short sleep covers the UART's own FIFO.
 */
const DRAIN = [`${BB} stty -F /dev/console -echo 2>/dev/null`, `${BB} usleep 50000`];

const RESULT_LINE = /^@@ (\S+) (\d+) ([\d.]+) ([\d.]+) (\d+) (\S+)$/gm;

/**
 * Runs many executables in one boot: /init is a busybox sh script (Debian's busybox-static for
 * the kernel's own architecture) that runs each program under `busybox timeout` (SIGTERM after perProgramSeconds, or
 * `timeoutSignal`) and prints
 * "@@ NAME STATUS START END SIGNAL STDOUT"
 * (STDOUT: x and its bytes in hex when captured, else -) (seconds of /proc/uptime). `busybox timeout` execs
 * the file itself, so a file the kernel refuses fails with a status of its own (never 42) instead
 * of being run as a shell script.
 */
export async function bootBatch(vmName: VmName, programs: readonly BatchProgram[], opts: BootOptions & { perProgramSeconds?: number; timeoutSignal?: 'TERM' | 'KILL' } = {}): Promise<BatchResult> {
  const vm = VMS[vmName];
  const busybox = readFileSync(fetchBusybox(KERNEL_SPECS[vm.flavour].debArch));
  for (const p of programs) if (!NAME.test(p.name)) throw new Error(`bootBatch: name ${JSON.stringify(p.name)} is not [A-Za-z0-9._-]+`);
  const secs = opts.perProgramSeconds ?? 5;
  const script = ['#!/bin/busybox sh', `${BB} mount -t proc proc /proc`, ...programs.flatMap((p) => runLines(p, secs, opts.timeoutSignal ?? 'TERM')), 'echo "@@ done"', ...DRAIN, ''].join('\n');
  const archive = writeCpio([
    { type: 'dir', path: 'dev' },
    { type: 'chardev', path: 'dev/console', major: 5, minor: 1, mode: 0o600 },
    { type: 'chardev', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
    { type: 'dir', path: 'proc' },
    { type: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    { type: 'file', path: 'init', data: new TextEncoder().encode(script), mode: 0o755 },
    ...programs.map((p) => ({ type: 'file' as const, path: `t/${p.name}`, data: p.bytes, mode: 0o755 })),
  ]);
  const cmdline = ['print-fatal-signals=1', opts.appendCmdline].filter(Boolean).join(' ');
  const r = await runQemu(vm, archive, { timeoutMs: 60_000 + programs.length * 1000, ...opts, appendCmdline: cmdline });
  if (!/^@@ done$/m.test(r.text)) throw new Error(`bootBatch on ${vm.name}: the runner did not finish${r.timedOut ? ' (timed out)' : ''}\n--- console ---\n${r.text.slice(-3000)}`);
  const runs = new Map<string, BatchRun>();
  for (const m of r.text.matchAll(RESULT_LINE)) {
    const shellStatus = parseInt(m[2]!, 10);
    const sig = parseInt(m[5]!, 10);
    const signal = sig !== 0 && shellStatus === 128 + sig ? sig : null;
    runs.set(m[1]!, {
      shellStatus,
      signal,
      status: signal === null ? shellStatus : null,
      elapsedMs: Math.round((parseFloat(m[4]!) - parseFloat(m[3]!)) * 1000),
      ...(m[6]!.startsWith('x') ? { stdout: Buffer.from(m[6]!.slice(1), 'hex') } : {}),
    });
  }
  for (const p of programs) if (!runs.has(p.name)) throw new Error(`bootBatch on ${vm.name}: no status for ${p.name}`);
  const pick = <T>(f: (b: BatchRun) => T): Map<string, T> => new Map([...runs].map(([n, b]) => [n, f(b)]));
  return { status: pick((b) => b.shellStatus), elapsedMs: pick((b) => b.elapsedMs), runs, console: r.text, kernel: r.kernel, durationMs: r.durationMs };
}
