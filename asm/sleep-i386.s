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
    ; The 8-byte set of signals we wait for, on the stack; with the handler pushed below it, it
    ; is also the mask and the zero flags of SIGCHLD's struct old_sigaction (whose restorer, the
    ; word above, is read only with SA_RESTORER).
    push 0
    push (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))
    mov ecx, esp                ; ecx = &set
    push 8
    pop esi                     ; sizeof(sigset_t)
    mov al, SYS_rt_sigprocmask  ; ebx = 0 = SIG_BLOCK, edx = 0: no old set (both 0 at entry)
    int 0x80
    push SIG_IGN
    mov ecx, esp                ; ecx = &act
    mov bl, SIGCHLD
    mov al, SYS_sigaction       ; eax = 0 after success; edx = 0: no old action
    int 0x80
    pop eax                     ; eax = 1 (upper bytes 0 for the mov al), esp = &set
    mov al, SYS_rt_sigtimedwait
    mov ebx, esp                ; ebx = &set; ecx = &act, a stack buffer for the siginfo
    int 0x80                    ; returns when SIGINT or SIGTERM arrives (edx = NULL: no timeout)
    xor ebx, ebx                ; status 0
    mov al, SYS_exit            ; eax = the signal number, < 256
    int 0x80
