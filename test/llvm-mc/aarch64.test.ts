/**
 * LLVM's own AArch64 MC encoding tests (../shared/llvm-mc-tests/AArch64, read at test time) as a
 * peer's test suite: every instruction line of every file is assembled alone by tinyelf and by
 * the installed llvm-mc (with the triple and -mattr of the file's first RUN line), and sorted:
 *   identical / wrong / rejected / vanished   — base-integer lines llvm-mc encodes
 *   fp-simd                                  — FP, SIMD and SVE lines: out of scope, must be refused
 *   symbolic                                 — llvm-mc leaves a fixup (:lo12:, @pageoff, …); a line
 *                                              naming an undefined label gets one right after it
 *   llvm-rejects                             — lines the file expects llvm-mc to refuse
 * Wrong and vanished lines fail the test; rejected ones must stay within 1% of the base-integer
 * lines, each rejected mnemonic named in docs/isa.md's AArch64 known gaps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aarch64Backend } from '../../src/arch/aarch64/index.js';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { missing, missingFiles } from '../helpers/oracles.js';
import { GNU_AS, gnuEncode } from '../aarch64/oracle.js';
import { LLVM_MC, llvmEncodeLines, llvmObjectBytes, type LlvmAnswer } from './llvm-lines.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SUITE = join(ROOT, '../shared/llvm-mc-tests/AArch64');
const backend = aarch64Backend();

interface SuiteLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** llvm-mc's options from the file's first RUN line (triple, -mattr). */
function runOptions(source: string): string[] {
  const run = /RUN:.*?llvm-mc(.*?)(?:<|\||$)/m.exec(source)?.[1] ?? '';
  const triple = /-triple[= ](\S+)/.exec(run)?.[1] ?? 'aarch64';
  const mattr = /-mattr[= ](\S+)/.exec(run)?.[1];
  return [`-triple=${triple}`, ...(mattr ? [`-mattr=${mattr}`] : [])];
}

/**
 * The instruction lines of a file, comments cut (`//`, and `;` under a Darwin triple, where it
 * starts a comment); directives, labels and preprocessor lines are not instructions.
 */
function instructionLines(file: string, source: string, darwin: boolean): SuiteLine[] {
  const out: SuiteLine[] = [];
  source.split('\n').forEach((raw, i) => {
    let text = raw.replace(/\/\/.*$/, '');
    if (darwin) text = text.replace(/;.*$/, '');
    text = text.trim();
    if (!text || /^[.#]/.test(text) || /^[\w.$]+:/.test(text)) return;
    out.push({ file, line: i + 1, text });
  });
  return out;
}

/** An FP, SIMD or SVE register among the operands (b0/h0/s0/d0/q0, v0.8b, z0, p0, register lists), or an SVE system register. */
const FP_SIMD_OPERAND = /(^|[\s,{[])([bhsdqvzp]([12]?\d|3[01])(\.\w+)?|v\d+\.\d*[bhsdq])(?=$|[\s,}\]])/i;
const SVE_SYSTEM_REGISTER = /\b(zcr_el\d+|id_aa64zfr0_el1|zidr_el1)\b/i;
const FP_SIMD_MNEMONIC = /^(f[a-z0-9]+|[su]cvtf|ld[1-4]r?|st[1-4])(\.|\s|$)/i;

function isFpSimd(text: string): boolean {
  const space = text.search(/\s/);
  const mnemonic = space < 0 ? text : text.slice(0, space);
  const operands = space < 0 ? '' : text.slice(space);
  return FP_SIMD_MNEMONIC.test(mnemonic) || FP_SIMD_OPERAND.test(operands) || SVE_SYSTEM_REGISTER.test(operands);
}

type Outcome = 'identical' | 'wrong' | 'rejected' | 'vanished' | 'fp-simd' | 'fp-simd-accepted' | 'symbolic' | 'llvm-rejects' | 'accepted-invalid';

interface Judged extends SuiteLine {
  readonly outcome: Outcome;
  readonly detail: string;
  /** Checked in its file's shared source, with a label after it (withLabels). */
  readonly labelled?: boolean;
}

/** tinyelf's bytes for the line alone, or its error message. */
function tinyelf(text: string): { hex: string } | { error: string } {
  try {
    return { hex: Buffer.from(assembleText(text + '\n', backend, { file: 'line.s' }).bytes).toString('hex') };
  } catch (e) {
    if (e instanceof AsmError) return { error: e.message };
    throw e;
  }
}

function judge(l: SuiteLine, want: LlvmAnswer): Judged {
  const got = tinyelf(l.text);
  const ours = 'hex' in got ? got.hex : `error ${got.error}`;
  const verdict = (outcome: Outcome, detail = ours): Judged => ({ ...l, outcome, detail });
  if (want.kind === 'error') return 'hex' in got && got.hex ? verdict('accepted-invalid', `${ours}; llvm-mc: ${want.message}`) : verdict('llvm-rejects');
  if (want.kind === 'fixup') return verdict('symbolic');
  if (isFpSimd(l.text)) {
    if ('error' in got) return verdict('fp-simd');
    if (got.hex === '') return verdict('vanished');
    return verdict(got.hex === want.hex ? 'fp-simd-accepted' : 'wrong', `${ours}; llvm-mc: ${want.hex}`);
  }
  if ('error' in got) return verdict('rejected');
  if (got.hex === '') return verdict('vanished');
  return got.hex === want.hex ? verdict('identical') : verdict('wrong', `${ours}; llvm-mc: ${want.hex}`);
}

/**
 * tinyelf takes every extension it has without a flag (docs/isa.md), so a line llvm-mc refuses
 * for a feature the file's -mattr lacks is asked again with llvm-mc's default features (which
 * -mattr replaces: el3, ttbr0_el2) and with the ones tinyelf has; the answer that encodes it counts.
 */
const FEATURE_REFUSAL = /instruction requires:|expected (readable|writable) system register/;
const TINYELF_FEATURES = '+crc,+lse,+rcpc,+el3';

function withFeatures(lines: readonly SuiteLine[], answers: LlvmAnswer[], options: readonly string[]): number {
  const refused = answers.flatMap((a, i) => (a.kind === 'error' && FEATURE_REFUSAL.test(a.message) ? [i] : []));
  if (refused.length === 0) return 0;
  const triple = options[0]!;
  const mattr = options.find((o) => o.startsWith('-mattr='));
  let encoded = 0;
  for (const args of [[triple], [triple, `${mattr ?? '-mattr='}${mattr ? ',' : ''}${TINYELF_FEATURES}`]]) {
    const again = llvmEncodeLines(refused.map((i) => lines[i]!.text), args);
    refused.forEach((i, k) => {
      if (answers[i]!.kind === 'error' && again[k]!.kind === 'bytes') (answers[i] = again[k]!), encoded++;
    });
  }
  return encoded;
}

/** A label operand: a plain name that is not a register or an operand keyword (no relocation operator). */
const LABEL_OPERAND = /^(b(\.\w+)?|bl|cbn?z|tbn?z|adrp?|ldr|ldrsw|prfm)\s.*?,?\s*([A-Za-z_]\w*)\s*$/;

/**
 * Lines llvm-mc leaves a fixup for because they name a label the file never defines (`b L1`,
 * `cbz x1, foo`): each is given its own label right after it (offset +4) in one object, and
 * tinyelf's bytes for the same source are compared word by word. Returns the lines it could check.
 */
function withLabels(lines: readonly SuiteLine[], answers: LlvmAnswer[], options: readonly string[]): Set<number> {
  const named = answers.flatMap((a, i) => {
    const text = lines[i]!.text;
    const m = a.kind === 'fixup' && !/[:@"]/.test(text) && !isFpSimd(text) ? LABEL_OPERAND.exec(text) : null;
    return m ? [{ i, label: m[3]! }] : [];
  });
  const source = named.map(({ i, label }, k) => `${lines[i]!.text.replace(new RegExp(`\\b${label}\\s*$`), `tinyelf_label_${k}`)}\ntinyelf_label_${k}:`).join('\n') + '\n';
  // (an ELF object whatever the file's triple: objcopy does not read Mach-O; the encodings are the same)
  const elf = options.map((o) => (o.startsWith('-triple=') ? '-triple=aarch64' : o));
  const bytes = named.length ? llvmObjectBytes(source, elf) : undefined;
  if (!bytes || bytes.length !== named.length * 4) return new Set();
  named.forEach(({ i }, k) => (answers[i] = { kind: 'bytes', hex: bytes.subarray(4 * k, 4 * k + 4).toString('hex') }));
  labelSources.set(lines[named[0]!.i]!.file, { source, lines: named.map(({ i }) => i) });
  return new Set(named.map(({ i }) => i));
}

/** Per file, the one source withLabels checked its label lines in, and which lines those are. */
const labelSources = new Map<string, { source: string; lines: number[] }>();

function runSuite(): { judged: Judged[]; needFeatures: number; labelled: number } {
  const judged: Judged[] = [];
  let needFeatures = 0;
  for (const file of readdirSync(SUITE).filter((f) => f.endsWith('.s')).sort()) {
    const source = readFileSync(join(SUITE, file), 'utf8');
    const options = runOptions(source);
    const lines = instructionLines(file, source, options[0]!.includes('darwin'));
    const answers = llvmEncodeLines(lines.map((l) => l.text), options);
    needFeatures += withFeatures(lines, answers, options);
    const labelled = withLabels(lines, answers, options);
    labelledCount += labelled.size;
    // Label lines are judged in their shared source (each line's own label follows it).
    const together = labelSources.get(file);
    const ours = together ? tinyelf(together.source) : undefined;
    lines.forEach((l, i) => {
      if (!labelled.has(i)) return judged.push(judge(l, answers[i]!));
      const k = together!.lines.indexOf(i);
      const want = answers[i]!;
      const got = ours && 'hex' in ours ? ours.hex.slice(8 * k, 8 * k + 8) : undefined;
      const detail = `${got ?? (ours && 'error' in ours ? ours.error : '')}; llvm-mc: ${want.kind === 'bytes' ? want.hex : ''}`;
      judged.push({ ...l, outcome: got === undefined ? 'rejected' : want.kind === 'bytes' && got === want.hex ? 'identical' : 'wrong', detail, labelled: true });
    });
  }
  return { judged, needFeatures, labelled: labelledCount };
}
let labelledCount = 0;

/** The mnemonics docs/isa.md lists as AArch64 known gaps (its "Known gaps" list in the AArch64 section). */
function documentedGaps(): Set<string> {
  const doc = readFileSync(join(ROOT, 'docs/isa.md'), 'utf8');
  const section = doc.slice(doc.search(/^## AArch64/m));
  const gaps = /known gaps[^\n]*\n([\s\S]*?)(?:\n#|$)/i.exec(section)?.[1] ?? '';
  return new Set([...gaps.matchAll(/`([a-z0-9.]+)[^`]*`/g)].map((m) => m[1]!));
}

const absent = missingFiles(LLVM_MC) || missing(`the LLVM MC tests in ${SUITE}`, existsSync(SUITE));

describe.skipIf(absent)("LLVM's AArch64 MC tests, each line alone, against llvm-mc", () => {
  const { judged, needFeatures, labelled } = absent ? { judged: [], needFeatures: 0, labelled: 0 } : runSuite();
  const of = (o: Outcome): Judged[] => judged.filter((j) => j.outcome === o);
  const show = (js: Judged[]): string => js.map((j) => `${j.file}:${j.line}: ${j.text}  →  ${j.detail}`).join('\n');
  const base = of('identical').length + of('wrong').length + of('rejected').length + of('vanished').length;

  it('prints the tally', () => {
    const counts = (['identical', 'wrong', 'rejected', 'vanished', 'fp-simd', 'fp-simd-accepted', 'symbolic', 'llvm-rejects', 'accepted-invalid'] as const).map((o) => `${o} ${of(o).length}`);
    console.log(`AArch64 LLVM MC lines: ${judged.length}; base-integer ${base}: ${counts.join(', ')}; ${needFeatures} encoded by llvm-mc only with more features than the file's -mattr; ${labelled} with a label of their own after them`);
    expect(base).toBeGreaterThan(1500);
  });

  it('encodes no line differently from llvm-mc', () => {
    expect(show(of('wrong'))).toBe('');
  });

  it('loses no line: each is encoded or refused with an error', () => {
    expect(show(of('vanished'))).toBe('');
  });

  it('refuses every FP/SIMD line it does not encode right, with a located error', () => {
    for (const j of of('fp-simd')) expect(j.detail).toMatch(/^error line\.s:1:\d+: error: .*(FP\/SIMD|SVE)/);
  });

  it('rejects at most 1% of the base-integer lines, each a known gap listed in docs/isa.md', () => {
    const rejected = of('rejected');
    expect(rejected.length, show(rejected)).toBeLessThanOrEqual(Math.floor(base / 100));
    const gaps = documentedGaps();
    const undocumented = rejected.filter((j) => !gaps.has(j.text.split(/\s/)[0]!.toLowerCase()));
    expect(show(undocumented)).toBe('');
  });

  it.skipIf(missingFiles(GNU_AS))('matches GNU as on the base-integer lines GNU as takes, but for the documented llvm-mc choices', () => {
    const alone = of('identical').filter((j) => !j.labelled && j.detail.length === 8);
    const gnu = gnuEncode(alone.map((j) => j.text));
    const llvmChoice = /^uxtw\s+x/; // docs/isa.md: `uxtw x0, w1` as ubfx, where GNU as makes mov w0, w1
    const differ = alone.flatMap((j, i) => (gnu[i] !== undefined && gnu[i] !== j.detail && !llvmChoice.test(j.text) ? [`${j.file}:${j.line}: ${j.text}: ${j.detail}, GNU as ${gnu[i]}`] : []));
    expect(differ).toEqual([]);
    expect(gnu.filter((h) => h !== undefined).length).toBeGreaterThan(alone.length - 20);
  });

  it('accepts no line llvm-mc refuses, beyond the known differences', () => {
    expect(show(of('accepted-invalid'))).toBe('');
  });
});
