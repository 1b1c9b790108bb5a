import { describe, expect, it } from 'vitest';
import '../../src/arch/index.js';
import { assemble } from '../../src/assemble.js';
import { AsmError } from '../../src/core/errors.js';

/** Regression tests for bugs found by fuzzing the ARM front end (test/fuzz). */

const modes = [
  { name: 'A32 v6', isa: 'v6', thumb: false },
  { name: 'A32 v7', isa: 'v7', thumb: false },
  { name: 'Thumb v6', isa: 'v6', thumb: true },
  { name: 'Thumb v7', isa: 'v7', thumb: true },
] as const;

function run(src: string, m: (typeof modes)[number]): { hex?: string; error?: AsmError } {
  try {
    return { hex: Buffer.from(assemble(src, { arch: 'arm', isa: m.isa, thumb: m.thumb, file: 't.s' })).toString('hex') };
  } catch (e) {
    if (e instanceof AsmError) return { error: e };
    throw e;
  }
}

describe('arm: ldr rX, =value with a value that does not fit 32 bits is an error (was silently truncated or crashed)', () => {
  const BAD: [string, string][] = [
    ['ldr r0, =0x100000000', 'value 4294967296 does not fit in 32 bits'],
    ['ldr r0, =-0x80000001', 'value -2147483649 does not fit in 32 bits'],
    ['ldr r0, =-1 >> 1', 'does not fit in 32 bits'],
    ['ldr r0, =1/0', 'division by zero'],
    ['ldr r0, =1 % 0', 'division by zero'],
  ];
  for (const m of modes) {
    for (const [src, msg] of BAD) {
      it(`${m.name}: ${src}`, () => {
        const r = run(src, m);
        expect(r.error, `accepted as ${r.hex}`).toBeDefined();
        expect(r.error!.reason).toContain(msg);
        expect(r.error!.line).toBe(1);
      });
    }
  }
  it('a huge shift is the core expression rule (an error), not a crash', () => {
    for (const m of modes) expect(run('ldr r0, =1 << 0x7fffffff', m).error?.reason).toContain('shift count 2147483647 is out of range (0..63)');
  });
  it('values at the edges still become mov/mvn', () => {
    expect(run('ldr r0, =-1', modes[0]).hex).toBe('0000e0e3');
    expect(run('ldr r0, =0xffffffff', modes[0]).hex).toBe('0000e0e3');
    expect(run('ldr r0, =-0x80000000', modes[0]).hex).toBe('0201a0e3');
  });
});
