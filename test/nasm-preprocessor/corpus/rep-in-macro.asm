; %rep inside macros (with %rotate), macros inside %rep, labels from %assign.
bits 64
%macro table_of 2
%1:
%assign k 0
%rep %2
  dw k * 3
%assign k k + 1
%endrep
%endmacro
%macro sum_args 1-*
  xor eax, eax
%rep %0
  add eax, %1
%rotate 1
%endrep
%endmacro
  table_of t1, 4
  table_of t2, 2
  sum_args 1, 2, 3, 4
%assign i 0
%rep 3
  lbl_ %+ i:
  dd i
%assign i i+1
%endrep
  dq lbl_0, lbl_2
