/**
 * LLVM's x86 MC encoding tests as a peer's suite (see x86-suite.ts): every base-ISA instruction
 * llvm-mc accepts in them is assembled alone by tinyelf and must give llvm-mc's bytes, or nasm's
 * where nasm (the reference of the nasm dialect) differs from llvm. Floating point, SIMD and the
 * ISA extensions are counted by category. Prints a summary table; fails on any wrong encoding,
 * on any base-ISA line that assembles to nothing, and on more than 1% of base lines rejected.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTERS } from '../../src/arch/x86/registers.js';
import { tiny } from '../x86/harness.js';
import { hasNasm, hex, NASM } from '../x86/gen.js';
import { missing, missingFiles } from '../helpers/oracles.js';
import { categoryOf, LLVM_MC, SUITE_DIR, suiteFiles, toNasm, unitsOf, type Bits, type Unit } from './x86-suite.js';

const isRegister = (w: string) => REGISTERS.has(w) || /^(rip|eip|st)$/.test(w);

/** nasm's bytes for a source in a mode (hex), or its first error. */
function nasm(bits: Bits, source: string, dir: string): { hex?: string; error?: string } {
  writeFileSync(join(dir, 'a.asm'), `bits ${bits}\n${source}\n`);
  const r = spawnSync(NASM, ['-f', 'bin', '-o', join(dir, 'a.bin'), join(dir, 'a.asm')], { encoding: 'utf8' });
  if (r.status !== 0) return { error: /error: (.*)/.exec(r.stderr)?.[1] ?? r.stderr.trim() };
  return { hex: hex(readFileSync(join(dir, 'a.bin'))) };
}

const llvmHex = (u: Unit) => u.bytes.map((b) => (b === undefined ? '??' : b.toString(16).padStart(2, '0'))).join(' ');

/** tinyelf's bytes agree with llvm-mc's, where llvm-mc left fixup bytes (??) any byte will do. */
function agrees(u: Unit, tinyHex: string): boolean {
  const t = tinyHex.split(' ').filter(Boolean);
  return t.length === u.bytes.length && t.every((h, i) => u.bytes[i] === undefined || parseInt(h, 16) === u.bytes[i]);
}

type Verdict = 'identical' | 'identical, with what the AT&T source said' | 'nasm differs from llvm' | 'refused as nasm does' | 'refused: value out of range' | 'not nasm syntax' | 'rejected' | 'vanished' | 'wrong';

interface Outcome {
  unit: Unit;
  source: string;
  verdict: Verdict;
  note: string;
}

function judge(u: Unit, dir: string): Outcome {
  const n = toNasm(u, isRegister);
  if (n.untranslatable) return { unit: u, source: '', verdict: 'not nasm syntax', note: n.untranslatable };
  const t = tiny(u.bits, n.source);
  const base = { unit: u, source: n.source };
  if (t.hex !== undefined && t.hex === '') return { ...base, verdict: 'vanished', note: 'no bytes, no error' };
  if (t.hex !== undefined && agrees(u, t.hex)) return { ...base, verdict: 'identical', note: '' };
  const lost = withLostPart(u, n.source);
  if (lost !== undefined) {
    const again = tiny(u.bits, lost);
    if (again.hex !== undefined && agrees(u, again.hex) && nasm(u.bits, lost, dir).hex === again.hex) {
      return { unit: u, source: lost, verdict: 'identical, with what the AT&T source said', note: 'nasm agrees' };
    }
  }
  const ref = nasm(u.bits, n.source, dir);
  if (t.error) {
    if (ref.error !== undefined) return { ...base, verdict: 'refused as nasm does', note: `nasm: ${ref.error}` };
    if (/does not fit|out of range/.test(t.error.message)) return { ...base, verdict: 'refused: value out of range', note: `${t.error.message}; nasm gives ${ref.hex}` };
    return { ...base, verdict: 'rejected', note: t.error.message };
  }
  if (ref.hex === t.hex) return { ...base, verdict: 'nasm differs from llvm', note: `llvm ${llvmHex(u)}, nasm and tinyelf ${t.hex}` };
  return { ...base, verdict: 'wrong', note: `llvm ${llvmHex(u)}, nasm ${ref.hex ?? `rejects it (${ref.error})`}, tinyelf ${t.hex}` };
}

/**
 * llvm's Intel printout leaves out what an AT&T suffix or `*` said: the operand size (`pushl %cs`,
 * `retl`, `lcalll` print as `push cs`, `ret`, `lcall` though encoded with 66) and the far of
 * `ljmp *mem` (printed `jmp [mem]`). When llvm's bytes show it — an operand-size prefix, the
 * far /3 or /5 of FF — the nasm line says it with nasm's words (o16/o32, far), or undefined.
 */
function withLostPart(u: Unit, source: string): string | undefined {
  const lines = source.split('\n');
  const last = lines[lines.length - 1]!;
  let k = 0;
  while (k < u.bytes.length && [0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x67].includes(u.bytes[k]!)) k++;
  let fixed: string | undefined;
  const other = u.bits === 16 ? 'dword' : 'word';
  if (u.bytes[k] === 0x66 && /^(jmp|call) far \[/.test(last)) fixed = last.replace(/ far /, ` far ${other} `);
  else if (u.bytes[k] === 0x66 && /^(jmp|call) [^[\s]+:/.test(last)) fixed = last.replace(/^(jmp|call) /, `$1 ${other} `);
  else if (u.bytes[k] === 0x66 && /^push [^[]+$/.test(last) && !isRegister(last.slice(5).trim())) fixed = last.replace(/^push /, `push ${other} `);
  else if (u.bytes[k] === 0x66 && u.bits === 16 && /^(jmp|call) [^[\s]+$/.test(last) && !isRegister(last.split(' ')[1]!)) fixed = last.replace(/^(jmp|call) /, '$1 dword ');
  else if (u.bytes[k] === 0x66 && !/^(o16|o32)\b/.test(last)) fixed = `${u.bits === 16 ? 'o32' : 'o16'} ${last}`;
  else if (u.bytes[k] === 0xff && u.bytes[k + 1] !== undefined && [3, 5].includes((u.bytes[k + 1]! >> 3) & 7) && /^(jmp|call) (?!far)/.test(last)) {
    fixed = last.replace(/^(jmp|call) /, '$1 far ');
  }
  return fixed === undefined ? undefined : [...lines.slice(0, -1), fixed].join('\n');
}

/** Whatever tinyelf makes of an out-of-scope line: refused (as it must be), or not yet. */
function outOfScope(u: Unit): 'refused' | 'vanished' | 'assembled' {
  // (the plain respelling only: SIMD movsd is no string instruction)
  const t = tiny(u.bits, u.intel.replace(/ ptr\b/g, '').replace(/\b(es|cs|ss|ds|fs|gs):\[/g, '[$1:'));
  return t.error ? 'refused' : t.hex === '' ? 'vanished' : 'assembled';
}

const absent = missing('llvm-mc', existsSync(LLVM_MC)) || missing('nasm', hasNasm()) || missingFiles(SUITE_DIR);

describe.skipIf(absent)('LLVM MC x86 encoding tests (../shared/llvm-mc-tests/X86)', () => {
  it('every base-ISA line: llvm-mc\'s bytes, or nasm\'s where nasm differs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-llvm-x86-'));
    const outcomes: Outcome[] = [];
    const scope = new Map<string, Record<'refused' | 'vanished' | 'assembled', number>>();
    try {
      for (const file of suiteFiles()) {
        for (const u of unitsOf(file)) {
          const cat = categoryOf(u.intel);
          if (cat) {
            const c = scope.get(cat) ?? { refused: 0, vanished: 0, assembled: 0 };
            c[outOfScope(u)]++;
            scope.set(cat, c);
          } else outcomes.push(judge(u, dir));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const count = (v: Verdict) => outcomes.filter((o) => o.verdict === v).length;
    const verdicts: Verdict[] = ['identical', 'identical, with what the AT&T source said', 'nasm differs from llvm', 'refused as nasm does', 'refused: value out of range', 'not nasm syntax', 'rejected', 'vanished', 'wrong'];
    const rows = verdicts.map((v) => `  ${v.padEnd(30)} ${String(count(v)).padStart(5)}`);
    const scopeRows = [...scope].map(([c, n]) => `  ${c.padEnd(30)} ${String(n.refused + n.vanished + n.assembled).padStart(5)}  (refused ${n.refused}, vanished ${n.vanished}, assembled ${n.assembled})`);
    const listed = (v: Verdict, max = 400) => outcomes.filter((o) => o.verdict === v).slice(0, max)
      .map((o) => `    ${o.unit.file}:${o.unit.at} [bits ${o.unit.bits}] ${o.unit.intel}  →  ${o.source.replace(/\n/g, ' / ')}  (${o.note})`);
    console.log([
      `x86: ${outcomes.length} base-ISA instructions of ${suiteFiles().length} files`, ...rows,
      'out of scope (FP, SIMD, extensions):', ...scopeRows,
      ...(process.env.TINYELF_LLVM_LIST ? verdicts.filter((v) => v !== 'identical').flatMap((v) => [`${v}:`, ...listed(v)]) : []),
    ].join('\n'));
    expect(listed('wrong', 30).join('\n')).toBe('');
    expect(listed('vanished', 30).join('\n')).toBe('');
    expect(count('rejected'), listed('rejected', 40).join('\n')).toBeLessThanOrEqual(Math.floor(outcomes.length / 100));
    expect(count('identical')).toBeGreaterThan(1700);
  });
});
