/**
 * The `strict` baseline: a conventional, fully valid static ELF with no overlapping structures.
 *
 *   file offset 0            ELF header (52 / 64 bytes)
 *   e_phoff = e_ehsize       one PT_LOAD program header (32 / 56 bytes)
 *   e_phoff + e_phentsize    the code; e_entry points at its first byte
 *
 * The single PT_LOAD maps the whole file (p_offset 0) at `base`, readable and executable, with
 * p_filesz = p_memsz = file size. There are no sections: e_shoff = e_shnum = e_shentsize = 0, which
 * `readelf -a` and `file` read without a warning ("There are no sections in this file.").
 */
import type { ArchName } from '../core/backend.js';
import {
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELFMAG,
  ET_EXEC,
  EV_CURRENT,
  PF_R,
  PF_X,
  PT_LOAD,
  ehdrSize,
  phdrSize,
  writeField,
} from './fields.js';
import { machine } from './machines.js';

export interface MinimalElfOptions {
  readonly arch: ArchName;
  readonly code: Uint8Array;
  /** Virtual address of file offset 0; default the machine's conventional base. Page-aligned (maxPageSize-aligned to run on every kernel). */
  readonly base?: number | bigint;
  /** p_flags; default PF_R | PF_X. */
  readonly flags?: number;
  /** p_memsz; default the file size. */
  readonly memsz?: number | bigint;
}

export interface MinimalElf {
  readonly bytes: Uint8Array;
  readonly base: bigint;
  readonly entry: bigint;
  /** File offset of the program header (= e_ehsize). */
  readonly phoff: number;
  /** File offset of the code (= e_phoff + e_phentsize). */
  readonly codeOffset: number;
}

export function minimalElf(opts: MinimalElfOptions): MinimalElf {
  const m = machine(opts.arch);
  const cls = m.elfClass;
  const base = BigInt(opts.base ?? m.defaultBase);
  if (base % BigInt(m.pageSize) !== 0n) throw new RangeError(`base 0x${base.toString(16)} is not aligned to ${m.pageSize}`);
  const eh = ehdrSize(cls);
  const ph = phdrSize(cls);
  const codeOffset = eh + ph;
  const size = codeOffset + opts.code.length;
  const bytes = new Uint8Array(size);
  const entry = base + BigInt(codeOffset);
  const w = (name: string, v: number | bigint, at = 0): void => writeField(bytes, cls, m.endian, name, v, at);

  bytes.set(ELFMAG, 0);
  w('EI_CLASS', cls === 32 ? ELFCLASS32 : ELFCLASS64);
  w('EI_DATA', m.endian === 'little' ? ELFDATA2LSB : ELFDATA2MSB);
  w('EI_VERSION', EV_CURRENT);
  w('e_type', ET_EXEC);
  w('e_machine', m.eMachine);
  w('e_version', EV_CURRENT);
  w('e_entry', entry);
  w('e_phoff', eh);
  w('e_shoff', 0);
  w('e_flags', m.eFlags);
  w('e_ehsize', eh);
  w('e_phentsize', ph);
  w('e_phnum', 1);

  w('p_type', PT_LOAD, eh);
  w('p_offset', 0, eh);
  w('p_vaddr', base, eh);
  w('p_paddr', base, eh);
  w('p_filesz', size, eh);
  w('p_memsz', opts.memsz ?? size, eh);
  w('p_flags', opts.flags ?? PF_R | PF_X, eh);
  w('p_align', m.maxPageSize, eh);

  bytes.set(opts.code, codeOffset);
  return { bytes, base, entry, phoff: eh, codeOffset };
}
