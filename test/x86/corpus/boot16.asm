; A boot sector: real mode to protected mode (lgdt, mov cr0, far jmp), port output, the 0xaa55 signature.
bits 16
org 0x7c00
start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    in al, 0x92
    or al, 2
    out 0x92, al
    cli
    lgdt [gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp 0x08:pm_start
bits 32
pm_start:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, 0x90000
    mov dx, 0x3f8
    mov al, 'A'
    out dx, al
    mov ecx, msg_len
    mov esi, msg
    rep outsb
    lidt [idt_desc]
    int3
.hang:
    hlt
    jmp .hang
align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff
    dq 0x00cf92000000ffff
gdt_end:
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt
idt_desc:
    dw 0
    dd 0
msg: db "hello", 13, 10
msg_len equ $ - msg
    times 510-($-$$) db 0
    dw 0xaa55
