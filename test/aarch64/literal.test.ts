import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { A64Builder, w2, x0, x1, x3 } from '../../src/arch/aarch64/index.js';
import { asm, asmError, hex } from './text.js';
import { minimalElf } from '../../src/elf/minimal.js';
import { qemuAvailable, runBinary } from '../helpers/run.js';
import { LLVM_MC, OBJCOPY } from './oracle.js';
import { missing, missingFiles } from '../helpers/oracles.js';

/**
 * `ldr xN, =value` / `ldr wN, =value` against llvm-mc 14: one movz when the constant allows it,
 * else a literal pool (8-byte entries for x, 4-byte for w, each aligned to its size) at `.ltorg`
 * and at the end of the section. The source avoids two llvm-mc 14 quirks tinyelf does not copy:
 * it shares one entry between a w and an x load of the same constant, and reuses an entry of a
 * pool already placed by `.ltorg` (a backward load).
 */
const ORIGIN = 0x400000;

const PROGRAM = `
_start:
        ldr x0, =0x1234
        ldr x1, =0xabcd00000000
        ldr w2, =0x56780000
        ldr x3, =0xffff000000000000
        ldr w4, =0
        ldr x5, =-1
        ldr w6, =0x12345678
        ldr x7, =0x123456789abcdef0
        ldr w8, =-2
        ldr x9, =msg
        ldr w10, =msg+3
        ldr x11, =0x123456789abcdef0
        b next
        .ltorg
next:   ldr x12, =0x1111222233334444
        ldr w13, =0x87654321
        ldr x14, =_start
        ldr x15, =(1 << 40) + 5
        ret
msg:    .ascii "hi\\n"
        .balign 4
        ldr w16, =0xdeadbeef
        ldr x17, =next
`;

/** llvm-mc -triple=aarch64 -filetype=obj (LLVM 14), linked by GNU ld -Ttext=0x400000, .text bytes. */
const GOLDEN =
  '804682d2a179d5d202cfaa52e3ffffd20400805225010058460100186701005888010018a9010058ca010018eb0000580d000014' +
  '00000000ffffffffffffffff7856341200000000f0debc9a78563412feffffff0000000078004000000000007b004000' +
  '2c0100584d0100186e0100588f010058c0035fd668690a007001001891010058' +
  '000000004444333322221111214365870000000000004000000000000500000000010000efbeadde000000006400400000000000';

const LD = '/usr/bin/aarch64-linux-gnu-ld';

describe('aarch64 ldr =value', () => {
  it('matches llvm-mc 14: movz when one fits, else literal pools at .ltorg and the end', () => {
    expect(hex(asm(PROGRAM, ORIGIN))).toBe(GOLDEN);
  });

  it('uses movz only (as llvm-mc), never movn or orr', () => {
    expect(hex(asm('ldr x0, =0x10000'))).toBe('2000a0d2'); // movz x0, #1, lsl #16
    expect(hex(asm('ldr w0, =0xffff'))).toBe('e0ff9f52');
    // -1 and 0x5555… have one-instruction movn/orr forms, but llvm-mc loads them from a pool
    expect(hex(asm('ldr x0, =-1'))).toBe('40000058' + '00000000' + 'ffffffffffffffff');
    expect(hex(asm('ldr w0, =0x55555555'))).toBe('20000018' + '55555555');
  });

  it('shares an entry between equal constants of the same size, not between labels', () => {
    expect(hex(asm('ldr x0, =0x123456789\nldr x1, =0x123456789\nret'))).toBe('80000058' + '61000058' + 'c0035fd6' + '00000000' + '8967452301000000');
    expect(asm('l: ldr x0, =l\nldr x1, =l').length).toBe(8 + 16);
  });

  it('rejects what llvm-mc rejects, at the column llvm-mc names', () => {
    let e = asmError('nop\n  ldr w0, =0x123456789');
    expect([e.line, e.column]).toEqual([2, 11]);
    expect(e.reason).toMatch(/too large for a 32-bit register/);
    e = asmError('add x0, x1, =4');
    expect([e.line, e.column]).toEqual([1, 13]);
    e = asmError('ldr sp, =0x12345678');
    expect([e.line, e.column]).toEqual([1, 5]);
    e = asmError('ldr x0, =far\n.space 0x100000\nfar: ret');
    expect(e.message).toMatch(/^t\.s:1:9: error: operand 2: literal pool out of range/);
  });

  it('the builder makes the same bytes (ldrConst, ltorg)', () => {
    const a = new A64Builder().label('top').ldrConst(x0, 0x1234).ldrConst(x1, 0x123456789n).ldrConst(w2, 'top').b('on').ltorg().label('on').ldrConst(x3, -1).ret();
    const text = 'top: ldr x0, =0x1234\nldr x1, =0x123456789\nldr w2, =top\nb on\n.ltorg\non: ldr x3, =-1\nret';
    expect(hex(a.assemble(0x1000).bytes)).toBe(hex(asm(text, 0x1000)));
    expect(hex(a.assemble(0x1000).bytes)).toBe(hex(a.assemble(0x1000).bytes));
  });

  it('.ltorg keeps a pool in reach', () => {
    expect(() => asm('ldr x0, =far\nb 1f\n.ltorg\n1: .space 0x100000\nfar: ret')).not.toThrow();
  });

  it.skipIf(missingFiles(LLVM_MC, LD, OBJCOPY))('golden text: the live llvm-mc + ld still say so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-a64-lit-'));
    try {
      writeFileSync(join(dir, 'l.s'), PROGRAM);
      const run = (cmd: string, args: string[]): void => {
        const r = spawnSync(cmd, args, { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
      };
      run(LLVM_MC, ['-triple=aarch64', '-filetype=obj', '-o', join(dir, 'l.o'), join(dir, 'l.s')]);
      run(LD, [`-Ttext=0x${ORIGIN.toString(16)}`, '-e', `0x${ORIGIN.toString(16)}`, '-o', join(dir, 'l.elf'), join(dir, 'l.o')]);
      run(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'l.elf'), join(dir, 'l.bin')]);
      expect(readFileSync(join(dir, 'l.bin')).toString('hex')).toBe(GOLDEN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(missing('qemu-aarch64', qemuAvailable('aarch64')))('runs under qemu-aarch64', async () => {
    const { entry } = minimalElf({ arch: 'aarch64', code: new Uint8Array(0) });
    const src = `
        ldr x19, =0x123456789abcdef0
        mov x20, #0x123456789abcdef0
        cmp x19, x20
        b.ne fail
        ldr w21, =0xfffffffe
        ldr w22, =0x70000
        add w21, w21, #2
        cmp w22, #0x70, lsl #12
        ccmp w21, #0, #0, eq
        b.ne fail
        mov x0, #1
        ldr x1, =msg
        ldr x2, =len
        ldr x2, [x2]
        mov x8, #64
        svc #0
        ldr x0, =42
        b exit
        .ltorg
fail:   mov x0, #1
exit:   mov x8, #93
        svc #0
msg:    .ascii "ok\\n"
        .balign 8
len:    .quad 3
`;
    const code = asm(src, Number(entry));
    const r = await runBinary(minimalElf({ arch: 'aarch64', code }).bytes, { arch: 'aarch64', via: 'qemu' });
    expect(r.stdout.toString()).toBe('ok\n');
    expect(r.status).toBe(42);
  });
});

describe('aarch64: encode-time operand errors name the operand’s column (llvm-mc’s columns, but a memory operand is named at its [)', () => {
  const at = (src: string): string => {
    const e = asmError(src);
    return `${e.line}:${e.column} ${e.reason}`;
  };
  it('registers, immediates, memory and targets', () => {
    expect(at('nop\n  add x0, x1, #5000')).toMatch(/^2:15 operand 3: immediate 5000 is out of range/);
    expect(at('add x0, w1, x2')).toMatch(/^1:9 operand 2: /);
    expect(at('and x0, x1, #0x12345')).toMatch(/^1:13 operand 3: 0x12345 is not a bitmask immediate/);
    expect(at('ldr x0, [x1, #257]')).toMatch(/^1:9 operand 2: /);
    expect(at('mov w0, x1, lsl #2')).toMatch(/^1:9 operand 2: /);
    expect(at('b.ne far\n.space 1048568\nnop\nfar: nop')).toMatch(/^1:6 operand 1: target is 1048576 bytes away/);
  });
});
