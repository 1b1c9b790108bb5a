/**
 * Section 4: what the programs cost while running. Resident memory (VmRSS from /proc/PID/status)
 * and CPU time (utime + stime from /proc/PID/stat) of each sleeper after SLEEP_S seconds; the
 * start-to-exit wall time of hello (median over runs, hyperfine when installed).
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { emitElf, hello, sleepForever } from '../src/index.js';
import { writeExe } from './exec.js';
import { fmtMs, timeProcess, which, type Cell, type SectionResult } from './lib.js';
import { buildC, cCompilers } from './sizes.js';

/** How long each sleeper runs before it is measured (the benchmark issue asks for 10 s). */
const SLEEP_S = 10;

function sleeper(cmd: string, args: string[]): Promise<{ rssKb: number; cpuMs: number } | string> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', (e) => resolve(String(e)));
    setTimeout(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const tick = 100; // USER_HZ on Linux
        const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / tick;
        const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
        resolve({ rssKb, cpuMs });
      } catch (e) {
        resolve(String(e));
      } finally {
        child.kill('SIGKILL');
      }
    }, SLEEP_S * 1000);
  });
}

export async function runtime(): Promise<SectionResult> {
  const notes: string[] = [];
  const sleepers: { what: string; bytes: number; cmd: string; args: string[] }[] = [];
  const mine = writeExe(emitElf({ arch: 'x86_64', program: sleepForever }), 'sleep');
  sleepers.push({ what: 'tinyelf sleep (x86-64, portable)', bytes: statSync(mine).size, cmd: mine, args: [] });
  const bare = writeExe(emitElf({ arch: 'x86_64', program: sleepForever.bare }), 'sleep-bare');
  sleepers.push({ what: 'tinyelf sleep-bare (x86-64, portable)', bytes: statSync(bare).size, cmd: bare, args: [] });
  const gcc = cCompilers().filter((c) => c.arch === 'x86_64');
  for (const c of gcc) {
    const b = buildC(c, 'sleep');
    if (b.path) sleepers.push({ what: `${c.name} sleep.c (sigtimedwait)`, bytes: b.bytes!, cmd: b.path, args: [] });
    else notes.push(`${c.name}: ${b.why}`);
    const p = buildC(c, 'pause');
    if (p.path) sleepers.push({ what: `${c.name} pause.c (handlers + pause(), as Kubernetes' pause)`, bytes: p.bytes!, cmd: p.path, args: [] });
    else notes.push(`${c.name}: ${p.why}`);
  }
  const bb = ['/bin/busybox', '/usr/bin/busybox'].find((p) => { try { return statSync(p).isFile(); } catch { return false; } }) ?? which('busybox');
  if (bb) sleepers.push({ what: 'busybox sleep infinity (Debian busybox-static)', bytes: statSync(bb).size, cmd: bb, args: ['sleep', 'infinity'] });
  else notes.push('busybox not installed (apt-get install busybox-static): no busybox row');

  const rows: Cell[][] = [];
  const data: unknown[] = [];
  // All sleep side by side (they use no CPU), so the section takes SLEEP_S once.
  const measured = await Promise.all(sleepers.map((s) => sleeper(s.cmd, s.args)));
  for (const [k, s] of sleepers.entries()) {
    const r = measured[k]!;
    data.push({ ...s, result: r });
    rows.push(typeof r === 'string' ? [s.what, s.bytes, `failed: ${r}`, '–'] : [s.what, s.bytes, `${r.rssKb} kB`, `${r.cpuMs} ms`]);
  }

  const helloRows: Cell[][] = [];
  const helloPath = writeExe(emitElf({ arch: 'x86_64', program: hello() }), 'hello');
  const targets: [string, string[]][] = [['tinyelf hello (x86-64, portable)', [helloPath]]];
  for (const c of gcc) {
    const b = buildC(c, 'hello');
    if (b.path) targets.push([`${c.name} hello.c`, [b.path]]);
  }
  if (bb) targets.push(['busybox echo Hello, World!', [bb, 'echo', 'Hello, World!']]);
  let tool = '';
  for (const [what, cmd] of targets) {
    const t = timeProcess(cmd, { runs: 200, warmup: 10 });
    tool = t.tool;
    helloRows.push([what, fmtMs(t.medianMs), fmtMs(t.minMs), t.runs]);
    data.push({ what, hello: t });
  }
  return {
    title: 'Runtime',
    method: [
      `Sleepers: all started together with stdin/stdout ignored, left ${SLEEP_S} s, then VmRSS read from /proc/PID/status and CPU time (utime + stime, in 10 ms ticks) from /proc/PID/stat; then SIGKILLed. One run each.`,
      `hello: start-to-exit wall time of the whole process, median of 200 runs after 10 warm-up runs, by ${tool}${tool === 'hyperfine' ? ' -N (no shell); output goes to /dev/null' : ''}.`,
    ],
    tables: [
      { caption: `sleeping for ${SLEEP_S} s`, head: ['program', 'file bytes', 'VmRSS', 'CPU time'], rows },
      { caption: 'hello: start to exit', head: ['program', 'median', 'min', 'runs'], rows: helloRows },
    ],
    notes,
    data,
  };
}
