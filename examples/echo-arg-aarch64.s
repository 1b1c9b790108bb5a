// echo-arg: writes argv[1] and a newline to stdout, exits 0.
// Exits 1 when there is no argument or the write fails (or is short).
// The initial stack: [sp] = argc, [sp, #8] = argv[0], [sp, #16] = argv[1], …
SYS_write = 64
SYS_exit  = 93

    .text
_start:
    ldr     x9, [sp]                // argc
    mov     x0, #1                  // stdout, and the status if there is no argument
    cmp     x9, #2
    b.lo    3f
    ldr     x1, [sp, #16]           // argv[1]
    mov     x2, #0
1:  ldrb    w3, [x1, x2]            // strlen
    cbz     w3, 2f
    add     x2, x2, #1
    b       1b
2:  mov     w3, #10
    strb    w3, [x1, x2]            // NUL → newline: one write prints both
    add     x2, x2, #1
    mov     x8, #SYS_write
    svc     #0
    cmp     x0, x2
    cset    w0, ne                  // 0 when all of it was written
3:  mov     x8, #SYS_exit
    svc     #0
