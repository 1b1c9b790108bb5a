; A record laid out with struc/istruc in .rodata: prints its name, exits with its code.
struc rec
  .len:  resb 1
  .name: resb 15
  .code: resd 1
endstruc
section .rodata
alice: istruc rec
  at .len,  db 6
  at .name, db 'alice', 10
  at .code, dd 42
iend
section .text
global _start
_start:
  lea rsi, [rel alice + rec.name]
  movzx edx, byte [rel alice + rec.len]
  mov edi, 1
  mov eax, 1
  syscall
  mov edi, [rel alice + rec.code]
  mov eax, 60
  syscall
