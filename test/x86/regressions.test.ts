import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNasm, hex, runNasm, type Bits } from './gen.js';
import { tiny } from './harness.js';
import { missing } from '../helpers/oracles.js';

/** Regression tests for bugs found in the nasm-syntax front end, one `describe` per bug. */

/** nasm's bytes for a whole source (`nasm -f bin`), as hex. */
function nasmFile(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-nasm-'));
  try {
    writeFileSync(join(dir, 'a.asm'), src);
    execFileSync('nasm', ['-f', 'bin', '-o', join(dir, 'a.bin'), join(dir, 'a.asm')], { stdio: 'pipe' });
    return hex(readFileSync(join(dir, 'a.bin')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('x86: an unfinished memory operand is an AsmError, not a crash', () => {
  const cases: [string, number][] = [
    ['add eax, [', 11],
    ['add eax, [rax+', 15],
    ['mov [', 6],
    ['mov eax, [rax-', 15],
  ];
  for (const [src, col] of cases) {
    it(src, () => {
      const t = tiny(64, src);
      expect(t.error, `accepted as ${t.hex}`).toBeDefined();
      expect(t.error!.message).toMatch(/^gen\.asm:1:\d+: error: /);
      expect(t.error!.line).toBe(1);
      expect(t.error!.column).toBe(col);
      expect(t.error!.reason).toMatch(/expected a register or an expression in the memory operand, found end of line/);
    });
  }
});

/** [bits, source, nasm's bytes] */
const PUSH_IMM: [Bits, string, string][] = [
  [64, 'push dword 1', '6a 01'],
  [64, 'push strict dword 1', '68 01 00 00 00'],
  [64, 'push qword 1', '6a 01'],
  [64, 'push strict qword 1', '68 01 00 00 00'],
  [64, 'push word 1', '66 6a 01'],
  [64, 'push strict word 1', '66 68 01 00'],
  [64, 'push byte 1', '6a 01'],
  [64, 'push strict byte 1', '6a 01'],
  [64, 'push dword -1', '6a ff'],
  [64, 'push dword 300', '68 2c 01 00 00'],
  [64, 'push dword 0x7fffffff', '68 ff ff ff 7f'],
  [64, 'push strict dword -2', '68 fe ff ff ff'],
  [32, 'push dword 1', '6a 01'],
  [32, 'push strict dword 1', '68 01 00 00 00'],
  [32, 'push word 1', '66 6a 01'],
  [16, 'push dword 1', '66 6a 01'],
  [16, 'push strict dword 1', '66 68 01 00 00 00'],
];

describe('x86: push with a sized immediate (push dword 1 in 64-bit mode)', () => {
  it('gives the bytes nasm gives', () => {
    const got = PUSH_IMM.map(([bits, src]) => {
      const t = tiny(bits, src);
      return `${bits} ${src} ; ${t.hex ?? t.error!.reason}`;
    });
    expect(got).toEqual(PUSH_IMM.map(([bits, src, want]) => `${bits} ${src} ; ${want}`));
  });
  it('push qword is still an error outside 64-bit mode', () => {
    expect(tiny(32, 'push qword 1').error).toBeDefined();
  });
  it.skipIf(missing('nasm', hasNasm()))('agrees with nasm (live)', () => {
    for (const bits of [16, 32, 64] as Bits[]) {
      const lines = PUSH_IMM.filter((c) => c[0] === bits);
      const res = runNasm(lines.map((c) => c[1]), bits);
      expect(res.map((r) => `${r.line} ; ${r.hex}`)).toEqual(lines.map((c) => `${c[1]} ; ${c[2]}`));
    }
  });
});

/** [bits, source, the range the message must name] */
const TOO_BIG: [Bits, string, string][] = [
  [64, 'add rax, 0x80000000', 'value 2147483648 does not fit in a sign-extended 32-bit immediate (-2147483648..2147483647)'],
  [64, 'add rax, 0xffffffff', 'value 4294967295 does not fit in a sign-extended 32-bit immediate (-2147483648..2147483647)'],
  [64, 'and rax, -0x80000001', 'sign-extended 32-bit immediate (-2147483648..2147483647)'],
  [64, 'test rax, 0x80000000', 'sign-extended 32-bit immediate (-2147483648..2147483647)'],
  [64, 'push 0x80000000', 'sign-extended 32-bit immediate (-2147483648..2147483647)'],
  [64, 'imul rax, rbx, 0x80000000', 'sign-extended 32-bit immediate (-2147483648..2147483647)'],
  [64, 'add eax, 0x100000000', 'value 4294967296 does not fit in a 32-bit immediate (-2147483648..4294967295)'],
  [32, 'imul eax, 0x100000000', '32-bit immediate (-2147483648..4294967295)'],
  [16, 'add ax, 0x10000', 'value 65536 does not fit in a 16-bit immediate (-32768..65535)'],
  [16, 'push 0x10000', '16-bit immediate (-32768..65535)'],
  [64, 'add al, 256', 'value 256 does not fit in an 8-bit immediate (-128..255)'],
  [64, 'shl eax, 256', 'value 256 does not fit in an 8-bit immediate (-128..255)'],
  [64, 'ret 0x10000', '16-bit immediate (-32768..65535)'],
];

describe('x86: a value no form holds names the widest form\'s range', () => {
  for (const [bits, src, msg] of TOO_BIG) {
    it(`bits ${bits}: ${src}`, () => {
      const t = tiny(bits, src);
      expect(t.error, `accepted as ${t.hex}`).toBeDefined();
      expect(t.error!.reason).toContain(msg);
      expect(t.error!.reason).not.toMatch(/8-bit/.test(msg) ? /sign-extended 8-bit/ : /8-bit/);
    });
  }
});

describe('x86: ..@ labels do not start a new scope for .local labels (as in nasm)', () => {
  const src = ['a:', '..@x:', '.l: dd .l', 'dd a.l', 'dd ..@x', '..@y: dd a.l - ..@y'].join('\n');
  it('.l after ..@x still belongs to a', () => {
    const t = tiny(64, src);
    expect(t.error?.message).toBeUndefined();
    expect(t.hex).toBe('00 00 00 00 00 00 00 00 00 00 00 00 f4 ff ff ff');
  });
  it('..@x.l is not defined', () => {
    expect(tiny(64, 'a:\n..@x:\n.l: dd 1\ndd ..@x.l').error?.reason).toContain("'..@x.l'");
  });
  it.skipIf(missing('nasm', hasNasm()))('agrees with nasm (live)', () => {
    expect(nasmFile(`bits 64\n${src}\n`)).toBe(tiny(64, src).hex);
  });
});

describe('x86: register names and operand keywords are not labels (nasm: "label or instruction expected")', () => {
  const BAD: [string, string, number][] = [
    ['spl', "'spl' is a reserved word, not a label", 1],
    ['  rax:', "'rax' is a reserved word", 3],
    ['R8: nop', "'R8' is a reserved word", 1],
    ['near', "'near' is a reserved word", 1],
    ['byte: db 1', "'byte' is a reserved word", 1],
    ['strict', "'strict' is a reserved word", 1],
    ['eax equ 1', "'eax' is a reserved word, not a symbol name", 1],
    ['rel: equ 1', "'rel' is a reserved word, not a symbol name", 1],
    ['..', "'..' is not a valid label", 1],
    ['..start:', "'..start' is not a valid label", 1],
  ];
  for (const [src, msg, col] of BAD) {
    it(src, () => {
      const t = tiny(64, src);
      expect(t.error, `accepted as ${t.hex}`).toBeDefined();
      expect(t.error!.reason).toContain(msg);
      expect(t.error!.column).toBe(col);
    });
  }
  it('names that only start like one are labels', () => {
    expect(tiny(64, 'nearly:\nraxx\nbytes: db 1\n..@ok: db 2\nlabel\njmp label').hex).toBe('01 02 eb fe');
  });
  it.skipIf(missing('nasm', hasNasm()))('nasm rejects them too (live)', () => {
    const res = runNasm(BAD.map((b) => b[0].trim()), 64);
    expect(res.filter((r) => !r.error).map((r) => r.line)).toEqual([]);
  });
});

describe('x86: an address keeps nasm operator precedence (`+` binds tighter than `<< >> & ^ |`)', () => {
  /** [source, nasm's bytes] */
  const GOOD: [string, string][] = [
    ['mov eax, [0x10 + 0x20 >> 4]', '8b 04 25 03 00 00 00'],
    ['mov eax, [2 * 3 + 1 << 1]', '8b 04 25 0e 00 00 00'],
    ['mov eax, [0x100 - 1 & 0xf0]', '8b 04 25 f0 00 00 00'],
    ['mov eax, [rbx + (1 << 4)]', '8b 43 10'],
    ['mov eax, [(1 << 4) + rbx]', '8b 43 10'],
    ['mov eax, [rbx + rcx*4 - 8]', '8b 44 8b f8'],
  ];
  it('gives the bytes nasm gives', () => {
    expect(GOOD.map(([src]) => `${src} ; ${tiny(64, src).hex ?? tiny(64, src).error!.reason}`)).toEqual(GOOD.map(([src, h]) => `${src} ; ${h}`));
  });
  it('a register under a shift or bitwise operator is an error (nasm: not a scalar)', () => {
    for (const src of ['mov eax, [rbx + 1 << 2]', 'mov eax, [rbx + 8 | 1]', 'mov eax, [4 & rbx]']) {
      const t = tiny(64, src);
      expect(t.error?.reason, src).toMatch(/a register in an address can only be added, subtracted or scaled/);
    }
  });
  it.skipIf(missing('nasm', hasNasm()))('agrees with nasm (live)', () => {
    const res = runNasm(GOOD.map((g) => g[0]), 64);
    expect(res.map((r) => `${r.line} ; ${r.hex}`)).toEqual(GOOD.map(([src, h]) => `${src} ; ${h}`));
    expect(runNasm(['mov eax, [rbx + 1 << 2]', 'mov eax, [rbx + 8 | 1]'], 64).every((r) => r.error)).toBe(true);
  });
});

describe('x86: a size on a branch target (was ignored: jmp byte $ gave eb fe)', () => {
  /** [bits, source, bytes or the error] */
  const CASES: [Bits, string, string][] = [
    [64, 'jmp qword $', 'e9 fb ff ff ff'],
    [64, 'call qword $', 'e8 fb ff ff ff'],
    [32, 'jmp dword $', 'e9 fb ff ff ff'],
    [16, 'jmp word $', 'e9 fd ff'],
    [64, 'jmp byte $', 'jmp takes no byte target in 64-bit mode (qword makes it near)'],
    [64, 'jmp dword $', 'jmp takes no dword target in 64-bit mode'],
    [32, 'jmp word $', 'jmp takes no word target in 32-bit mode'],
    [32, 'call word $', 'call takes no word target in 32-bit mode'],
    [16, 'jmp dword $', '66 e9 fa ff ff ff'], // nasm's bytes: the 66-prefixed rel32 form, taken since 16-bit code may branch past 64 KiB
    [64, 'jz qword $', 'jz takes no qword target'],
    [32, 'jz dword $', 'jz takes no dword target'],
    [64, 'loop qword $', 'loop takes no qword target'],
  ];
  for (const [bits, src, want] of CASES) {
    it(`bits ${bits}: ${src}`, () => {
      const t = tiny(bits, src);
      if (/^[0-9a-f ]+$/.test(want)) expect(t.hex ?? t.error!.reason).toBe(want);
      else expect(t.error?.reason ?? `accepted as ${t.hex}`).toContain(want);
    });
  }
});
