; nasm syntax corners: use32, [bits 64], default rel/abs, fs overrides, a prefix alone, times with a prefix, expressions in addresses.
use32
mov eax, [fs:0x30]
[bits 64]
default rel
mov eax, [x]
mov eax, [fs:x]
default abs
mov eax, [x]
rep
times 2 rep movsb
mov eax, [ rbx + 4 * rcx + (2+3)*2 ]
x: dd 0
mov eax, [x - 4]
lea rsi, [rel x]
