; 64-bit kernel entry shapes: control registers, MSRs, descriptor tables, a far return to reload cs, swapgs, fences, ports, iretq.
bits 64
org 0x100000
kernel:
    mov rax, pml4
    mov cr3, rax
    mov rax, cr4
    or eax, 1 << 5
    mov cr4, rax
    mov ecx, 0xc0000080
    rdmsr
    or eax, 1 << 8
    wrmsr
    lgdt [rel gdtr]
    lidt [rel idtr]
    push 0x08
    push .reload
    retfq
.reload:
    mov ax, 0x10
    mov ds, ax
    mov ss, ax
    swapgs
    rdtsc
    rdtscp
    cpuid
    mfence
    lfence
    sfence
    pause
    invlpg [rax]
    wbinvd
    mov rbx, [gs:0x28]
    lea rsi, [rel msg]
    mov dx, 0x3f8
    lodsb
    out dx, al
    in al, dx
    cli
    hlt
    iretq
    o64 sysret
align 16
gdtr: dw 23
      dq gdt
idtr: dw 0
      dq 0
gdt:  dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
msg:  db "k", 0
align 16
pml4: dq 0
