; Single-line macro details: lazy and eager bodies, %idefine shadowed by %define, spaces before
; arguments, parameters inside strings left alone, %%labels of nested macros, redefinition.
bits 64
%define A B
%define B 2
 db A
%idefine foo 1
%define FOO 2
 db foo, FOO, Foo
%define g(x) x*10
%xdefine h(x) g(x)+B
%define B 3
 db h(2), g (1)
%macro show 1
 db '%1', %1
%endmacro
 show   4   
%macro outer 1
 %%a: db 1
 inner %1
 jmp short %%a
%endmacro
%macro inner 1
 %%a: db %1
 jmp short %%a
%endmacro
 outer 5
 outer 6
%define P(a,b) a-b
 db P(9, 4), P((9), (1+1))
%assign X 3
%assign X X*X+1
 db X
%define Z 1
%define Z 2
 db Z
