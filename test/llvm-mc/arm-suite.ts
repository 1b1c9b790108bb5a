/**
 * LLVM's ARM MC encoding tests as a peer's test suite (issue 16). Each file of
 * ../shared/llvm-mc-tests/ARM is read at test time: its first little-endian RUN line gives the
 * llvm-mc triple and options, its instruction lines (an IT block and its body are one case) are
 * assembled alone by tinyelf and compared with the bytes the installed llvm-mc gives for them.
 * A line naming a label is assembled again with the label defined after it, llvm-mc's object
 * (its .text, when it keeps no relocation) being the reference. Nothing of the files is kept in
 * the project.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { armBackend } from '../../src/arch/arm/index.js';
import { LLVM_MC, oracle, type Target } from '../arm/oracle.js';

const OBJCOPY = '/usr/bin/llvm-objcopy';
const READELF = '/usr/bin/llvm-readelf';

export const SUITE_DIR = fileURLToPath(new URL('../../../shared/llvm-mc-tests/ARM/', import.meta.url));

export interface Case {
  file: string;
  line: number;
  /** The statements: one instruction, or an `it` and the instructions of its block. */
  src: string[];
  thumb: boolean;
  isa: 'v6' | 'v7';
}

export type Verdict =
  | 'identical'
  | 'wrong'
  | 'vanished'
  /** A base-integer line llvm-mc encodes and tinyelf refuses. */
  | 'rejected'
  /** A VFP/NEON, coprocessor, system or later-architecture line, refused as such. */
  | 'out-of-scope'
  /** A line that names a label, for which llvm-mc keeps a relocation even with the label defined. */
  | 'needs-symbol'
  /** llvm-mc refuses it with this file's options; tinyelf too. */
  | 'both-refuse'
  /** llvm-mc refuses it with this file's options; tinyelf takes it. */
  | 'accepted';

export interface Result extends Case {
  verdict: Verdict;
  llvm: string;
  ours: string;
  why?: string;
}

/** The families that are no part of the integer base ISA (what syntax.ts refuses by name). */
const OUT_OF_SCOPE = /^(v[a-z]|f(abs|add|cmp|const|cpy|cvt|div|ld|mac|md|mr|ms|mul|mx|neg|nm|sito|sqrt|st|sub|to|ui))|^(cdp|ldc|stc|mcr|mrc|mrrc)|^(mrs|msr|cps|srs|rfe|setend|smc|smi|hvc|eret|bxj|sdiv|udiv|pldw|trap)/;

export function outOfScope(src: readonly string[]): boolean {
  return src.some((s) => OUT_OF_SCOPE.test(s.trim().toLowerCase()) || /^subs(\.w)?\s+pc\s*,\s*lr/i.test(s.trim()));
}

interface FileMode {
  triple: string;
  mcpu?: string;
  mattr?: string;
  thumb: boolean;
  isa: 'v6' | 'v7';
  unified: boolean;
}

/** The first RUN line for a little-endian target: llvm-mc's triple and options. */
function runLine(text: string): FileMode | undefined {
  const runs = text.split('\n').filter((l) => /^\s*[@/;#]+\s*RUN:/.test(l)).join(' ').split(/RUN:/);
  for (const run of runs) {
    const triple = /-triple[= ]\s*([\w.-]+)/.exec(run)?.[1];
    if (!triple || /^(armeb|thumbeb)/.test(triple)) continue;
    const mcpu = /-mcpu=([\w-]+)/.exec(run)?.[1];
    const mattr = /-mattr=([\w+,-]+)/.exec(run)?.[1];
    const v7 = /v7/.test(triple) || /cortex-a/.test(mcpu ?? '');
    return { triple, ...(mcpu ? { mcpu } : {}), ...(mattr ? { mattr } : {}), thumb: triple.startsWith('thumb'), isa: v7 ? 'v7' : 'v6', unified: /^\s*\.syntax\s+unified/m.test(text) };
  }
  return undefined;
}

const stripComment = (l: string): string => l.replace(/(@|\/\/).*$/, '').trim();

/** The instruction lines of one file as cases, in order, with the mode each was written in. */
export function casesOf(file: string, text: string, mode: FileMode): Case[] {
  const out: Case[] = [];
  let thumb = mode.thumb;
  let open: Case | undefined;
  let owed = 0;
  text.split('\n').forEach((raw, i) => {
    let l = stripComment(raw);
    // labels (`name:`) go; what follows them stays
    for (let m = /^([A-Za-z_.$][\w.$]*):\s*/.exec(l); m; m = /^([A-Za-z_.$][\w.$]*):\s*/.exec(l)) l = l.slice(m[0].length);
    if (!l) return;
    if (l.startsWith('.')) {
      const d = l.toLowerCase();
      if (d === '.thumb' || d === '.code 16') thumb = true;
      else if (d === '.arm' || d === '.code 32') thumb = false;
      return;
    }
    if (open && owed > 0) {
      open.src.push(l);
      if (--owed === 0) open = undefined;
      return;
    }
    const c: Case = { file, line: i + 1, src: [l], thumb, isa: mode.isa };
    out.push(c);
    const it = /^it([te]{0,3})(\.n)?\s/i.exec(l + ' ');
    if (it && thumb) {
      open = c;
      owed = 1 + it[1]!.length;
    }
  });
  return out;
}

function ours(c: Case): { hex: string; err?: AsmError } {
  const text = ['.syntax unified', c.thumb ? '.thumb' : '.arm', ...c.src].join('\n');
  try {
    return { hex: Buffer.from(assembleText(text, armBackend({ isa: c.isa }), { file: c.file }).bytes).toString('hex') };
  } catch (e) {
    if (e instanceof AsmError) return { hex: 'error', err: e };
    throw e;
  }
}

function judge(c: Case, llvm: string): Result {
  const got = ours(c);
  const base = { ...c, llvm, ours: got.hex, ...(got.err ? { why: got.err.message } : {}) };
  const scope = outOfScope(c.src);
  if (llvm === 'error') return { ...base, verdict: got.err ? 'both-refuse' : 'accepted' };
  if (/[^0-9a-f]/.test(llvm)) return { ...base, verdict: got.err ? 'needs-symbol' : 'wrong' };
  if (got.hex === llvm) return { ...base, verdict: 'identical' };
  if (got.err) return { ...base, verdict: scope ? 'out-of-scope' : 'rejected' };
  return { ...base, verdict: got.hex === '' ? 'vanished' : 'wrong' };
}

const NOT_SYMBOLS = /^(r\d+|sp|lr|pc|ip|fp|sl|sb|lsl|lsr|asr|ror|rrx|asl)$/i;

/**
 * A line that names labels, with them defined after it (16 bytes on), assembled by llvm-mc to an
 * object whose .text is the reference, and by tinyelf: 'identical' or 'wrong', with the bytes.
 */
function judgeWithLabels(r: Result, mode: FileMode): Result {
  const words = r.src.flatMap((s) => s.replace(/^\S+/, '').match(/[A-Za-z_.$][\w.$]*/g) ?? []).filter((w) => !NOT_SYMBOLS.test(w));
  const text = ['.syntax unified', r.thumb ? '.thumb' : '.arm', ...r.src, '.p2align 2', '.space 16', ...[...new Set(words)].map((w) => `${w}:`), r.thumb ? 'nop' : 'mov r0, r0', ''].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-suite-'));
  writeFileSync(join(dir, 'c.s'), text);
  let want: string;
  try {
    // (an ELF object whatever the file's OS: a Darwin triple would make Mach-O)
    execFileSync(LLVM_MC, [`-triple=${mode.triple.split('-')[0]}-linux-gnueabi`, ...(mode.mcpu ? [`-mcpu=${mode.mcpu}`] : []), ...(mode.mattr ? [`-mattr=${mode.mattr}`] : []), '-filetype=obj', '-o', join(dir, 'c.o'), join(dir, 'c.s')], { stdio: 'pipe' });
    // a relocation llvm-mc keeps (bl, blx to a label: the linker may interpose) leaves no reference bytes
    if (/R_ARM_/.test(execFileSync(READELF, ['-r', join(dir, 'c.o')], { encoding: 'utf8' }))) return r;
    execFileSync(OBJCOPY, ['-O', 'binary', '--only-section=.text', join(dir, 'c.o'), join(dir, 'c.bin')]);
    want = readFileSync(join(dir, 'c.bin')).toString('hex');
  } catch {
    return r;
  }
  let got: string;
  try {
    got = Buffer.from(assembleText(text, armBackend({ isa: r.isa }), { file: r.file }).bytes).toString('hex');
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    return { ...r, llvm: want, ours: 'error', why: e.message, verdict: outOfScope(r.src) ? 'out-of-scope' : 'rejected' };
  }
  const { why: _, ...rest } = r;
  return { ...rest, llvm: want, ours: got, verdict: got === want ? 'identical' : 'wrong' };
}

/** Every case of every file, judged. */
export function runSuite(dir = SUITE_DIR): Result[] {
  const results: Result[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.s')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const mode = runLine(text);
    if (!mode) continue;
    const cases = casesOf(name, text, mode);
    for (const thumb of [false, true]) {
      const group = cases.filter((c) => c.thumb === thumb);
      if (!group.length) continue;
      const target: Target = {
        name, triple: mode.triple, isa: mode.isa, thumb, forms: () => [],
        ...(mode.mcpu ? { mcpu: mode.mcpu } : {}), ...(mode.mattr ? { mattr: mode.mattr } : {}),
        prelude: [...(mode.unified ? ['.syntax unified'] : []), thumb ? '.thumb' : '.arm'],
      };
      const answers = oracle(target, group.map((c) => c.src.join(' ; ')));
      group.forEach((c, i) => {
        const r = judge(c, answers[i]!);
        results.push(r.verdict === 'needs-symbol' ? judgeWithLabels(r, mode) : r);
      });
    }
  }
  return results;
}
