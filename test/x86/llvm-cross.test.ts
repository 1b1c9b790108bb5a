/**
 * A second oracle for the golden forms of the integer base ISA and system instructions: the
 * golden lines (nasm's bytes, which tinyelf must give: golden.test.ts) of every mnemonic with a
 * system form are assembled by llvm-mc in Intel syntax too. Where llvm-mc's bytes differ from
 * nasm's, the difference must be one of the kinds listed here, each a choice of nasm's or a
 * reading of llvm's (docs/isa.md); any other difference fails, so a form where tinyelf copies a
 * nasm mistake cannot pass unnoticed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMS } from '../../src/arch/x86/table.js';
import { goldenPath, MODES, parseGolden, type Bits } from './gen.js';
import { missing } from '../helpers/oracles.js';

const LLVM_MC = '/usr/bin/llvm-mc';

/** The mnemonics of the system forms (the table's rows from pushfw on). */
const SYSTEM_MNEMONICS = new Set(FORMS.slice(FORMS.findIndex((f) => f.mn === 'pushfw')).map((f) => f.mn));

/** nasm's spelling as llvm's Intel syntax, or undefined where llvm has no plain spelling of it. */
function toIntel(nasmLine: string): string | undefined {
  if (/\b(far|a16|a32|a64|o16|o32|o64)\b|:[^[]*$|^(es|cs|ss|ds|fs|gs)\b/.test(nasmLine)) return undefined;
  return nasmLine.replace(/\b(byte|word|dword|qword) \[/g, '$1 ptr [').replace(/\[(es|cs|ss|ds|fs|gs):/g, '$1:[');
}

const PREFIX_BYTES = new Set(['66', '67', 'f0', 'f2', 'f3', '26', '2e', '36', '3e', '64', '65']);
/** The bytes with the leading prefixes in sorted order (prefix order does not change the instruction). */
function prefixSorted(hex: string): string {
  const b = hex.split(' ');
  let k = 0;
  while (k < b.length && PREFIX_BYTES.has(b[k]!)) k++;
  return [...b.slice(0, k).sort(), ...b.slice(k)].join(' ');
}

/** The bytes with REX.W added (48 before the opcode, or W set in the REX byte there is). */
function withRexW(hex: string): string {
  const b = hex.split(' ');
  let k = 0;
  while (k < b.length && PREFIX_BYTES.has(b[k]!)) k++;
  const x = parseInt(b[k]!, 16);
  if (x >= 0x40 && x <= 0x4f) b[k] = (x | 8).toString(16);
  else b.splice(k, 0, '48');
  return b.join(' ');
}

/** The known kinds of nasm/llvm difference; undefined for any other. */
function kindOf(bits: Bits, line: string, nasm: string, llvm: string): string | undefined {
  const mn = line.split(' ')[0]!;
  if (prefixSorted(nasm) === prefixSorted(llvm)) return 'prefix order (nasm: 66 before 67, segment first)';
  if (/\[[a-z0-9]+\*[1-9]\]/.test(line)) return "nasm rewrites an index without a base ([eax*2] is [eax+eax])";
  if (bits === 64 && /^mov r[a-z0-9]+, [^[]+$/.test(line) && nasm.split(' ').length < llvm.split(' ').length) return 'nasm writes mov r64, imm as mov r32, imm when the value is a zero-extended 32-bit one';
  if (/^(jmp|call) (word|dword|qword) \[/.test(line)) return 'llvm reads an absolute [number] after jmp/call as a branch target';
  if (/^(push|pop|mov|iret|retn|retf)\b/.test(mn) && llvm === `66 ${nasm}`) return 'llvm adds 66 (segment-register push/pop and mov, iret, and near/far ret in 16-bit code as 32-bit)';
  if (/^mov [a-z0-9]+, (es|cs|ss|ds|fs|gs)$/.test(line) && nasm === `66 ${llvm}`) return 'llvm leaves out the operand-size prefix of mov reg, sreg (nasm: 66 for ax in 32-bit code, eax in 16-bit code)';
  if (/^(sldt [a-z0-9]+|mov (es|cs|ss|ds|fs|gs), r[a-z0-9]+|mov r[a-z0-9]+, (es|cs|ss|ds|fs|gs))$/.test(line) && withRexW(nasm) === llvm) {
    return 'llvm writes REX.W where it changes nothing (sldt r64, mov sreg to or from r64: a 32-bit write zero-extends)';
  }
  return undefined;
}

describe.skipIf(missing('llvm-mc', existsSync(LLVM_MC)))('system forms: llvm-mc agrees with nasm, or differs in a known way', () => {
  for (const bits of MODES) {
    it(`bits ${bits}`, () => {
      const lines = parseGolden(readFileSync(goldenPath(bits), 'utf8'))
        .filter((g) => g.kind === 'ok' && SYSTEM_MNEMONICS.has(g.source.split(' ')[0]!))
        .map((g) => ({ g, intel: toIntel(g.source) }))
        .filter((x): x is { g: typeof x.g; intel: string } => x.intel !== undefined);
      // One llvm-mc run per mode; a label before each line tells its encodings apart.
      const src = ['.intel_syntax noprefix', `.code${bits}`, ...lines.flatMap((x, i) => [`m${i}:`, x.intel])].join('\n');
      const r = spawnSync(LLVM_MC, ['-triple', bits === 64 ? 'x86_64' : 'i386', '-show-encoding'], { input: src, encoding: 'utf8', maxBuffer: 1 << 28 });
      const encodings = new Map<number, string>();
      let at = -1;
      for (const line of r.stdout.split('\n')) {
        const label = /^m(\d+):/.exec(line);
        if (label) at = Number(label[1]);
        const e = /encoding: \[([^\]]*)\]/.exec(line);
        if (e && at >= 0) encodings.set(at, e[1]!.split(',').map((b) => b.replace(/^0x/, '').padStart(2, '0')).join(' '));
      }
      let same = 0;
      const kinds = new Map<string, number>();
      const unknown: string[] = [];
      lines.forEach((x, i) => {
        const llvm = encodings.get(i);
        if (llvm === undefined) return; // llvm-mc refuses it (nasm's spelling only)
        if (llvm === x.g.hex) return void same++;
        const kind = kindOf(bits, x.g.source, x.g.hex, llvm);
        if (kind) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        else unknown.push(`${x.g.source}: nasm and tinyelf ${x.g.hex}, llvm-mc ${llvm}`);
      });
      console.log(`bits ${bits}: ${lines.length} lines, llvm-mc took ${encodings.size}, ${same} identical; ${[...kinds].map(([k, n]) => `${n} ${k}`).join('; ')}`);
      expect(unknown.slice(0, 20).join('\n')).toBe('');
      expect(same).toBeGreaterThan(bits === 16 ? 1500 : 2500);
    });
  }
});
