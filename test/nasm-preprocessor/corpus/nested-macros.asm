; Macros that use macros, parameters passed on, %0 and defaults.
bits 64
%macro sys 1-4 0, 0, 0
  mov eax, %1
%if %0 >= 2
  mov edi, %2
%endif
%if %0 >= 3
  mov esi, %3
%endif
  syscall
%endmacro
%macro exit 0-1 0
  sys 60, %1
%endmacro
%macro write 2
  sys 1, 1, %1, %2
%endmacro
_start:
  write msg, len
  exit 3
  exit
msg: db 'hi', 10
len equ $ - msg
