; true: exits 0. Three lines are a complete program: no header, no section, no _start needed.
xor edi, edi
mov eax, 60
syscall
