; The hello records' own job, for a like-for-like size: write the message, exit 0. Unlike
; asm/hello-i386.s it neither blocks SIGPIPE nor checks what write returned.
bits 32

section .text
_start:
    inc ebx                     ; fd 1 (registers are 0 at entry)
    mov ecx, message
    mov dl, message_len
    mov al, 4                   ; SYS_write
    int 0x80
    xchg eax, ebp               ; eax = 0 (ebp is 0 at entry)
    xchg eax, ebx               ; eax = 1 = SYS_exit, ebx = 0
    int 0x80

section .rodata
message: db "Hello, World!", 10
message_len equ $ - message
