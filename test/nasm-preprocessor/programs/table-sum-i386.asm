; Sums a table that %rep built in .rodata; the exit status is the sum.
bits 32
section .rodata
table:
%assign i 1
%rep 12
  db i * 7 % 11
%assign i i + 1
%endrep
tlen equ $ - table
section .text
global _start
_start:
  xor eax, eax
  xor ecx, ecx
  mov esi, table
sum:
  movzx edx, byte [esi + ecx]
  add eax, edx
  inc ecx
  cmp ecx, tlen
  jne sum
  mov ebx, eax
  mov eax, 1
  int 0x80
