; %assign counters numbering things, %xdefine snapshots versus %define's late binding.
bits 32
%assign n 0
%macro entry 1
  dd %1
  %assign n n + 1
%endmacro
table:
  entry 10
  entry 20
  entry 30
count: dd n
%define LATE n
%xdefine EARLY n
%assign n 100
  dd LATE, EARLY
%define a 1
%xdefine b a+1
%define a 5
  dd a, b
%define grow grow+1
grow2 equ 7
%define grow2 grow2*2
  dd grow2
