; A boot sector's shape: bits 16, org 0x7c00, %define'd constants, a print macro, padding.
bits 16
%define LOAD_ADDR 0x7c00
%define SIG 0xaa55
%macro bios_print 1
  mov si, %1
%%next:
  lodsb
  test al, al
  jz %%done
  mov ah, 0x0e
  int 0x10
  jmp %%next
%%done:
%endmacro
  org LOAD_ADDR
start:
  xor ax, ax
  cld
  bios_print banner
  bios_print second
spin:
  jmp spin
banner: db 'Booting', 13, 10, 0
second: db 'ok', 0
  times 510 - ($ - $$) db 0
  dw SIG
