; Details of conditions and parameter counts where nasm has its own rules: %ifidn ignores spaces,
; %ifnum takes a sign, %ifstr several strings, signed and unsigned operators, an empty last parameter is dropped.
bits 64
%ifidn a+b, a + b
 db 1
%else
 db 2
%endif
%ifnum -1
 db 3
%else
 db 4
%endif
%ifstr 'a' 'b'
 db 5
%else
 db 6
%endif
%if 'a' == 97 && 'ab' = 0x6261
 db 7
%endif
%ifidni 'Ab', 'aB'
 db 8
%else
 db 9
%endif
%if -1 < 0 && (-1 >> 63) == 1 && (-1 >>> 63) == -1 && (7 // -2) == -3 && (-7 % 5) == 4 && (-7 %% 3) == -1
 db 10
%endif
%macro cnt 0-*
 db %0
%endmacro
 cnt
 cnt a
 cnt a,
 cnt ,
 cnt {a, b}, c
%define E
%ifempty E
 db 11
%endif
%iftoken "str"
 db 12
%endif
%if 5 <=> 3 == 1 && 1 ^^ 0
 db 13
%endif
