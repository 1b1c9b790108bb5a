// sleep: sleeps forever with no CPU; exits 0 on SIGTERM or SIGINT; leaves no zombies (PID 1 duties).
// Same design as sleep-x86_64.s: SIGCHLD ignored so the kernel reaps children; SIGINT and SIGTERM
// blocked and taken with rt_sigtimedwait. (AArch64 has no pause syscall; nothing here needs it.)
// The two words of data may go anywhere, header holes included.

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
    mov     x0, #SIGCHLD
    adr     x1, act
    mov     x3, #8                      // sizeof(sigset_t)
    mov     x8, #SYS_rt_sigaction       // x2 = 0: no old action
    svc     #0
    adr     x1, set                     // x0 = 0 = SIG_BLOCK after success
    mov     x8, #SYS_rt_sigprocmask
    svc     #0
    mov     x0, x1                      // &set
    mov     x1, xzr                     // no siginfo; x2 = NULL: no timeout
    mov     x8, #SYS_rt_sigtimedwait
    svc     #0                          // returns when SIGINT or SIGTERM arrives
    mov     x0, xzr                     // status 0
    mov     x8, #SYS_exit
    svc     #0

    .section .rodata.act            // (a section each: the planner may place them apart)
// struct sigaction: only sa_handler matters for SIG_IGN. The flags, restorer and mask the kernel
// also reads are whatever bytes follow (Linux clears unknown flags since 5.11, and no flag changes
// what SIG_IGN does except SA_NOCLDWAIT, which reaps children too); any mapped bytes will do.
act:
    .quad   SIG_IGN
    .section .rodata.set
set:
    .quad   (1 << (SIGINT - 1)) | (1 << (SIGTERM - 1))
