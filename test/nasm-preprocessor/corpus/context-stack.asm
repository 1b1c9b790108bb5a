; The context stack: if/else/endif macros as nasm's manual builds them (%push, %repl, %pop,
; %ifctx, %$local labels, %-1 and %+1 condition codes), context-local single-line macros.
bits 64
%macro if 1
  %push if
  j%-1 %$ifnot
%endmacro
%macro else 0
  %ifctx if
    %repl else
    jmp %$ifend
    %$ifnot:
  %else
    %error "expected if"
  %endif
%endmacro
%macro endif 0
  %ifctx if
    %$ifnot:
    %pop
  %elifctx else
    %$ifend:
    %pop
  %else
    %error "expected if or else"
  %endif
%endmacro
  cmp eax, ebx
  if e
    nop
  else
    int3
    cmp ecx, 1
    if pe
      hlt
    endif
  endif
  nop
x:
%push outer
%define %$v 5
%push inner
%define %$v 7
  db %$v, %$$v
%pop
  db %$v
%pop
%macro jcc 2
  j%+1 %2
%endmacro
  jcc nz, x
  jcc GE, x
