/**
 * Runs a built program the way its kind demands and says whether it behaved:
 *   exit    exits with the expected status;
 *   hello   prints "Hello, World!\n" and exits 0;
 *   sleep   still running after 300 ms, then exits 0 within 2 s of SIGTERM;
 *   sleep-bare  still running after 300 ms (then SIGKILLed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitElf, exit, type ArchName } from '../src/index.js';
import { machine } from '../src/elf/machines.js';
import { subDir } from './lib.js';

export type Kind = 'sleep' | 'sleep-bare' | 'hello' | 'exit';
export type Loader = 'native' | 'qemu';
export const EXIT_STATUS = 42;
export const HELLO_TEXT = 'Hello, World!\n';

/** Host architectures whose kernel may run `arch` itself (x86-64: i386 through IA32 emulation). */
function hostMayRun(arch: ArchName): boolean {
  if (process.arch === 'x64') return arch === 'x86_64' || arch === 'i386';
  if (process.arch === 'arm64') return arch === 'aarch64';
  if (process.arch === 'arm') return arch === 'arm';
  return false;
}

const nativeProbes = new Map<ArchName, boolean>();

/**
 * Can this host run `arch` natively? Tried once with an exit(42) file, since a kernel may lack
 * IA32 emulation; TINYELF_PROBE_DENY=ARCH-native (as in the tests) says no.
 */
export function nativeOn(arch: ArchName): boolean {
  if (!nativeProbes.has(arch)) {
    const denied = (process.env.TINYELF_PROBE_DENY ?? '').split(',').map((s) => s.trim());
    let ok = !denied.includes(`${arch}-native`) && hostMayRun(arch);
    if (ok) ok = spawnSync(writeExe(emitElf({ arch, program: exit(EXIT_STATUS), loader: 'strict' }), `probe-${arch}`), [], { timeout: 10_000 }).status === EXIT_STATUS;
    nativeProbes.set(arch, ok);
  }
  return nativeProbes.get(arch)!;
}

let n = 0;
export function writeExe(bytes: Uint8Array, name: string): string {
  const p = join(subDir('bin'), `${n++}-${name}`);
  writeFileSync(p, bytes, { mode: 0o755 });
  return p;
}

/**
 * The command that runs `path` on `loader`. `tinyelfCpu` selects the CPU tinyelf's own ARM
 * programs target (the machine's qemu arguments); C binaries get qemu's default CPU.
 */
export function commandFor(path: string, arch: ArchName, loader: Loader, tinyelfCpu = true): [string, string[]] {
  if (loader === 'native') return [path, []];
  const m = machine(arch);
  return [m.qemu, [...(tinyelfCpu ? m.qemuArgs : []), path]];
}

export interface Outcome {
  ok: boolean;
  detail: string;
}

export function check(path: string, arch: ArchName, loader: Loader, kind: Kind, tinyelfCpu = true): Promise<Outcome> {
  const [cmd, args] = commandFor(path, arch, loader, tinyelfCpu);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', () => {});
    let phase: 'start' | 'termed' | 'killed' = 'start';
    const timers: NodeJS.Timeout[] = [];
    const finish = (o: Outcome) => {
      timers.forEach(clearTimeout);
      resolve(o);
    };
    child.on('error', (e) => finish({ ok: false, detail: String(e) }));
    // 'close', not 'exit': stdout may still hold unread data when the process has exited.
    child.on('close', (status, signal) => {
      const stdout = Buffer.concat(out).toString();
      if (kind === 'exit') finish({ ok: status === EXIT_STATUS, detail: `status ${status ?? signal}` });
      else if (kind === 'hello') finish({ ok: status === 0 && stdout === HELLO_TEXT, detail: `status ${status ?? signal}, stdout ${JSON.stringify(stdout)}` });
      else if (kind === 'sleep') finish({ ok: phase === 'termed' && status === 0, detail: phase === 'start' ? `exited early (${status ?? signal})` : `after SIGTERM: ${status ?? signal}` });
      else finish({ ok: phase === 'killed', detail: phase === 'start' ? `exited early (${status ?? signal})` : 'ran until SIGKILL' });
    });
    const limit = kind === 'exit' || kind === 'hello' ? 10_000 : 300;
    timers.push(
      setTimeout(() => {
        if (kind === 'sleep') {
          phase = 'termed';
          child.kill('SIGTERM');
          timers.push(setTimeout(() => ((phase = 'killed'), child.kill('SIGKILL')), 2000));
        } else {
          phase = 'killed';
          child.kill('SIGKILL');
        }
      }, limit),
    );
  });
}
