/**
 * ELF32 and ELF64 file and program headers, each described once as a table of fields.
 *
 * A row is `{ name, offset, size, meaning }`: `offset` is relative to the start of its structure
 * (the ELF header sits at file offset 0, a program header at `e_phoff + i * e_phentsize`), `size`
 * is in bytes. Example: `{ name: 'e_entry', offset: 24, size: 8 }` in ELF64 says the entry point is
 * the 8 bytes at file offsets 24..31, in the byte order given by EI_DATA.
 *
 * The sixteen e_ident bytes are rows of their own (EI_MAG0 … EI_PAD) because tinyelf hides code in
 * some of them and a loader checks others one by one. Values are bigint so that 64-bit fields
 * round-trip exactly.
 */

export type ElfClass = 32 | 64;
export type Endian = 'little' | 'big';
export type StructName = 'ehdr' | 'phdr';

export interface FieldDef {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly meaning: string;
}

// --- constants (System V gABI) ---------------------------------------------------------------
export const ELFMAG = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const EM_386 = 3;
export const EM_486 = 6;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const ELFOSABI_ARM_FDPIC = 65;

/** e_ident: identical in both classes. */
const IDENT: readonly FieldDef[] = [
  { name: 'EI_MAG0', offset: 0, size: 1, meaning: 'magic 0x7f' },
  { name: 'EI_MAG1', offset: 1, size: 1, meaning: "magic 'E'" },
  { name: 'EI_MAG2', offset: 2, size: 1, meaning: "magic 'L'" },
  { name: 'EI_MAG3', offset: 3, size: 1, meaning: "magic 'F'" },
  { name: 'EI_CLASS', offset: 4, size: 1, meaning: 'file class: 1 = 32-bit, 2 = 64-bit' },
  { name: 'EI_DATA', offset: 5, size: 1, meaning: 'byte order: 1 = little-endian, 2 = big-endian' },
  { name: 'EI_VERSION', offset: 6, size: 1, meaning: 'ELF header version, 1 = EV_CURRENT' },
  { name: 'EI_OSABI', offset: 7, size: 1, meaning: 'OS/ABI: 0 = System V, 3 = Linux, 65 = ARM FDPIC' },
  { name: 'EI_ABIVERSION', offset: 8, size: 1, meaning: 'ABI version within EI_OSABI' },
  { name: 'EI_PAD', offset: 9, size: 7, meaning: 'padding, reserved (zero)' },
];

/** Fields after e_ident: [name, size in ELF32, size in ELF64, meaning]. Offsets follow from sizes. */
const EHDR_TAIL: readonly (readonly [string, number, number, string])[] = [
  ['e_type', 2, 2, 'object file type: 2 = ET_EXEC, 3 = ET_DYN'],
  ['e_machine', 2, 2, 'architecture: 3 i386, 62 x86-64, 40 ARM, 183 AArch64'],
  ['e_version', 4, 4, 'object file version, 1 = EV_CURRENT'],
  ['e_entry', 4, 8, 'virtual address of the first instruction'],
  ['e_phoff', 4, 8, 'file offset of the program header table'],
  ['e_shoff', 4, 8, 'file offset of the section header table (0: none)'],
  ['e_flags', 4, 4, 'processor-specific flags (ARM: EABI version in bits 24..31)'],
  ['e_ehsize', 2, 2, 'size of this header: 52 or 64'],
  ['e_phentsize', 2, 2, 'size of one program header: 32 or 56'],
  ['e_phnum', 2, 2, 'number of program headers'],
  ['e_shentsize', 2, 2, 'size of one section header: 40 or 64 (0 when there are none)'],
  ['e_shnum', 2, 2, 'number of section headers'],
  ['e_shstrndx', 2, 2, 'section index of the section-name string table'],
];

/** Program header rows per class: ELF64 moves p_flags up front to keep 8-byte alignment. */
const PHDR_ORDER: Record<ElfClass, readonly string[]> = {
  32: ['p_type', 'p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_flags', 'p_align'],
  64: ['p_type', 'p_flags', 'p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_align'],
};
const PHDR_MEANING: Record<string, string> = {
  p_type: 'segment type: 1 = PT_LOAD',
  p_offset: 'file offset of the segment',
  p_vaddr: 'virtual address of the segment',
  p_paddr: 'physical address (unused on Linux)',
  p_filesz: 'bytes of the segment in the file',
  p_memsz: 'bytes of the segment in memory (the rest is zero-filled)',
  p_flags: 'permissions: PF_X = 1, PF_W = 2, PF_R = 4',
  p_align: 'alignment of the segment',
};

function buildEhdr(cls: ElfClass): FieldDef[] {
  const rows: FieldDef[] = [...IDENT];
  let offset = 16;
  for (const [name, s32, s64, meaning] of EHDR_TAIL) {
    const size = cls === 32 ? s32 : s64;
    rows.push({ name, offset, size, meaning });
    offset += size;
  }
  return rows;
}

function buildPhdr(cls: ElfClass): FieldDef[] {
  const rows: FieldDef[] = [];
  let offset = 0;
  for (const name of PHDR_ORDER[cls]) {
    const size = name === 'p_type' || name === 'p_flags' || cls === 32 ? 4 : 8;
    rows.push({ name, offset, size, meaning: PHDR_MEANING[name]! });
    offset += size;
  }
  return rows;
}

export const EHDR32: readonly FieldDef[] = buildEhdr(32);
export const EHDR64: readonly FieldDef[] = buildEhdr(64);
export const PHDR32: readonly FieldDef[] = buildPhdr(32);
export const PHDR64: readonly FieldDef[] = buildPhdr(64);

export function ehdrFields(cls: ElfClass): readonly FieldDef[] {
  return cls === 32 ? EHDR32 : EHDR64;
}
export function phdrFields(cls: ElfClass): readonly FieldDef[] {
  return cls === 32 ? PHDR32 : PHDR64;
}
/** sizeof(ElfN_Ehdr): 52 or 64. */
export function ehdrSize(cls: ElfClass): number {
  return cls === 32 ? 52 : 64;
}
/** sizeof(ElfN_Phdr): 32 or 56. */
export function phdrSize(cls: ElfClass): number {
  return cls === 32 ? 32 : 56;
}

/** The struct a field name belongs to: `p_*` is the program header, everything else the ELF header. */
export function structOf(name: string): StructName {
  return name.startsWith('p_') ? 'phdr' : 'ehdr';
}

/** The row of a field by name, in either structure; throws on an unknown name. */
export function field(cls: ElfClass, name: string): FieldDef {
  const table = structOf(name) === 'phdr' ? phdrFields(cls) : ehdrFields(cls);
  const f = table.find((r) => r.name === name);
  if (!f) throw new Error(`unknown ELF${cls} field '${name}'`);
  return f;
}

/** File offset of a field when the ELF header is at 0 and the (first) program header at `phoff`. */
export function fileOffset(cls: ElfClass, name: string, phoff: number): number {
  return field(cls, name).offset + (structOf(name) === 'phdr' ? phoff : 0);
}

// --- reading and writing integers --------------------------------------------------------------

/** Reads an unsigned integer of `size` bytes at `at`. Bytes past the end of `bytes` read as 0. */
export function readUint(bytes: Uint8Array, at: number, size: number, endian: Endian): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = bytes[at + (endian === 'little' ? size - 1 - i : i)] ?? 0;
    v = (v << 8n) | BigInt(b);
  }
  return v;
}

/** Writes the low `size` bytes of `value` at `at`; throws when the value does not fit. */
export function writeUint(bytes: Uint8Array, at: number, size: number, endian: Endian, value: bigint | number): void {
  let v = BigInt(value);
  const limit = 1n << BigInt(8 * size);
  if (v < 0n) v += limit; // two's complement for negative inputs
  if (v < 0n || v >= limit) throw new RangeError(`value ${value} does not fit in ${size} bytes`);
  if (at < 0 || at + size > bytes.length) throw new RangeError(`write of ${size} bytes at ${at} is outside the buffer`);
  for (let i = 0; i < size; i++) {
    bytes[at + (endian === 'little' ? i : size - 1 - i)] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Reads field `name` of the structure that starts at `base`. */
export function readField(bytes: Uint8Array, cls: ElfClass, endian: Endian, name: string, base = 0): bigint {
  const f = field(cls, name);
  return readUint(bytes, base + f.offset, f.size, endian);
}

/** Writes field `name` of the structure that starts at `base`. */
export function writeField(
  bytes: Uint8Array,
  cls: ElfClass,
  endian: Endian,
  name: string,
  value: bigint | number,
  base = 0,
): void {
  const f = field(cls, name);
  writeUint(bytes, base + f.offset, f.size, endian, value);
}

// --- which fields cover a byte -------------------------------------------------------------------

export interface ByteOwner {
  readonly struct: StructName;
  readonly field: string;
  /** Index of the byte within the field, 0 = lowest address. */
  readonly byte: number;
}

/**
 * Every header field covering file offset `offset`, given the ELF header at 0 and one program
 * header at `phoff`: at most one ELF-header field and one program-header field, so an inspector
 * can show where the two structures overlap.
 */
export function byteOwners(cls: ElfClass, offset: number, phoff: number): ByteOwner[] {
  const owners: ByteOwner[] = [];
  for (const f of ehdrFields(cls)) {
    if (offset >= f.offset && offset < f.offset + f.size) owners.push({ struct: 'ehdr', field: f.name, byte: offset - f.offset });
  }
  const rel = offset - phoff;
  for (const f of phdrFields(cls)) {
    if (rel >= f.offset && rel < f.offset + f.size) owners.push({ struct: 'phdr', field: f.name, byte: rel - f.offset });
  }
  return owners;
}

/** Names of the fields covering file offset `offset` (see byteOwners), e.g. ['e_entry', 'p_vaddr']. */
export function describeByte(cls: ElfClass, offset: number, phoff: number): string[] {
  return byteOwners(cls, offset, phoff).map((o) => o.field);
}
