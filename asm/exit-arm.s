@ exit: exits with the status (Thumb).
SYS_exit = 1
status   = 0
    .text
    .thumb
    .thumb_func
_start:
    movs    r0, #status
    movs    r7, #SYS_exit
    svc     #0
