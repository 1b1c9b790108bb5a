; %if on %define'd values, %ifdef/%ifndef, %elif chains, %ifidn.
bits 64
%define DEBUG
%define LEVEL 2
%define MODE fast
_start:
%ifdef DEBUG
  int3
%endif
%ifndef RELEASE
  nop
%else
  hlt
%endif
%if LEVEL = 1
  mov eax, 1
%elif LEVEL == 2
  mov eax, 2
%elif LEVEL > 2
  mov eax, 3
%else
  mov eax, 0
%endif
%ifidn MODE, fast
  xor ecx, ecx
%endif
%ifidni MODE, FAST
  xor edx, edx
%endif
%ifnidn MODE, slow
  inc edx
%endif
%if (LEVEL << 2) | 1 == 9 && !(LEVEL < 0)
  inc eax
%endif
%if 0
  %error never reached
  %unknown_directive_is_skipped_too
%endif
%undef DEBUG
%ifdef DEBUG
  int3
%elifndef DEBUG
  ret
%endif
