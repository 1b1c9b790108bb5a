; Prints numbers in decimal with a macro whose loop label is a %%local one (used three times).
bits 32
%define SYS_exit 1
%define SYS_write 4
%macro print_uint 1
  mov eax, %1
  sub esp, 16
  lea edi, [esp + 15]
  mov byte [edi], 10
  mov ecx, 10
%%digit:
  xor edx, edx
  div ecx
  add dl, '0'
  dec edi
  mov [edi], dl
  test eax, eax
  jnz %%digit
  lea edx, [esp + 16]
  sub edx, edi
  mov ecx, edi
  mov ebx, 1
  mov eax, SYS_write
  int 0x80
  add esp, 16
%endmacro
section .text
global _start
_start:
  print_uint 12345
  print_uint 7
  print_uint 4000000000
  mov ebx, 0
  mov eax, SYS_exit
  int 0x80
