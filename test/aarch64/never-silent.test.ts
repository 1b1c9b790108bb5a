/**
 * Nothing vanishes: every A64 mnemonic is either encoded or refused by line with a located error,
 * and random instruction words, as llvm-mc disassembles them, come back from tinyelf either with
 * llvm-mc's own bytes for that text or with an error.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { aarch64Backend } from '../../src/arch/aarch64/index.js';
import { rowsByMnemonic } from '../../src/arch/aarch64/table.js';
import { UNSUPPORTED } from '../../src/arch/aarch64/unsupported.js';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { missingFiles } from '../helpers/oracles.js';
import { rng } from '../helpers/rng.js';
import { llvmEncodeLines } from '../llvm-mc/llvm-lines.js';
import { LLVM_MC } from './oracle.js';

const backend = aarch64Backend();

function outcome(text: string): { hex: string } | { error: AsmError } {
  try {
    return { hex: Buffer.from(assembleText(text + '\n', backend, { file: 'line.s' }).bytes).toString('hex') };
  } catch (e) {
    if (e instanceof AsmError) return { error: e };
    throw e;
  }
}

describe('every A64 mnemonic is encoded or refused by line', () => {
  it('refuses each mnemonic tinyelf does not encode as "instruction not supported", at the mnemonic', () => {
    expect(UNSUPPORTED.size).toBeGreaterThan(800);
    const bad: string[] = [];
    for (const [mn, group] of UNSUPPORTED) {
      for (const text of [mn, `  ${mn} x0, x1`]) {
        const r = outcome(text);
        const column = text.indexOf(mn) + 1;
        if ('hex' in r) bad.push(`${text}: accepted as ${r.hex}`);
        else if (r.error.message !== `line.s:1:${column}: error: instruction not supported: ${mn} (${group})`) bad.push(`${text}: ${r.error.message}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("knows each of the table's mnemonics: alone it is encoded or refused for its operands, never unknown", () => {
    const bad: string[] = [];
    for (const mn of rowsByMnemonic('both').keys()) {
      if (UNSUPPORTED.has(mn)) bad.push(`${mn}: also listed as unsupported`);
      const r = outcome(mn);
      if ('hex' in r ? r.hex === '' : /unknown instruction|not supported/.test(r.error.message)) bad.push(`${mn}: ${'hex' in r ? 'no bytes' : r.error.message}`);
    }
    expect(bad).toEqual([]);
  });
});

const FEATURES = ['-triple=aarch64', '-mattr=+lse,+rcpc,+crc,+el3'];

/** llvm-mc's text for each word it can disassemble (the others dropped). */
function disassemble(words: readonly number[]): string[] {
  const text = words.map((w) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24].map((b) => '0x' + b.toString(16)).join(' ')).join('\n');
  const res = spawnSync(LLVM_MC, ['--disassemble', ...FEATURES], { input: text + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  return res.stdout.split('\n').map((l) => l.trim().replace(/\s+/, ' ')).filter((l) => l && !l.startsWith('.'));
}

/** An FP/SIMD or SVE operand (b/h/s/d/q/v/z/p registers). */
const FP_SIMD = /(^|[\s,{[])([bhsdqvzp]\d+)\b/;

describe.skipIf(missingFiles(LLVM_MC))('random words, as llvm-mc disassembles them, against llvm-mc', () => {
  // A seeded sample of all words, and one of the load/store and data-processing groups the base ISA lives in.
  const rand = rng(0x51e7);
  const words: number[] = [];
  for (let i = 0; i < 20000; i++) words.push(Math.floor(rand() * 2 ** 32) >>> 0);
  for (let i = 0; i < 20000; i++) words.push(((Math.floor(rand() * 2 ** 28) >>> 0) | ([0x08, 0x18, 0x38, 0x58, 0x78, 0x98, 0xb8, 0xd8, 0xf8, 0x1a, 0x9a, 0x5a, 0xda, 0xd5][i % 14]! << 24)) >>> 0);
  const lines = [...new Set(missingFiles(LLVM_MC) ? [] : disassemble(words))];
  const want = missingFiles(LLVM_MC) ? [] : llvmEncodeLines(lines, FEATURES);

  it('gives llvm-mc bytes or a located error for each line: none wrong, none vanishes', () => {
    const tally = { identical: 0, refusedBase: 0, refusedFpSimd: 0, wrong: [] as string[], vanished: [] as string[], refusedBaseLines: [] as string[] };
    lines.forEach((text, i) => {
      const w = want[i]!;
      if (w.kind !== 'bytes') return; // (a few disassembled spellings do not assemble back)
      const r = outcome(text);
      if ('error' in r) {
        expect(r.error.message).toMatch(/^line\.s:1:\d+: error: /);
        if (FP_SIMD.test(text.replace(/^\S+/, ''))) tally.refusedFpSimd++;
        else (tally.refusedBase++, tally.refusedBaseLines.push(`${text}: ${r.error.message}`));
      } else if (r.hex === '') tally.vanished.push(text);
      else if (r.hex === w.hex) tally.identical++;
      else tally.wrong.push(`${text}: ${r.hex}, llvm-mc ${w.hex}`);
    });
    console.log(`disassembled words: ${lines.length} lines; identical ${tally.identical}, wrong ${tally.wrong.length}, vanished ${tally.vanished.length}, refused ${tally.refusedFpSimd} FP/SIMD/SVE and ${tally.refusedBase} others`);
    expect(tally.wrong).toEqual([]);
    expect(tally.vanished).toEqual([]);
    expect(tally.identical).toBeGreaterThan(5000);
  });
});
