; A tutorial-style i386 program with macros for the system calls.
bits 32
%define SYS_EXIT 1
%define SYS_WRITE 4
%define STDOUT 1
%macro syscall3 4
  mov eax, %1
  mov ebx, %2
  mov ecx, %3
  mov edx, %4
  int 0x80
%endmacro
%macro sys_exit 1
  mov eax, SYS_EXIT
  mov ebx, %1
  int 0x80
%endmacro
_start:
  syscall3 SYS_WRITE, STDOUT, msg, msg.len
  sys_exit 0
msg: db 'Hello from i386', 10
.len equ $ - msg
