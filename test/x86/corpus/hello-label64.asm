; A hand-built ELF whose code loads the message's address as an immediate (`mov rsi, msg`):
; nasm takes a label as relocatable even in -f bin, so this is the 10-byte mov r64, imm64, and
; p_filesz, computed from labels, counts those bytes.
bits 64
org 0x400000
ehdr:
    db 0x7f, "ELF", 2, 1, 1, 0
    times 8 db 0
    dw 2, 0x3e
    dd 1
    dq _start
    dq phdr - $$
    dq 0
    dd 0
    dw ehdrsize, phdrsize, 1, 0, 0, 0
ehdrsize equ $ - ehdr
phdr:
    dd 1, 5
    dq 0, $$, $$, filesize, filesize, 0x1000
phdrsize equ $ - phdr
_start:
    mov rsi, msg
    mov edx, msglen
    mov edi, 1
    mov eax, 1
    syscall
    mov eax, 60
    xor edi, edi
    syscall
msg: db "hi", 10
msglen equ $ - msg
filesize equ $ - $$
