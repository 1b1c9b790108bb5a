; sleep: sleeps forever with no CPU; exits 0 on SIGTERM or SIGINT; leaves no zombies (PID 1 duties).
;
; A namespace's init gets no default-action signals, so instead of relying on them we block
; SIGINT and SIGTERM and wait for them with rt_sigtimedwait. Orphans reparented to us (when we
; are PID 1) must not stay zombies: with SIGCHLD set to SIG_IGN the kernel reaps our children
; itself as they exit (POSIX: SA_NOCLDWAIT semantics), so no wait loop is needed.
; Linux starts a process with every general register zero, which the code uses (the loader
; tests prove it for each loader).
bits 64

SYS_rt_sigaction    equ 13
SYS_rt_sigprocmask  equ 14
SYS_rt_sigtimedwait equ 128
SYS_exit            equ 60
SIGINT              equ 2
SIGTERM             equ 15
SIGCHLD             equ 17
SIG_IGN             equ 1

section .text
_start:
    ; struct sigaction on the stack: handler, flags, restorer, mask. The mask doubles as the
    ; set of signals we wait for.
    push (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))
    push 0
    push 0
    push SIG_IGN
    push rsp
    pop rsi                     ; rsi = &act
    push SIGCHLD
    pop rdi
    mov r10b, 8                 ; sizeof(sigset_t)
    mov al, SYS_rt_sigaction    ; rdx = 0: no old action
    syscall
    xor edi, edi                ; SIG_BLOCK
    add rsi, 24                 ; rsi = &act.sa_mask: SIGINT, SIGTERM
    mov al, SYS_rt_sigprocmask  ; eax = 0 after success
    syscall
    xchg rdi, rsi               ; rdi = &set, rsi = NULL: no siginfo; rdx = NULL: no timeout
    mov al, SYS_rt_sigtimedwait
    syscall                     ; returns when SIGINT or SIGTERM arrives
    xor edi, edi                ; status 0
    mov al, SYS_exit            ; eax = the signal number, < 256
    syscall
