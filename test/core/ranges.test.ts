import { describe, expect, it } from 'vitest';
import '../../src/arch/index.js';
import { assemble } from '../../src/assemble.js';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { toyBackend } from './toy-backend.js';
import { x86Backend } from '../../src/arch/x86/syntax.js';

/** Out-of-range counts and values in data, times, align, resb and org are errors, never wrong bytes. */

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function errorOf(run: () => unknown): AsmError {
  try {
    run();
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error('accepted');
}

const toy = (src: string) => assembleText(src, toyBackend, { file: 't.s' });

/** [source, text the error must contain, line] */
const BAD: [string, string, number][] = [
  ['db 256', 'value 256 does not fit in 1 byte', 1],
  ['db -129', 'value -129 does not fit in 1 byte', 1],
  ['dw 65536', 'value 65536 does not fit in 2 bytes', 1],
  ['dw -32769', 'value -32769 does not fit in 2 bytes', 1],
  ['dd 0x100000000', 'does not fit in 4 bytes', 1],
  ['dd -0x80000001', 'does not fit in 4 bytes', 1],
  ['dq 0x10000000000000000', 'does not fit in 8 bytes', 1],
  ['dq -0x8000000000000001', 'does not fit in 8 bytes', 1],
  ['db 1, 2, 300', 'value 300', 1],
  ['x equ 256\ndb x', 'value 256', 2],
  ['db end - start\nstart: times 300 db 0\nend:', 'value 300', 1],
  ['times -1 db 0', 'times count is negative (-1)', 1],
  ['times 0x1000001 db 0', 'times count 16777217 is too large', 1],
  ['times 0x1000 times 0x1000 times 0x1000 db 0', 'more than 268435456', 1],
  ['times 0x10000 times 0x10000 pad 0', 'times repeats its statement 4294967296 times in all, more than 16777216', 1],
  ['x: times 0x10000 times (x + 0x10000) pad 0', 'more than 16777216', 1],
  ['times 2 db 256', 'value 256', 1],
  ['times 2 dd $ - 0x100000000', 'does not fit in 4 bytes', 1],
  ['resb -1', 'fill count is negative (-1)', 1],
  ['resq 0x2000001', 'too large', 1],
  ['resb 0x10000001', 'too large', 1],
  ['align 3', 'align needs a power of two, not 3', 1],
  ['align 0', 'align needs a power of two, not 0', 1],
  ['align -4', 'align needs a power of two, not -4', 1],
  ['db 1\nalign 0x100000000', 'align 4294967296 needs 4294967295 bytes of padding', 2],
  ['db 1\nalign 1 << 62', 'bytes of padding', 2],
  ['align 4, db 256', 'fill byte 256 does not fit in a byte', 1],
  ['org -1\ndb 0', 'org -1 is out of range', 1],
  ['org 0x10000000000000000\ndb 0', 'is out of range', 1],
  ['org 0xffffffffffff0000\ndb 1\nalign 16', 'is out of range', 1],
];

describe('core: out-of-range values, counts and alignments are errors', () => {
  for (const [src, msg, line] of BAD) {
    it(JSON.stringify(src), () => {
      const e = errorOf(() => toy(src));
      expect(e.reason).toContain(msg);
      expect(e.line).toBe(line);
      expect(e.column).toBeGreaterThan(0);
    });
  }
});

describe('core: the edges of each range still assemble', () => {
  const GOOD: [string, string][] = [
    ['db 255, -128, 0x80', 'ff8080'],
    ['dw 65535, -32768', 'ffff0080'],
    ['dd 0xffffffff, -0x80000000', 'ffffffff00000080'],
    ['dq 0xffffffffffffffff, -0x8000000000000000', 'ffffffffffffffff0000000000000080'],
    ['times 0 db 1\ndb 2', '02'],
    ['times 3 db 1, 2', '010201020102'],
    ['times 2 times 3 db 7', '070707070707'],
    ['times 3 dw $', '000002000400'],
    ['times 2 times 2 dw $', '0000020004000600'],
    ['times 2 resb 2\ndb 1', '0000000001'],
    ['db 1\nalign 1\ndb 2', '0102'],
    ['db 1\nalign 4, db 0xff', '01ffffff'],
    ['org 0xffffffffffff\ndb 1', '01'],
  ];
  for (const [src, want] of GOOD) {
    it(JSON.stringify(src), () => expect(hex(toy(src).bytes)).toBe(want));
  }
  it('a large times of data is quick (encoded once, repeated)', () => {
    const t0 = performance.now();
    expect(toy('times 0x1000000 db 0').bytes.length).toBe(0x1000000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('GNU data and alignment directives (ARM, AArch64)', () => {
  const BAD_GNU: [string, string][] = [
    ['.byte 256', 'value 256 does not fit in 1 byte'],
    ['.byte -129', 'does not fit in 1 byte'],
    ['.hword 65536', 'does not fit in 2 bytes'],
    ['.short -32769', 'does not fit in 2 bytes'],
    ['.word 0x100000000', 'does not fit in 4 bytes'],
    ['.quad 0x10000000000000000', 'does not fit in 8 bytes'],
    ['.space -1', 'fill count is negative'],
    ['.space 2, 256', 'fill byte 256 does not fit in a byte'],
    ['.zero 0x20000000', 'too large'],
    ['.balign 3', 'align needs a power of two, not 3'],
    ['.byte 1\n.p2align 40', 'bytes of padding'],
  ];
  for (const arch of ['arm', 'aarch64'] as const) {
    for (const [src, msg] of BAD_GNU) {
      it(`${arch}: ${JSON.stringify(src)}`, () => {
        const e = errorOf(() => assemble(src, { arch }));
        expect(e.reason).toContain(msg);
        expect(e.line).toBeGreaterThan(0);
      });
    }
  }
});

describe('core: shift counts outside 0..63 are errors (nasm takes them modulo 64, GNU as gives 0)', () => {
  for (const src of ['dq 1 << 64', 'dq 1 << 200', 'dq 1 << -1', 'dq 1 >> -0x7fffffff', 'dq 0x100 >> 64', 'db 1 << 0x10000000000']) {
    it(src, () => {
      const e = errorOf(() => toy(src));
      expect(e.reason).toMatch(/^shift count -?\d+ is out of range \(0\.\.63\)$/);
      expect(e.column).toBe(src.indexOf(src.includes('<<') ? '<<' : '>>') + 1);
    });
  }
  it('counts 0..63 shift as nasm does (>> is logical on 64 bits)', () => {
    expect(hex(toy('dq 1 << 63, -8 >> 1, 0x100 >> 0').bytes)).toBe('0000000000000080' + 'fcffffffffffff7f' + '0001000000000000');
  });
});

describe('core: an octal escape above \\377 is an error (was taken modulo 256)', () => {
  it('"\\777" and `\\400`', () => {
    expect(errorOf(() => toy('db "\\777"')).reason).toBe("octal escape '\\777' is more than a byte (\\377)");
    const e = errorOf(() => toy('db `ab\\400`'));
    expect(e.reason).toContain("'\\400'");
    expect(e.column).toBe(7);
    expect(hex(toy('db "\\377\\0\\12\\1234"').bytes)).toBe('ff000a5334');
  });
});

describe('core: labels above 4 GiB keep all their bits', () => {
  it('the symbol table holds the 64-bit address of a label in a section based above 2^32', () => {
    const out = assembleText('bits 64\norg 0x500000000\nstart: nop\nnext: dq next\n', x86Backend('x86_64'), { file: 't.s' });
    expect(out.symbols.get('start')).toBe(0x500000000n);
    expect(out.symbols.get('next')).toBe(0x500000001n);
    // …and a reference to it agrees with the table.
    expect(Buffer.from(out.bytes.subarray(1)).readBigUInt64LE()).toBe(0x500000001n);
  });
});
