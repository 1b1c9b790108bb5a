; hello: writes the message to stdout and exits 0; exits 1 if the write fails or is short.
; SIGPIPE is blocked first (see hello-x86_64.s). i386 keeps the old sigprocmask, whose 4-byte
; set needs no size argument.
bits 32

SYS_exit        equ 1
SYS_write       equ 4
SYS_sigprocmask equ 126
SIGPIPE         equ 13
; 1: load the length with a 2-byte mov dl (edx is 0 at entry), for messages of at most 255 bytes
; (tinyelf builds both and keeps the smaller file).
BYTE_LENGTH     equ 0

section .text
_start:
    push 1 << (SIGPIPE - 1)
    mov ecx, esp                ; ecx = &set; ebx = 0 = SIG_BLOCK; edx = 0: no old set
    mov al, SYS_sigprocmask
    int 0x80
    inc ebx                     ; fd 1
    mov ecx, message
    times 1-BYTE_LENGTH push message_len
    times 1-BYTE_LENGTH pop edx
    times BYTE_LENGTH   mov dl, message_len
    mov al, SYS_write           ; eax = 0 after sigprocmask
    int 0x80
    xchg eax, ebx               ; eax = 1, the fd, which is also SYS_exit; ebx = what write returned
    cmp ebx, edx
    setne bl                    ; status 0 when all of it was written, else 1
    int 0x80

section .rodata
message: db "Hello, World!", 10
message_len equ $ - message
