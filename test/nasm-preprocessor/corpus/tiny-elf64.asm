; A hand-built x86-64 ELF, the shape tiny-ELF write-ups use: %define for the load address.
bits 64
%define BASE 0x400000
%define PT_LOAD 1
%define ELFCLASS64 2
            org BASE
ehdr:
            db 0x7f, 'ELF', ELFCLASS64, 1, 1, 0
  times 8   db 0
            dw 2                ; e_type
            dw 0x3e             ; e_machine
            dd 1
            dq _start
            dq phdr - $$
            dq 0
            dd 0
            dw ehdrsize
            dw phdrsize
            dw 1
            dw 0, 0, 0
ehdrsize    equ $ - ehdr
phdr:
            dd PT_LOAD
            dd 5
            dq 0
            dq $$
            dq $$
            dq filesize
            dq filesize
            dq 0x1000
phdrsize    equ $ - phdr
%assign EXIT_CODE 42
_start:
            mov edi, EXIT_CODE
            mov eax, 60
            syscall
filesize    equ $ - $$
