/**
 * LOADER PROFILES: what each loader demands of each ELF header byte, as data.
 *
 * A profile is one architecture × one loader:
 *   linux     the kernel's fs/binfmt_elf.c (load_elf_binary, load_elf_phdrs, elf_map/elf_load).
 *             Claims hold for Linux 4.17 … 6.18 unless a claim says otherwise. Proven by running on
 *             this host's 6.18 kernel for i386 (IA32 emulation) and x86_64; for arm and aarch64
 *             they rest on reading the source (provenBy: ['source']).
 *   qemu      qemu-user 7.2 (Debian bookworm): linux-user/linuxload.c (prepare_binprm, loader_exec)
 *             and linux-user/elfload.c (elf_check_ident, elf_check_ehdr, load_elf_image, zero_bss).
 *             Proven for all four architectures by test/elf.
 *   portable  the intersection: a byte is free only if free for both, every rule of both applies.
 *
 * Semantics
 *   - Every ELF-header and program-header field has one FieldClaim with a Rule:
 *       free     the loader never reads it: any value runs;
 *       fixed    exactly `value`;
 *       oneOf    one of `values` (the first is what tinyelf writes);
 *       except   anything but `values`;
 *       mask     (v & mask) == value, the other bits free;
 *       anyBit   (v & mask) != 0, the other bits free;
 *       layout   the value follows from the layout (entry, phoff, segment placement and size);
 *                what is accepted is said by the profile's `constraints`, checked on whole headers.
 *   - Byte-level question, "may file byte X hold anything?": isFreeByte(p, X, phoff). A byte is
 *     free when every field covering it leaves that byte free (for mask/anyBit: no mask bit in it).
 *   - Field-level question, "what must F hold for this layout?": fieldValue(p, F, layout).
 *   - Whole-file question, "would this loader run it?": check(p, bytes) lists every broken rule.
 *     test/elf runs thousands of mutated files and asserts check() agrees with the real loader.
 *   - `provenBy` says where a claim was shown by running: 'linux-6.18' (this host, native),
 *     'qemu-7.2' (qemu-user 7.2.22), or only 'source'.
 *   - Rejection looks different per loader: the kernel fails execve with ENOEXEC/EIO before the
 *     point of no return (bad magic, e_machine, e_phentsize, phdrs not in the file), or kills
 *     the process with SIGSEGV/SIGKILL after it (mmap refused, filesz > memsz); qemu prints an
 *     error and exits 1 or 255, or the guest faults.
 */
import type { ArchName } from '../core/backend.js';
import {
  EM_486,
  ET_DYN,
  ET_EXEC,
  ELFOSABI_ARM_FDPIC,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
  byteOwners,
  ehdrFields,
  ehdrSize,
  phdrFields,
  phdrSize,
  readUint,
  structOf,
  type ElfClass,
  type Endian,
} from './fields.js';
import { machine } from './machines.js';

export type LoaderName = 'linux' | 'qemu';
export type ProfileName = LoaderName | 'portable';
export type ProofSite = 'linux-6.18' | 'qemu-7.2' | 'source';

export type Rule =
  | { readonly kind: 'free' }
  | { readonly kind: 'fixed'; readonly value: bigint }
  | { readonly kind: 'oneOf'; readonly values: readonly bigint[] }
  | { readonly kind: 'except'; readonly values: readonly bigint[] }
  | { readonly kind: 'mask'; readonly mask: bigint; readonly value: bigint }
  | { readonly kind: 'anyBit'; readonly mask: bigint }
  | { readonly kind: 'layout' }
  | { readonly kind: 'all'; readonly rules: readonly Rule[] };

export interface FieldClaim {
  readonly field: string;
  readonly rule: Rule;
  /** The check in the loader's source that the claim rests on (file: function), or why nothing reads it. */
  readonly why: string;
  readonly provenBy: readonly ProofSite[];
}

/** Decoded header values by field name (e_ident bytes by their EI_* name), plus the file size. */
export interface HeaderView {
  readonly values: ReadonlyMap<string, bigint>;
  readonly fileSize: number;
}

export interface Constraint {
  readonly id: string;
  readonly text: string;
  readonly why: string;
  readonly provenBy: readonly ProofSite[];
  /** True when the header satisfies the constraint. */
  readonly check: (h: HeaderView) => boolean;
}

export interface Profile {
  readonly arch: ArchName;
  readonly loader: ProfileName;
  readonly elfClass: ElfClass;
  readonly endian: Endian;
  readonly ehdrSize: number;
  readonly phdrSize: number;
  readonly pageSize: number;
  /** Every ELF-header and program-header field, by name. */
  readonly fields: ReadonlyMap<string, FieldClaim>;
  readonly constraints: readonly Constraint[];
  /**
   * Bytes of the ELF header past the end of the file read as zero (both loaders zero their buffer
   * before read(): fs/exec.c prepare_binprm, linux-user/linuxload.c prepare_binprm).
   */
  readonly ehdrPastEofIsZero: boolean;
  /**
   * Program headers ending within this many bytes of the file start are taken from the
   * zero-padded header buffer, so they may run past the end of the file (qemu: BPRM_BUF_SIZE =
   * 1024, load_elf_image). 0: the program headers must lie wholly inside the file (kernel:
   * elf_read/kernel_read of e_phnum * e_phentsize bytes at e_phoff must return them all).
   */
  readonly phdrZeroPadLimit: number;
  /**
   * Smallest file the loader can run, as a rule: the file must reach `phoff + phnum * phentsize`
   * (linux) — qemu needs only the bytes its mappings execute. Neither rejects a file shorter
   * than the ELF header as such.
   */
  readonly minFileSize: string;
  /** e_entry may point into the header bytes: nothing checks e_entry against the segments. */
  readonly allowEntryInHeader: true;
  /** Lowest p_vaddr - p_offset that runs on every default configuration (vm.mmap_min_addr). */
  readonly minBase: number;
  /** Highest p_vaddr + p_memsz that runs everywhere (smallest common TASK_SIZE). */
  readonly maxEnd: bigint;
  readonly kernels: string;
}

/** The layout a planner has chosen: one PT_LOAD mapping file offset 0 at `base`. */
export interface Layout {
  readonly base: bigint;
  readonly entry: bigint;
  readonly phoff: number;
  readonly fileSize: number;
  /** p_memsz; default fileSize (no bss). */
  readonly memSize?: number | bigint;
  /** p_flags; default PF_R | PF_X. */
  readonly flags?: number;
}

// --- the claims ----------------------------------------------------------------------------------

const free: Rule = { kind: 'free' };
const fixed = (v: number | bigint): Rule => ({ kind: 'fixed', value: BigInt(v) });
const layout: Rule = { kind: 'layout' };

const L = 'fs/binfmt_elf.c';
const Q = 'linux-user/elfload.c';

type ClaimSpec = [field: string, rule: Rule, why: string, sourceOnly?: boolean];

function linuxClaims(arch: ArchName): ClaimSpec[] {
  const m = machine(arch);
  const x86 = arch === 'i386' || arch === 'x86_64';
  return [
    ['EI_MAG0', fixed(0x7f), `${L} load_elf_binary: memcmp(e_ident, ELFMAG, SELFMAG)`],
    ['EI_MAG1', fixed(0x45), `${L} load_elf_binary: memcmp(e_ident, ELFMAG, SELFMAG)`],
    ['EI_MAG2', fixed(0x4c), `${L} load_elf_binary: memcmp(e_ident, ELFMAG, SELFMAG)`],
    ['EI_MAG3', fixed(0x46), `${L} load_elf_binary: memcmp(e_ident, ELFMAG, SELFMAG)`],
    ['EI_CLASS', free, 'never read: the class is implied by which binfmt (native or compat_binfmt_elf) accepts e_machine and e_phentsize'],
    ['EI_DATA', free, 'never read by binfmt_elf'],
    ['EI_VERSION', free, 'never read by binfmt_elf'],
    arch === 'arm'
      ? ['EI_OSABI', { kind: 'except', values: [BigInt(ELFOSABI_ARM_FDPIC)] }, `${L} load_elf_binary: elf_check_fdpic() (arch/arm/include/asm/elf.h) refuses ELFOSABI_ARM_FDPIC`, true]
      : ['EI_OSABI', free, 'never read by binfmt_elf on this architecture (elf_check_fdpic is false)'],
    ['EI_ABIVERSION', free, 'never read by binfmt_elf'],
    ['EI_PAD', free, 'never read by binfmt_elf'],
    ['e_type', { kind: 'oneOf', values: [BigInt(ET_EXEC), BigInt(ET_DYN)] }, `${L} load_elf_binary: e_type != ET_EXEC && e_type != ET_DYN → ENOEXEC (ET_DYN is relocated)`],
    arch === 'i386'
      ? ['e_machine', { kind: 'oneOf', values: [BigInt(m.eMachine), BigInt(EM_486)] }, 'arch/x86/include/asm/elf.h elf_check_arch_ia32: EM_386 or EM_486']
      : ['e_machine', fixed(m.eMachine), `${L} load_elf_binary: elf_check_arch() (arch/*/include/asm/elf.h)`, !x86],
    ['e_version', free, 'never read by binfmt_elf'],
    ['e_entry', layout, `${L} load_elf_binary: only BAD_ADDR(e_entry) (>= TASK_SIZE) is refused; arm: elf_check_arch wants e_entry & 3 == 0 or Thumb (odd)`],
    ['e_phoff', layout, `${L} load_elf_phdrs: elf_read(e_phoff, e_phnum * sizeof(elf_phdr)) must read every byte`],
    ['e_shoff', free, 'section headers are never read by binfmt_elf'],
    arch === 'arm'
      ? ['e_flags', { kind: 'anyBit', mask: 0xff000000n }, 'arch/arm64/include/asm/elf.h compat_elf_check_arch: EF_ARM_EABI_MASK must be non-zero; arch/arm/kernel/elf.c elf_check_arch reads only APCS-26/VFP bits when it is zero', true]
      : ['e_flags', free, 'no elf_check_arch of this architecture reads e_flags', !x86],
    ['e_ehsize', free, 'never read by binfmt_elf'],
    ['e_phentsize', fixed(phdrSize(m.elfClass)), `${L} load_elf_phdrs: e_phentsize != sizeof(struct elf_phdr) → ENOEXEC`],
    ['e_phnum', fixed(1), `${L} load_elf_phdrs: 1 ≤ e_phnum, table ≤ ELF_MIN_ALIGN and inside the file; tinyelf layouts have exactly one`],
    ['e_shentsize', free, 'never read by binfmt_elf'],
    ['e_shnum', free, 'never read by binfmt_elf'],
    ['e_shstrndx', free, 'never read by binfmt_elf'],
    ['p_type', fixed(PT_LOAD), `${L} load_elf_binary: only PT_LOAD segments are mapped`],
    ['p_offset', layout, `${L} elf_map: vm_mmap offset p_offset - ELF_PAGEOFFSET(p_vaddr) must be page-aligned`],
    ['p_vaddr', layout, `${L} elf_map: MAP_FIXED_NOREPLACE at ELF_PAGESTART(p_vaddr) (ET_EXEC), ≥ vm.mmap_min_addr without CAP_SYS_RAWIO`],
    ['p_paddr', free, 'never read by binfmt_elf'],
    ['p_filesz', layout, `${L} load_elf_binary: p_filesz > p_memsz → EINVAL (killed)`],
    ['p_memsz', layout, `${L} load_elf_binary: p_memsz > TASK_SIZE - p_vaddr → EINVAL (killed)`],
    arch === 'i386'
      ? ['p_flags', { kind: 'anyBit', mask: BigInt(PF_R | PF_X) }, 'arch/x86/include/asm/elf.h elf_read_implies_exec: 32-bit without PT_GNU_STACK gets READ_IMPLIES_EXEC, so PF_R alone is executable']
      : ['p_flags', { kind: 'mask', mask: BigInt(PF_X), value: BigInt(PF_X) }, `${L} make_prot: PF_X → PROT_EXEC; since 5.8 no READ_IMPLIES_EXEC for 64-bit (arm32: only pre-ARMv6), so PF_X is needed`, !x86],
    ['p_align', free, `${L} load_elf_binary: maximum_alignment() is used for ET_DYN only`],
  ];
}

function qemuClaims(arch: ArchName): ClaimSpec[] {
  const m = machine(arch);
  const byName = new Map(linuxClaims(arch).map((c) => [c[0], c]));
  const q = (field: string, rule: Rule, why: string): ClaimSpec => [field, rule, why];
  const same = (field: string, why: string): ClaimSpec => [field, byName.get(field)![1], why];
  return [
    ...['EI_MAG0', 'EI_MAG1', 'EI_MAG2', 'EI_MAG3'].map((f) =>
      same(f, 'linux-user/linuxload.c loader_exec: bprm->buf[0..3] == "\\x7fELF", else ENOEXEC'),
    ),
    q('EI_CLASS', fixed(m.elfClass === 32 ? 1 : 2), `${Q} elf_check_ident: e_ident[EI_CLASS] == ELF_CLASS`),
    q('EI_DATA', fixed(1), `${Q} elf_check_ident: e_ident[EI_DATA] == ELF_DATA`),
    q('EI_VERSION', fixed(1), `${Q} elf_check_ident: e_ident[EI_VERSION] == EV_CURRENT`),
    q('EI_OSABI', free, 'not checked (ARM FDPIC only changes the initial registers)'),
    q('EI_ABIVERSION', free, 'never read'),
    q('EI_PAD', free, 'never read'),
    q('e_type', byName.get('e_type')![1], `${Q} elf_check_ehdr: e_type == ET_EXEC || ET_DYN`),
    q('e_machine', byName.get('e_machine')![1], `${Q} elf_check_ehdr: elf_check_arch(e_machine)`),
    q('e_version', free, 'never read'),
    q('e_entry', layout, `${Q} load_elf_image: info->entry = e_entry + load_bias, unchecked`),
    q('e_phoff', layout, `${Q} load_elf_image: phdrs from bprm_buf if e_phoff + size ≤ BPRM_BUF_SIZE, else pread must return them all`),
    q('e_shoff', free, `${Q} load_symbols reads section headers only with -d/-D logging (qemu_log_enabled), and tolerates garbage`),
    q('e_flags', free, `${Q} elf_check_abi is true for these targets; arm: BE8 is honoured only by armeb`),
    q('e_ehsize', fixed(ehdrSize(m.elfClass)), `${Q} elf_check_ehdr: e_ehsize == sizeof(struct elfhdr)`),
    q('e_phentsize', fixed(phdrSize(m.elfClass)), `${Q} elf_check_ehdr: e_phentsize == sizeof(struct elf_phdr)`),
    q('e_phnum', fixed(1), `${Q} load_elf_image: e_phnum phdrs are read and walked; tinyelf layouts have exactly one`),
    q('e_shentsize', free, 'never read (see e_shoff)'),
    q('e_shnum', free, 'never read (see e_shoff)'),
    q('e_shstrndx', free, 'never read (see e_shoff)'),
    q('p_type', fixed(PT_LOAD), `${Q} load_elf_image: only PT_LOAD is mapped`),
    q('p_offset', layout, `${Q} load_elf_image: target_mmap(…, p_offset - vaddr_po) fails unless page-aligned`),
    q('p_vaddr', layout, `${Q} load_elf_image/probe_guest_base: any address the guest space can hold; guest_base moves it on the host`),
    q('p_paddr', free, 'never read'),
    q('p_filesz', layout, `${Q} load_elf_image: p_filesz is not compared with p_memsz; zero_bss clears from p_vaddr + p_filesz to the page end`),
    q('p_memsz', layout, `${Q} load_elf_image: hiaddr = p_vaddr + p_memsz; zero_bss memsets the tail of the last file page, which faults unless PF_W`),
    q('p_flags', { kind: 'mask', mask: BigInt(PF_X), value: BigInt(PF_X) }, `${Q} load_elf_image: PF_X → PROT_EXEC, no READ_IMPLIES_EXEC emulation; translation needs PAGE_EXEC`),
    q('p_align', free, `${Q} load_elf_image (7.2): p_align is not used`),
  ];
}

// --- constraints on whole headers ------------------------------------------------------------------

function v(h: HeaderView, name: string): bigint {
  return h.values.get(name) ?? 0n;
}
const tableEnd = (h: HeaderView): bigint => v(h, 'e_phoff') + v(h, 'e_phnum') * v(h, 'e_phentsize');

function constraintsFor(arch: ArchName, loader: LoaderName, pageSize: number, maxEnd: bigint): Constraint[] {
  const page = BigInt(pageSize);
  const x86 = arch === 'i386' || arch === 'x86_64';
  const linuxProof: ProofSite[] = x86 ? ['linux-6.18'] : ['source'];
  const proof: ProofSite[] = loader === 'linux' ? linuxProof : ['qemu-7.2'];
  const cs: Constraint[] = [
    {
      id: 'congruent',
      text: `p_offset ≡ p_vaddr (mod ${pageSize})`,
      why: loader === 'linux' ? `${L} elf_map: vm_mmap needs a page-aligned file offset` : `${Q} load_elf_image: target_mmap offset`,
      provenBy: proof,
      check: (h) => (v(h, 'p_vaddr') - v(h, 'p_offset')) % page === 0n,
    },
    {
      id: 'filesz-nonzero',
      text: 'p_filesz ≥ 1 (a zero p_filesz maps no file bytes)',
      why: loader === 'linux' ? `${L} elf_load: p_filesz == 0 maps anonymous memory` : `${Q} load_elf_image: p_filesz == 0 maps anonymous memory`,
      provenBy: proof,
      check: (h) => v(h, 'p_filesz') >= 1n,
    },
    {
      id: 'entry-in-file',
      text: 'e_entry lies in the first page mapping of the file: p_vaddr - p_offset ≤ e_entry < p_vaddr - p_offset + file size',
      why: 'the code must be where the entry points (a program property, checked by no loader)',
      provenBy: proof,
      check: (h) => {
        const start = v(h, 'p_vaddr') - v(h, 'p_offset');
        const e = v(h, 'e_entry');
        return e >= start && e < start + BigInt(h.fileSize);
      },
    },
    {
      id: 'bss-keeps-code',
      text: 'when p_memsz > p_filesz, p_offset + p_filesz ≥ file size: the loader zeroes the page after p_filesz',
      why: loader === 'linux' ? `${L} elf_load/padzero (zeroing fails silently on read-only pages since 6.7)` : `${Q} zero_bss`,
      provenBy: proof,
      check: (h) => v(h, 'p_memsz') <= v(h, 'p_filesz') || v(h, 'p_offset') + v(h, 'p_filesz') >= BigInt(h.fileSize),
    },
    {
      id: 'end-in-address-space',
      text: `p_vaddr + p_memsz ≤ 0x${maxEnd.toString(16)} (TASK_SIZE)`,
      why: loader === 'linux' ? `${L} load_elf_binary: p_memsz > TASK_SIZE - p_vaddr → EINVAL` : `${Q} probe_guest_base: the image must fit the guest address space`,
      provenBy: proof,
      check: (h) => v(h, 'p_vaddr') + v(h, 'p_memsz') <= maxEnd,
    },
  ];
  if (loader === 'linux') {
    cs.push(
      {
        id: 'phdrs-in-file',
        text: 'e_phoff + e_phnum * e_phentsize ≤ file size',
        why: `${L} load_elf_phdrs: elf_read() of the table must return every byte (else EIO)`,
        provenBy: linuxProof,
        check: (h) => tableEnd(h) <= BigInt(h.fileSize),
      },
      {
        id: 'filesz-le-memsz',
        text: 'p_filesz ≤ p_memsz',
        why: `${L} load_elf_binary: p_filesz > p_memsz → EINVAL, process killed`,
        provenBy: linuxProof,
        check: (h) => v(h, 'p_filesz') <= v(h, 'p_memsz'),
      },
    );
  } else {
    cs.push(
      {
        id: 'phdrs-in-buffer-or-file',
        text: 'e_phoff + e_phnum * e_phentsize ≤ 1024 (read from the zero-padded buffer) or ≤ file size',
        why: `${Q} load_elf_image: bprm_buf (BPRM_BUF_SIZE 1024, zero-filled by linuxload.c prepare_binprm) or pread`,
        provenBy: ['qemu-7.2'],
        check: (h) => tableEnd(h) <= 1024n || tableEnd(h) <= BigInt(h.fileSize),
      },
      {
        id: 'bss-needs-write',
        text: 'when p_memsz > p_filesz, PF_W: zero_bss memsets the rest of the last file page through a host mapping with the guest protection',
        why: `${Q} zero_bss: memset(host_start, 0, …) faults on a read-only page`,
        provenBy: ['qemu-7.2'],
        check: (h) => v(h, 'p_memsz') <= v(h, 'p_filesz') || (v(h, 'p_flags') & BigInt(PF_W)) !== 0n,
      },
      {
        id: 'memsz-nonzero',
        text: 'p_memsz ≥ 1',
        why: `${Q} load_elf_image: hiaddr = p_vaddr + p_memsz sizes the guest reservation`,
        provenBy: ['qemu-7.2'],
        check: (h) => v(h, 'p_memsz') >= 1n,
      },
    );
  }
  return cs;
}

/**
 * TASK_SIZE of the usual configuration, the bound the loader profiles check: 3G/1G split for the
 * 32-bit kernels (an x86-64 kernel gives i386 0xffffe000; qemu-user gives 32-bit guests 4 GiB),
 * 47-bit x86-64, 48-bit AArch64. The portable profile uses the smaller Machine.maxEnd instead.
 */
function loaderTaskSize(arch: ArchName): bigint {
  return { i386: 0xc0000000n, arm: 0xbf000000n, x86_64: 0x7ffffffff000n, aarch64: 0x1000000000000n }[arch];
}

/**
 * Rules of kernels older than the one this host runs, kept by the portable profile only: the
 * linux profile describes current kernels (and is tested on 6.18).
 */
const OLD_KERNELS: Constraint[] = [
  {
    id: 'bss-needs-write-old-kernels',
    text: 'when p_memsz > p_filesz, PF_W (kernels before 6.7 fail exec when padzero() faults on a read-only page)',
    why: `${L} load_elf_binary (≤ 6.6): padzero(elf_bss) → EFAULT; 6.7 elf_load ignores the fault unless PROT_WRITE`,
    provenBy: ['source'],
    check: (h) => v(h, 'p_memsz') <= v(h, 'p_filesz') || (v(h, 'p_flags') & BigInt(PF_W)) !== 0n,
  },
];

// --- building profiles ---------------------------------------------------------------------------

function allFieldNames(cls: ElfClass): string[] {
  return [...ehdrFields(cls), ...phdrFields(cls)].map((f) => f.name);
}

function loaderProfile(arch: ArchName, loader: LoaderName): Profile {
  const m = machine(arch);
  const x86 = arch === 'i386' || arch === 'x86_64';
  const site: ProofSite[] = loader === 'qemu' ? ['qemu-7.2'] : x86 ? ['linux-6.18'] : ['source'];
  const specs = loader === 'linux' ? linuxClaims(arch) : qemuClaims(arch);
  const fields = new Map<string, FieldClaim>();
  for (const [field, rule, why, sourceOnly] of specs) {
    fields.set(field, { field, rule, why, provenBy: sourceOnly && loader === 'linux' ? ['source'] : site });
  }
  for (const name of allFieldNames(m.elfClass)) if (!fields.has(name)) throw new Error(`profile ${arch}/${loader} misses ${name}`);
  return {
    arch,
    loader,
    elfClass: m.elfClass,
    endian: m.endian,
    ehdrSize: ehdrSize(m.elfClass),
    phdrSize: phdrSize(m.elfClass),
    pageSize: m.pageSize,
    fields,
    constraints: constraintsFor(arch, loader, m.pageSize, loaderTaskSize(arch)),
    ehdrPastEofIsZero: true,
    phdrZeroPadLimit: loader === 'qemu' ? 1024 : 0,
    minFileSize:
      loader === 'linux'
        ? 'e_phoff + e_phnum * e_phentsize (the program headers must be in the file; ELF-header bytes past EOF read as 0)'
        : 'no fixed minimum: header bytes past EOF within 1024 read as 0; the executed code must be in the file',
    allowEntryInHeader: true,
    minBase: m.minBase,
    maxEnd: m.maxEnd,
    kernels:
      loader === 'qemu'
        ? 'qemu-user 7.2 (Debian 1:7.2+dfsg-7+deb12u*)'
        : 'Linux 4.17 (MAP_FIXED_NOREPLACE) to 6.18; before 5.8 x86_64/arm64 also ran PF_R-only segments (READ_IMPLIES_EXEC), before 6.7 p_memsz > p_filesz needs PF_W',
  };
}

/** A rule accepting exactly the values both `a` and `b` accept, as simple as can be. */
export function intersectRules(a: Rule, b: Rule): Rule {
  if (a.kind === 'free') return b;
  if (b.kind === 'free') return a;
  if (JSON.stringify(a, big) === JSON.stringify(b, big)) return a;
  if (a.kind === 'layout' || b.kind === 'layout') return layout;
  const pick = (values: readonly bigint[], other: Rule): bigint[] => values.filter((x) => ruleAccepts(other, x));
  if (a.kind === 'fixed') return ruleAccepts(b, a.value) ? a : { kind: 'oneOf', values: [] };
  if (b.kind === 'fixed') return ruleAccepts(a, b.value) ? b : { kind: 'oneOf', values: [] };
  if (a.kind === 'oneOf') return { kind: 'oneOf', values: pick(a.values, b) };
  if (b.kind === 'oneOf') return { kind: 'oneOf', values: pick(b.values, a) };
  // mask(m, v) with v != 0 implies anyBit(k) when the mask's required bits meet k.
  if (a.kind === 'mask' && b.kind === 'anyBit' && (a.value & b.mask) !== 0n) return a;
  if (b.kind === 'mask' && a.kind === 'anyBit' && (b.value & a.mask) !== 0n) return b;
  return { kind: 'all', rules: [a, b] };
}

function big(_k: string, x: unknown): unknown {
  return typeof x === 'bigint' ? x.toString() : x;
}

/** True when a field value satisfies the rule ('layout' always: see the constraints). */
export function ruleAccepts(rule: Rule, value: bigint): boolean {
  switch (rule.kind) {
    case 'free':
    case 'layout':
      return true;
    case 'fixed':
      return value === rule.value;
    case 'oneOf':
      return rule.values.includes(value);
    case 'except':
      return !rule.values.includes(value);
    case 'mask':
      return (value & rule.mask) === rule.value;
    case 'anyBit':
      return (value & rule.mask) !== 0n;
    case 'all':
      return rule.rules.every((r) => ruleAccepts(r, value));
  }
}

/** True when byte `index` (0 = lowest address) of a `size`-byte field may hold any value under the rule. */
export function ruleLeavesByteFree(rule: Rule, size: number, index: number, endian: Endian): boolean {
  const shift = BigInt(8 * (endian === 'little' ? index : size - 1 - index));
  const inByte = (mask: bigint): boolean => ((mask >> shift) & 0xffn) !== 0n;
  switch (rule.kind) {
    case 'free':
      return true;
    case 'mask':
    case 'anyBit':
      return !inByte(rule.mask);
    case 'all':
      return rule.rules.every((r) => ruleLeavesByteFree(r, size, index, endian));
    default:
      return false;
  }
}

function portableProfile(arch: ArchName): Profile {
  const lin = loaderProfile(arch, 'linux');
  const qem = loaderProfile(arch, 'qemu');
  const m = machine(arch);
  const fields = new Map<string, FieldClaim>();
  for (const [name, a] of lin.fields) {
    const b = qem.fields.get(name)!;
    fields.set(name, {
      field: name,
      rule: intersectRules(a.rule, b.rule),
      why: a.why === b.why ? a.why : `linux: ${a.why}; qemu: ${b.why}`,
      provenBy: [...new Set([...a.provenBy, ...b.provenBy])],
    });
  }
  const seen = new Set<string>();
  const constraints: Constraint[] = [];
  // Portable congruence is modulo the largest page size of the architecture (AArch64: 64K).
  for (const c of [...constraintsFor(arch, 'linux', m.maxPageSize, m.maxEnd), ...OLD_KERNELS, ...qem.constraints]) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    constraints.push(c);
  }
  constraints.push({
    id: 'min-base',
    text: `p_vaddr - p_offset ≥ 0x${m.minBase.toString(16)} (vm.mmap_min_addr default; root may go lower)`,
    why: 'mm/mmap.c + security/min_addr.c: mappings below mmap_min_addr need CAP_SYS_RAWIO',
    provenBy: ['source'],
    check: (h) => v(h, 'p_vaddr') - v(h, 'p_offset') >= BigInt(m.minBase),
  });
  return {
    ...lin,
    loader: 'portable',
    fields,
    constraints,
    pageSize: m.maxPageSize,
    phdrZeroPadLimit: 0,
    minFileSize: lin.minFileSize,
    kernels: `${lin.kernels}; ${qem.kernels}`,
  };
}

const cache = new Map<string, Profile>();

/** The profile of `arch` under `loader` ('linux', 'qemu' or their intersection 'portable'). */
export function profile(arch: ArchName, loader: ProfileName): Profile {
  const key = `${arch}/${loader}`;
  let p = cache.get(key);
  if (!p) {
    p = loader === 'portable' ? portableProfile(arch) : loaderProfile(arch, loader);
    cache.set(key, p);
  }
  return p;
}

// --- questions a planner asks ----------------------------------------------------------------------

/** May file byte `offset` hold any value, with the program header at `phoff`? Bytes outside both headers are free. */
export function isFreeByte(p: Profile, offset: number, phoff: number): boolean {
  return byteOwners(p.elfClass, offset, phoff).every((o) => {
    const claim = p.fields.get(o.field)!;
    const size = (o.struct === 'ehdr' ? ehdrFields(p.elfClass) : phdrFields(p.elfClass)).find((f) => f.name === o.field)!.size;
    return ruleLeavesByteFree(claim.rule, size, o.byte, p.endian);
  });
}

export interface Range {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** Runs of free bytes within the headers (file offsets 0 .. max(ehdr end, phdr end)). */
export function freeRanges(p: Profile, phoff: number): Range[] {
  const end = Math.max(p.ehdrSize, phoff + p.phdrSize);
  const out: Range[] = [];
  for (let i = 0; i < end; i++) {
    if (!isFreeByte(p, i, phoff)) continue;
    const last = out[out.length - 1];
    if (last && last.end === i) out[out.length - 1] = { start: last.start, end: i + 1 };
    else out.push({ start: i, end: i + 1 });
  }
  return out;
}

/**
 * The value field `name` holds in the canonical layout: fixed and oneOf rules give their (first)
 * value, layout fields follow from `l`, free fields give undefined (the planner may put code there).
 * For mask/anyBit fields the returned value is the one tinyelf writes.
 */
export function fieldValue(p: Profile, name: string, l: Layout): bigint | undefined {
  const rule = p.fields.get(name)?.rule;
  if (!rule) throw new Error(`unknown field ${name}`);
  switch (name) {
    case 'e_entry':
      return l.entry;
    case 'e_phoff':
      return BigInt(l.phoff);
    case 'p_offset':
      return 0n;
    case 'p_vaddr':
      return l.base;
    case 'p_filesz':
      return BigInt(l.fileSize);
    case 'p_memsz':
      return BigInt(l.memSize ?? l.fileSize);
    case 'p_flags':
      return BigInt(l.flags ?? PF_R | PF_X);
    case 'e_flags':
      return BigInt(machine(p.arch).eFlags);
  }
  switch (rule.kind) {
    case 'fixed':
      return rule.value;
    case 'oneOf':
      return rule.values[0];
    default:
      return undefined;
  }
}

/**
 * Byte conflicts of putting the program header at `phoff`: file offsets where the ELF header and
 * the program header both require a fixed value and the values differ. Empty: the overlap is
 * possible as far as fixed bytes go (layout fields still have to agree).
 */
export function phoffConflicts(p: Profile, phoff: number): number[] {
  const out: number[] = [];
  for (let off = phoff; off < Math.min(p.ehdrSize, phoff + p.phdrSize); off++) {
    const vals = byteOwners(p.elfClass, off, phoff).map((o) => fixedByte(p, o.field, o.byte));
    if (vals.length === 2 && vals[0] !== undefined && vals[1] !== undefined && vals[0] !== vals[1]) out.push(off);
  }
  return out;
}

function fixedByte(p: Profile, name: string, index: number): number | undefined {
  const rule = p.fields.get(name)!.rule;
  if (rule.kind !== 'fixed') return undefined;
  const size = (structOf(name) === 'ehdr' ? ehdrFields(p.elfClass) : phdrFields(p.elfClass)).find((f) => f.name === name)!.size;
  const shift = BigInt(8 * (p.endian === 'little' ? index : size - 1 - index));
  return Number((rule.value >> shift) & 0xffn);
}

/** Reads every header field of a file as this loader would see it (bytes past EOF read as 0). */
export function viewHeader(p: Profile, bytes: Uint8Array): HeaderView {
  const values = new Map<string, bigint>();
  for (const f of ehdrFields(p.elfClass)) values.set(f.name, readUint(bytes, f.offset, f.size, p.endian));
  const phoff = Number(values.get('e_phoff')!);
  for (const f of phdrFields(p.elfClass)) values.set(f.name, readUint(bytes, phoff + f.offset, f.size, p.endian));
  return { values, fileSize: bytes.length };
}

export interface Violation {
  readonly id: string;
  readonly text: string;
}

/** Every field rule and constraint the file breaks under this profile; empty: the loader runs it. */
export function check(p: Profile, bytes: Uint8Array): Violation[] {
  const h = viewHeader(p, bytes);
  const out: Violation[] = [];
  for (const [name, claim] of p.fields) {
    const value = h.values.get(name)!;
    if (!ruleAccepts(claim.rule, value)) out.push({ id: name, text: `${name} = 0x${value.toString(16)} breaks ${describeRule(claim.rule)}` });
  }
  for (const c of p.constraints) if (!c.check(h)) out.push({ id: c.id, text: c.text });
  return out;
}

export function describeRule(rule: Rule): string {
  const hex = (x: bigint): string => `0x${x.toString(16)}`;
  switch (rule.kind) {
    case 'free':
      return 'free';
    case 'layout':
      return 'layout';
    case 'fixed':
      return `= ${hex(rule.value)}`;
    case 'oneOf':
      return `∈ {${rule.values.map(hex).join(', ')}}`;
    case 'except':
      return `∉ {${rule.values.map(hex).join(', ')}}`;
    case 'mask':
      return `& ${hex(rule.mask)} = ${hex(rule.value)}`;
    case 'anyBit':
      return `& ${hex(rule.mask)} ≠ 0`;
    case 'all':
      return rule.rules.map(describeRule).join(' and ');
  }
}
