; %unmacro removes one definition (by its parameter count), %deftok makes tokens of a string.
bits 64
%macro put 1
  db %1
%endmacro
%macro put 2
  db %1 + %2
%endmacro
  put 1
  put 2, 3
%unmacro put 2
  put 4
%unmacro put 1
put:                       ; no macro of the name is left
  jmp short put
%deftok INSN 'nop'
  INSN
%deftok EXPR '2 * 21'
  db EXPR
%define S 'int3'
%deftok T S
  T
