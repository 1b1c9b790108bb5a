; exit: exits with the status.
bits 32
SYS_exit equ 1
status   equ 0
section .text
_start:
    push status
    pop ebx
    inc eax                     ; SYS_exit; eax is 0 at entry
    int 0x80
