/**
 * The text path's use of the fast encoder (src/arch/x86/fast.ts, `encodeFastInsn`) against the
 * row search alone: the same bytes or the same error for every line, over every register,
 * displacement and immediate class and the operand sizes written in the source.
 */
import { describe, expect, it } from 'vitest';
import { x86Backend } from '../../src/arch/x86/index.js';
import { fastText } from '../../src/arch/x86/fast.js';
import { assembleText } from '../../src/core/frontend.js';
import { rng } from '../helpers/rng.js';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const OTHER = ['ax', 'al', 'ah', 'sil', 'r9w', 'r10b', 'fs'];
const IMMS = ['0', '1', '-1', '2', '127', '128', '-128', '-129', '255', '256', '32767', '-32769', '65536', '0x7fffffff', '-0x80000000', '0x80000000', '0xffffffff', '0x100000000', 'L', 'L+1', 'byte 1', 'dword 5', 'strict dword 1', 'qword -1'];
const DISPS = ['', '+0', '+1', '-1', '+127', '+128', '-128', '-129', '+0x12345', '-0x12345', '+0x7fffffff', '-0x80000000', '+L', '-4*2'];
const MNS = ['mov', 'lea', 'test', 'add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'push', 'pop', 'inc', 'dec', 'not', 'neg', 'ret', 'syscall', 'nop', 'cqo', 'cdq', 'cdqe', 'leave', 'pause', 'imul', 'shl'];

function bytesOf(line: string, bits: 32 | 64): string {
  try {
    return Buffer.from(assembleText(`bits ${bits}\nL:\n${line}\n`, x86Backend(bits === 64 ? 'x86_64' : 'i386')).bytes).toString('hex');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('x86 text fast path', () => {
  it('every line encodes as the row search alone does', () => {
    const r = rng(5);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    const reg = () => (r() < 0.45 ? pick(R64) : r() < 0.9 ? pick(R32) : pick(OTHER));
    const memOp = () => {
      const size = pick(['', '', 'qword ', 'dword ', 'word ', 'byte ']);
      const base = r() < 0.9 ? pick(R64) : r() < 0.5 ? pick(R32) : '';
      const index = r() < 0.5 ? `${base ? '+' : ''}${pick(R64)}*${pick([1, 2, 4, 8])}` : '';
      const pre = r() < 0.05 ? pick(['rel ', 'abs ', 'fs:']) : '';
      let disp = pick(DISPS);
      if (!base && !index) disp = disp.replace(/^\+/, '') || '0';
      return `${size}[${pre}${base}${index}${disp}]`;
    };
    let fastLines = 0;
    for (let i = 0; i < 15000; i++) {
      const mn = pick(MNS);
      const shape = Math.floor(r() * 7);
      const ops = shape === 0 ? [reg(), reg()] : shape === 1 ? [reg(), pick(IMMS)] : shape === 2 ? [reg(), memOp()] : shape === 3 ? [memOp(), reg()] : shape === 4 ? [memOp(), pick(IMMS)] : shape === 5 ? [reg()] : [];
      const line = `${r() < 0.03 ? 'lock ' : ''}${mn} ${ops.join(', ')}`;
      const bits = r() < 0.9 ? 64 : 32;
      fastText.on = true;
      const fast = bytesOf(line, bits);
      fastText.on = false;
      const slow = bytesOf(line, bits);
      fastText.on = true;
      if (!slow.startsWith('error')) fastLines++;
      expect(fast, `bits ${bits}: ${line}`).toBe(slow);
    }
    expect(fastLines).toBeGreaterThan(2500);
  });
});

describe('x86 text line fast path (Backend.parseLine)', () => {
  it('reads lines as the token path does: the same bytes or the same error', () => {
    const lines = [
      'mov rax, [rbx+rcx*2-5]', 'mov eax, qword [rbx]', 'lea r8, [r12-75]', 'cmp qword [rbp+r13*4-38], -1983538668',
      'add r15d, -1316025364', 'mov [rax+0], ebx', 'mov rax, 4294967295', 'mov rax, [rsp+rsp]', 'push rax', 'pop r12',
      'push eax', 'inc ecx', 'ret', 'nop', 'mov rax,rbx', 'mov rax , [ rbx + 4 ]', '  mov rax, [rbx+ 08]', 'mov rax, -0',
      'test rdi, rdi', 'and dword [r13], 5', 'add byte [rax], 5', 'mov rax, [rbx*2]', 'xor r9d, r9d\r', 'lea rax, [rbp]',
      'mov [r13+rax*8+2147483647], rdx', 'mov [rax-2147483648], rdx', 'mov [rax-2147483649], rdx', 'mov [rax+2147483648], rdx',
      'sub rsp, 128', 'add rax, 127', 'add rax, -129', 'mov rax, 2147483648', 'mov rax, -2147483649', 'mov eax, -1',
      'mov rax, [rbx+rcx*3]', 'mov rax, [rbx+rcx*16]', 'mov rax, [rbx-rcx]', 'mov rax, [rbx+5+rcx]', 'mov rax, [rbx+5-3]',
      'mov rax, 12345678901', 'mov rax, 10h', 'mov rax, 1_000', 'mov rax, rbx ; comment', 'mov rax, rbx,', 'mov rax,', 'mov',
      'mov rax rbx', 'movrax, rbx', 'mov rax, [rbx', 'mov rax, [rbx]]', 'mov dword rax, 5', 'mov qword [rax], rbx',
      'add dword [rax+rbx], -7', 'mov rax, [r12+r13*8+100]', 'lea eax, [rax+rbx]', 'mov rax, [ebx]', 'dq rax, rbx', 'db 1, 2',
      'inc rax, rbx', 'ret 5', 'mov rax, [rbx+rcx*2-200401]', 'lock', 'x: mov rax, rbx', 'nop:', 'mov rax, rsi\t',
      'jmp L', 'jns L', 'call L', 'jz  L  ', 'jmp rax', 'jmp RAX', 'jmp short L', 'jmp byte', 'jmp L ; c', 'jmp nowhere', 'jmp Rel',
      'jmpL', 'jmp L+1', 'jmp .x', 'jae L\r', 'jmp $', 'call far', 'jmp L_2', 'jmp _L',
      // Words of the fast path's and words a character away (the word table finds short ones by code alone).
      'syscall', 'syscal', 'syscalls', 'pause', 'paus', 'cpuid', 'rdtsc', 'cdqe', 'cdqee', 'mov r15d, r8d', 'mov r15dd, 1',
      'mov eax, dwor [rbx]', 'mov eax, dwordd [rbx]', 'mov rax, qword [r13 + r12*8]', 'mov rax, [r133]', 'jnge L', 'jngee L',
      // Branches to a target further on (near form), to an equ, to a circular one.
      'jne F\ntimes 200 nop\nF:', 'jmp F\ntimes 126 nop\nF:', 'jmp E\nE equ 0x20', 'jl E\nE equ 0x100000', 'jmp C\nC equ C+1', 'jmp E\nE equ 0x7fffffffffff',
    ];
    const on = x86Backend('x86_64');
    const off = { ...on, parseLine: undefined };
    const run = (src: string, b: typeof on): string => {
      try {
        return Buffer.from(assembleText(src, b).bytes).toString('hex');
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    };
    for (const line of lines) {
      const src = `bits 64\nL:\n${line}\nnop\n`;
      expect(run(src, on), line).toBe(run(src, off));
      // The last line of a source without a final newline: the line ends where the source does.
      const last = `bits 64\nL:\n${line}`;
      expect(run(last, on), `${line} (last)`).toBe(run(last, off));
    }
  });
});
