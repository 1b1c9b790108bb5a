/**
 * Small helpers shared by the bench sections: running commands, timing, medians, tables.
 * Nothing here is a test; the bench prints what it measured and how.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH_DIR);

let scratch: string | undefined;
/** A temporary folder for this bench run, removed at exit. */
export function workDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'tinyelf-bench-'));
    const d = scratch;
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return scratch;
}
export function subDir(name: string): string {
  const d = join(workDir(), name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** The absolute path of a command on PATH, or undefined. */
export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function run(cmd: string, args: readonly string[], opts: { input?: string | Uint8Array; timeoutMs?: number; cwd?: string } = {}): SpawnSyncReturns<Buffer> {
  return spawnSync(cmd, args, { input: opts.input, timeout: opts.timeoutMs ?? 60_000, cwd: opts.cwd, maxBuffer: 64 << 20 });
}

/** Runs and throws with stderr when the command fails. */
export function mustRun(cmd: string, args: readonly string[], opts: { input?: string | Uint8Array; timeoutMs?: number; cwd?: string } = {}): Buffer {
  const r = run(cmd, args, opts);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.toString().slice(0, 2000)}`);
  return r.stdout;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time in ms of `fn` over `runs` calls after `warmup` calls. */
export function timeMedian(fn: () => unknown, runs: number, warmup: number): { medianMs: number; minMs: number; maxMs: number; runs: number } {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return { medianMs: median(ts), minMs: Math.min(...ts), maxMs: Math.max(...ts), runs };
}

/** Whole-process wall time: hyperfine when installed (its median), else our own spawnSync loop. */
export function timeProcess(cmd: string[], opts: { runs: number; warmup: number; cwd?: string; shell?: boolean }): { medianMs: number; minMs: number; maxMs: number; runs: number; tool: string } {
  const hf = which('hyperfine');
  const file = join(workDir(), `hyperfine-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  if (hf) {
    const line = cmd.map(shellQuote).join(' ');
    const args = ['-N', '--style', 'none', '--runs', String(opts.runs), '--warmup', String(opts.warmup), '--export-json', file, line];
    if (opts.shell) args.splice(0, 1, '--shell=bash');
    mustRun(hf, args, { cwd: opts.cwd, timeoutMs: 600_000 });
    const json = JSON.parse(readText(file)) as { results: { median: number; min: number; max: number; times: number[] }[] };
    const r = json.results[0]!;
    return { medianMs: r.median * 1000, minMs: r.min * 1000, maxMs: r.max * 1000, runs: r.times.length, tool: 'hyperfine' };
  }
  const ts: number[] = [];
  for (let i = 0; i < opts.warmup + opts.runs; i++) {
    const t = performance.now();
    const r = opts.shell ? run('bash', ['-c', cmd.join(' ')], { cwd: opts.cwd }) : run(cmd[0]!, cmd.slice(1), { cwd: opts.cwd });
    const dt = performance.now() - t;
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr.toString()}`);
    if (i >= opts.warmup) ts.push(dt);
  }
  return { medianMs: median(ts), minMs: Math.min(...ts), maxMs: Math.max(...ts), runs: ts.length, tool: 'spawnSync loop' };
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The bytes of section `name` in an ELF relocatable (32 or 64-bit, little-endian), as llvm-mc writes. */
export function elfSectionSize(elf: Uint8Array, name: string): number {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const is64 = elf[4] === 2;
  const shoff = is64 ? Number(dv.getBigUint64(0x28, true)) : dv.getUint32(0x20, true);
  const shentsize = dv.getUint16(is64 ? 0x3a : 0x2e, true);
  const shnum = dv.getUint16(is64 ? 0x3c : 0x30, true);
  const shstrndx = dv.getUint16(is64 ? 0x3e : 0x32, true);
  const sh = (i: number) => {
    const o = shoff + i * shentsize;
    return is64
      ? { name: dv.getUint32(o, true), offset: Number(dv.getBigUint64(o + 0x18, true)), size: Number(dv.getBigUint64(o + 0x20, true)) }
      : { name: dv.getUint32(o, true), offset: dv.getUint32(o + 0x10, true), size: dv.getUint32(o + 0x14, true) };
  };
  const strtab = sh(shstrndx);
  let total = 0;
  for (let i = 0; i < shnum; i++) {
    const s = sh(i);
    let end = strtab.offset + s.name;
    while (elf[end] !== 0) end++;
    const n = new TextDecoder().decode(elf.subarray(strtab.offset + s.name, end));
    if (n === name) total += s.size;
  }
  return total;
}

export type Cell = string | number;
/** A GitHub-flavoured Markdown table (also readable in a terminal). */
export function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = [head, ...rows].map((r) => r.map((c) => (typeof c === 'number' ? fmtNum(c) : c)));
  const width = head.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : n < 100 ? 1 : 0 });
}
export function fmtMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${fmtNum(Math.round(ms * 10) / 10)} ms`;
}
export function fmtRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)}M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(0)}k/s`;
  return `${perSec.toFixed(0)}/s`;
}

/** A section's printed result and its JSON. */
export interface SectionResult {
  title: string;
  /** How the figures were measured, printed above the tables. */
  method: string[];
  tables: { caption: string; head: string[]; rows: Cell[][] }[];
  notes: string[];
  data: unknown;
}

export function renderSection(s: SectionResult): string {
  const out = [`## ${s.title}`, '', ...s.method.map((m) => `- ${m}`), ''];
  for (const t of s.tables) {
    if (t.caption) out.push(`**${t.caption}**`, '');
    out.push(table(t.head, t.rows), '');
  }
  if (s.notes.length) out.push(...s.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
