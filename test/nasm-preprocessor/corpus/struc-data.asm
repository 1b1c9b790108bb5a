; struc with a base offset, alignb, nested use of sizes; istruc with db strings and defaults.
bits 64
struc person
  .name:  resb 16
  .age:   resd 1
          alignb 8
  .id:    resq 1
endstruc
struc frame, -16
  .saved: resq 1
  .ret:   resq 1
endstruc
people:
  istruc person
    at person.name, db 'alice'
    at person.age,  dd 31
    at person.id,   dq 1001
  iend
  istruc person
    at .name, db 'bob', 0
    at .id, dq 1002
  iend
sizes:
  dd person_size, person.age, person.id, frame_size, frame.saved, frame.ret
_start:
  mov eax, [rdi + person.age]
  mov rbx, [rbp + frame.ret]
  imul ecx, ecx, person_size
