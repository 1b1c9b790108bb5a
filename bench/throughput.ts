/**
 * Section 2: assembler throughput. The same generated programs (bench/gen.ts) through tinyelf's
 * text front end and builder, nasm, llvm-mc, and the npm peers kept in bench/package.json
 * (@defasm/core, iced-x86, keystone-wasm; `npm run bench:setup` installs them).
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assemble } from '../src/index.js';
import { buildX86 } from './build-x86.js';
import { genArm, genX86, renderX86 } from './gen.js';
import { icedProgram } from './iced.js';
import { BENCH_DIR, ROOT, elfSectionSize, fmtMs, fmtRate, mustRun, run, subDir, timeMedian, timeProcess, which, type Cell, type SectionResult } from './lib.js';

type Peer = { name: string; input: string; prepare?: () => unknown; once: () => Uint8Array | number };

/** Keystone's architecture and mode constants (names in `Const`) for each program. */
const KS_MODE = {
  x86_64: ['KS_ARCH_X86', 'KS_MODE_64'],
  aarch64: ['KS_ARCH_ARM64', 'KS_MODE_LITTLE_ENDIAN'],
  arm: ['KS_ARCH_ARM', 'KS_MODE_ARM'],
  thumb: ['KS_ARCH_ARM', 'KS_MODE_THUMB'],
} as const;
type KeystoneArch = keyof typeof KS_MODE;

/** A difference of times with its sign (a process faster than Node's start shows − ). */
const signedMs = (d: number): string => `${d < 0 ? '−' : '+'}${fmtMs(Math.abs(d))}`;

/** The ARM programs (bench/gen.ts), their names in the tables, and llvm-mc's triple for each. */
const ARM_KINDS = ['aarch64', 'arm', 'thumb'] as const;
const ARM_LABEL = { aarch64: 'aarch64', arm: 'arm', thumb: 'arm (Thumb)' } as const;
const LLVM_TRIPLE = { aarch64: 'aarch64-linux-gnu', arm: 'armv7-linux-gnueabihf', thumb: 'thumbv7-linux-gnueabihf' } as const;

/** Loads a bench-only package from bench/node_modules, or undefined when it is not installed. */
async function peer(name: string): Promise<any> {
  const req = createRequire(join(BENCH_DIR, 'package.json'));
  try {
    const path = req.resolve(name);
    return await import(path.startsWith('/') ? `file://${path}` : path);
  } catch {
    try {
      return await import(join(BENCH_DIR, 'node_modules', name, 'dist', 'index.mjs'));
    } catch {
      return undefined;
    }
  }
}

/**
 * keystone-wasm's own `Keystone.asm(src)` hands the source to ks_asm through emscripten's
 * `ccall(..., 'string')`, which copies it onto the wasm stack: 64 KiB, just above keystone's static
 * data, in a fixed 16 MiB memory. A source over about 80 KB (the 10k-instruction programs are
 * 187–236 KB) runs the stack pointer down through that data and ks_asm then dies with "memory
 * access out of bounds" (and the module is unusable afterwards). So the bench calls the same
 * exported C function, ks_asm, itself, with the source in malloc'd heap memory: the same engine on
 * the same input, minus the wrapper's stack copy. `M` is the emscripten Module object, which
 * `loadKeystone(M)` fills in (it is the factory's moduleArg).
 */
export function keystoneAsm(ks: any, M: any, arch: KeystoneArch, src: string): Uint8Array {
  const [a, m] = KS_MODE[arch];
  const k = new ks.Keystone(ks.Const[a], ks.Const[m]);
  const text = new TextEncoder().encode(src);
  const srcPtr = M._malloc(text.length + 1);
  const out = M._malloc(12); // unsigned char **encoding; size_t *size; size_t *stat_count (wasm32)
  try {
    M.HEAPU8.set(text, srcPtr);
    M.HEAPU8[srcPtr + text.length] = 0;
    if (M._ks_asm(k.handle, srcPtr, 0n, out, out + 4, out + 8) !== 0) throw new Error(`ks_asm: ${ks.Keystone.strError(k.errNo())}`);
    const view = new DataView(M.HEAPU8.buffer);
    const bytesPtr = view.getUint32(out, true);
    const bytes = M.HEAPU8.slice(bytesPtr, bytesPtr + view.getUint32(out + 4, true)) as Uint8Array;
    M._ks_free(bytesPtr);
    return bytes;
  } finally {
    M._free(srcPtr);
    M._free(out);
    k.close();
  }
}
const KS_HOW = 'ks_asm with the source in malloc\'d memory (keystone-wasm\'s Keystone.asm() overflows its 64 KiB wasm stack on this input: see notes)';

export function ensurePeers(): string | undefined {
  if (existsSync(join(BENCH_DIR, 'node_modules', 'iced-x86'))) return undefined;
  const r = run('npm', ['ci', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], { timeoutMs: 300_000 });
  return r.status === 0 ? undefined : `npm ci --prefix bench failed: ${r.stderr.toString().slice(0, 300)}`;
}

interface Row {
  arch: string;
  system: string;
  input: string;
  warmPerSec: number | null;
  medianMs: number | null;
  bytes: number | null;
  note: string;
}
interface ColdRow {
  what: string;
  command: string;
  medianMs: number;
  minMs: number;
  runs: number;
  tool: string;
}

/**
 * A copy of the package as npm would install it (dist/ as `npm run build` makes it, with the
 * bundled CLI; bin/, asm/; no src/), for cold starts.
 */
function installedCopy(): string | undefined {
  const dir = subDir('pkg');
  const r = run('npm', ['run', 'build', '--prefix', ROOT], { timeoutMs: 300_000 });
  if (r.status !== 0 || !existsSync(join(ROOT, 'dist', 'cli', 'bundle.cjs'))) return undefined;
  for (const d of ['dist', 'bin', 'asm']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

export async function throughput(opts: { quick?: boolean } = {}): Promise<SectionResult> {
  // Ten untimed runs first: with three, V8 was sometimes still re-optimizing (tinyelf's text row
  // then read 0.8M/s in one process of five and 1.45M/s in the rest); every system gets the same.
  const runs = opts.quick ? 3 : 21;
  const warm = opts.quick ? 1 : 10;
  const setupError = ensurePeers();
  const [defasm, iced, ks] = await Promise.all([peer('@defasm/core'), peer('iced-x86'), peer('keystone-wasm')]);
  const ksModule: any = {};
  if (ks) await ks.loadKeystone(ksModule); // loads keystone's wasm into ksModule
  const dir = subDir('asm');
  const rows: Row[] = [];
  const notes: string[] = [];
  if (setupError) notes.push(setupError);

  const measure = (arch: string, system: string, input: string, count: number, fn: (() => Uint8Array | number) | undefined, why = 'not installed', how = '') => {
    if (!fn) return rows.push({ arch, system, input, warmPerSec: null, medianMs: null, bytes: null, note: why });
    try {
      const first = fn();
      const t = timeMedian(fn, runs, warm);
      rows.push({ arch, system, input, warmPerSec: count / (t.medianMs / 1000), medianMs: t.medianMs, bytes: typeof first === 'number' ? first : first.length, note: `median of ${t.runs} after ${warm} warm-up${how ? `; ${how}` : ''}` });
    } catch (e) {
      rows.push({ arch, system, input, warmPerSec: null, medianMs: null, bytes: null, note: `failed: ${(e as Error).message.split('\n')[0]!.slice(0, 120)}` });
    }
  };
  const external = (arch: string, system: string, cmd: string[], out: string, size: () => number) => {
    if (!which(cmd[0]!)) return rows.push({ arch, system, input: 'text', warmPerSec: null, medianMs: null, bytes: null, note: `${cmd[0]} not installed` });
    mustRun(cmd[0]!, cmd.slice(1));
    rows.push({ arch, system, input: 'text', warmPerSec: null, medianMs: null, bytes: size(), note: 'separate process: see cold start' });
    void out;
  };

  // x86-64
  const prog = genX86();
  const count = prog.ops.length;
  const nasmSrc = renderX86(prog, 'nasm');
  const intelSrc = renderX86(prog, 'intel');
  const nasmFile = join(dir, 'x86.asm');
  const intelFile = join(dir, 'x86.s');
  writeFileSync(nasmFile, nasmSrc);
  writeFileSync(intelFile, intelSrc);
  measure('x86_64', 'tinyelf assemble()', 'text (nasm syntax)', count, () => assemble(nasmSrc, { arch: 'x86_64' }));
  measure('x86_64', 'tinyelf X86Builder', 'builder (build + assemble)', count, buildX86(prog));
  measure('x86_64', 'iced-x86 BlockEncoder', 'builder (create + encode)', count, iced && icedProgram(iced, prog));
  measure('x86_64', 'keystone-wasm', 'text (Intel syntax)', count, ks && (() => keystoneAsm(ks, ksModule, 'x86_64', intelSrc)), undefined, KS_HOW);
  measure('x86_64', '@defasm/core', 'text (Intel syntax)', count, defasm && (() => {
    const s = new defasm.AssemblyState();
    s.compile(intelSrc, { haltOnError: true });
    return s.head.length() as number;
  }));
  external('x86_64', 'nasm -f bin', ['nasm', '-f', 'bin', '-o', join(dir, 'x86.bin'), nasmFile], '', () => readFileSync(join(dir, 'x86.bin')).length);
  external('x86_64', 'llvm-mc -filetype=obj', ['llvm-mc', '-triple=x86_64-linux-gnu', '-filetype=obj', '-o', join(dir, 'x86.o'), intelFile], '', () => elfSectionSize(readFileSync(join(dir, 'x86.o')), '.text'));

  // AArch64, A32 and Thumb (ARMv7)
  const armFiles: Record<string, string> = {};
  for (const kind of ARM_KINDS) {
    const src = genArm(kind);
    const n = src.split('\n').filter((l) => l && !l.endsWith(':') && !l.startsWith('.')).length;
    const file = join(dir, `${kind}.s`);
    armFiles[kind] = file;
    writeFileSync(file, src);
    const label = ARM_LABEL[kind];
    measure(label, 'tinyelf assemble()', 'text (GNU syntax)', n, () => assemble(src, kind === 'thumb' ? { arch: 'arm', isa: 'v7' } : { arch: kind }));
    measure(label, 'keystone-wasm', 'text (GNU syntax)', n, ks && (() => keystoneAsm(ks, ksModule, kind, src)), undefined, KS_HOW);
    external(label, 'llvm-mc -filetype=obj', ['llvm-mc', `-triple=${LLVM_TRIPLE[kind]}`, '-filetype=obj', '-o', join(dir, `${kind}.o`), file], '', () => elfSectionSize(readFileSync(join(dir, `${kind}.o`)), '.text'));
  }

  // Cold start: whole processes.
  const cold: ColdRow[] = [];
  const coldRuns = opts.quick ? 3 : 15;
  const time = (what: string, cmd: string[]) => {
    try {
      const t = timeProcess(cmd, { runs: coldRuns, warmup: 2 });
      cold.push({ what, command: cmd.map((c) => c.replace(dir, '$T').replace(ROOT, '.')).join(' '), medianMs: t.medianMs, minMs: t.minMs, runs: t.runs, tool: t.tool });
    } catch (e) {
      notes.push(`cold start of ${what} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  time('node -e 0 (Node start alone)', [process.execPath, '-e', '0']);
  const pkg = opts.quick ? undefined : installedCopy();
  const cli = pkg ? join(pkg, 'bin', 'tinyelf') : existsSync(join(ROOT, 'bin', 'tinyelf')) ? join(ROOT, 'bin', 'tinyelf') : undefined;
  const cliLabel = pkg ? 'tinyelf CLI (installed layout: dist/, no src/)' : 'tinyelf CLI (source checkout: dist/ if fresh, else tsx)';
  const asmOut = join(dir, 'cli.bin');
  if (cli) time(`${cliLabel}: asm --flat, 10k x86-64`, [process.execPath, cli, 'asm', '--flat', '--arch', 'x86_64', nasmFile, '-o', asmOut]);
  else notes.push('bin/tinyelf missing: no CLI cold start');
  if (which('nasm')) time('nasm -f bin, 10k x86-64', ['nasm', '-f', 'bin', '-o', join(dir, 'cold.bin'), nasmFile]);
  if (which('llvm-mc')) time('llvm-mc -filetype=obj, 10k x86-64', ['llvm-mc', '-triple=x86_64-linux-gnu', '-filetype=obj', '-o', join(dir, 'cold.o'), intelFile]);
  const ksScript = join(dir, 'ks.mjs');
  if (ks) {
    // The same call as keystoneAsm() (ks_asm with the source in malloc'd memory), as a script.
    writeFileSync(ksScript, [
      `import * as ks from ${JSON.stringify(join(BENCH_DIR, 'node_modules', 'keystone-wasm', 'dist', 'index.mjs'))};`,
      `import { readFileSync } from 'node:fs';`,
      `const M = {};`,
      `await ks.loadKeystone(M);`,
      `const [a, m] = ${JSON.stringify(KS_MODE)}[process.argv[2]];`,
      `const k = new ks.Keystone(ks.Const[a], ks.Const[m]);`,
      `const text = readFileSync(process.argv[3]);`,
      `const src = M._malloc(text.length + 1), out = M._malloc(12);`,
      `M.HEAPU8.set(text, src); M.HEAPU8[src + text.length] = 0;`,
      `if (M._ks_asm(k.handle, src, 0n, out, out + 4, out + 8) !== 0) throw new Error('ks_asm: ' + ks.Keystone.strError(k.errNo()));`,
      `if (new DataView(M.HEAPU8.buffer).getUint32(out + 4, true) === 0) throw new Error('ks_asm: no output');`,
      '',
    ].join('\n'));
    time('keystone-wasm in a node script (ks_asm, source in malloc\'d memory), 10k x86-64', [process.execPath, ksScript, 'x86_64', intelFile]);
    notes.push("keystone-wasm 1.0.4's Keystone.asm() cannot take the 10k-instruction programs (187–236 KB of text): its ccall copies the source onto emscripten's 64 KiB wasm stack, which sits just above keystone's static data in a fixed 16 MiB memory (no growth), so a longer source runs over that data, and from about 80 KB (the stack plus the zero-initialised data below it) ks_asm fails with \"memory access out of bounds\" (fresh processes, same generator: x86-64 75 KB assembles, 84 KB fails; AArch64 73 KB / 81 KB; A32 74 KB / 82 KB). Nothing in the programs is unsupported: called with the source in malloc'd memory, the same ks_asm assembles all four, and its A32, Thumb and AArch64 output is byte-identical to tinyelf's (and llvm-mc's). The keystone rows and cold starts call ks_asm that way; creating and closing a Keystone (ks_open/ks_close) is inside every timed call, as tinyelf's setup is inside assemble().");
  }
  if (iced) {
    // iced-x86 has no text syntax: a script that reads the program's data and encodes it, bundled
    // by esbuild (as a user's would be) with iced-x86 itself loaded from its installed files.
    const script = join(dir, 'iced-cold.mjs');
    const ops = join(dir, 'x86-program.json');
    writeFileSync(ops, JSON.stringify(prog));
    const b = run(join(ROOT, 'node_modules', '.bin', 'esbuild'), [join(BENCH_DIR, 'iced-cold.ts'), '--bundle', '--platform=node', '--format=esm', '--log-level=warning', `--outfile=${script}`]);
    if (b.status === 0) {
      const icedUrl = pathToFileURL(createRequire(join(BENCH_DIR, 'package.json')).resolve('iced-x86')).href;
      time('iced-x86 BlockEncoder in a node script (program data as JSON), 10k x86-64', [process.execPath, script, icedUrl, ops]);
    } else notes.push(`bundling bench/iced-cold.ts failed: ${b.stderr.toString().slice(0, 200)}`);
  }
  if (cli) time(`${cliLabel}: sleep > file`, [process.execPath, cli, 'sleep', '-o', join(dir, 'sleep.bin')]);
  const small = join(dir, 'sleep-x86_64.asm');
  writeFileSync(small, readFileSync(join(ROOT, 'asm', 'sleep-x86_64.s'), 'utf8'));
  if (which('nasm')) time('nasm -f bin asm/sleep-x86_64.s', ['nasm', '-f', 'bin', '-o', join(dir, 'small.bin'), small]);
  if (which('llvm-mc')) for (const kind of ARM_KINDS) time(`llvm-mc -filetype=obj, 10k ${ARM_LABEL[kind]}`, ['llvm-mc', `-triple=${LLVM_TRIPLE[kind]}`, '-filetype=obj', '-o', join(dir, 'cold.o'), armFiles[kind]!]);
  if (cli) for (const kind of ARM_KINDS) time(`${cliLabel}: asm --flat, 10k ${ARM_LABEL[kind]}`, [process.execPath, cli, 'asm', '--flat', ...(kind === 'thumb' ? ['--arch', 'arm', '--isa', 'v7'] : ['--arch', kind]), armFiles[kind]!, '-o', asmOut]);
  if (ks) for (const kind of ARM_KINDS) time(`keystone-wasm in a node script (ks_asm, source in malloc'd memory), 10k ${ARM_LABEL[kind]}`, [process.execPath, ksScript, kind, armFiles[kind]!]);

  const tinyText = (arch: string) => rows.find((r) => r.arch === arch && r.system === 'tinyelf assemble()');
  const nasmBytes = rows.find((r) => r.system === 'nasm -f bin')?.bytes;
  const body: Cell[][] = rows.map((r) => {
    const mine = tinyText(r.arch);
    const ratio = r.warmPerSec && mine?.warmPerSec && r !== mine ? `${(mine.warmPerSec / r.warmPerSec).toFixed(2)}×` : '–';
    return [r.arch, r.system, r.input, r.warmPerSec ? fmtRate(r.warmPerSec) : '–', r.medianMs !== null ? fmtMs(r.medianMs) : '–', ratio, r.bytes ?? '–', r.note];
  });
  if (nasmBytes && tinyText('x86_64')?.bytes !== nasmBytes) notes.push(`x86-64 output differs: tinyelf ${tinyText('x86_64')?.bytes} bytes vs nasm ${nasmBytes} (nasm and llvm-mc pick the shortest form of every branch; a difference means some tinyelf branch is longer than needed).`);
  const node = cold.find((c) => c.what.startsWith('node -e'));
  return {
    title: 'Assembler throughput',
    method: [
      `Inputs (bench/gen.ts, seeded): x86-64 ${count.toLocaleString('en-US')} instructions — mov/lea with SIB and disp8/disp32, ALU with imm8/imm32, mov imm32, cmp mem/imm8, and jcc/jmp to 1,250 labels (70% at most 2 labels away, 30% up to 40); AArch64, A32 and Thumb (ARMv7) programs of the same shape (add/sub/logic with immediates and shifted registers, ldr/str, mov, cmp, b/b.cond/cbz; Thumb's branches start 16-bit and grow where their targets are too far).`,
      `Warm: one process; each system assembles the whole program ${warm} times, then ${runs} timed times; the figure is instructions / median time. "tinyelf ×" is tinyelf's text front end's rate over the row's. The builder rows include building the instruction list.`,
      `Cold start: whole-process wall time, median of ${coldRuns} runs after 2 warm-up runs, by ${cold[0]?.tool ?? 'hyperfine'}${cold[0]?.tool === 'hyperfine' ? ' -N (no shell)' : ''}. The CLI runs from a copy of the package laid out as npm installs it (dist/ as npm run build makes it: tsc output plus the esbuild bundle of the CLI that bin/tinyelf runs; bin/, asm/), so no TypeScript is compiled at start.`,
      'Output bytes: length of the flat output (nasm -f bin file, llvm-mc .text section, keystone/iced/defasm buffers).',
    ],
    tables: [
      { caption: 'warm throughput and output', head: ['arch', 'system', 'input', 'instructions/s', 'median per program', 'tinyelf text ×', 'output bytes', 'how'], rows: body },
      { caption: 'cold start (whole process)', head: ['what', 'median', 'min', 'runs', `vs Node start${node ? ` (${fmtMs(node.medianMs)})` : ''}`, 'command'], rows: cold.map((c) => [c.what, fmtMs(c.medianMs), fmtMs(c.minMs), c.runs, node ? signedMs(c.medianMs - node.medianMs) : '–', `\`${c.command}\``]) },
    ],
    notes,
    data: { rows, cold, instructions: count },
  };
}


