import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { A64Builder, decodeBitmask, encodeBitmask, mem, movSequence, shifted, sp, x0, x1, x2, x8, x19, x20, w3 } from '../../src/arch/aarch64/index.js';
import { asm, asmError, hex } from './text.js';
import { allBitmasks, rng } from './gen.js';
import { missingFiles } from '../helpers/oracles.js';

const words = (b: Uint8Array): number[] => Array.from({ length: b.length / 4 }, (_, i) => new DataView(b.buffer, b.byteOffset).getUint32(i * 4, true));

/** What a MOVZ/MOVN/MOVK sequence leaves in the register (the Arm ARM's semantics). */
function runMoves(ws: number[], width: 32 | 64): bigint {
  let v = 0n;
  const mask = (1n << BigInt(width)) - 1n;
  for (const w of ws) {
    const opc = (w >>> 29) & 3;
    const hw = BigInt((w >>> 21) & 3);
    const imm = BigInt((w >>> 5) & 0xffff) << (16n * hw);
    if (opc === 0) v = ~imm & mask; // MOVN
    else if (opc === 2) v = imm; // MOVZ
    else if (opc === 3) v = (v & ~(0xffffn << (16n * hw))) | imm; // MOVK
    else throw new Error('not a move-wide instruction');
  }
  return v & mask;
}

describe('bitmask immediates', () => {
  it('encode every pattern back to fields that decode to it', () => {
    for (const width of [32, 64] as const) {
      const all = allBitmasks(width);
      expect(all.length).toBe(width === 64 ? 5334 : 1302);
      for (const v of all) {
        const f = encodeBitmask(v, width)!;
        expect(decodeBitmask((f >> 22) & 1, (f >> 16) & 63, (f >> 10) & 63, width)).toBe(v);
      }
    }
  });
  it('refuses values that are not bitmasks', () => {
    for (const v of [0n, (1n << 64n) - 1n, 0x12345n, 0b101n]) expect(encodeBitmask(v, 64)).toBeUndefined();
  });
});

describe('mov of any value', () => {
  it('picks the shortest sequence and it computes the value', () => {
    const rand = rng(7);
    const samples: bigint[] = [0n, 1n, 0xffffn, 0x10000n, 0x12345678n, 0xffffffffn, 0x123456789abcdef0n, (1n << 64n) - 1n, 0xffff1234ffff5678n];
    for (let i = 0; i < 400; i++) {
      // Halfwords drawn from 0, 0xffff and random, so both MOVZ- and MOVN-based sequences appear.
      let v = 0n;
      for (let k = 0; k < 4; k++) v |= BigInt([0, 0xffff, Math.floor(rand() * 0x10000)][Math.floor(rand() * 3)]!) << BigInt(16 * k);
      samples.push(v);
    }
    for (const v of samples) {
      const ws = words(asm(`mov x3, #${'0x' + v.toString(16)}`));
      if (ws.length > 1) expect(runMoves(ws, 64)).toBe(v);
      const chunks = [0, 1, 2, 3].map((k) => (v >> BigInt(16 * k)) & 0xffffn);
      const best = Math.max(1, Math.min(chunks.filter((c) => c !== 0n).length, chunks.filter((c) => c !== 0xffffn).length));
      expect(ws.length).toBeLessThanOrEqual(best);
      expect(ws.every((w) => (w & 31) === 3)).toBe(true);
    }
    expect(hex(asm('mov w0, #0x12345678'))).toBe('00cf8a52' + '8046a272') // llvm-mc: movz w0, #0x5678; movk w0, #0x1234, lsl #16;
    expect(runMoves(words(asm('mov w0, #-0x12345')), 32)).toBe(BigInt.asUintN(32, -0x12345n));
  });

  it('pads with harmless movk so a sequence never shrinks', () => {
    const ws = movSequence(5n, 64, 0, 3);
    expect(ws.length).toBe(3);
    expect(runMoves(ws, 64)).toBe(5n);
  });

  it('sizes a mov of a later symbol from its final value', () => {
    const b = asm('mov x0, #big\nb end\nend: nop\n.equ big, 0x1234567800000000');
    expect(b.length).toBe(16); // movz+movk, b, nop
    expect(runMoves(words(b).slice(0, 2), 64)).toBe(0x1234567800000000n);
    expect(words(b)[2]).toBe(0x14000001);
  });
});

describe('branch ranges and labels', () => {
  it('reaches exactly ±1 MiB with b.cond/cbz and not one word further', () => {
    expect(hex(asm('b.ne far\n.space 1048564\nnop\nfar: nop'))).toMatch(/^e1ff7f54/);
    expect(asmError('b.ne far\n.space 1048568\nnop\nfar: nop').message).toMatch(/^t\.s:1:6: error: operand 1: target is 1048576 bytes away, out of b\.ne's range ±1 MiB/);
    expect(asmError('back: nop\n.space 1048576\ncbz x0, back').message).toMatch(/^t\.s:3:9: error: operand 2: target is -1048580 bytes away/);
  });
  it('reaches ±32 KiB with tbz', () => {
    expect(hex(asm('tbz w1, #3, far\n.space 32760\nfar: nop')).slice(0, 8)).toBe('e1ff1b36');
    expect(asmError('tbz w1, #3, far\n.space 32764\nfar: nop').reason).toMatch(/out of tbz's range ±32 KiB/);
  });
  it('b/bl reach ±128 MiB (checked by address)', () => {
    expect(hex(asm('b .+134217724\nbl .-134217728'))).toBe('ffffff15' + '00000096');
    expect(asmError('nop\nbl .+134217728').line).toBe(2);
  });
  it('rejects a target that is not a multiple of 4', () => {
    expect(asmError('b x\n.byte 0\nx: nop').reason).toBe('operand 1: target is 5 bytes away, not a multiple of 4');
  });
  it('adrp + :lo12: address a label on another page', () => {
    const b = asm('adrp x1, msg\nadd x1, x1, :lo12:msg\n.space 0x2000\nmsg: .ascii "hi"', 0x400ff8);
    // msg = 0x400ff8 + 8 + 0x2000 = 0x403000: adrp pc page 0x400000 → +3 pages (immlo 3); lo12 = 0.
    expect(hex(b.subarray(0, 8))).toBe('010000f0' + '21000091');
    const c = asm('adrp x2, msg\nldr x3, [x2, :lo12:msg]\n.space 0x40\nmsg: .quad 1', 0x10000);
    expect(words(c)[0]).toBe(0x90000002);
    expect(words(c)[1]).toBe((0xf9400000 | ((0x48 / 8) << 10) | (2 << 5) | 3) >>> 0);
  });
});

describe('syntax', () => {
  it('reads comments, upper case, register aliases and expressions', () => {
    expect(hex(asm('  ADD X0, SP, #(4 << 2) // sixteen'))).toBe('e0430091');
    expect(hex(asm('mov fp, sp\nret lr\nret'))).toBe('fd030091' + 'c0035fd6' + 'c0035fd6');
  });
  it('pads code with NOPs', () => {
    expect(hex(asm('ret\n.balign 16'))).toBe('c0035fd6' + '1f2003d5'.repeat(3));
  });
  it('names the column of syntax errors', () => {
    const e = asmError('ldr x0, [x1, x2, foo]');
    expect([e.line, e.column]).toEqual([1, 18]);
  });
  it('explains a bad bitmask', () => {
    expect(asmError('and x0, x1, #0x12345').reason).toMatch(/^operand 3: 0x12345 is not a bitmask immediate/);
  });
});

describe('builder', () => {
  it('makes the same bytes as the text', () => {
    const a = new A64Builder()
      .label('top')
      .mov(x0, 42)
      .add(x1, sp, 16)
      .add(x2, x1, shifted(x2, 'lsl', 3))
      .ldr(x19, mem(sp, 8))
      .str(w3, mem(x20, -4, 'pre'))
      .stp(x19, x20, mem(sp, -16, 'pre'))
      .cmp(x0, 7)
      .bcond('ne', 'top')
      .cset(x8, 'eq')
      .mov(x8, 0x123456789n)
      .svc(0)
      .ret();
    const text = `top:
      mov x0, #42
      add x1, sp, #16
      add x2, x1, x2, lsl #3
      ldr x19, [sp, #8]
      str w3, [x20, #-4]!
      stp x19, x20, [sp, #-16]!
      cmp x0, #7
      b.ne top
      cset x8, eq
      mov x8, #0x123456789
      svc #0
      ret`;
    expect(hex(a.assemble().bytes)).toBe(hex(asm(text)));
  });
});

const QEMU = '/usr/bin/qemu-aarch64';

/** A minimal ELF64 executable: the header, one PT_LOAD for the whole file, code right after. */
function elf64(code: Uint8Array, base: number): Uint8Array {
  const out = new Uint8Array(120 + code.length);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // ELFCLASS64, little-endian, EV_CURRENT
  dv.setUint16(16, 2, true); // e_type ET_EXEC
  dv.setUint16(18, 183, true); // e_machine EM_AARCH64
  dv.setUint32(20, 1, true); // e_version
  dv.setBigUint64(24, BigInt(base + 120), true); // e_entry: the code after the headers
  dv.setBigUint64(32, 64n, true); // e_phoff
  dv.setUint16(52, 64, true); // e_ehsize
  dv.setUint16(54, 56, true); // e_phentsize
  dv.setUint16(56, 1, true); // e_phnum
  dv.setUint32(64, 1, true); // p_type PT_LOAD
  dv.setUint32(68, 5, true); // p_flags R+X
  dv.setBigUint64(80, BigInt(base), true); // p_vaddr
  dv.setBigUint64(88, BigInt(base), true); // p_paddr
  dv.setBigUint64(96, BigInt(out.length), true); // p_filesz
  dv.setBigUint64(104, BigInt(out.length), true); // p_memsz
  dv.setBigUint64(112, 0x1000n, true); // p_align
  out.set(code, 120);
  return out;
}

describe.skipIf(missingFiles(QEMU))('runs under qemu-aarch64', () => {
  it('writes "hi\\n" and exits 42', () => {
    const base = 0x400000;
    const src = `
_start:
        stp x29, x30, [sp, #-16]!
        mov x19, #0
        mov x20, #7
loop:   add x19, x19, #6          // 7 * 6 = 42
        subs x20, x20, #1
        b.ne loop
        str x19, [sp, #8]
        ldr x21, [sp, #8]
        ldp x29, x30, [sp], #16
        mov x22, #0x123456789abcdef0
        ldr x23, big
        cmp x22, x23
        b.ne fail
        mov x0, #1
        adr x1, msg
        ldr x2, len
        mov x8, #64               // write
        svc #0
        mov x0, x21
        b exit
fail:   mov x0, #1
exit:   mov x8, #93               // exit
        svc #0
        .balign 8
big:    .quad 0x123456789abcdef0
len:    .quad 3
msg:    .ascii "hi\\n"
`;
    const code = asm(src, base + 120);
    const dir = mkdtempSync(join(tmpdir(), 'tinyelf-a64-run-'));
    try {
      const path = join(dir, 'hi');
      writeFileSync(path, elf64(code, base));
      chmodSync(path, 0o755);
      const r = spawnSync(QEMU, [path], { timeout: 10000 });
      expect(r.stdout.toString()).toBe('hi\n');
      expect(r.status).toBe(42);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

