; equ, $ and $$ together with preprocessor values.
bits 32
%define HDR 8
        org 0x1000
start:  times HDR db 0xcc
here    equ $
size    equ here - start
%assign twice HDR*2
        dd here, size, twice, $ - $$
        db ($ - start) & 0xff
