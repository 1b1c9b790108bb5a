import { describe, expect, it } from 'vitest';
import { assembleSections } from '../../src/core/assembler.js';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { ROWS } from '../../src/arch/x86/encoder.js';
import {
  X86Builder, X86_MNEMONICS, x86Backend, byte, dword, imm, mem, near, qword, rel, short,
  al, eax, ebx, ecx, edi, edx, esi, r10, r10d, r12, r13, rax, rbx, rcx, rdi, rdx, rsi, rsp, ah, r8b,
  far, farPtr, ax, bx, dx, ds, es, fs, gs, cr0,
} from '../../src/arch/x86/index.js';

import { hasNasm, nasmBytes } from './gen.js';
import { missing } from '../helpers/oracles.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const text = (src: string, arch: 'i386' | 'x86_64' = 'x86_64') => hex(assembleText(src, x86Backend(arch)).bytes);
const text16 = (src: string) => hex(assembleText(src, x86Backend(16)).bytes);

describe('x86 builder', () => {
  it('knows every mnemonic of the table, and nothing else', () => {
    expect([...X86_MNEMONICS].sort()).toEqual([...ROWS.keys()].sort());
  });

  it('gives the text syntax\'s bytes for system instructions (segment and control registers, far pointers, ports)', () => {
    const a = new X86Builder(16);
    const pm = a.label('pm');
    a.cli().xor(ax, ax).mov(ds, ax).mov(es, ax).push(fs).pop(gs).lgdt(mem(0x7c40)).mov(eax, cr0).or(al, 1).mov(cr0, eax);
    a.jmp(farPtr(0x08, pm)).in(al, dx).out(0x80, al).insb().outsw().bind(pm).hlt();
    a.jmp(far(dword({ base: bx }))).retf(4).iret().aad().lmsw(ax).str(ax).rdtsc().cpuid().wbinvd();
    const src = `bits 16
      cli
      xor ax, ax
      mov ds, ax
      mov es, ax
      push fs
      pop gs
      lgdt [0x7c40]
      mov eax, cr0
      or al, 1
      mov cr0, eax
      jmp 0x08:pm
      in al, dx
      out 0x80, al
      insb
      outsw
    pm: hlt
      jmp far dword [bx]
      retf 4
      iret
      aad
      lmsw ax
      str ax
      rdtsc
      cpuid
      wbinvd`;
    expect(hex(a.assemble())).toBe(text16(src));
    if (!missing('nasm', hasNasm())) expect(text16(src)).toBe(hex(nasmBytes(src)));
  });

  it('gives the same bytes as the text syntax', () => {
    const a = new X86Builder('x86_64');
    const wait = a.label('wait');
    const reap = a.label('reap');
    const exit = a.label('exit');
    a.push(0x14002).mov(rsi, rsp).xor(edi, edi).xor(edx, edx).push(8).pop(r10).mov(eax, 14).syscall();
    a.bind(wait).mov(rdi, rsp).xor(esi, esi).xor(edx, edx).mov(eax, 128).syscall().cmp(eax, 17).jne(exit);
    a.bind(reap).mov(edi, -1).xor(esi, esi).mov(edx, 1).xor(r10d, r10d).mov(eax, 61).syscall().test(eax, eax).jg(reap).jmp(wait);
    a.bind(exit).xor(edi, edi).mov(eax, 60).syscall();
    a.mov(rbx, mem({ base: rcx, index: rdx, scale: 8, disp: -8 })).add(dword(rax), 1).mov(byte({ base: r12 }), 0x7f).lea(rax, mem({ base: r13 }));
    a.rep().stosb().lock().xadd(mem({ base: rax }), ecx).mov(qword(rel(exit)), 0).inc(qword(0x1000));
    a.mov(rax, 0x1122334455667788n).imul(eax, ebx, imm(3, 32, true)).jmp(short(exit)).jz(near(exit)).shl(eax, 1).sar(rdx, 63);
    const src = `
      push 0x14002
      mov rsi, rsp
      xor edi, edi
      xor edx, edx
      push 8
      pop r10
      mov eax, 14
      syscall
    wait: mov rdi, rsp
      xor esi, esi
      xor edx, edx
      mov eax, 128
      syscall
      cmp eax, 17
      jne exit
    reap: mov edi, -1
      xor esi, esi
      mov edx, 1
      xor r10d, r10d
      mov eax, 61
      syscall
      test eax, eax
      jg reap
      jmp wait
    exit: xor edi, edi
      mov eax, 60
      syscall
      mov rbx, [rcx+rdx*8-8]
      add dword [rax], 1
      mov byte [r12], 0x7f
      lea rax, [r13]
      rep stosb
      lock xadd [rax], ecx
      mov qword [rel exit], 0
      inc qword [0x1000]
      mov rax, 0x1122334455667788
      imul eax, ebx, strict dword 3
      jmp short exit
      jz near exit
      shl eax, 1
      sar rdx, 63`;
    expect(hex(a.assemble())).toBe(text(src));
  });

  it('exposes items for the layout planner (same core path)', () => {
    const a = new X86Builder('i386', { origin: 0x08048000 });
    const msg = a.label('msg');
    a.mov(ecx, msg).mov(edx, 3).int(0x80);
    a.bind(msg).db('hi\n');
    const viaCore = assembleSections([{ name: '.text', start: 0x08048000, items: a.items() }], x86Backend('i386'));
    expect(hex(viaCore.sections[0]!.bytes)).toBe(hex(a.assemble()));
    expect(hex(a.assemble())).toBe(text('org 0x08048000\nmov ecx, msg\nmov edx, 3\nint 0x80\nmsg: db "hi", 10', 'i386'));
    expect(a.assembleFull().symbols.get('msg')).toBe(0x0804800cn);
  });

  it('rejects bad operands with AsmError', () => {
    expect(() => new X86Builder('x86_64').mov(ah, r8b).assemble()).toThrow(AsmError);
    expect(() => new X86Builder('i386').mov(rax, 1).assemble()).toThrow(/rax needs 64-bit mode/);
    expect(() => new X86Builder('x86_64').inc(mem({ base: rax })).assemble()).toThrow(/operation size not specified/);
    expect(() => mem({ base: rax, index: rbx, scale: 3 as 2 })).toThrow(/scale/);
    expect(() => new X86Builder('x86_64').mov(al, 256).assemble()).toThrow(/operand 2: value 256 does not fit/);
  });

  it('16-bit and 32-bit modes', () => {
    const a = new X86Builder(16);
    a.mov(eax, 1).mov(byte(mem({ disp: 0x1234 })), 0);
    expect(hex(a.assemble())).toBe(text('bits 16\nmov eax, 1\nmov byte [0x1234], 0'));
    const b = new X86Builder('i386');
    b.inc(eax).dec(edi).push(ebx).pop(esi).pushad();
    expect(hex(b.assemble())).toBe('404f535e60');
  });
});

describe('x86 speed (rough; correctness first)', () => {
  it('builder and text front end on a 10k-instruction program', () => {
    const build = () => {
      const a = new X86Builder('x86_64');
      const top = a.here();
      for (let i = 0; i < 2000; i++) a.mov(eax, i).add(rbx, mem({ base: rcx, index: rdi, scale: 4, disp: 8 })).xor(eax, eax).mov(dword(r12), 5).jnz(top);
      return a.assemble();
    };
    const lines = ['top:'];
    for (let i = 0; i < 2000; i++) lines.push(`mov eax, ${i}`, 'add rbx, [rcx+rdi*4+8]', 'xor eax, eax', 'mov dword [r12], 5', 'jnz top');
    const src = lines.join('\n');
    const b = x86Backend('x86_64');
    for (let k = 0; k < 3; k++) (build(), assembleText(src, b));
    let t = performance.now();
    const bytes = build();
    const builderRate = 10000 / ((performance.now() - t) / 1000);
    t = performance.now();
    const fromText = assembleText(src, b).bytes;
    const textRate = 10000 / ((performance.now() - t) / 1000);
    expect(hex(bytes)).toBe(hex(fromText));
    console.log(`x86 builder: ${Math.round(builderRate / 1000)}k insn/s, text: ${Math.round(textRate / 1000)}k insn/s`);
    // Loose floors so a slow CI machine does not fail; the targets are far higher.
    expect(builderRate).toBeGreaterThan(20_000);
    expect(textRate).toBeGreaterThan(10_000);
  });
});
