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
    ; The set of signals we wait for, on the stack; with three words pushed below it, it is also
    ; the mask of SIGCHLD's struct sigaction (handler, flags, restorer, mask).
    push (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))
    push rsp
    pop rsi                     ; rsi = &set
    mov r10b, 8                 ; sizeof(sigset_t)
    mov al, SYS_rt_sigprocmask  ; rdi = 0 = SIG_BLOCK, rdx = 0: no old set (both 0 at entry)
    syscall
    push rax                    ; restorer: 0 (eax = 0 after success)
    push rax                    ; flags: 0
    push SIG_IGN
    push rsp
    pop rsi                     ; rsi = &act
    push SIGCHLD
    pop rdi
    mov al, SYS_rt_sigaction    ; rdx = 0: no old action
    syscall
    lea rdi, [rsi + 24]         ; rdi = &act.sa_mask = &set; rsi = &act, a stack buffer for the siginfo
    mov al, SYS_rt_sigtimedwait ; rdx = NULL: no timeout; r10 = 8 still
    syscall                     ; returns when SIGINT or SIGTERM arrives
    xor edi, edi                ; status 0
    mov al, SYS_exit            ; eax = the signal number, < 256
    syscall
