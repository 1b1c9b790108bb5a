import { describe, expect, it } from 'vitest';
import {
  EHDR32,
  EHDR64,
  PHDR32,
  PHDR64,
  describeByte,
  ehdrSize,
  phdrSize,
  readField,
  readUint,
  writeField,
  writeUint,
  type FieldDef,
} from '../../src/elf/fields.js';

/** The rows tile the structure: no gaps, no overlaps, ending at its size. */
function tiles(rows: readonly FieldDef[], size: number): void {
  let at = 0;
  for (const r of rows) {
    expect(r.offset, r.name).toBe(at);
    at += r.size;
  }
  expect(at).toBe(size);
}

describe('field tables', () => {
  it('tile ElfN_Ehdr and ElfN_Phdr exactly', () => {
    tiles(EHDR32, ehdrSize(32));
    tiles(EHDR64, ehdrSize(64));
    tiles(PHDR32, phdrSize(32));
    tiles(PHDR64, phdrSize(64));
  });

  it('place the fields where the gABI does', () => {
    const at = (rows: readonly FieldDef[], n: string) => rows.find((r) => r.name === n)!.offset;
    expect([at(EHDR32, 'e_entry'), at(EHDR32, 'e_phoff'), at(EHDR32, 'e_flags'), at(EHDR32, 'e_phnum')]).toEqual([24, 28, 36, 44]);
    expect([at(EHDR64, 'e_entry'), at(EHDR64, 'e_phoff'), at(EHDR64, 'e_flags'), at(EHDR64, 'e_phnum')]).toEqual([24, 32, 48, 56]);
    expect([at(PHDR32, 'p_flags'), at(PHDR32, 'p_filesz')]).toEqual([24, 16]);
    expect([at(PHDR64, 'p_flags'), at(PHDR64, 'p_filesz'), at(PHDR64, 'p_align')]).toEqual([4, 32, 48]);
  });
});

describe('read and write', () => {
  it('round-trips little- and big-endian values at a base offset', () => {
    const b = new Uint8Array(128);
    writeField(b, 64, 'little', 'p_vaddr', 0x1122334455667788n, 64);
    expect([...b.subarray(80, 88)]).toEqual([0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
    expect(readField(b, 64, 'little', 'p_vaddr', 64)).toBe(0x1122334455667788n);
    writeField(b, 32, 'big', 'e_machine', 40);
    expect([...b.subarray(18, 20)]).toEqual([0x00, 0x28]);
    expect(readField(b, 32, 'big', 'e_machine')).toBe(40n);
  });

  it('reads bytes past the end as zero and refuses values that do not fit', () => {
    expect(readUint(new Uint8Array([0x34, 0x12]), 0, 4, 'little')).toBe(0x1234n);
    expect(() => writeUint(new Uint8Array(4), 0, 2, 'little', 0x10000)).toThrow(RangeError);
    expect(() => writeField(new Uint8Array(4), 32, 'little', 'e_phnum', 1)).toThrow(RangeError);
  });
});

describe('describeByte', () => {
  it('names both owners where the program header overlaps the ELF header', () => {
    // Classic 32-bit overlap: phdr at 4, so p_type covers EI_CLASS..EI_OSABI.
    expect(describeByte(32, 4, 4)).toEqual(['EI_CLASS', 'p_type']);
    expect(describeByte(32, 12, 4)).toEqual(['EI_PAD', 'p_vaddr']);
    // 64-bit overlap at 24: p_flags over the top of e_entry, p_offset over e_phoff.
    expect(describeByte(64, 28, 24)).toEqual(['e_entry', 'p_flags']);
    expect(describeByte(64, 32, 24)).toEqual(['e_phoff', 'p_offset']);
    expect(describeByte(64, 70, 64)).toEqual(['p_flags']);
    expect(describeByte(64, 72, 64)).toEqual(['p_offset']);
    expect(describeByte(64, 200, 64)).toEqual([]);
  });
});
