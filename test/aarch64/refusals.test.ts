/**
 * What the second half of the table refuses, and how it says so: the operand to blame, its column,
 * and a reason naming the rule (the golden files check that every reject is located; these check
 * the reasons).
 */
import { describe, expect, it } from 'vitest';
import { asmError } from './text.js';

const CASES: [source: string, message: string][] = [
  ['fadd s0, s1, s2', 't.s:1:1: error: instruction not supported: fadd (FP/SIMD)'],
  ['cmls.8b v0, v2, v1', 't.s:1:1: error: instruction not supported: cmls.8b (FP/SIMD)'],
  ['  pacia x0, x1', 't.s:1:3: error: instruction not supported: pacia (an extension tinyelf does not encode)'],
  ['ldr q0, [x0]', 't.s:1:5: error: operand 1: q0 is an FP/SIMD register: instruction not supported: ldr (FP/SIMD)'],
  ['ldr x0, [x0], #8', 't.s:1:5: error: operand 1: unpredictable: the writeback base is also x0, a register this instruction transfers'],
  ['ldp x3, x3, [x1]', 't.s:1:9: error: operand 2: unpredictable: ldp loads x3 twice'],
  ['stxr w1, x2, [x1]', 't.s:1:6: error: operand 1: unpredictable: the status register w1 is also a source register'],
  ['casp x1, x2, x4, x5, [x0]', 't.s:1:6: error: operand 1: expected the even first register of a pair (x0, x2, … x30), found x1'],
  ['casp x0, x2, x4, x5, [x0]', 't.s:1:10: error: operand 2: expected x1, the register after x0 (a pair is two consecutive registers)'],
  ['ldadd x0, x1, [x2, #0]', 't.s:1:15: error: operand 3: this instruction takes no offset: [xN]'],
  ['ldxr x0, [x1, #8]', 't.s:1:10: error: operand 2: this instruction takes no offset: [xN] or [xN, #0], not #8'],
  ['prfm pldl4keep, [x0]', "t.s:1:6: error: operand 1: unknown prefetch operation 'pldl4keep' (expected pldl1keep, pldl1strm, pldl2keep, pldl2strm, pldl3keep, pldl3strm, plil1keep, plil1strm, plil2keep, plil2strm, plil3keep, plil3strm, pstl1keep, pstl1strm, pstl2keep, pstl2strm, pstl3keep, pstl3strm, or #0..31)"],
  ['dmb #16', 't.s:1:5: error: operand 1: barrier option #16 is out of range 0..15'],
  ['mrs x0, foo_el0', "t.s:1:9: error: operand 2: unknown system register 'foo_el0' (write an unnamed one as s<op0>_<op1>_c<n>_c<m>_<op2>)"],
  ['msr midr_el1, x0', 't.s:1:5: error: operand 1: system register midr_el1 cannot be written (msr)'],
  ['dc civac', 't.s:1:4: error: operand 1: dc civac needs a register (x0-x30, xzr)'],
  ['tlbi vmalle1, x0', 't.s:1:6: error: operand 1: tlbi vmalle1 takes no register'],
  ['adrp x0, #1', "t.s:1:10: error: operand 2: adrp's offset 1 is not a multiple of 4096 (a page)"],
  ['b #2', 't.s:1:3: error: operand 1: target is 2 bytes away, not a multiple of 4'],
  ['foo: b #foo', "t.s:1:8: error: operand 1: a '#' target must be a number (an offset from this instruction); write a label without '#'"],
];

describe('AArch64 refusals name the operand and the rule', () => {
  it.each(CASES)('%s', (source, message) => {
    expect(asmError(source).message).toBe(message);
  });
});
