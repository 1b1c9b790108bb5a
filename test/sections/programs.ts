/**
 * Programs that keep their state in memory they write: counters and buffers in .data and .bss,
 * big and mid-page .bss, nasm section attributes, res* and times in .bss, self-modifying code.
 * Each is also built the conventional way (nasm -f elf64/elf32 or GNU as, then ld), and the test
 * requires tinyelf's build to print and exit the same.
 */
import type { ArchName } from '../../src/core/backend.js';

export interface SectionProgram {
  name: string;
  arch: ArchName;
  source: string;
  /** Code writes to itself: tinyelf's writableText, ld's -N. */
  writableText?: boolean;
  /** The conventional build dies by this signal (code that writes to itself, linked without -N). */
  signal?: NodeJS.Signals;
  /** What the program reads on stdin (both builds get the same). */
  stdin?: string;
  /** A memory region that must end up past the file: its label and the least bytes of zero fill. */
  bss?: { label: string; atLeast: number; midPage?: boolean };
}

const x86_64: SectionProgram[] = [
  {
    name: 'counter and buffer in .bss',
    arch: 'x86_64',
    bss: { label: 'counter', atLeast: 36 },
    source: `
; counts to 10 in a .bss counter and builds "count=10" in a .bss buffer
global _start
section .text
_start:
    mov dword [counter], 0
.loop:
    inc dword [counter]
    cmp dword [counter], 10
    jb .loop
    mov rsi, prefix
    mov rdi, buf
    mov ecx, prefix_len
    rep movsb
    mov eax, [counter]
    xor edx, edx
    mov ebx, 10
    div ebx
    add al, '0'
    stosb
    mov al, dl
    add al, '0'
    stosb
    mov al, 10
    stosb
    mov rdx, rdi
    sub rdx, buf
    mov eax, 1
    mov edi, 1
    mov rsi, buf
    syscall
    mov edi, [counter]
    mov eax, 60
    syscall
section .rodata
prefix: db "count="
prefix_len equ $ - prefix
section .bss
counter: resd 1
buf: resb 32
`,
  },
  {
    name: 'text upper-cased in place in .data',
    arch: 'x86_64',
    source: `
global _start
section .text
_start:
    mov rsi, text
    mov ecx, text_len
.next:
    mov al, [rsi]
    cmp al, 'a'
    jb .skip
    cmp al, 'z'
    ja .skip
    sub al, 32
    mov [rsi], al
.skip:
    inc rsi
    dec ecx
    jnz .next
    mov eax, 1
    mov edi, 1
    mov rsi, text
    mov edx, text_len
    syscall
    xor edi, edi
    mov eax, 60
    syscall
section .data
text: db "hello, sections!", 10
text_len equ $ - text
`,
  },
  {
    name: '.bss larger than a page is zero and writable to its end',
    arch: 'x86_64',
    bss: { label: 'big', atLeast: 3 * 4096 + 123 },
    source: `
BIG equ 3*4096 + 123
global _start
section .text
_start:
    mov rsi, big
    mov ecx, BIG
    xor eax, eax
.or:
    or al, [rsi]
    inc rsi
    dec ecx
    jnz .or
    test al, al
    jnz .dirty
    mov byte [big], 'o'
    mov byte [big + BIG - 1], 'k'
    mov al, [big]
    mov [out], al
    mov al, [big + BIG - 1]
    mov [out + 1], al
    mov byte [out + 2], 10
    mov eax, 1
    mov edi, 1
    mov rsi, out
    mov edx, 3
    syscall
    xor edi, edi
    mov eax, 60
    syscall
.dirty:
    mov edi, 1
    mov eax, 60
    syscall
section .bss
big: resb BIG
out: resb 4
`,
  },
  {
    name: '.bss that starts mid-page after 5000 bytes of .data',
    arch: 'x86_64',
    bss: { label: 'tail', atLeast: 9000, midPage: true },
    source: `
global _start
section .text
_start:
    mov rsi, filler
    mov ecx, 5000
    mov al, 0xff
.f: and al, [rsi]
    inc rsi
    dec ecx
    jnz .f
    cmp al, 0xff
    jne .bad
    mov rsi, tail
    mov ecx, 9000
    xor eax, eax
.t: or al, [rsi]
    inc rsi
    dec ecx
    jnz .t
    test al, al
    jnz .bad
    mov byte [tail + 8999], 1
    inc byte [filler + 4999]
    mov eax, 1
    mov edi, 1
    mov rsi, okmsg
    mov edx, 3
    syscall
    xor edi, edi
    mov eax, 60
    syscall
.bad:
    mov edi, 2
    mov eax, 60
    syscall
section .rodata
okmsg: db "ok", 10
section .data
filler: times 5000 db 0xff
section .bss
tail: resb 9000
`,
  },
  {
    name: 'nasm attributes, times/rest/reso in .bss',
    arch: 'x86_64',
    bss: { label: 'quads', atLeast: 32 },
    source: `
global _start
section .text
_start:
    mov rdi, quads
    mov eax, 1
    mov ecx, 4
.fill:
    mov [rdi], rax
    add rdi, 8
    shl rax, 1
    dec ecx
    jnz .fill
    mov rax, [quads]
    add rax, [quads + 8]
    add rax, [quads + 16]
    add rax, [quads + 24]
    mov [acc], rax
    mov byte [ten + 9], 'T'
    mov byte [oct + 15], 'O'
    mov al, [ten + 9]
    mov [line], al
    mov al, [oct + 15]
    mov [line + 1], al
    mov eax, scratch
    and eax, 63
    add al, 'A'
    mov [line + 2], al
    inc dword [counter]
    mov eax, [counter]
    add al, '0'
    mov [line + 3], al
    mov byte [line + 4], 10
    mov byte [scratch + 99], 1
    mov eax, 1
    mov edi, 1
    mov rsi, line
    mov edx, 5
    syscall
    mov rdi, [acc]
    mov eax, 60
    syscall
section .mydata progbits alloc noexec write align=16
counter: dd 5
section .scratch nobits alloc noexec write align=64
scratch: resb 100
section .bss
quads: times 4 resq 1
acc: resq 1
ten: rest 1
oct: reso 1
alignb 16
line: resb 8
`,
  },
  {
    name: 'a length measured across two labels (len equ $ - msg)',
    arch: 'x86_64',
    source: `
global _start
section .text
_start:
    mov eax, 1
    mov edi, 1
    mov rsi, msg
    mov edx, len
    syscall
    xor edi, edi
    mov eax, 60
    syscall
section .rodata
msg: db "one"
msg2: db " and two", 10
len equ $ - msg
`,
  },
  {
    name: 'a loop bounded by an end label (cmp rsi, table_end)',
    arch: 'x86_64',
    source: `
global _start
section .text
_start:
    mov rsi, table
    xor edi, edi
.sum:
    movzx eax, byte [rsi]
    add edi, eax
    inc rsi
    cmp rsi, table_end
    jb .sum
    mov eax, 60
    syscall
section .rodata
table: db 3, 4, 5
table_end:
other: db 100
`,
  },
  {
    name: 'a length from the section start (equ $ - $$) in .data',
    arch: 'x86_64',
    source: `
global _start
section .text
_start:
    mov eax, 1
    mov edi, 1
    mov rsi, head
    mov edx, total
    syscall
    xor edi, edi
    mov eax, 60
    syscall
section .data
head: db "ab"
body: db "cdef", 10
total equ $ - $$
`,
  },
  {
    name: 'code that writes to itself, --writable-text (ld -N)',
    arch: 'x86_64',
    writableText: true,
    source: `
global _start
section .text
_start:
    mov byte [patch + 1], 42    ; the immediate of the mov below
patch:
    mov edi, 0
    mov eax, 60
    syscall
`,
  },
  {
    name: 'code that writes to itself, without --writable-text (ld without -N)',
    arch: 'x86_64',
    signal: 'SIGSEGV',
    source: `
global _start
section .text
_start:
    mov byte [patch + 1], 42
patch:
    mov edi, 0
    mov eax, 60
    syscall
`,
  },
];

x86_64.push(
  {
    name: 'a name read into a .bss buffer, greeted back',
    arch: 'x86_64',
    stdin: 'Ada\n',
    bss: { label: 'name', atLeast: 64 },
    source: `
global _start
section .text
_start:
    xor eax, eax                ; read(0, name, 64)
    xor edi, edi
    mov rsi, name
    mov edx, 64
    syscall
    test rax, rax
    jle .none
    mov [count], rax
    mov eax, 1
    mov edi, 1
    mov rsi, hello
    mov edx, hello_len
    syscall
    mov eax, 1
    mov edi, 1
    mov rsi, name
    mov rdx, [count]
    syscall
    mov rdi, [count]
    mov eax, 60
    syscall
.none:
    mov edi, 9
    mov eax, 60
    syscall
section .rodata
hello: db "Hello, "
hello_len equ $ - hello
section .bss
name: resb 64
count: resq 1
`,
  },
  {
    name: 'bubble sort of a .data array, printed',
    arch: 'x86_64',
    source: `
global _start
section .text
_start:
.pass:
    xor r8d, r8d                ; swapped?
    mov rsi, digits
.cmp:
    mov al, [rsi]
    mov bl, [rsi + 1]
    cmp al, bl
    jbe .next
    mov [rsi], bl
    mov [rsi + 1], al
    mov r8d, 1
.next:
    inc rsi
    cmp rsi, digits_end - 1
    jb .cmp
    test r8d, r8d
    jnz .pass
    mov eax, 1
    mov edi, 1
    mov rsi, digits
    mov edx, digits_end - digits + 1
    syscall
    xor edi, edi
    mov eax, 60
    syscall
section .data
digits: db "4807316925"
digits_end: db 10
`,
  },
  {
    name: 'a .data counter bumped by a subroutine, Fibonacci numbers in a .bss table',
    arch: 'x86_64',
    bss: { label: 'fib', atLeast: 8 * 12 },
    source: `
N equ 12
global _start
section .text
_start:
    mov qword [fib], 0
    mov qword [fib + 8], 1
    mov ecx, 2
.more:
    mov rax, [fib + rcx*8 - 8]
    add rax, [fib + rcx*8 - 16]
    mov [fib + rcx*8], rax
    call bump
    inc ecx
    cmp ecx, N
    jb .more
    mov rdi, [fib + (N-1)*8]    ; fib(11) = 89
    sub rdi, [calls]            ; minus the 10 calls
    mov eax, 60
    syscall
bump:
    inc qword [calls]
    ret
section .data
calls: dq 0
section .bss
fib: resq N
`,
  },
);

x86_64.push({
  name: 'nasm common symbols (ld allocates them in .bss)',
  arch: 'x86_64',
  source: `
global _start
section .text
_start:
    mov dword [cnt], 5
    add dword [cnt], 2
    mov edi, [cnt]
    mov byte [arr + 99], 1
    add dil, [arr + 99]
    mov eax, 60
    syscall
common cnt 4
common arr 100:16
`,
});

const i386: SectionProgram[] = [
  {
    name: 'counter and digit in .bss',
    arch: 'i386',
    bss: { label: 'counter', atLeast: 6 },
    source: `
global _start
section .text
_start:
    mov dword [counter], 0
.loop:
    inc dword [counter]
    cmp dword [counter], 7
    jb .loop
    mov al, [counter]
    add al, '0'
    mov [digit], al
    mov byte [digit + 1], 10
    mov eax, 4
    mov ebx, 1
    mov ecx, digit
    mov edx, 2
    int 0x80
    mov ebx, [counter]
    mov eax, 1
    int 0x80
section .bss
counter: resd 1
digit: resb 2
`,
  },
  {
    name: '.data written, a .bss of 10000 bytes checked zero',
    arch: 'i386',
    bss: { label: 'buf', atLeast: 10000 },
    source: `
global _start
section .text
_start:
    mov esi, buf
    mov ecx, 10000
    xor eax, eax
.z: or al, [esi]
    inc esi
    dec ecx
    jnz .z
    test al, al
    jnz .bad
    mov byte [buf + 9999], '!'
    mov al, [buf + 9999]
    mov [greeting + 3], al
    sub byte [greeting], 32
    mov eax, 4
    mov ebx, 1
    mov ecx, greeting
    mov edx, greeting_len
    int 0x80
    xor ebx, ebx
    mov eax, 1
    int 0x80
.bad:
    mov ebx, 3
    mov eax, 1
    int 0x80
section .data
greeting: db "abc?", 10
greeting_len equ $ - greeting
section .bss
buf: resb 10000
`,
  },
  {
    name: 'numbers 1 to 5 printed from a .bss digit buffer',
    arch: 'i386',
    source: `
global _start
section .text
_start:
    mov dword [n], 1
.again:
    mov eax, [n]
    add al, '0'
    mov [out], al
    mov byte [out + 1], ' '
    mov eax, 4
    mov ebx, 1
    mov ecx, out
    mov edx, 2
    int 0x80
    inc dword [n]
    cmp dword [n], 5
    jbe .again
    mov eax, 4
    mov ebx, 1
    mov ecx, nl
    mov edx, 1
    int 0x80
    mov ebx, [n]
    mov eax, 1
    int 0x80
section .rodata
nl: db 10
section .bss
n: resd 1
out: resb 2
`,
  },
  {
    name: 'code that writes to itself, --writable-text (ld -N)',
    arch: 'i386',
    writableText: true,
    source: `
global _start
section .text
_start:
    mov byte [patch + 1], 9
patch:
    mov ebx, 0
    mov eax, 1
    int 0x80
`,
  },
];

const aarch64: SectionProgram[] = [
  {
    name: '.data, .bss, .lcomm, .comm and a @nobits section',
    arch: 'aarch64',
    bss: { label: 'big', atLeast: 20000 },
    source: `
BIG = 20000
    .global _start
    .text
_start:
    ldr     x1, =counter
    mov     w2, #0
1:  ldr     w3, [x1]
    add     w3, w3, #1
    str     w3, [x1]
    add     w2, w2, #1
    cmp     w2, #9
    b.lo    1b
    ldr     x4, =text
    mov     x5, #text_len
2:  ldrb    w6, [x4]
    cmp     w6, #97
    b.lo    3f
    cmp     w6, #122
    b.hi    3f
    sub     w6, w6, #32
    strb    w6, [x4]
3:  add     x4, x4, #1
    subs    x5, x5, #1
    b.ne    2b
    ldr     x4, =big
    mov     x5, #BIG
    mov     w7, #0
4:  ldrb    w6, [x4], #1
    orr     w7, w7, w6
    subs    x5, x5, #1
    b.ne    4b
    ldr     x4, =small
    ldr     x6, [x4]
    orr     x7, x7, x6
    ldr     x4, =shared
    ldr     x6, [x4, #56]
    orr     x7, x7, x6
    cbnz    x7, bad
    ldr     x4, =big
    mov     w6, #1
    mov     x9, #BIG - 1
    strb    w6, [x4, x9]
    mov     x0, #1
    ldr     x1, =text
    mov     x2, #text_len
    mov     x8, #64
    svc     #0
    ldr     x1, =counter
    ldr     w0, [x1]
    mov     x8, #93
    svc     #0
bad:
    mov     x0, #100
    mov     x8, #93
    svc     #0
    .data
text:   .ascii "hello, arm64\\n"
text_len = . - text
    .bss
    .balign 4
counter: .skip 4
    .lcomm  small, 16
    .comm   shared, 64, 8
    .section .bss.big,"aw",@nobits
big:    .zero BIG
`,
  },
];

aarch64.push({
  name: '.pushsection/.popsection and .previous around writable data',
  arch: 'aarch64',
  source: `
    .global _start
    .text
_start:
    ldr     x1, =slot
    .pushsection .bss
slot:   .skip 8
    .popsection
    mov     x2, #6
    str     x2, [x1]
    .section .data
seven:  .quad 7
    .previous
    ldr     x3, =seven
    ldr     x4, [x3]
    ldr     x5, [x1]
    mul     x0, x4, x5
    add     x4, x4, #1
    str     x4, [x3]
    ldr     x6, [x3]
    sub     x0, x0, x6
    mov     x8, #93
    svc     #0
`,
});

const arm: SectionProgram[] = [
  {
    name: '.data, .bss, .lcomm and a %nobits section',
    arch: 'arm',
    bss: { label: 'big', atLeast: 20000 },
    source: `
BIG = 20000
    .syntax unified
    .arm
    .global _start
    .text
_start:
    ldr     r1, =counter
    mov     r2, #0
1:  ldr     r3, [r1]
    add     r3, r3, #1
    str     r3, [r1]
    add     r2, r2, #1
    cmp     r2, #11
    blo     1b
    ldr     r4, =text
    mov     r5, #text_len
2:  ldrb    r6, [r4]
    cmp     r6, #97
    blo     3f
    cmp     r6, #122
    bhi     3f
    sub     r6, r6, #32
    strb    r6, [r4]
3:  add     r4, r4, #1
    subs    r5, r5, #1
    bne     2b
    ldr     r4, =big
    ldr     r5, =BIG
    mov     r7, #0
4:  ldrb    r6, [r4], #1
    orr     r7, r7, r6
    subs    r5, r5, #1
    bne     4b
    ldr     r4, =small
    ldr     r6, [r4, #12]
    orr     r7, r7, r6
    cmp     r7, #0
    bne     bad
    mov     r0, #1
    ldr     r1, =text
    mov     r2, #text_len
    mov     r7, #4
    svc     #0
    ldr     r1, =counter
    ldr     r0, [r1]
    mov     r7, #1
    svc     #0
bad:
    mov     r0, #100
    mov     r7, #1
    svc     #0
    .data
text:   .ascii "hello, arm\\n"
text_len = . - text
    .bss
    .balign 4
counter: .space 4
    .lcomm  small, 16
    .section .bss.big,"aw",%nobits
big:    .space BIG
`,
  },
];

export const PROGRAMS: readonly SectionProgram[] = [...x86_64, ...i386, ...aarch64, ...arm];
