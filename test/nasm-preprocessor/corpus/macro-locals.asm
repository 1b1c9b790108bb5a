; Macros with %%local labels: each use gets its own.
bits 64
%macro zero_loop 1
  mov ecx, %1
%%again:
  dec ecx
  jnz %%again
%endmacro
%macro clamp 2
  cmp %1, %2
  jle %%ok
  mov %1, %2
%%ok:
%endmacro
_start:
  zero_loop 10
  zero_loop 300
  clamp eax, ebx
  clamp rdx, rcx
.loop:
  clamp esi, edi
  jmp .loop
