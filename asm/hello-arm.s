@ hello: writes the message to stdout and exits 0; exits 1 if the write fails or is short.
@ SIGPIPE is blocked first, so a pipe whose reader has gone makes write fail with EPIPE.
@ Thumb, ARMv6; no register is assumed zero (qemu-arm starts with some set).
SYS_exit        = 1
SYS_write       = 4
SYS_sigprocmask = 126
SIGPIPE         = 13

    .text
    .thumb
    .thumb_func
_start:
    movs    r0, #1
    lsls    r0, r0, #SIGPIPE - 1
    push    {r0}                    @ the set (old_sigset_t: 4 bytes)
    movs    r0, #0                  @ SIG_BLOCK
    mov     r1, sp
    movs    r2, #0                  @ no old set
    movs    r7, #SYS_sigprocmask
    svc     #0
    movs    r0, #1                  @ stdout
    adr     r1, message
    ldr     r2, =message_len
    movs    r7, #SYS_write
    svc     #0
    subs    r0, r0, r2              @ 0 when all of it was written
    beq     1f
    movs    r0, #1
1:  movs    r7, #SYS_exit
    svc     #0

    .section .rodata
    .balign 4
message:
    .ascii  "Hello, World!\n"
message_len = . - message
