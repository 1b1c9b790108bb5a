/**
 * Generates src/arch/aarch64/unsupported.ts: every A64 mnemonic llvm-mc 14 (all its extensions
 * on) or GNU as's disassembler knows that tinyelf's table lacks, each with what it belongs to, so
 * that such a line is refused as "instruction not supported: fadd (FP/SIMD)" rather than taken for
 * an unknown word. The mnemonics are read off both disassemblers over a seeded sample of words
 * (plus every hint, barrier and system-instruction word, and a sweep of llvm-mc over the opcode
 * space), with a few assembler-only aliases added (ASSEMBLER_ONLY), each classified by its operands:
 * SVE/SME registers (z, p, za), else FP/SIMD registers (b/h/s/d/q, v), else a later extension.
 *
 *   npx tsx test/aarch64/mnemonics-gen.ts --write
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowsByMnemonic } from '../../src/arch/aarch64/table.js';
import { rng } from '../helpers/rng.js';
import { LLVM_MC } from './oracle.js';

export const UNSUPPORTED_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../src/arch/aarch64/unsupported.ts');
export const GNU_OBJDUMP = '/usr/bin/aarch64-linux-gnu-objdump';

/** Every extension llvm-mc 14 has, so that its disassembler names every instruction it knows. */
const ALL_FEATURES = '+v9.3a,+v8.8a,+sve2,+sve2-aes,+sve2-sm4,+sve2-sha3,+sve2-bitperm,+sme,+sme-f64,+sme-i64,+mte,+tme,+ls64,+mops,+rand,+spe,+bf16,+i8mm,+f32mm,+f64mm,+fp16fml,+fullfp16,+crypto,+sm4,+sha3,+aes,+sha2,+rcpc-immo,+flagm,+pauth,+bti,+ssbs,+sb,+predres,+brbe,+hbc,+wfxt,+xs,+lor,+pan,+ras,+rdm,+dotprod,+complxnum,+jsconv,+altnzcv,+fptoint,+el2vmsa,+el3,+tracev8.4,+trbe,+ete,+rme,+spe-eef,+ccdp';

/** The words to disassemble: a seeded sample, and the whole system-instruction space (bits 21..5). */
export function sampleWords(count = 1 << 18): number[] {
  const rand = rng(0x5eed);
  const words: number[] = [];
  for (let i = 0; i < count; i++) words.push(Math.floor(rand() * 2 ** 32) >>> 0);
  for (let i = 0; i < 1 << 17; i++) words.push((0xd5000000 | (i << 5) | 31) >>> 0, (0xd5000000 | (i << 5)) >>> 0);
  return words;
}

/** Bits 9..0 of the sweep: registers all zeros or all ones, and two opcode fields seen there (fcmpe's 10000, setf's 01101). */
const SWEEP_LOW_BITS = [0, 0x3ff, 0x010, 0x00d];

/**
 * Every top half-word with every value of bits 15..10 and the low bits of SWEEP_LOW_BITS: small encoding groups (pacia, braa, aese, setf8, …) that a sample misses. llvm-mc only
 * (GNU objdump is too slow for 16 million words), in chunks.
 */
function* sweepChunks(): Generator<number[]> {
  for (let top = 0; top < 1 << 16; top += 1 << 12) {
    const words: number[] = [];
    for (let t = top; t < top + (1 << 12); t++) {
      for (let mid = 0; mid < 64; mid++) for (const low of SWEEP_LOW_BITS) words.push(((t << 16) | (mid << 10) | low) >>> 0);
    }
    yield words;
  }
}

/** `mnemonic\toperands` lines llvm-mc prints for the words (invalid words dropped). */
function llvmLines(words: readonly number[]): string[] {
  const text = words.map((w) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24].map((b) => '0x' + b.toString(16)).join(' ')).join('\n');
  const res = spawnSync(LLVM_MC, ['--disassemble', '-triple=aarch64', `-mattr=${ALL_FEATURES}`], { input: text + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  return res.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('.'));
}

/** The same from GNU objdump over the words as a raw binary. */
function gnuLines(words: readonly number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-mn-'));
  try {
    const bin = join(dir, 'words.bin');
    writeFileSync(bin, Buffer.from(new Uint32Array(words).buffer));
    const res = spawnSync(GNU_OBJDUMP, ['-D', '-b', 'binary', '-m', 'aarch64', bin], { encoding: 'utf8', maxBuffer: 1 << 30 });
    return res.stdout.split('\n').flatMap((l) => {
      const m = /^\s*[0-9a-f]+:\s+[0-9a-f]{8}\s+(.*)$/.exec(l);
      return m && !m[1]!.startsWith('.inst') && !m[1]!.startsWith('udf') ? [m[1]!.replace(/\s*\/\/.*$/, '')] : [];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Group = 'FP/SIMD' | 'SVE/SME' | 'extension';

/**
 * Aliases the assemblers take but no disassembler prints (it prints the instruction they stand
 * for): the reversed-operand vector compares and the lengthening moves.
 */
const ASSEMBLER_ONLY: readonly [string, Group][] = [
  ['cmls', 'FP/SIMD'], ['cmlo', 'FP/SIMD'], ['facle', 'FP/SIMD'], ['faclt', 'FP/SIMD'],
  ['sxtl', 'FP/SIMD'], ['sxtl2', 'FP/SIMD'], ['uxtl', 'FP/SIMD'], ['uxtl2', 'FP/SIMD'],
];

function groupOf(operands: string): Group {
  if (/(^|[\s,{[])(z\d+|p\d+|za\d*\w*|zt0)(\.|\[|\/|,|\s|}|$)/i.test(operands)) return 'SVE/SME';
  if (/(^|[\s,{[])([bhsdq]\d+|v\d+\.)/i.test(operands)) return 'FP/SIMD';
  return 'extension';
}

/** Mnemonic → group, for every mnemonic tinyelf's table lacks (FP/SIMD over SVE over the rest when a mnemonic has several readings: fadd is FP first). */
export function unsupportedMnemonics(): Map<string, Group> {
  const words = sampleWords();
  const known = rowsByMnemonic('both');
  const rank: Record<Group, number> = { extension: 0, 'SVE/SME': 1, 'FP/SIMD': 2 };
  const out = new Map<string, Group>();
  const note = (line: string): void => {
    const m = /^([a-z][a-z0-9.]*)\s*(.*)$/i.exec(line);
    if (!m) return;
    const mn = m[1]!.toLowerCase();
    if (known.has(mn)) return;
    const g = groupOf(m[2]!);
    const had = out.get(mn);
    if (had === undefined || rank[g] > rank[had]) out.set(mn, g);
  };
  llvmLines(words).forEach(note);
  gnuLines(words).forEach(note);
  for (const chunk of sweepChunks()) llvmLines(chunk).forEach(note);
  for (const [mn, group] of ASSEMBLER_ONLY) if (!known.has(mn)) out.set(mn, group);
  return out;
}

export function unsupportedSource(list: Map<string, Group>): string {
  const byGroup = (g: Group): string[] => [...list].filter(([, x]) => x === g).map(([mn]) => mn).sort();
  const wrap = (names: string[]): string[] => {
    const lines: string[] = [];
    let cur = '';
    for (const n of names) {
      if (cur.length + n.length > 96) (lines.push(cur.trimEnd()), (cur = ''));
      cur += n + ' ';
    }
    if (cur) lines.push(cur.trimEnd());
    return lines.map((l) => `  '${l} ' +`);
  };
  const block = (name: string, g: Group, doc: string): string[] => [`/** ${doc} */`, `const ${name} =`, ...wrap(byGroup(g)), "  '';", ''];
  return [
    "// generated by `npx tsx test/aarch64/mnemonics-gen.ts --write` from llvm-mc 14's and GNU objdump's disassemblers; do not edit.",
    '/**',
    ' * A64 mnemonics the disassemblers know and tinyelf does not encode, by what they belong to: a',
    ' * line with one is refused as "instruction not supported: <mnemonic> (<group>)".',
    ' */',
    '',
    ...block('FP_SIMD', 'FP/SIMD', 'Floating point and Advanced SIMD (NEON), with the crypto and dot-product extensions.'),
    ...block('SVE_SME', 'SVE/SME', 'The Scalable Vector and Scalable Matrix Extensions.'),
    ...block('EXTENSIONS', 'extension', 'Integer and system instructions of later extensions (pointer authentication, MTE, TME, MOPS, …).'),
    'const GROUPS: readonly (readonly [string, string])[] = [',
    "  [FP_SIMD, 'FP/SIMD'],",
    "  [SVE_SME, 'SVE/SME'],",
    "  [EXTENSIONS, 'an extension tinyelf does not encode'],",
    '];',
    '',
    '/** Mnemonic → what it belongs to. */',
    'export const UNSUPPORTED: ReadonlyMap<string, string> = new Map(',
    "  GROUPS.flatMap(([names, group]) => names.split(' ').filter(Boolean).map((mn) => [mn, group] as const)),",
    ');',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--write')) {
  const list = unsupportedMnemonics();
  writeFileSync(UNSUPPORTED_FILE, unsupportedSource(list));
  console.log(`wrote ${list.size} mnemonics to ${UNSUPPORTED_FILE}`);
}
