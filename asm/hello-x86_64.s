; hello: writes the message to stdout and exits 0; exits 1 if the write fails or is short.
; SIGPIPE is blocked first, so a pipe whose reader has gone makes write fail with EPIPE
; instead of killing the process with a signal.
bits 64

SYS_write          equ 1
SYS_rt_sigprocmask equ 14
SYS_exit           equ 60
SIGPIPE            equ 13
; 1: address the message RIP-relative (7 bytes) instead of as a 32-bit immediate (5), for a file
; based above 4 GiB (tinyelf builds both and keeps the smaller file).
RIP_RELATIVE       equ 0
; 1: load the length with a 2-byte mov dl (rdx is 0 at entry), for messages of at most 255 bytes.
BYTE_LENGTH        equ 0

section .text
_start:
    push 1 << (SIGPIPE - 1)
    push rsp
    pop rsi                     ; rsi = &set; rdi = 0 = SIG_BLOCK; rdx = 0: no old set
    mov r10b, 8                 ; sizeof(sigset_t)
    mov al, SYS_rt_sigprocmask
    syscall
    inc edi                     ; fd 1
    times 1-RIP_RELATIVE mov esi, message
    times RIP_RELATIVE   lea rsi, [rel message]
    times 1-BYTE_LENGTH push message_len
    times 1-BYTE_LENGTH pop rdx
    times BYTE_LENGTH   mov dl, message_len
    mov al, SYS_write           ; eax = 0 after rt_sigprocmask
    syscall
    cmp eax, edx
    setne al                    ; status 0 when all of it was written, else 1 (exit keeps the low byte)
    xchg eax, edi               ; eax = 1, the fd: its upper bytes are 0 for the mov al
    mov al, SYS_exit
    syscall

section .rodata
message: db "Hello, World!", 10
message_len equ $ - message
