; %define with parameters, overloading by count, nesting.
bits 64
%define sq(x) ((x)*(x))
%define add3(a, b, c) (a + b + c)
%define pick(x) x
%define pick(x, y) y
%define PAGE 4096
%define ALIGN_UP(v, a) (((v) + (a) - 1) & ~((a) - 1))
  dq sq(3), sq(2+1), add3(1, 2, 3)
  dd pick(7), pick(7, 8)
  dd ALIGN_UP(5000, PAGE), ALIGN_UP(PAGE, PAGE)
%idefine Loud 9
  db loud, LOUD, Loud
_start:
  mov eax, sq(5)
  lea rdi, [rax + sq(2)]
