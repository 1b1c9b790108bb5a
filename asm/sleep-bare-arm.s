@ sleep (bare): sleeps forever with no CPU, and nothing else (see sleep-bare-x86_64.s). Thumb.
SYS_pause = 29
    .text
    .thumb
    .thumb_func
_start:
    movs    r7, #SYS_pause
1:  svc     #0
    b       1b
