import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingFiles } from '../helpers/oracles.js';
import { GNU_AS, gnuAs } from './gnu-as.js';
import { ours, readGolden } from './harness.js';
import { LLVM_MC, oracle, statements, TARGETS, type Target } from './oracle.js';

/**
 * GNU as, the second oracle, over the generated forms llvm-mc encodes (the golden files) and over
 * the forms the two assemblers disagree on. Where they differ, tinyelf's bytes are llvm-mc's
 * (docs/isa.md lists the differences by kind); what only GNU as takes, tinyelf takes as GNU as does.
 */
const [, A32_V7, THUMB_V6, THUMB_V7] = TARGETS as [Target, Target, Target, Target];

/** The kinds of difference docs/isa.md names, by the form's text. */
const KINDS: [string, RegExp][] = [
  ['a pc-relative operand written as #offset (GNU as: an absolute address, or refused)', /^(it \w+ ; )?(b|bl|blx|cbz|cbnz|adr|ldr|ldrb)(eq|ne|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?(\.w)?\s+(r\d+, )?#/],
  ['2-operand mul (GNU as: Rd = Rm, llvm-mc: Rd = Rn)', /^(it \w+ ; )?muls?(eq|ne|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?\s+\w+, \w+$/],
  ['hint #n (GNU as has no hint mnemonic)', /^hint/],
  ['Thumb-2 #-0 (GNU as: #0)', /#-0/],
];
/** The other differences (equivalent encodings chosen differently, and what only llvm-mc takes), at most. */
const OTHER_AT_MOST: Record<string, number> = { 'a32-v6': 4, 'a32-v7': 0, 'thumb-v6': 0, 'thumb-v7': 40 };

describe.skipIf(missingFiles(GNU_AS, LLVM_MC))('GNU as agrees with the golden bytes but for the differences listed', () => {
  for (const t of TARGETS) {
    it(t.name, () => {
      const cases = readGolden(readFileSync(new URL(`./golden/${t.name}.txt`, import.meta.url), 'utf8')).filter((c) => c.want !== 'error');
      const gnu = gnuAs(cases.map((c) => statements(c.src)), t);
      const kinds = new Map<string, number>();
      const other: string[] = [];
      let same = 0;
      cases.forEach((c, i) => {
        if (gnu[i] === c.want) return void same++;
        const kind = KINDS.find(([, re]) => re.test(c.src))?.[0];
        if (kind) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        else other.push(`${c.src}: llvm-mc ${c.want}, GNU as ${gnu[i]}`);
      });
      console.log(`${t.name}: GNU as gives the golden bytes for ${same} of ${cases.length}; ${[...kinds].map(([k, n]) => `${n} ${k}`).join('; ')}; ${other.length} other`);
      expect(same / cases.length).toBeGreaterThan(0.9);
      expect(other.length, other.join('\n')).toBeLessThanOrEqual(OTHER_AT_MOST[t.name]!);
    });
  }
});

/** Forms llvm-mc 14 refuses (or reads as something else) and GNU as takes: tinyelf gives GNU as's bytes. */
const GNU_ONLY: { target: Target; src: string[] }[] = [
  { target: A32_V7, src: ['qaddsubx r0, r1, r2', 'udf', 'ldrex r1, [r4, #0]', 'strex r0, r1, [r4, #0]', 'strht r1, [r9]', 'strhtne r2, [r3]'] },
  { target: THUMB_V7, src: ['sxtab.w r7, r1, r4, ror #16', 'uxtb16.w r0, r2', 'udf #256', 'adds r1, r3, $1', 'mov.w r2, $0x3fc00'] },
  { target: THUMB_V6, src: ['movs r7, r3, asl #3', 'adds r1, r3, $1', 'movs r5, r5, lsl r6', 'movs r0, r0, ror r2'] },
];

/** UNPREDICTABLE forms llvm-mc 14 takes: GNU as refuses them, and so does tinyelf. */
const LLVM_ONLY: { target: Target; src: string[] }[] = [
  { target: A32_V7, src: ['strex r6, r14, [r6]', 'strex r6, r6, [r1]', 'swp r0, r1, [r0]'] },
  { target: THUMB_V7, src: ['sel r12, r3, pc'] },
];

describe.skipIf(missingFiles(GNU_AS, LLVM_MC))('where llvm-mc and GNU as disagree on taking a form', () => {
  for (const { target, src } of GNU_ONLY) {
    it(`GNU as takes, llvm-mc does not (${target.name}): tinyelf gives GNU as's bytes`, () => {
      const gnu = gnuAs(src.map(statements), target);
      expect(gnu.filter((h) => h === 'error')).toEqual([]);
      expect(src.map((s) => `${s} ${ours(target, s).hex}`)).toEqual(src.map((s, i) => `${s} ${gnu[i]}`));
      expect(oracle(target, src).filter((h, i) => h === gnu[i])).toEqual([]);
    });
  }
  for (const { target, src } of LLVM_ONLY) {
    it(`llvm-mc takes, GNU as refuses (${target.name}): tinyelf refuses`, () => {
      expect(gnuAs(src.map(statements), target)).toEqual(src.map(() => 'error'));
      expect(src.map((s) => `${s} ${ours(target, s).hex}`)).toEqual(src.map((s) => `${s} error`));
      expect(oracle(target, src).filter((h) => h === 'error')).toEqual([]);
    });
  }
});
