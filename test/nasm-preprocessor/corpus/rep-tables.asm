; %rep building tables, with %assign counters and %exitrep.
bits 32
squares:
%assign i 0
%rep 16
  dd i*i
%assign i i+1
%endrep
powers:
%assign p 1
%rep 100
  %if p > 5000
    %exitrep
  %endif
  dw p
  %assign p p*3
%endrep
nested:
%assign row 0
%rep 3
  %assign col 0
  %rep 4
    db row*4 + col
    %assign col col+1
  %endrep
  %assign row row+1
%endrep
