; x86-64 hello world with RIP-relative data, a counted loop and an aligned table.
bits 64
default rel
org 0x400000

ehdr:
        db 0x7f, "ELF", 2, 1, 1, 0
        times 8 db 0
        dw 2, 62
        dd 1
        dq _start, phdr - $$, 0
        dd 0
        dw 64, 56, 1, 0, 0, 0
phdr:
        dd 1, 7
        dq 0, $$, $$, filesize, filesize + 64, 0x1000

_start:
        mov ecx, 3
.again:
        push rcx
        mov eax, 1                      ; write
        mov edi, eax                    ; stdout
        lea rsi, [msg]
        mov edx, msglen
        syscall
        pop rcx
        loop .again
        mov rbx, [table + 8]
        add [counter], ebx
        movzx eax, byte [msg + 1]
        lea r12, [table]
        mov r13, [r12 + rcx*8]
        cmp qword [counter], 0x1000
        jae .big
        mov eax, 60
        xor edi, edi
        syscall
.big:
        ud2
msg:    db "Hello, world!", 10
msglen  equ $ - msg
        align 8
table:  dq 1, 2, 3, $
counter equ $
filesize equ $ - $$
