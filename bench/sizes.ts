/**
 * Section 1: bytes of each built-in program per architecture and loader profile, each binary just
 * built and run; beside the published hand-made records (bench/peers.md) and what gcc -static -Os
 * (+ strip) and musl-gcc give for the same programs in C (bench/c/), also just built and run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHES, emitElf, exit, hello, LOADER_PROFILES, programFromSource, sleepForever, type ArchName, type LoaderProfileName, type ProgramLike } from '../src/index.js';
import { check, EXIT_STATUS, nativeOn, writeExe, type Kind, type Loader } from './exec.js';
import { BENCH_DIR, ROOT, run, subDir, which, type Cell, type SectionResult } from './lib.js';

export const KINDS: readonly Kind[] = ['sleep', 'sleep-bare', 'hello', 'exit'];

/**
 * The hello records' own job (write the message, exit 0: no SIGPIPE block, no check of what write
 * returned), from bench/records/, so each hello record also has a like-for-like tinyelf figure.
 * Run and judged as hello.
 */
export const RECORD_JOB = "hello, the records' job";
const RECORD_JOB_SOURCE: Partial<Record<ArchName, string>> = { i386: 'hello-plain-i386.s', x86_64: 'hello-plain-x86_64.s' };
type Row = Kind | typeof RECORD_JOB;
/** The built-in a row is run, judged and compared with records as. */
const judgedAs = (row: Row): Kind => (row === RECORD_JOB ? 'hello' : row);

/** The rows an architecture has: the built-ins whose asm/*.s exist, then the records' job where written. */
function rowsOf(arch: ArchName): Row[] {
  const out: Row[] = KINDS.filter((k) => existsSync(join(ROOT, 'asm', `${k}-${arch}.s`)));
  if (RECORD_JOB_SOURCE[arch]) out.push(RECORD_JOB);
  return out;
}

function programOf(kind: Row, arch: ArchName): ProgramLike {
  if (kind === RECORD_JOB) {
    const file = join(BENCH_DIR, 'records', RECORD_JOB_SOURCE[arch]!);
    return programFromSource(readFileSync(file, 'utf8'), { arch, file });
  }
  if (kind === 'sleep') return sleepForever;
  if (kind === 'sleep-bare') return sleepForever.bare;
  if (kind === 'hello') return hello();
  return exit(EXIT_STATUS);
}

/** Architectures whose asm/*.s exist for every built-in program. */
export function builtArches(): ArchName[] {
  return ARCHES.filter((a) => KINDS.some((k) => existsSync(join(ROOT, 'asm', `${k}-${a}.s`))));
}

/** The loaders a profile promises: run the binary on each of them that this host has. */
function loadersOf(profileName: LoaderProfileName, arch: ArchName): Loader[] {
  const want: Loader[] = profileName === 'linux' ? ['native'] : profileName === 'qemu' ? ['qemu'] : ['native', 'qemu'];
  return want.filter((l) => l === 'qemu' || nativeOn(arch));
}

/**
 * Published hand-made records (sources in bench/peers.md). `profile`: the tinyelf loader profile
 * that promises the same loaders, or undefined when the record needs loaders tinyelf's profiles do
 * not describe (kernels before 5.8, pre-ARMv6 CPUs). `reproduced: false`: no file of that size
 * could be made to run here (bench/peers.md says why).
 */
export const RECORDS: { arch: ArchName; kind: Kind; bytes: number; loaders: string; note: string; profile?: 'linux' | 'portable'; reproduced?: false }[] = [
  { arch: 'i386', kind: 'exit', bytes: 45, loaders: 'kernel only', profile: 'linux', note: 'Raiter, "teensy" (exit 42, truncated header)' },
  { arch: 'i386', kind: 'exit', bytes: 64, loaders: 'kernel + qemu', profile: 'portable', note: 'smallest i386 exit on both loaders (issue)' },
  { arch: 'i386', kind: 'hello', bytes: 58, loaders: 'kernel only', profile: 'linux', note: 'hand-made hello (issue; Raiter\'s hello.asm is 62 B)' },
  { arch: 'x86_64', kind: 'exit', bytes: 73, loaders: 'kernel only, not reproduced: see bench/peers.md', profile: 'linux', reproduced: false, note: 'hand-made x86-64 exit (issue)' },
  { arch: 'x86_64', kind: 'exit', bytes: 80, loaders: 'kernel only', profile: 'linux', note: 'Raiter, tiny-x64.asm (2021): entry through the magic' },
  { arch: 'x86_64', kind: 'exit', bytes: 112, loaders: 'kernel + qemu', profile: 'portable', note: 'smallest x86-64 exit on both loaders (issue)' },
  { arch: 'x86_64', kind: 'hello', bytes: 81, loaders: 'kernel only', profile: 'linux', note: 'hand-made x86-64 hello (issue)' },
  { arch: 'arm', kind: 'exit', bytes: 48, loaders: 'kernel with READ_IMPLIES_EXEC: see bench/peers.md', note: 'A32 exit (issue)' },
  { arch: 'arm', kind: 'hello', bytes: 110, loaders: 'kernel + qemu', profile: 'portable', note: 'straightforward armel write+exit (issue)' },
  { arch: 'aarch64', kind: 'sleep-bare', bytes: 84, loaders: 'kernel < 5.8', note: 'AArch64 loop (issue; refused by newer kernels)' },
  { arch: 'aarch64', kind: 'hello', bytes: 162, loaders: 'kernel + qemu', profile: 'portable', note: 'straightforward arm64 write+exit (issue)' },
];

interface CCompiler {
  name: string;
  arch: ArchName;
  cc: string;
  strip: string;
  pkg: string;
}
const COMPILERS: CCompiler[] = [
  { name: 'gcc -static -Os', arch: 'x86_64', cc: 'gcc', strip: 'strip', pkg: 'gcc' },
  { name: 'gcc -static -Os', arch: 'i386', cc: 'i686-linux-gnu-gcc', strip: 'i686-linux-gnu-strip', pkg: 'gcc-i686-linux-gnu' },
  { name: 'gcc -static -Os', arch: 'arm', cc: 'arm-linux-gnueabihf-gcc', strip: 'arm-linux-gnueabihf-strip', pkg: 'gcc-arm-linux-gnueabihf' },
  { name: 'gcc -static -Os', arch: 'aarch64', cc: 'aarch64-linux-gnu-gcc', strip: 'aarch64-linux-gnu-strip', pkg: 'gcc-aarch64-linux-gnu' },
  { name: 'musl-gcc -static -Os', arch: 'x86_64', cc: 'musl-gcc', strip: 'strip', pkg: 'musl-tools' },
];

export interface SizeRow {
  arch: ArchName;
  kind: Row;
  profile: LoaderProfileName;
  bytes: number | null;
  ranOn: string[];
  ok: boolean;
  error?: string;
}
export interface CRow {
  compiler: string;
  arch: ArchName;
  kind: Kind;
  bytes: number | null;
  ok: boolean;
  detail: string;
}

/** Builds (and runs) a C program; the path, or an explanation. */
/** bench/c/NAME.c built with the compiler, static, -Os, stripped. */
export function buildC(c: CCompiler, kind: Kind | 'pause'): { path?: string; bytes?: number; why?: string } {
  if (!which(c.cc)) return { why: `${c.cc} not installed (apt-get install ${c.pkg})` };
  const out = join(subDir('c'), `${kind}-${c.arch}-${c.cc}`);
  const r = run(c.cc, ['-static', '-Os', '-o', out, join(BENCH_DIR, 'c', `${kind}.c`)], { timeoutMs: 120_000 });
  if (r.status !== 0) return { why: `${c.cc} failed: ${r.stderr.toString().split('\n')[0]}` };
  const s = run(which(c.strip) ? c.strip : 'strip', ['--strip-all', out]);
  if (s.status !== 0) return { why: `strip failed: ${s.stderr.toString()}` };
  return { path: out, bytes: statSync(out).size };
}

export function cCompilers(): CCompiler[] {
  return COMPILERS;
}

export async function sizes(opts: { quick?: boolean; arches?: string[] } = {}): Promise<SectionResult> {
  const arches = builtArches().filter((a) => !opts.arches || opts.arches.includes(a));
  const rows: SizeRow[] = [];
  const tasks: (() => Promise<void>)[] = [];
  for (const arch of arches) {
    for (const kind of rowsOf(arch)) {
      for (const profile of LOADER_PROFILES) {
        const row: SizeRow = { arch, kind, profile, bytes: null, ranOn: [], ok: true };
        rows.push(row);
        try {
          const bytes = emitElf({ arch, program: programOf(kind, arch), loader: profile });
          row.bytes = bytes.length;
          const path = writeExe(bytes, `${kind === RECORD_JOB ? 'hello-plain' : kind}-${arch}-${profile}`);
          for (const loader of loadersOf(profile, arch)) {
            tasks.push(async () => {
              const o = await check(path, arch, loader, judgedAs(kind));
              row.ranOn.push(`${loader === 'native' ? 'kernel' : 'qemu'} ${o.ok ? 'ok' : `FAILED (${o.detail})`}`);
              row.ok &&= o.ok;
            });
          }
        } catch (e) {
          row.ok = false;
          row.error = (e as Error).message.split('\n')[0];
        }
      }
    }
  }
  // The runs are independent: a few at a time (each sleeper waits 300 ms).
  const queue = [...tasks];
  await Promise.all(Array.from({ length: 6 }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await t();
  }));
  for (const r of rows) r.ranOn.sort((a, b) => (a.startsWith('kernel') ? -1 : b.startsWith('kernel') ? 1 : 0));

  const cRows: CRow[] = [];
  if (!opts.quick) {
    for (const c of COMPILERS) {
      for (const kind of KINDS) {
        const b = buildC(c, kind);
        if (!b.path) {
          cRows.push({ compiler: c.name, arch: c.arch, kind, bytes: null, ok: false, detail: b.why! });
          continue;
        }
        const loader: Loader = nativeOn(c.arch) ? 'native' : 'qemu';
        const o = await check(b.path, c.arch, loader, kind, false);
        cRows.push({ compiler: c.name, arch: c.arch, kind, bytes: b.bytes!, ok: o.ok, detail: `${loader === 'native' ? 'kernel' : 'qemu'} ${o.ok ? 'ok' : `FAILED (${o.detail})`}` });
      }
    }
  }

  const tables: SectionResult['tables'] = [];
  const cell = (r: SizeRow | undefined): Cell => (!r ? '–' : r.bytes === null ? `error: ${r.error}` : r.ok ? r.bytes : `${r.bytes} (run FAILED)`);
  for (const arch of arches) {
    const head = ['program', ...LOADER_PROFILES.map((p) => `tinyelf ${p}`), 'published record', 'gcc -static -Os, stripped', ...(arch === 'x86_64' ? ['musl-gcc -static -Os, stripped'] : [])];
    const body: Cell[][] = [];
    for (const kind of rowsOf(arch)) {
      const mine = LOADER_PROFILES.map((p) => cell(rows.find((r) => r.arch === arch && r.kind === kind && r.profile === p)));
      if (mine.every((c) => c === '–')) continue;
      const rec = RECORDS.filter((r) => r.arch === arch && r.kind === judgedAs(kind)).map((r) => `${r.bytes} (${r.loaders})`).join('; ') || '–';
      const cFor = (name: string): Cell => {
        const c = cRows.find((r) => r.arch === arch && r.kind === kind && r.compiler === name);
        if (!c) return opts.quick && kind !== RECORD_JOB ? 'skipped (--quick)' : '–';
        return c.bytes === null ? `n/a: ${c.detail}` : c.ok ? c.bytes : `${c.bytes} (run FAILED: ${c.detail})`;
      };
      body.push([kind, ...mine, rec, cFor('gcc -static -Os'), ...(arch === 'x86_64' ? [cFor('musl-gcc -static -Os')] : [])]);
    }
    tables.push({ caption: arch, head, rows: body });
  }
  const runsTable: Cell[][] = rows.map((r) => [r.arch, r.kind, r.profile, r.bytes ?? '–', r.error ? `error: ${r.error}` : r.ranOn.join(', ') || 'not run (no loader on this host)']);
  tables.push({ caption: 'where each tinyelf binary ran', head: ['arch', 'program', 'profile', 'bytes', 'ran on'], rows: runsTable });
  if (cRows.length) tables.push({ caption: 'where each C binary ran', head: ['compiler', 'arch', 'program', 'bytes', 'ran on'], rows: cRows.map((r) => [r.compiler, r.arch, r.kind, r.bytes ?? '–', r.detail]) });

  const missing = ARCHES.filter((a) => !builtArches().includes(a));
  return {
    title: 'Sizes',
    method: [
      'Each tinyelf figure is the length of `emitElf({ arch, program, loader })` for the built-in program (sleep, sleep-bare, hello(), exit(42)), written to a file and run in this bench: on the kernel directly (x86) and under qemu-user, on every loader the profile promises (linux: kernel; qemu: qemu-user; portable and strict: both).',
      `"${RECORD_JOB}" is bench/records/hello-plain-ARCH.s: only what the hello records do (write, then exit 0; no SIGPIPE block, no check of what write returned), for a like-for-like size; it is run and judged as hello.`,
      `A run passes when: exit returns ${EXIT_STATUS}; hello prints "Hello, World!\\n" and returns 0; sleep is still running after 300 ms and returns 0 within 2 s of SIGTERM; sleep-bare is still running after 300 ms.`,
      'C figures: bench/c/*.c built with `CC -static -Os` then `strip --strip-all` (the cross strip for other arches), run the same way (qemu-user with its default CPU for foreign arches). Published records: bench/peers.md.',
      ...(missing.length ? [`Not measured: ${missing.join(', ')} (no asm/*-ARCH.s yet).`] : []),
    ],
    tables,
    notes: rows.some((r) => !r.ok) || cRows.some((r) => r.bytes !== null && !r.ok) ? ['Some runs FAILED: see the tables.'] : [],
    data: { tinyelf: rows, c: cRows, records: RECORDS },
  };
}
