; Prints the digits 0-9 through one write, with a system-call macro whose optional arguments
; are tested by %if on %0; exits with the count.
%define SYS_write 1
%define SYS_exit 60
%define COUNT 10
%macro sys 1-4
  mov eax, %1
%if %0 > 1
  mov edi, %2
%endif
%if %0 > 2
  mov rsi, %3
%endif
%if %0 > 3
  mov edx, %4
%endif
  syscall
%endmacro
section .text
global _start
_start:
  sub rsp, 32
  xor ecx, ecx
.next:
  lea eax, [rcx + '0']
  mov [rsp + rcx], al
  inc ecx
  cmp ecx, COUNT
  jb .next
  mov byte [rsp + rcx], 10
  sys SYS_write, 1, rsp, COUNT + 1
  sys SYS_exit, COUNT
