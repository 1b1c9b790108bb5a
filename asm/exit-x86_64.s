; exit: exits with the status.
bits 64
SYS_exit equ 60
status   equ 0
section .text
_start:
    push status
    pop rdi
    mov al, SYS_exit            ; rax is 0 at entry
    syscall
