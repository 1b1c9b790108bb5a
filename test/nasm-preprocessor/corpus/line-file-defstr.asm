; __LINE__ and __FILE__ (in a macro or %rep: the line of its body, as nasm 2.16 gives it), %defstr.
bits 32
%macro here 0
  dd __LINE__
  dd __?LINE?__
%endmacro
  dd __LINE__

  here
%rep 2
  dw __LINE__
%endrep
name: db __FILE__, 0
%defstr SPACED a   b+1
%define Q 3
%defstr QS Q
%idefstr Loud  x  ; comment
  db SPACED, QS, LOUD
%strlen FLEN __FILE__
  dd FLEN
