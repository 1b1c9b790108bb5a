// sleep (bare): sleeps forever with no CPU, and nothing else. AArch64 has no pause syscall:
// ppoll with no descriptors and no timeout blocks until a signal handler runs (we have none).
SYS_ppoll = 73
    .text
_start:
    mov     x8, #SYS_ppoll              // x0..x3 = 0: no fds, no timeout, no mask
1:  svc     #0
    b       1b
