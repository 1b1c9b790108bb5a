@ true for 32-bit ARM, in Thumb: exits 0. (Without .thumb the same text is A32.)
    .text
    .thumb
    .thumb_func
_start:
    movs    r0, #0
    movs    r7, #1                  @ SYS_exit
    svc     #0
