; sleep (bare): sleeps forever with no CPU, and nothing else. As PID 1 it ignores SIGTERM
; (the kernel drops default-action signals to a namespace's init); use `sleep` for containers.
bits 64
SYS_pause equ 34
section .text
_start:
    push SYS_pause
    pop rax
    syscall                     ; returns only if a signal handler ran; we have none
    jmp _start
