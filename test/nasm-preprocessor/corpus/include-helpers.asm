; %include'd helpers: one beside this file, one found through -I lib.
bits 64
%include "inc/syscalls.inc"
%include "macros.inc"
_start:
  print msg, msglen
  quit 0
msg: db 'hello', 10
msglen equ $ - msg
