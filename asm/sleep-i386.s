; sleep: sleeps forever with no CPU; exits 0 on SIGTERM or SIGINT; leaves no zombies (PID 1 duties).
; Same design as sleep-x86_64.s: SIGCHLD ignored so the kernel reaps children, SIGINT and SIGTERM
; blocked and taken with rt_sigtimedwait.
bits 32

SYS_exit            equ 1
SYS_sigaction       equ 67
SYS_rt_sigprocmask  equ 175
SYS_rt_sigtimedwait equ 177
SIGINT              equ 2
SIGTERM             equ 15
SIGCHLD             equ 17
SIG_IGN             equ 1

section .text
_start:
    ; struct old_sigaction on the stack: handler, mask, flags, restorer. The mask and the zero
    ; flags after it form the 8-byte set of signals we wait for.
    push 0
    push 0
    push (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))
    push SIG_IGN
    mov ecx, esp                ; ecx = &act
    mov bl, SIGCHLD             ; ebx is 0 at entry
    mov al, SYS_sigaction       ; edx = 0: no old action
    int 0x80
    add ecx, 4                  ; ecx = &set
    push 8
    pop esi                     ; sizeof(sigset_t)
    xor ebx, ebx                ; SIG_BLOCK
    mov al, SYS_rt_sigprocmask  ; eax = 0 after success
    int 0x80
    xchg ebx, ecx               ; ebx = &set, ecx = NULL: no siginfo; edx = NULL: no timeout
    mov al, SYS_rt_sigtimedwait
    int 0x80                    ; returns when SIGINT or SIGTERM arrives
    xor ebx, ebx                ; status 0
    mov al, SYS_exit            ; eax = the signal number, < 256
    int 0x80
