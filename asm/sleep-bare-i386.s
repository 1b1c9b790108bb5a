; sleep (bare): sleeps forever with no CPU, and nothing else (see sleep-bare-x86_64.s).
bits 32
SYS_pause equ 29
section .text
_start:
    push SYS_pause
    pop eax
    int 0x80
    jmp _start
