; %strlen, %substr, string parameters.
bits 32
%define GREETING 'Hello, world'
%strlen GLEN GREETING
%substr FIRST GREETING 1
%substr WORLD GREETING 8, 5
%substr TAIL GREETING 8, -1
msg: db GREETING
  db GLEN
  db FIRST, WORLD, TAIL
%macro pstr 1
  %strlen %%n %1
  db %%n, %1
%endmacro
  pstr 'abc'
  pstr 'a longer string'
%ifstr GREETING
  db 1
%endif
%ifnum GLEN
  db 2
%endif
%ifid GREETING
  db 3
%endif
