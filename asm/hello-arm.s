@ hello: writes the message to stdout and exits 0; exits 1 if the write fails or is short.
@ SIGPIPE is blocked first, so a pipe whose reader has gone makes write fail with EPIPE.
@ Thumb, ARMv6. qemu-arm starts processes with r1, r2 and r10 set; only r0 = 0 is relied on
@ (both loaders clear it).
SYS_exit        = 1
SYS_write       = 4
SYS_sigprocmask = 126
SIGPIPE         = 13
@ 1: load the length with movs (messages of at most 255 bytes) instead of keeping it in a word
@ before the text (tinyelf builds both and keeps the smaller file).
BYTE_LENGTH     = 0

    .text
    .thumb
    .thumb_func
_start:
    adr     r1, set                 @ r0 = 0 = SIG_BLOCK
    movs    r2, #0                  @ no old set
    movs    r7, #SYS_sigprocmask
    svc     #0
    movs    r0, #1                  @ stdout
    times 1-BYTE_LENGTH adr r1, message
    times BYTE_LENGTH   adds r1, #message - set @ r1 is still &set: the text need not be word-aligned
    times 1-BYTE_LENGTH ldmia r1!, {r2}     @ r2 = the length, r1 = the text after it
    times BYTE_LENGTH   movs r2, #message_len
    movs    r7, #SYS_write
    svc     #0
    subs    r0, r0, r2              @ 0 when all of it was written
    subs    r1, r0, #1              @ carry = (r0 != 0)
    sbcs    r0, r0, r1              @ r0 - (r0 - 1) - !carry = carry: status 0 or 1
    movs    r7, #SYS_exit
    svc     #0

    .section .rodata.set            @ (a section each: the planner may place them apart, and
    .balign 4                       @ `message - set` above measures wherever they are)
set:
    .word   1 << (SIGPIPE - 1)      @ old_sigset_t
    .section .rodata.message
    .balign 4 - 3 * BYTE_LENGTH     @ (ldmia and adr need a word-aligned address)
message:
    times 1-BYTE_LENGTH .word message_len   @ the length first: one ldmia loads it and points r1 past it
    .ascii  "Hello, World!\n"
message_len = . - message - 4 * (1 - BYTE_LENGTH)
