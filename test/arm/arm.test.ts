import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { ArmBuilder, armBackend, lit, r0, r1, r2, r7 } from '../../src/arch/arm/index.js';
import { missingFiles } from '../helpers/oracles.js';

const hex = (src: string, isa: 'v6' | 'v7' = 'v6'): string => Buffer.from(assembleText(src, armBackend({ isa }), { file: 't.s' }).bytes).toString('hex');

function rejects(src: string, isa: 'v6' | 'v7', line: number, message: RegExp): void {
  try {
    assembleText(src, armBackend({ isa }), { file: 't.s' });
  } catch (e) {
    expect(e).toBeInstanceOf(AsmError);
    const err = e as AsmError;
    expect(err.file).toBe('t.s');
    expect(err.line).toBe(line);
    expect(err.column).toBeGreaterThan(0);
    expect(err.reason).toMatch(message);
    return;
  }
  throw new Error(`accepted: ${src}`);
}

describe('invalid forms are AsmErrors with file:line:column', () => {
  it('unencodable immediates name the nearest encodable values', () => {
    rejects('mov r0, #0x101', 'v6', 1, /nearest encodable: 0x100 or 0x104/);
    rejects('.thumb\nadd r0, r1, #0x12345678', 'v7', 2, /modified immediate/);
  });
  it('movw/movt, cbz and IT need ARMv7', () => {
    rejects('nop\nmovw r0, #1', 'v6', 2, /ARMv7/);
    rejects('.thumb\ncbz r0, x\nnop\nx:', 'v6', 2, /ARMv7|Thumb-2/);
    rejects('.thumb\nit eq\nmoveq r0, r1', 'v6', 2, /ARMv7/);
  });
  it('.n forbids the 32-bit forms (high registers, big immediates)', () => {
    rejects('.syntax unified\n.thumb\nadds.n r8, r1, r2', 'v7', 3, /invalid operands/);
    rejects('.thumb\nmovs.n r0, #256', 'v7', 2, /out of range/);
    rejects('.thumb\nldr.n r0, [r9]', 'v7', 2, /invalid operands/);
  });
  it('bad register lists and pairs', () => {
    rejects('push {r0, r0}', 'v6', 1, /twice/);
    rejects('push {sp}', 'v6', 1, /sp/);
    rejects('ldrd r1, r2, [r0]', 'v6', 1, /even/);
    rejects('.thumb\npush {r8}', 'v6', 2, /ARMv7|invalid/);
  });
  it('out-of-range offsets and branches', () => {
    rejects('ldr r0, [r1, #4096]', 'v6', 1, /±4095/);
    rejects('.thumb\nb far\n.space 4096\nfar:', 'v6', 2, /out of range|ARMv7/);
    rejects('.thumb\nldr r0, [r1, #128]', 'v6', 2, /out of range|ARMv7/);
    rejects('.thumb\nmovs r0, r1\nitt eq\nmoveq r0, r1\nmovne r0, r1', 'v7', 5, /IT block/);
  });
});

describe('branch ranges grow Thumb branches and never shrink them', () => {
  it('b at the 16-bit edge and one past it', () => {
    expect(hex('.thumb\nb x\n.space 2048\nx:', 'v7').slice(0, 4)).toBe('ffe3');
    expect(hex('.thumb\nb x\n.space 2050\nx:', 'v7').slice(0, 8)).toBe('00f001bc');
    rejects('.thumb\nbne x\n.space 1048576\nx:', 'v7', 2, /out of range/);
  });
  it('A32 bl to a .thumb_func becomes blx; Thumb labels have bit 0 as data', () => {
    const out = hex('bl f\n.thumb\n.thumb_func\nf:\nbx lr\n.word f');
    expect(out.slice(0, 8)).toBe('ffffff' + 'fa');
    expect(out.slice(12)).toBe('05000000');
  });
  it('A32 branch limits', () => {
    rejects(`b x\n.space ${(1 << 25) + 4}\nx:`, 'v6', 1, /out of range/);
  });
});

describe('literal pools', () => {
  it('ldr =value uses mov/mvn/movw when the value fits, as GNU as does', () => {
    expect(hex('ldr r0, =0xff')).toBe('ff00a0e3');
    expect(hex('ldr r0, =0xffffff00')).toBe('ff00e0e3');
    expect(hex('ldr r0, =0x1234', 'v7')).toBe('340201e3');
    expect(hex('.thumb\nldr r0, =-1', 'v7')).toBe('4ff0ff30');
  });
  it('other values go to a pool at the end of the section, shared and aligned', () => {
    expect(hex('ldr r0, =0x12345678\nldr r1, =0x12345678\nbx lr')).toBe('04009fe5' + '00109fe5' + '1eff2fe1' + '78563412');
    expect(hex('.thumb\nldr r0, =0x12345678\nbx lr')).toBe('0048' + '7047' + '78563412');
    expect(hex('.thumb\nnop\nldr r0, =0x12345678')).toBe('c046' + '0048' + '78563412');
  });
  it('.ltorg places the pool; labels resolve with their Thumb bit', () => {
    expect(hex('ldr r0, =f\nb over\n.ltorg\nover:\n.thumb\n.thumb_func\nf:\nbx lr')).toBe('00009fe5' + '000000ea' + '0d000000' + '7047');
  });
});

describe('stack aliases (checked with objdump -m arm: ldmib, stmib, ldmda, stmda)', () => {
  it('ed/fa', () => {
    expect(hex('ldmed r0, {r1}\nstmfa r0!, {r1}\nldmfa r0, {r1}\nstmed r0, {r1}')).toBe('020090e9' + '0200a0e9' + '020010e8' + '020000e8');
  });
});

describe('builder', () => {
  it('makes the same bytes as the text', () => {
    const a = new ArmBuilder();
    a.mov(r0, 1).ldr(r1, lit(0x12345678)).mov(r2, 3).mov(r7, 4).svc(0);
    expect(Buffer.from(a.assemble().bytes).toString('hex')).toBe(hex('mov r0, #1\nldr r1, =0x12345678\nmov r2, #3\nmov r7, #4\nsvc #0'));
  });
});

/** ELF32 little-endian ARM executable: header (52) + one PT_LOAD (32) + code, loaded at 0x10000. */
function elf32(code: Uint8Array, entryOffset: number, thumb: boolean): Uint8Array {
  const base = 0x10000;
  const out = new Uint8Array(84 + code.length);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]); // ELFCLASS32, little endian, version 1
  dv.setUint16(16, 2, true); // e_type EXEC
  dv.setUint16(18, 40, true); // e_machine EM_ARM
  dv.setUint32(20, 1, true); // e_version
  dv.setUint32(24, (base + 84 + entryOffset) | (thumb ? 1 : 0), true); // e_entry (odd: Thumb)
  dv.setUint32(28, 52, true); // e_phoff
  dv.setUint32(36, 0x05000000, true); // e_flags EABI5
  dv.setUint16(40, 52, true); // e_ehsize
  dv.setUint16(42, 32, true); // e_phentsize
  dv.setUint16(44, 1, true); // e_phnum
  dv.setUint32(52, 1, true); // p_type PT_LOAD
  dv.setUint32(56, 0, true); // p_offset
  dv.setUint32(60, base, true); // p_vaddr
  dv.setUint32(64, base, true); // p_paddr
  dv.setUint32(68, out.length, true); // p_filesz
  dv.setUint32(72, out.length, true); // p_memsz
  dv.setUint32(76, 5, true); // p_flags R+X
  dv.setUint32(80, 0x1000, true); // p_align
  out.set(code, 84);
  return out;
}

const QEMU = '/usr/bin/qemu-arm';
describe.skipIf(missingFiles(QEMU))('runs under qemu-arm -cpu arm1176', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-arm-run-'));
  const run = (name: string, src: string, thumb: boolean): void => {
    const { bytes } = assembleText(src, armBackend({ isa: 'v6' }), { origin: 0x10000 + 84 });
    const file = join(dir, name);
    writeFileSync(file, elf32(bytes, 0, thumb));
    chmodSync(file, 0o755);
    const r = spawnSync(QEMU, ['-cpu', 'arm1176', file], { encoding: 'utf8', timeout: 10000 });
    expect(r.stdout).toBe('hi\n');
    expect(r.status).toBe(42);
  };
  it('ARM', () => run('arm', 'mov r0, #1\nadr r1, msg\nmov r2, #3\nmov r7, #4\nsvc #0\nmov r0, #42\nmov r7, #1\nsvc #0\nmsg: .ascii "hi\\n"', false));
  it('Thumb (odd entry)', () =>
    run('thumb', '.thumb\nmovs r0, #1\nadr r1, msg\nmovs r2, #3\nmovs r7, #4\nsvc #0\nmovs r0, #42\nmovs r7, #1\nsvc #0\n.balign 4\nmsg: .ascii "hi\\n"', true));
  it('ARM entry, literal pool, bx to a .thumb_func', () =>
    run('inter', 'ldr r0, =main\nbx r0\n.thumb\n.thumb_func\nmain:\nmovs r0, #1\nldr r1, =msg\nmovs r2, #3\nmovs r7, #4\nsvc #0\nmovs r0, #42\nmovs r7, #1\nsvc #0\n.ltorg\nmsg: .ascii "hi\\n"', false));
});
