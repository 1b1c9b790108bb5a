/**
 * Where the x86 never-silent tests get their words from: nasm itself (every word of its binary's
 * string table, classified by what nasm does with it alone on a line) and LLVM's x86 MC tests
 * (the first word of every statement). Nothing here is tinyelf's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NASM } from './gen.js';

/** LLVM's MC encoding tests, beside the checkout (see ../shared/llvm-mc-tests/README). */
export const LLVM_X86_DIR = join(fileURLToPath(new URL('../../..', import.meta.url)), 'shared', 'llvm-mc-tests', 'X86');

/** One statement of an LLVM test file: its text without the comment, and where it is. */
export interface LlvmLine {
  file: string;
  line: number;
  text: string;
}

/** The statements of LLVM's x86 test files (no comments, directives or `name:` labels). */
export function llvmStatements(only?: (file: string, source: string) => boolean): LlvmLine[] {
  const out: LlvmLine[] = [];
  for (const file of readdirSync(LLVM_X86_DIR).filter((f) => f.endsWith('.s')).sort()) {
    const source = readFileSync(join(LLVM_X86_DIR, file), 'utf8');
    if (only && !only(file, source)) continue;
    source.split('\n').forEach((raw, i) => {
      const text = raw.replace(/\/\/.*|#.*/, '').trim();
      if (text === '' || text.startsWith('.') || /^[\w.$@]+:$/.test(text)) return;
      out.push({ file, line: i + 1, text });
    });
  }
  return out;
}

/** The first word (lower case) of every LLVM x86 test statement: the mnemonics or prefixes LLVM knows. */
export function llvmFirstWords(): Set<string> {
  const words = new Set<string>();
  for (const s of llvmStatements()) {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.text);
    if (m) words.add(m[0].toLowerCase());
  }
  return words;
}

/**
 * Every identifier-like word in nasm's binary, and every suffix of one: the instruction names are
 * all in its string table, some only as the tail of a longer string (the linker stores `add` as the
 * end of `xadd`).
 */
function nasmStringWords(): Set<string> {
  const bin = readFileSync(NASM);
  const words = new Set<string>();
  let start = -1;
  for (let i = 0; i <= bin.length; i++) {
    const c = i < bin.length ? bin[i]! : 0;
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
    if (word && start < 0) start = i;
    if (word || start < 0) continue;
    const w = bin.toString('latin1', start, i).toLowerCase();
    start = -1;
    if (w.length > 40) continue;
    for (let k = 0; k + 2 <= w.length; k++) if (/^[a-z_]/.test(w[k]!)) words.add(w.slice(k));
  }
  return words;
}

/** What nasm makes of the words: instructions and prefixes (`known`), and reserved words (registers, keywords). */
export interface NasmWordClasses {
  known: Set<string>;
  reserved: Set<string>;
  /** Words that are labels to nasm when alone on a line. */
  labels: Set<string>;
}

/**
 * Asks nasm, in one run of a source holding one word a line, about every word of its string table
 * and of `extra`: a word alone on a line is a label to nasm when it warns "label alone on a line
 * without a colon", a reserved word when it says "label or instruction expected", else something
 * nasm knows (an instruction, a prefix, a pseudo-instruction or a standard macro).
 */
export function classifyNasmWords(extra: Iterable<string>): NasmWordClasses {
  const words = [...new Set([...nasmStringWords(), ...extra])].filter((w) => /^[a-z_][a-z0-9_]*$/.test(w)).sort();
  const sentinel = 'zz_last_line_label';
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-words-'));
  try {
    writeFileSync(join(dir, 'w.asm'), ['bits 64', ...words, sentinel, ''].join('\n'));
    const r = spawnSync(NASM, ['-f', 'bin', '-w+label-orphan', '-o', join(dir, 'w.bin'), join(dir, 'w.asm')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const label = new Set<number>();
    const reserved = new Set<number>();
    for (const m of r.stderr.matchAll(/w\.asm:(\d+): (?:warning|error): (.*)/g)) {
      const at = Number(m[1]) - 2;
      if (m[2]!.startsWith('label alone on a line')) label.add(at);
      else if (m[2]!.startsWith('label or instruction expected')) reserved.add(at);
    }
    // A run that stopped early would make every later word look known.
    if (!label.has(words.length)) throw new Error(`nasm did not read the word list to its end:\n${r.stderr.slice(-2000)}`);
    const out: NasmWordClasses = { known: new Set(), reserved: new Set(), labels: new Set() };
    words.forEach((w, i) => (label.has(i) ? out.labels : reserved.has(i) ? out.reserved : out.known).add(w));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What nasm made of one line: its bytes (hex), or its error. */
export interface NasmLine {
  line: string;
  hex?: string;
  error?: string;
}

/**
 * nasm's bytes for each line as if it were alone in a source of its own at address 0. Lines go in
 * batches in which no two start with the same word (a colon-less label defined twice would be an
 * error); see `nasmBatchAlone`.
 */
export function nasmEachAlone(lines: string[], bits: 16 | 32 | 64): NasmLine[] {
  const results: NasmLine[] = lines.map((line) => ({ line }));
  const batches: number[][] = [];
  const seen = new Map<string, number>();
  results.forEach((r, i) => {
    const first = /^\S*/.exec(r.line)![0].toLowerCase();
    const n = seen.get(first) ?? 0;
    seen.set(first, n + 1);
    (batches[n] ??= []).push(i);
  });
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-alone-'));
  try {
    for (const batch of batches) nasmBatchAlone(results, batch, bits, dir);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One nasm run for the lines `live` of `results`: each line in a section of its own with
 * `vstart=0`, lengths from nasm's map file. Lines nasm refuses get their error and are left out of
 * the next run, until a run has no errors.
 */
function nasmBatchAlone(results: NasmLine[], live: number[], bits: 16 | 32 | 64, dir: string): void {
  for (let round = 0; live.length > 0; round++) {
    if (round === 20) throw new Error(`nasm still refuses new lines after ${round} runs`);
    // Line k of the run is source line 4 + 2k (after `bits` and `[map]`, each after its `section`).
    const src = [`bits ${bits}`, `[map sections ${join(dir, 'a.map')}]`, ...live.flatMap((i, k) => [`section s${k} vstart=0 align=1`, results[i]!.line])].join('\n') + '\n';
    writeFileSync(join(dir, 'a.asm'), src);
    const r = spawnSync(NASM, ['-f', 'bin', '-o', join(dir, 'a.bin'), join(dir, 'a.asm')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const failed = new Map<number, string>();
    // (errors, and nasm's own `panic: …a.asm:N: assertion … failed` on a few odd lines)
    for (const m of r.stderr.matchAll(/a\.asm:(\d+): (?!warning|info)(?:error: )?(.*)/g)) {
      const k = (Number(m[1]) - 4) / 2;
      if (!Number.isInteger(k) || k < 0 || k >= live.length) throw new Error(`nasm error outside the lines: ${m[0]}`);
      if (!failed.has(k)) failed.set(k, m[2]!);
    }
    if (failed.size > 0) {
      for (const [k, e] of failed) results[live[k]!]!.error = e;
      live = live.filter((_, k) => !failed.has(k));
      continue;
    }
    if (r.status !== 0) throw new Error(`nasm failed: ${r.stderr}`);
    const bin = readFileSync(join(dir, 'a.bin'));
    const sections = new Map<string, [number, number]>();
    for (const m of readFileSync(join(dir, 'a.map'), 'utf8').matchAll(/^\s*[0-9A-F]+\s+([0-9A-F]+)\s+[0-9A-F]+\s+([0-9A-F]+)\s+progbits\s+(\S+)$/gm)) {
      sections.set(m[3]!, [parseInt(m[1]!, 16), parseInt(m[2]!, 16)]);
    }
    live.forEach((i, k) => {
      const [start, length] = sections.get(`s${k}`)!;
      results[i]!.hex = Array.from(bin.subarray(start, start + length), (b) => b.toString(16).padStart(2, '0')).join(' ');
    });
    return;
  }
}

export const OBJDUMP = '/usr/bin/objdump';

/**
 * GNU objdump's reading of each hex byte string (`e9 fc ff ff ff` at address 0 → `jmp 0x1`), one
 * instruction each; a byte string that is not exactly one valid instruction reads as undefined.
 */
export function objdumpEach(hexes: string[], bits: 16 | 32 | 64): (string | undefined)[] {
  const machine = bits === 64 ? 'i386:x86-64' : bits === 32 ? 'i386' : 'i8086';
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-objdump-'));
  try {
    return hexes.map((h) => {
      const bytes = Buffer.from(h.replace(/ /g, ''), 'hex');
      writeFileSync(join(dir, 'a.bin'), bytes);
      const r = spawnSync(OBJDUMP, ['-D', '-b', 'binary', '-m', machine, '-M', 'intel', join(dir, 'a.bin')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`objdump failed: ${r.stderr}`);
      const insns = [...r.stdout.matchAll(/^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/gm)];
      if (insns.length !== 1 || insns[0]![2]!.replace(/ /g, '').length !== bytes.length * 2) return undefined;
      const text = insns[0]![3]!.replace(/\s+/g, ' ').trim();
      return text.startsWith('.byte') || text.includes('(bad)') ? undefined : text;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
