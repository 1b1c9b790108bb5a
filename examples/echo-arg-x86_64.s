; echo-arg: writes argv[1] and a newline to stdout, exits 0.
; Exits 1 when there is no argument or the write fails (or is short).
;
; The initial stack: [rsp] = argc, [rsp+8] = argv[0], [rsp+16] = argv[1], …, NULL, envp…
; The argument's NUL terminator is overwritten with the newline (the strings are writable), so
; one write(2) prints both.
bits 64

SYS_write equ 1
SYS_exit  equ 60

section .text
_start:
    mov     edi, 1                  ; stdout, and the status if there is no argument
    cmp     qword [rsp], 2          ; argc
    jb      .exit
    mov     rsi, [rsp + 16]         ; argv[1]
    xor     edx, edx
.strlen:
    cmp     byte [rsi + rdx], 0
    je      .found
    inc     edx
    jmp     .strlen
.found:
    mov     byte [rsi + rdx], 10    ; NUL → newline
    inc     edx
    mov     eax, SYS_write
    syscall
    xor     edi, edi
    cmp     rax, rdx
    setne   dil                     ; 0 when all of it was written
.exit:
    mov     eax, SYS_exit
    syscall
