// exit: exits with the status.
SYS_exit = 93
status   = 0
    .text
_start:
    mov     x0, #status
    mov     x8, #SYS_exit
    svc     #0
