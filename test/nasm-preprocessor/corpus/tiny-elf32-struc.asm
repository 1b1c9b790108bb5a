; i386 ELF header laid out with struc/istruc, as nasm's manual shows.
bits 32
%define ORG 0x08048000
struc elf32_ehdr
  .ident:     resb 16
  .type:      resw 1
  .machine:   resw 1
  .version:   resd 1
  .entry:     resd 1
  .phoff:     resd 1
  .shoff:     resd 1
  .flags:     resd 1
  .ehsize:    resw 1
  .phentsize: resw 1
  .phnum:     resw 1
  .shentsize: resw 1
  .shnum:     resw 1
  .shstrndx:  resw 1
endstruc
struc elf32_phdr
  .type   resd 1
  .offset resd 1
  .vaddr  resd 1
  .paddr  resd 1
  .filesz resd 1
  .memsz  resd 1
  .flags  resd 1
  .align  resd 1
endstruc
            org ORG
ehdr: istruc elf32_ehdr
  at elf32_ehdr.ident,     db 0x7f, 'ELF', 1, 1, 1
  at elf32_ehdr.type,      dw 2
  at elf32_ehdr.machine,   dw 3
  at elf32_ehdr.version,   dd 1
  at elf32_ehdr.entry,     dd start
  at elf32_ehdr.phoff,     dd phdr - $$
  at elf32_ehdr.ehsize,    dw elf32_ehdr_size
  at elf32_ehdr.phentsize, dw elf32_phdr_size
  at elf32_ehdr.phnum,     dw 1
iend
phdr: istruc elf32_phdr
  at .type,   dd 1
  at .vaddr,  dd ORG
  at .paddr,  dd ORG
  at .filesz, dd end - $$
  at .memsz,  dd end - $$
  at .flags,  dd 5
  at .align,  dd 0x1000
iend
start:
  mov ebx, 7
  xor eax, eax
  inc eax
  int 0x80
end:
