/**
 * Hand-encoded ELF executables for the image tests, independent of tinyelf's own assembler and
 * planner.
 * Layout: ELF header, one PT_LOAD program header mapping the whole file at 0x400000, then code.
 */

const BASE = 0x400000;

function elf64(machine: number, code: number[]): Uint8Array {
  const size = 64 + 56 + code.length;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // magic, ELFCLASS64, little-endian, version 1
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(BASE + 120), true); // entry: first code byte
  v.setBigUint64(32, 64n, true); // e_phoff
  v.setUint16(52, 64, true); // e_ehsize
  v.setUint16(54, 56, true); // e_phentsize
  v.setUint16(56, 1, true); // e_phnum
  v.setUint32(64, 1, true); // PT_LOAD
  v.setUint32(68, 5, true); // R+X
  v.setBigUint64(80, BigInt(BASE), true); // p_vaddr
  v.setBigUint64(88, BigInt(BASE), true); // p_paddr
  v.setBigUint64(96, BigInt(size), true); // p_filesz
  v.setBigUint64(104, BigInt(size), true); // p_memsz
  v.setBigUint64(112, 0x1000n, true); // p_align
  b.set(code, 120);
  return b;
}

function elf32(machine: number, code: number[]): Uint8Array {
  const size = 52 + 32 + code.length;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true);
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, BASE + 84, true);
  v.setUint32(28, 52, true);
  // ARM kernels want the EABI version in e_flags (EABI5); x86 ignores the field.
  if (machine === 40) v.setUint32(36, 0x05000000, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 1, true);
  v.setUint32(52, 1, true);
  v.setUint32(56, 0, true);
  v.setUint32(60, BASE, true);
  v.setUint32(64, BASE, true);
  v.setUint32(68, size, true);
  v.setUint32(72, size, true);
  v.setUint32(76, 5, true);
  v.setUint32(80, 0x1000, true);
  b.set(code, 84);
  return b;
}

export const HELLO_MESSAGE = 'hello from tinyelf\n';

/** x86-64: write(1, msg, len); exit_group(0). */
export function helloAmd64(): Uint8Array {
  const msg = [...new TextEncoder().encode(HELLO_MESSAGE)];
  // prettier-ignore
  const code = [
    0xbf, 1, 0, 0, 0,                   // mov edi, 1
    0x48, 0x8d, 0x35, 21, 0, 0, 0,      // lea rsi, [rip + 21] → msg (21 bytes after this instruction)
    0xba, msg.length, 0, 0, 0,          // mov edx, len
    0xb8, 1, 0, 0, 0,                   // mov eax, 1 (write)
    0x0f, 0x05,                         // syscall
    0x31, 0xff,                         // xor edi, edi
    0xb8, 231, 0, 0, 0,                 // mov eax, 231 (exit_group)
    0x0f, 0x05,                         // syscall
  ];
  return elf64(62, [...code, ...msg]);
}

/**
 * x86-64 sleep-until-signalled: block SIGINT and SIGTERM, rt_sigtimedwait for one, exit_group(0).
 * As PID 1 a default-action signal would be dropped; a blocked one stays pending for sigtimedwait.
 */
export function sleepAmd64(): Uint8Array {
  // prettier-ignore
  const code = [
    0x31, 0xff,                         // xor edi, edi (SIG_BLOCK)
    0x48, 0x8d, 0x35, 36, 0, 0, 0,      // lea rsi, [rip + 36] → set
    0x31, 0xd2,                         // xor edx, edx (no old set)
    0x41, 0xba, 8, 0, 0, 0,             // mov r10d, 8 (sigsetsize)
    0xb8, 14, 0, 0, 0,                  // mov eax, 14 (rt_sigprocmask)
    0x0f, 0x05,                         // syscall
    0x48, 0x89, 0xf7,                   // mov rdi, rsi (set; syscalls keep rsi)
    0x31, 0xf6,                         // xor esi, esi (no siginfo)
    0xb8, 128, 0, 0, 0,                 // mov eax, 128 (rt_sigtimedwait; rdx = NULL timeout, r10 = 8)
    0x0f, 0x05,                         // syscall
    0x31, 0xff,                         // xor edi, edi
    0xb8, 231, 0, 0, 0,                 // mov eax, 231 (exit_group)
    0x0f, 0x05,                         // syscall
    0x02, 0x40, 0, 0, 0, 0, 0, 0,       // set: SIGINT (2) and SIGTERM (15) → bits 1 and 14
  ];
  return elf64(62, code);
}

/** arm64: mov x0, #0; mov x8, #93 (exit); svc #0. */
export function exitArm64(): Uint8Array {
  return elf64(183, [0x00, 0x00, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]);
}

/** arm (A32): mov r0, #0; mov r7, #1 (exit); svc #0. */
export function exitArm(): Uint8Array {
  return elf32(40, [0x00, 0x00, 0xa0, 0xe3, 0x01, 0x70, 0xa0, 0xe3, 0x00, 0x00, 0x00, 0xef]);
}

/** i386: xor ebx, ebx; xor eax, eax; inc eax (exit); int 0x80. */
export function exit386(): Uint8Array {
  return elf32(3, [0x31, 0xdb, 0x31, 0xc0, 0x40, 0xcd, 0x80]);
}

/** x86-64: exit with the process's real user or group id (its low byte is the exit status). */
export function idExitAmd64(id: 'uid' | 'gid'): Uint8Array {
  // prettier-ignore
  const code = [
    0xb8, id === 'uid' ? 102 : 104, 0, 0, 0, // mov eax, 102 (getuid) or 104 (getgid)
    0x0f, 0x05,                         // syscall
    0x89, 0xc7,                         // mov edi, eax
    0xb8, 231, 0, 0, 0,                 // mov eax, 231 (exit_group)
    0x0f, 0x05,                         // syscall
  ];
  return elf64(62, code);
}
