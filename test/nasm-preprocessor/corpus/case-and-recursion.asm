; Directive names in any case; %define is case-sensitive, %idefine not; a recursive macro
; (last: nasm 2.16.01 drops the lines after a %rmacro that recursed through %if).
bits 32
%DEFINE Big 1
%define big 2
%Assign Count 3
%IDEFINE any 4
  db Big, big, Count, ANY, Any
%Macro twice 1
  %1
  %1
%EndMacro
  twice nop
  twice {db 9}
%rmacro countdown 1
  db %1
%if %1 > 0
  countdown %1 - 1
%endif
%endmacro
  countdown 5
