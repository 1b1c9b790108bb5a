@ sleep: sleeps forever with no CPU; exits 0 on SIGTERM or SIGINT; leaves no zombies (PID 1 duties).
@ Same design as sleep-x86_64.s: SIGCHLD ignored so the kernel reaps children; SIGINT and SIGTERM
@ blocked and taken with rt_sigtimedwait. Written in Thumb (16-bit instructions, ARMv6's Thumb-1
@ only), entered through an odd address. qemu-arm starts processes with r1, r2 and r10 set, so
@ nothing here assumes a register is zero.

SYS_exit            = 1
SYS_sigaction       = 67
SYS_rt_sigprocmask  = 175
SYS_rt_sigtimedwait = 177
SIGCHLD             = 17
SIG_IGN             = 1

    .text
    .thumb
    .thumb_func
_start:
    movs    r4, #SIG_IGN            @ act.sa_handler
    movs    r5, #1
    lsls    r5, r5, #14
    adds    r5, #2                  @ act.sa_mask = SIGINT | SIGTERM (0x4002): also the set we wait for
    movs    r6, #0                  @ act.sa_flags
    push    {r4-r7}                 @ struct old_sigaction on the stack (its restorer, r7, is read only with SA_RESTORER)
    movs    r0, #SIGCHLD
    mov     r1, sp
    movs    r2, #0                  @ no old action
    movs    r7, #SYS_sigaction
    svc     #0
    add     r1, sp, #4              @ &set: the mask and the zero flags after it make 8 bytes
    movs    r3, #8                  @ sizeof(sigset_t); r0 = 0 = SIG_BLOCK after success, r2 = NULL
    movs    r7, #SYS_rt_sigprocmask
    svc     #0
    adds    r0, r1, #0              @ &set; r1 = &set too, the buffer for the siginfo (the set is read first)
                                    @ r2 = NULL: no timeout
    movs    r7, #SYS_rt_sigtimedwait
    svc     #0                      @ returns when SIGINT or SIGTERM arrives
    movs    r0, #0                  @ status 0
    movs    r7, #SYS_exit
    svc     #0
