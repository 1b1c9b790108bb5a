; Greedy last parameters, braces, %rotate, %{n} and pasting.
bits 64
%macro emit 1+
  db %1
%endmacro
%macro pushall 1-*
%rep %0
  push %1
%rotate 1
%endrep
%endmacro
%macro popall 1-*
%rep %0
%rotate -1
  pop %1
%endrep
%macro jmpif 2
  j%1 %2
%endmacro
%macro field 2
%{1}_off equ %2
%endmacro
%endmacro
  emit 1, 2, 3, 'four'
  pushall rax, rbx, rcx
  popall rax, rbx, rcx
top:
  jmpif nz, top
  jmpif e, top
%macro pair 2
  dw %1
  dw %2
%endmacro
  pair {1+1}, {2, 3}
