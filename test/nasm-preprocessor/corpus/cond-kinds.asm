; The other %if kinds: %ifmacro, %ifempty, %iftoken, %ifn, and %if inside skipped branches.
bits 64
%macro m1 1
  db %1
%endmacro
%macro opt 0-1
%ifempty %1
  db 0xee
%else
  db %1
%endif
%endmacro
%ifmacro m1
  m1 1
%endif
%ifnmacro nosuch
  db 2
%endif
%iftoken 42
  db 3
%endif
%iftoken 4 2
  db 0xff
%endif
%ifn 0
  db 4
%endif
  opt
  opt 5
%if 0
  %if 1
    db 0xff
  %elif 1
    db 0xff
  %else
    db 0xff
  %endif
%elif 0
  db 0xff
%elifn 0
  db 6
%else
  db 0xff
%endif
%if 1
%elif 1/0
%endif
  db 7
