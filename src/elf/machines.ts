/**
 * Per-architecture facts the ELF writer, the loader profiles and the built-in programs need.
 *
 * Syscall numbers are from the kernel's tables: arch/x86/entry/syscalls/syscall_32.tbl (i386),
 * syscall_64.tbl (x86_64, "common"/"64" rows), arch/arm/tools/syscall.tbl (ARM EABI numbers, the
 * OABI base 0x900000 is not used) and include/uapi/asm-generic/unistd.h (AArch64). The x86 rows
 * were checked against /usr/include/x86_64-linux-gnu/asm/unistd_{32,64}.h; `write` and `exit` of
 * every architecture are run by test/elf.
 */
import type { ArchName } from '../core/backend.js';
import { EM_386, EM_AARCH64, EM_ARM, EM_X86_64, type ElfClass, type Endian } from './fields.js';

export interface Syscalls {
  readonly write: number;
  readonly exit: number;
  readonly exit_group: number;
  readonly rt_sigprocmask: number;
  readonly rt_sigtimedwait: number;
  readonly rt_sigsuspend: number;
  readonly wait4: number;
  readonly ppoll: number;
  /** Absent on AArch64 (asm-generic has no pause): use ppoll(NULL, 0, NULL, NULL) or rt_sigsuspend. */
  readonly pause?: number;
}

export interface Machine {
  readonly arch: ArchName;
  readonly elfClass: ElfClass;
  readonly endian: Endian;
  /** e_machine. */
  readonly eMachine: number;
  /** e_flags tinyelf writes by default, and why. */
  readonly eFlags: number;
  readonly eFlagsNote: string;
  /**
   * Load address tinyelf uses by default: the conventional one of the GNU linker, which no kernel
   * configuration refuses.
   */
  readonly defaultBase: number;
  /**
   * Lowest load address that runs everywhere we care about. vm.mmap_min_addr defaults to 65536 on
   * x86 and AArch64 kernels (CONFIG_DEFAULT_MMAP_MIN_ADDR; Debian ships 65536, ARM32 configs use
   * 32768), and the kernel maps ET_EXEC segments at their p_vaddr, so anything below is refused
   * with EPERM on a default system even if this host (mmap_min_addr 4096) would accept it.
   */
  readonly minBase: number;
  /**
   * Highest end address (p_vaddr + p_memsz) that runs everywhere: TASK_SIZE of the smallest common
   * configuration (32-bit: a 2G/2G split kernel; AArch64: 39-bit VA, as on Raspberry Pi kernels).
   */
  readonly maxEnd: bigint;
  /** Page size of the usual kernel (ELF_MIN_ALIGN = PAGE_SIZE in fs/binfmt_elf.c). */
  readonly pageSize: number;
  /**
   * Largest page size a kernel of this architecture may run with: p_offset ≡ p_vaddr must hold
   * modulo this to be portable (AArch64 kernels may use 16K or 64K pages).
   */
  readonly maxPageSize: number;
  readonly syscalls: Syscalls;
  /** How a syscall is made, for the program writers. */
  readonly syscallAbi: string;
  /** qemu-user binary for this architecture. */
  readonly qemu: string;
  /** Arguments qemu gets by default (ARM: an ARMv6 CPU, so ARMv7-only encodings fault). */
  readonly qemuArgs: readonly string[];
}

export const MACHINES: Readonly<Record<ArchName, Machine>> = {
  i386: {
    arch: 'i386',
    elfClass: 32,
    endian: 'little',
    eMachine: EM_386,
    eFlags: 0,
    eFlagsNote: 'no flags are defined for i386; no loader reads them',
    defaultBase: 0x08048000,
    minBase: 0x10000,
    maxEnd: 0x7f000000n,
    pageSize: 4096,
    maxPageSize: 4096,
    syscalls: {
      write: 4,
      exit: 1,
      exit_group: 252,
      rt_sigprocmask: 175,
      rt_sigtimedwait: 177,
      rt_sigsuspend: 179,
      wait4: 114,
      ppoll: 309,
      pause: 29,
    },
    syscallAbi: 'int 0x80; number in eax, arguments in ebx, ecx, edx, esi, edi, ebp; result in eax',
    qemu: 'qemu-i386',
    qemuArgs: [],
  },
  x86_64: {
    arch: 'x86_64',
    elfClass: 64,
    endian: 'little',
    eMachine: EM_X86_64,
    eFlags: 0,
    eFlagsNote: 'no flags are defined for x86-64; no loader reads them',
    defaultBase: 0x400000,
    minBase: 0x10000,
    maxEnd: 0x7ffffffff000n,
    pageSize: 4096,
    maxPageSize: 4096,
    syscalls: {
      write: 1,
      exit: 60,
      exit_group: 231,
      rt_sigprocmask: 14,
      rt_sigtimedwait: 128,
      rt_sigsuspend: 130,
      wait4: 61,
      ppoll: 271,
      pause: 34,
    },
    syscallAbi: 'syscall; number in rax, arguments in rdi, rsi, rdx, r10, r8, r9; clobbers rcx, r11',
    qemu: 'qemu-x86_64',
    qemuArgs: [],
  },
  arm: {
    arch: 'arm',
    elfClass: 32,
    endian: 'little',
    eMachine: EM_ARM,
    eFlags: 0x05000000,
    eFlagsNote:
      'EF_ARM_EABI_VER5. An arm64 kernel runs 32-bit binaries only when the EABI version byte is non-zero ' +
      '(compat_elf_check_arch in arch/arm64/include/asm/elf.h); a 32-bit ARM kernel with EABI version 0 ' +
      'would inspect the APCS-26 and VFP-float bits (elf_check_arch in arch/arm/kernel/elf.c).',
    defaultBase: 0x10000,
    minBase: 0x10000,
    maxEnd: 0x7f000000n,
    pageSize: 4096,
    maxPageSize: 4096,
    syscalls: {
      write: 4,
      exit: 1,
      exit_group: 248,
      rt_sigprocmask: 175,
      rt_sigtimedwait: 177,
      rt_sigsuspend: 179,
      wait4: 114,
      ppoll: 336,
      pause: 29,
    },
    syscallAbi: 'svc #0 (EABI); number in r7, arguments in r0..r6; result in r0',
    qemu: 'qemu-arm',
    qemuArgs: ['-cpu', 'arm1176'],
  },
  aarch64: {
    arch: 'aarch64',
    elfClass: 64,
    endian: 'little',
    eMachine: EM_AARCH64,
    eFlags: 0,
    eFlagsNote: 'no flags are defined for AArch64; no loader reads them',
    defaultBase: 0x400000,
    minBase: 0x10000,
    maxEnd: 0x8000000000n,
    pageSize: 4096,
    maxPageSize: 65536,
    syscalls: {
      write: 64,
      exit: 93,
      exit_group: 94,
      rt_sigprocmask: 135,
      rt_sigtimedwait: 137,
      rt_sigsuspend: 133,
      wait4: 260,
      ppoll: 73,
    },
    syscallAbi: 'svc #0; number in x8, arguments in x0..x5; result in x0',
    qemu: 'qemu-aarch64',
    qemuArgs: [],
  },
};

export const ARCHES: readonly ArchName[] = ['i386', 'x86_64', 'arm', 'aarch64'];

export function machine(arch: ArchName): Machine {
  return MACHINES[arch];
}
