/**
 * Every golden executable, run on every loader its profile promises: a real kernel (i386 and
 * x86-64: this host's, or where it cannot run the architecture, Debian's booted in a VM — see
 * test/helpers/run.ts) and qemu-user. Checks stdout, exit status, a closed stdout, a pipe with no
 * reader, and for sleep: no CPU, SIGTERM/SIGINT → exit 0, and PID-1 duties in a PID namespace.
 *
 * On the host those checks are Node code acting on the process; in a VM they are the busybox sh
 * fragments below, run in the guest beside the program, checking the same things (CPU use as
 * the ticks spent while it sleeps, not since its start: in a TCG guest the shell's fork and exec
 * alone can cost a tick). The bare sleep's PID-1 control runs on the host only.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cases, runsOn, type Case } from './cases.js';
import { mapLimit, runAll, viaFor, vmOf, type RunOptions, type RunResult, type Via } from '../helpers/run.js';
import { machine } from '../../src/elf/machines.js';

const inCI = !!process.env.CI;
const all = cases().filter((c) => existsSync(c.file));
const scratch = mkdtempSync(join(tmpdir(), 'tinyelf-behaviour-'));

function vias(c: Case): Via[] {
  const on = runsOn(c.loader);
  const out: (Via | undefined)[] = [];
  if (on.kernel && (c.arch === 'i386' || c.arch === 'x86_64')) out.push(viaFor(c.arch, 'kernel'));
  if (on.qemu) out.push(viaFor(c.arch, 'qemu'));
  return out.filter((v): v is Via => v !== undefined);
}

const golden = (c: Case): Uint8Array => new Uint8Array(readFileSync(c.file));
const runs = all.flatMap((c) => vias(c).map((via) => ({ c, via, name: `${c.program} ${c.arch} ${c.loader} via ${via}` })));

describe('hello', () => {
  const hellos = runs.filter((r) => r.c.program === 'hello');
  it('has cases', () => expect(hellos.length).toBeGreaterThan(0));
  it.each(hellos.map((r) => [r.name, r] as const))('%s: prints the message, exits 0; fails cleanly without a stdout', async (_n, r) => {
    const base = { arch: r.c.arch, via: r.via } as const;
    const [ok, closed, broken] = await runAll([{}, { closeStdout: true }, { brokenPipe: 'default' as const }].map((o) => ({ bytes: golden(r.c), opts: { ...base, ...o } })));
    expect(ok!.stdout.toString()).toBe('Hello, World!\n');
    expect([ok!.status, ok!.signal]).toEqual([0, null]);
    // A failed write: status 1 on every arch (the CLI's help says so).
    expect(closed!.signal).toBeNull();
    expect(closed!.status).toBe(1);
    // SIGPIPE left at its default action: the program must still exit, not die of the signal.
    expect(broken!.signal).toBeNull();
    expect(broken!.status).toBe(1);
  });
});

describe('exit', () => {
  const exits = runs.filter((r) => r.c.program === 'exit42');
  it('has cases', () => expect(exits.length).toBeGreaterThan(0));
  it('exits with the status on every loader', async () => {
    const results = await runAll(exits.map((r) => ({ bytes: golden(r.c), opts: { arch: r.c.arch, via: r.via } })));
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

// --- the same checks in a VM's guest (busybox sh; the program is $f) ---------------------------

/** Shell helpers: alive PID; ticks PID (utime + stime); centis (uptime in 1/100 s); insyscall PID. */
const GUEST_HELPERS = `
B=/bin/busybox
alive() { read x x st x </proc/$1/stat && [ "$st" != Z ]; } 2>/dev/null
ticks() { set -- $($B cat /proc/$1/stat); echo $((\${14} + \${15})); }
centis() { read u x </proc/uptime; echo "\${u%.*}\${u#*.}"; }
insyscall() { n=0; until $B grep -qE '^(${[...RT_SIGTIMEDWAIT].join('|')}) ' /proc/$1/syscall 2>/dev/null; do n=$((n+1)); [ $n -gt 250 ] && return 1; $B usleep 20000; done; }
watchdog() { ( $B usleep $2; kill -KILL $1 ) 2>/dev/null & }
`;

/** Guest exit codes of the fragments: what went wrong, for the messages. */
const GUEST_FAILURES: Record<number, string> = {
  90: 'never reached rt_sigtimedwait',
  91: 'exited before the signal',
  92: 'used CPU while sleeping',
  93: 'took 500 ms or more to exit after the signal',
  94: 'left zombies',
  96: 'PID 1 of the namespace did not start',
  137: 'still running 1.5 s after the signal (killed)',
};

/** Sleeps with no CPU (at most a tick in 300 ms), then exits 0 within 500 ms of `signal`. */
const guestSignalled = (signal: 'TERM' | 'INT'): string => `${GUEST_HELPERS}
"$f" & p=$!
insyscall $p || exit 90
c0=$(ticks $p); $B usleep 300000
alive $p || exit 91
[ $(($(ticks $p) - c0)) -le 1 ] || exit 92
t0=$(centis); kill -${signal} $p; watchdog $p 1500000; wait $p; s=$?; t1=$(centis)
[ $s -eq 0 ] || exit $s
[ $((t1 - t0)) -lt 50 ] || exit 93
`;

/** As PID 1 of a new PID namespace with two orphans: reaps them, then exits 0 on SIGTERM. */
const GUEST_PID1 = `${GUEST_HELPERS}
$B unshare -p -f -- "$f" & u=$!
n=0; init=
while [ -z "$init" ]; do n=$((n+1)); [ $n -gt 100 ] && exit 96; $B usleep 40000; init=$($B cat /proc/$u/task/*/children 2>/dev/null); done
init=\${init%% *}
insyscall $init
$B usleep 100000
for i in 1 2; do $B nsenter -t $init -p -- /bin/busybox sh -c '/bin/busybox sleep 0.1 & exit 0'; done
$B usleep 700000
z=0; for c in $($B cat /proc/$init/task/*/children); do read x x st x </proc/$c/stat; [ "$st" = Z ] && z=$((z+1)); done
[ $z -eq 0 ] || { kill -KILL $u; exit 94; }
kill -TERM $init; watchdog $u 1500000; wait $u
`;

/** The bare sleep: still running, no CPU, after 400 ms; then SIGTERM kills it (143). */
const GUEST_BARE = `${GUEST_HELPERS}
"$f" & p=$!
$B usleep 100000; c0=$(ticks $p); $B usleep 300000
alive $p || exit 91
[ $(($(ticks $p) - c0)) -le 1 ] || exit 92
kill -TERM $p; watchdog $p 2000000; wait $p
`;

/** Runs fragments on the VM in one boot; their statuses, failures named. */
async function inGuest(r: { c: Case; via: Via }, scripts: readonly string[]): Promise<string[]> {
  const results: RunResult[] = await runAll(scripts.map((vmScript) => ({ bytes: golden(r.c), opts: { arch: r.c.arch, via: r.via, vmScript } as RunOptions })));
  return results.map((res) => (res.status === 0 ? 'ok' : `status ${res.status ?? res.signal}${GUEST_FAILURES[res.status ?? -1] ? `: ${GUEST_FAILURES[res.status!]}` : ''}`));
}

describe('sleep', () => {
  const sleeps = runs.filter((r) => r.c.program === 'sleep');
  it('has cases', () => expect(sleeps.length).toBeGreaterThan(0));

  it.each(sleeps.map((r) => [r.name, r] as const))('%s: sleeps with no CPU, exits 0 on SIGTERM and SIGINT', async (_n, r) => {
    if (vmOf(r.via)) {
      expect(await inGuest(r, [guestSignalled('TERM'), guestSignalled('INT')])).toEqual(['ok', 'ok']);
      return;
    }
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

  const pid1Runs = sleeps.filter((r) => vmOf(r.via) || canUnshare || inCI);
  it.each(pid1Runs.map((r) => [r.name, r] as const))('%s: as PID 1, exits 0 on SIGTERM and reaps orphans', async (_n, r) => {
    if (vmOf(r.via)) {
      expect(await inGuest(r, [GUEST_PID1])).toEqual(['ok']);
      return;
    }
    const { code, zombies } = await pid1Run(r.c, r.via);
    expect(zombies).toEqual([]);
    expect(code).toBe(0);
  });

  // The negative control: the bare sleep does neither, which shows the checks above can fail.
  const onHost = runs.filter((r) => r.c.program === 'sleep-bare' && !vmOf(r.via));
  const bare = onHost.find((r) => r.via === 'native') ?? onHost[0];
  it.runIf(!!bare && (canUnshare || inCI))('the bare sleep as PID 1 leaves zombies and ignores SIGTERM (control)', async () => {
    const { code, zombies } = await pid1Run(bare!.c, bare!.via);
    expect(zombies.length).toBeGreaterThan(0);
    expect(code).toBe('timeout');
  });

  // The same control for the guest's fragments: the bare sleep fails them.
  const bareInVm = runs.find((r) => r.c.program === 'sleep-bare' && vmOf(r.via));
  if (bareInVm) {
    it(`in a VM, the bare sleep fails the signal and PID-1 checks (control, via ${bareInVm.via})`, async () => {
      expect(await inGuest(bareInVm, [guestSignalled('TERM'), GUEST_PID1])).toEqual([`status 90: ${GUEST_FAILURES[90]}`, `status 94: ${GUEST_FAILURES[94]}`]);
    });
  }

  const bares = runs.filter((r) => r.c.program === 'sleep-bare');
  it('bare sleep: sleeps with no CPU until killed', async () => {
    const inVm = bares.filter((r) => vmOf(r.via));
    const guest = runAll(inVm.map((r) => ({ bytes: golden(r.c), opts: { arch: r.c.arch, via: r.via, vmScript: GUEST_BARE } })));
    await mapLimit(bares.filter((r) => !vmOf(r.via)), 8, async (r) => {
      const [cmd, ...args] = command(r.c, r.via);
      const child = spawn(cmd!, args, { stdio: 'ignore' });
      await sleep(400);
      expect(await exited(child, 0), r.name).toBe('timeout');
      expect(cpuTicks(child.pid!), r.name).toBeLessThanOrEqual(r.via === 'qemu' ? 50 : 1);
      child.kill('SIGTERM');
      expect(await exited(child, 2000), r.name).toEqual({ code: null, signal: 'SIGTERM' });
    });
    // A VM's shell reports the SIGTERM death as 128 + 15.
    (await guest).forEach((res, i) => expect([inVm[i]!.name, res.status]).toEqual([inVm[i]!.name, 143]));
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
