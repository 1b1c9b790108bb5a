; A minimal i386 Linux executable: ELF header and one program header spelled out by hand,
; then exit(42). Classic layout (no overlap), so both the kernel and qemu-i386 load it.
bits 32
org 0x08048000

ehdr:
        db 0x7f, "ELF", 1, 1, 1, 0      ; e_ident: 32-bit, little-endian, version 1, SysV
        times 8 db 0                    ; e_ident padding
        dw 2                            ; e_type: ET_EXEC
        dw 3                            ; e_machine: EM_386
        dd 1                            ; e_version
        dd _start                       ; e_entry
        dd phdr - $$                    ; e_phoff
        dd 0                            ; e_shoff
        dd 0                            ; e_flags
        dw ehdrsize                     ; e_ehsize
        dw phdrsize                     ; e_phentsize
        dw 1                            ; e_phnum
        dw 0, 0, 0                      ; e_shentsize, e_shnum, e_shstrndx
ehdrsize equ $ - ehdr

phdr:
        dd 1                            ; p_type: PT_LOAD
        dd 0                            ; p_offset
        dd $$, $$                       ; p_vaddr, p_paddr
        dd filesize, filesize           ; p_filesz, p_memsz
        dd 5                            ; p_flags: R+X
        dd 0x1000                       ; p_align
phdrsize equ $ - phdr

_start:
        push byte 42
        pop ebx                         ; status
        xor eax, eax
        inc eax                         ; SYS_exit
        int 0x80

filesize equ $ - $$
