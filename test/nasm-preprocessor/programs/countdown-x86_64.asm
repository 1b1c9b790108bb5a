; A message per step of a %rep-unrolled countdown, each a macro use with its own string;
; the strings go to .rodata through a macro that switches sections and back.
%macro say 1+
section .rodata
%%msg: db %1, 10
%%len equ $ - %%msg
section .text
  mov eax, 1
  mov edi, 1
  lea rsi, [rel %%msg]
  mov edx, %%len
  syscall
%endmacro
section .text
global _start
_start:
%assign n 3
%rep 3
  say 'T minus ', '0' + n
%assign n n - 1
%endrep
  say 'liftoff'
  mov edi, 0
  mov eax, 60
  syscall
