; Lines that end in a backslash go on with the next (also a comment's, as in nasm).
bits 32
%define X 1
  db X, \
  2, \
 3
%macro m 2
 db %1, \
   %2
%endmacro
 m 4, \
 5
 db 6 ; a comment that goes on \
 db 0xff
 db 7
