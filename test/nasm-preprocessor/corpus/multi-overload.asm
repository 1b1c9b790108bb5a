; Macros overloaded by parameter count, %imacro, %exitmacro, label before a macro use.
bits 64
%macro load 1
  mov eax, %1
%endmacro
%macro load 2
  mov %1, %2
%endmacro
%imacro Emit 1
  db %1
%endmacro
%macro guard 1
%if %1 == 0
  %exitmacro
%endif
  db %1
%endmacro
  load 5
  load ecx, 6
  EMIT 1
  emit 2
  guard 0
  guard 3
there: load 9
elsewhere load ebx, 10
  jmp there
%macro stop 0
  hlt
%endmacro
  stop
stop:                     ; a label may have the name of a macro without parameters
  jmp short stop
