; false: exits 1.
mov edi, 1
mov eax, 60
syscall
