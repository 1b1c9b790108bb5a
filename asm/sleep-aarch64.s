// sleep: sleeps forever with no CPU; exits 0 on SIGTERM or SIGINT; leaves no zombies (PID 1 duties).
// Same design as sleep-x86_64.s: SIGCHLD ignored so the kernel reaps children; SIGINT and SIGTERM
// blocked and taken with rt_sigtimedwait. (AArch64 has no pause syscall; nothing here needs it.)
// Linux starts a process with every general register zero.

SYS_rt_sigaction    = 134
SYS_rt_sigprocmask  = 135
SYS_rt_sigtimedwait = 137
SYS_exit            = 93
SIGINT              = 2
SIGTERM             = 15
SIGCHLD             = 17
SIG_IGN             = 1

    .text
_start:
    // struct sigaction on the stack: handler, flags, then the mask (after sa_restorer where the
    // ABI has one): both words after flags hold the set, so either layout reads it.
    mov     x9, #SIG_IGN
    mov     x10, #(1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))
    stp     x9, xzr, [sp, #-32]!
    stp     x10, x10, [sp, #16]
    mov     x0, #SIGCHLD
    mov     x1, sp
    mov     x3, #8                      // sizeof(sigset_t)
    mov     x8, #SYS_rt_sigaction       // x2 = 0: no old action
    svc     #0
    add     x1, sp, #16                 // &set; x0 = 0 = SIG_BLOCK after success
    mov     x8, #SYS_rt_sigprocmask
    svc     #0
    mov     x0, x1                      // &set
    mov     x1, xzr                     // no siginfo; x2 = NULL: no timeout
    mov     x8, #SYS_rt_sigtimedwait
    svc     #0                          // returns when SIGINT or SIGTERM arrives
    mov     x0, xzr                     // status 0
    mov     x8, #SYS_exit
    svc     #0
