// hello: writes the message to stdout and exits 0; exits 1 if the write fails or is short.
// SIGPIPE is blocked first, so a pipe whose reader has gone makes write fail with EPIPE.
SYS_write          = 64
SYS_rt_sigprocmask = 135
SYS_exit           = 93
SIGPIPE            = 13

    .text
_start:
    adr     x1, set                     // x0 = 0 = SIG_BLOCK; x2 = 0: no old set
    mov     x3, #8                      // sizeof(sigset_t)
    mov     x8, #SYS_rt_sigprocmask
    svc     #0
    mov     x0, #1                      // stdout
    adr     x1, message
    mov     x2, #message_len
    mov     x8, #SYS_write
    svc     #0
    cmp     x0, x2
    cset    w0, ne                      // 0 when all of it was written, else 1
    mov     x8, #SYS_exit
    svc     #0

    .section .rodata.set            // (a section each: the planner may place them apart)
set:
    .quad   1 << (SIGPIPE - 1)
    .section .rodata.message
message:
    .ascii  "Hello, World!\n"
message_len = . - message
