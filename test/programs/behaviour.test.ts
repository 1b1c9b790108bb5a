/**
 * Every golden executable, run on every loader its profile promises: the real kernel (natively,
 * for i386 and x86-64) and qemu-user. Checks stdout, exit status, a closed stdout, a pipe with no
 * reader, and for sleep: no CPU, SIGTERM/SIGINT → exit 0, and PID-1 duties in a PID namespace.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cases, runsOn, type Case } from './cases.js';
import { mapLimit, nativeAvailable, qemuAvailable, runBinary, type Via } from '../helpers/run.js';
import { machine } from '../../src/elf/machines.js';

const inCI = !!process.env.CI;
const all = cases().filter((c) => existsSync(c.file));
const scratch = mkdtempSync(join(tmpdir(), 'tinyelf-behaviour-'));

function vias(c: Case): Via[] {
  const on = runsOn(c.loader);
  const out: Via[] = [];
  if (on.kernel && (c.arch === 'i386' || c.arch === 'x86_64')) {
    if (nativeAvailable(c.arch)) out.push('native');
    else if (inCI) throw new Error(`cannot run ${c.arch} natively here`);
  }
  if (on.qemu) {
    if (qemuAvailable(c.arch)) out.push('qemu');
    else if (inCI) throw new Error(`qemu-user for ${c.arch} is missing (apt-get install qemu-user)`);
  }
  return out;
}

const golden = (c: Case): Uint8Array => new Uint8Array(readFileSync(c.file));
const runs = all.flatMap((c) => vias(c).map((via) => ({ c, via, name: `${c.program} ${c.arch} ${c.loader} via ${via}` })));

describe('hello', () => {
  const hellos = runs.filter((r) => r.c.program === 'hello');
  it('has cases', () => expect(hellos.length).toBeGreaterThan(0));
  it.each(hellos.map((r) => [r.name, r] as const))('%s: prints the message, exits 0; fails cleanly without a stdout', async (_n, r) => {
    const base = { arch: r.c.arch, via: r.via } as const;
    const ok = await runBinary(golden(r.c), base);
    expect(ok.stdout.toString()).toBe('Hello, World!\n');
    expect([ok.status, ok.signal]).toEqual([0, null]);
    // A failed write: status 1 on every arch (the CLI's help says so).
    const closed = await runBinary(golden(r.c), { ...base, closeStdout: true });
    expect(closed.signal).toBeNull();
    expect(closed.status).toBe(1);
    // SIGPIPE left at its default action: the program must still exit, not die of the signal.
    const broken = await runBinary(golden(r.c), { ...base, brokenPipe: 'default' });
    expect(broken.signal).toBeNull();
    expect(broken.status).toBe(1);
  });
});

describe('exit', () => {
  const exits = runs.filter((r) => r.c.program === 'exit42');
  it('has cases', () => expect(exits.length).toBeGreaterThan(0));
  it('exits with the status on every loader', async () => {
    const results = await mapLimit(exits, 8, (r) => runBinary(golden(r.c), { arch: r.c.arch, via: r.via }));
    results.forEach((res, i) => expect([exits[i]!.name, res.status, res.stdout.length]).toEqual([exits[i]!.name, 42, 0]));
  });
});

// --- sleep -----------------------------------------------------------------------------------

function fileFor(c: Case): string {
  const p = join(scratch, `${c.program}-${c.arch}-${c.loader}`);
  if (!existsSync(p)) writeFileSync(p, golden(c), { mode: 0o755 });
  return p;
}

function command(c: Case, via: Via): string[] {
  const path = fileFor(c);
  if (via === 'native') return [path];
  const m = machine(c.arch);
  return [m.qemu, ...m.qemuArgs, path];
}

function exited(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: string | null } | 'timeout'> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const t = setTimeout(() => resolve('timeout'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process in clock ticks, from /proc. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Host pids of a process's children. */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

function state(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
  } catch {
    return 'gone';
  }
}

/** rt_sigtimedwait as /proc/PID/syscall shows it: x86-64 (native or qemu's host call), i386 compat. */
const RT_SIGTIMEDWAIT = new Set([128, 177]);

/** True once some thread of `pid` is blocked in one of the syscalls. */
async function inSyscall(pid: number, numbers: Set<number>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const n = Number(readFileSync(`/proc/${pid}/task/${t}/syscall`, 'utf8').split(' ')[0]);
        if (numbers.has(n)) return true;
      }
    } catch {
      return false;
    }
    await sleep(20);
  }
  return false;
}

const canUnshare = spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

describe('sleep', () => {
  const sleeps = runs.filter((r) => r.c.program === 'sleep');
  it('has cases', () => expect(sleeps.length).toBeGreaterThan(0));

  it.each(sleeps.map((r) => [r.name, r] as const))('%s: sleeps with no CPU, exits 0 on SIGTERM and SIGINT', async (_n, r) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const [cmd, ...args] = command(r.c, r.via);
      const child = spawn(cmd!, args, { stdio: 'ignore' });
      // A signal that comes before the program has blocked it kills it, as it would any program:
      // wait until it sits in rt_sigtimedwait (qemu makes the same host call for the guest).
      expect(await inSyscall(child.pid!, RT_SIGTIMEDWAIT, 5000), 'never reached rt_sigtimedwait').toBe(true);
      await sleep(300);
      expect(await exited(child, 0)).toBe('timeout');
      expect(cpuTicks(child.pid!)).toBeLessThanOrEqual(r.via === 'qemu' ? 50 : 1);
      const t0 = Date.now();
      child.kill(sig);
      const res = await exited(child, 2000);
      expect(res).toEqual({ code: 0, signal: null });
      expect(Date.now() - t0).toBeLessThan(500);
    }
  });

  it.runIf(canUnshare || inCI).each(sleeps.map((r) => [r.name, r] as const))('%s: as PID 1, exits 0 on SIGTERM and reaps orphans', async (_n, r) => {
    const { code, zombies } = await pid1Run(r.c, r.via);
    expect(zombies).toEqual([]);
    expect(code).toBe(0);
  });

  // The negative control: the bare sleep does neither, which shows the checks above can fail.
  const bare = runs.find((r) => r.c.program === 'sleep-bare' && r.via === 'native') ?? runs.find((r) => r.c.program === 'sleep-bare');
  it.runIf(!!bare && (canUnshare || inCI))('the bare sleep as PID 1 leaves zombies and ignores SIGTERM (control)', async () => {
    const { code, zombies } = await pid1Run(bare!.c, bare!.via);
    expect(zombies.length).toBeGreaterThan(0);
    expect(code).toBe('timeout');
  });

  const bares = runs.filter((r) => r.c.program === 'sleep-bare');
  it('bare sleep: sleeps with no CPU until killed', async () => {
    await mapLimit(bares, 8, async (r) => {
      const [cmd, ...args] = command(r.c, r.via);
      const child = spawn(cmd!, args, { stdio: 'ignore' });
      await sleep(400);
      expect(await exited(child, 0), r.name).toBe('timeout');
      expect(cpuTicks(child.pid!), r.name).toBeLessThanOrEqual(r.via === 'qemu' ? 50 : 1);
      child.kill('SIGTERM');
      expect(await exited(child, 2000), r.name).toEqual({ code: null, signal: 'SIGTERM' });
    });
  });
});

/**
 * Runs the program as PID 1 of a new PID namespace, makes two orphans inside it (a shell that
 * starts `sleep` and exits at once), waits for them to die, lists the zombies left under PID 1,
 * then sends SIGTERM from outside and returns the exit code (or 'timeout').
 */
async function pid1Run(c: Case, via: Via): Promise<{ code: number | null | 'timeout'; zombies: number[] }> {
  const child = spawn('unshare', ['--pid', '--fork', '--kill-child', '--', ...command(c, via)], { stdio: 'ignore' });
  let init = 0;
  for (let i = 0; i < 50 && !init; i++) {
    await sleep(40);
    init = children(child.pid!)[0] ?? 0;
  }
  expect(init, 'PID 1 of the namespace did not start').toBeGreaterThan(0);
  // Let it set up (the bare control never reaches rt_sigtimedwait: it just gets the time).
  await inSyscall(init, RT_SIGTIMEDWAIT, 1500);
  await sleep(100);
  for (let i = 0; i < 2; i++) {
    spawnSync('nsenter', ['-t', String(init), '-p', '--', 'sh', '-c', 'sleep 0.1 & exit 0']);
  }
  await sleep(700);
  const zombies = children(init).filter((pid) => state(pid) === 'Z');
  process.kill(init, 'SIGTERM');
  const res = await exited(child, 1500);
  if (res === 'timeout') {
    child.kill('SIGKILL');
    return { code: 'timeout', zombies };
  }
  return { code: res.code, zombies };
}
