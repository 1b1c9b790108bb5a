/**
 * Header templates: for one loader profile and one place of the program header, which header
 * bytes are settled, which are free for code and data, and how to finish the header once the
 * planner knows the entry point and the file size.
 *
 * The program header may start inside the ELF header; where the two overlap, every byte must
 * satisfy both owners. Fixed fields are written first; layout fields follow from the choice of
 * base address (p_vaddr may be forced by the ELF-header bytes it overlaps, and p_offset is then
 * chosen congruent to it). Templates whose owners disagree are dropped. The finished header is
 * always re-checked against the profile (`check`), so a template can be wrong only by being
 * unusable, never by producing a file the loader refuses.
 */
import { byteOwners, ehdrFields, field, phdrFields, readUint, writeUint, PF_R, PF_X } from './fields.js';
import { check, fieldValue, isFreeByte, ruleAccepts, type Profile } from './profiles.js';
import { machine } from './machines.js';

export interface HeaderTemplate {
  readonly phoff: number;
  /** Virtual address of file offset 0. */
  readonly base: bigint;
  /** End of the header region: max(ELF header end, program header end). */
  readonly size: number;
  /** Bytes settled so far (entry and sizes are not: see `finish`). */
  readonly bytes: Uint8Array;
  /** Per byte: true = free for code or data. */
  readonly free: boolean[];
  /** Per byte: true = its value is fixed now (code placed there must have the same value). */
  readonly fixed: boolean[];
  readonly pFlags: number;
  /** Writes e_entry, p_filesz, p_memsz into a copy of the header bytes over `file` (already holding code). */
  finish(file: Uint8Array, entry: bigint): Uint8Array;
}

export interface TemplateOptions {
  /** Requested base address (page aligned); default the machine's. Overlaps may force another. */
  base?: bigint;
}

/** Every usable template for the profile, the non-overlapping one (phoff = e_ehsize) last. */
export function headerTemplates(p: Profile, opts: TemplateOptions = {}): HeaderTemplate[] {
  const out: HeaderTemplate[] = [];
  for (let phoff = 1; phoff <= p.ehdrSize; phoff++) {
    const t = makeTemplate(p, phoff, opts);
    if (t) out.push(t);
  }
  return out;
}

const DEFERRED = new Set(['e_entry', 'p_filesz', 'p_memsz']);

export function makeTemplate(p: Profile, phoff: number, opts: TemplateOptions = {}): HeaderTemplate | undefined {
  const m = machine(p.arch);
  const cls = p.elfClass;
  const size = Math.max(p.ehdrSize, phoff + p.phdrSize);
  const bytes = new Uint8Array(size);
  const fixed = new Array<boolean>(size).fill(false);
  const deferred = new Array<boolean>(size).fill(false);
  const page = BigInt(p.pageSize);

  const at = (name: string): { offset: number; size: number } => {
    const f = field(cls, name);
    return { offset: (name.startsWith('p_') ? phoff : 0) + f.offset, size: f.size };
  };
  /** Writes a value; false if a byte it covers is already fixed to something else. */
  const put = (name: string, value: bigint, onlyMaskBytes?: bigint): boolean => {
    const { offset, size: n } = at(name);
    const tmp = new Uint8Array(n);
    writeUint(tmp, 0, n, p.endian, value);
    for (let i = 0; i < n; i++) {
      const o = offset + i;
      if (onlyMaskBytes !== undefined) {
        const shift = BigInt(8 * (p.endian === 'little' ? i : n - 1 - i));
        if (((onlyMaskBytes >> shift) & 0xffn) === 0n) continue;
      }
      if (fixed[o] && bytes[o] !== tmp[i]) return false;
      if (deferred[o]) return false;
      bytes[o] = tmp[i]!;
      fixed[o] = true;
    }
    return true;
  };
  /** Deferred fields tied to e_entry because they occupy exactly its bytes (they take its value). */
  const tiedToEntry = new Set<string>();
  const defer = (name: string): boolean => {
    const { offset, size: n } = at(name);
    if (name !== 'e_entry') {
      const e = at('e_entry');
      if (e.offset === offset && e.size === n) {
        tiedToEntry.add(name);
        return true;
      }
    }
    for (let i = 0; i < n; i++) {
      if (fixed[offset + i] || deferred[offset + i]) return false;
      deferred[offset + i] = true;
    }
    return true;
  };

  // 1. Fields the loader pins to a value (or a choice, where we take the first).
  const layoutLike = new Set(['e_entry', 'e_phoff', 'p_offset', 'p_vaddr', 'p_filesz', 'p_memsz', 'p_flags', 'e_flags']);
  for (const f of [...ehdrFields(cls), ...phdrFields(cls)]) {
    if (layoutLike.has(f.name)) continue;
    const rule = p.fields.get(f.name)!.rule;
    if (rule.kind === 'fixed' || rule.kind === 'oneOf') {
      const v = fieldValue(p, f.name, { base: 0n, entry: 0n, phoff, fileSize: 0 });
      if (v === undefined || !put(f.name, v)) return undefined;
    }
  }
  // 2. e_flags: the machine's value where the loader looks at it (ARM's EABI byte), else free.
  const eflagsRule = p.fields.get('e_flags')!.rule;
  if (eflagsRule.kind !== 'free') {
    const mask = eflagsRule.kind === 'mask' || eflagsRule.kind === 'anyBit' ? eflagsRule.mask : (1n << 32n) - 1n;
    if (!put('e_flags', BigInt(m.eFlags), mask)) return undefined;
  }
  // 3. e_phoff.
  if (!put('e_phoff', BigInt(phoff))) return undefined;
  // 4. p_flags: read + execute, in the bits the loader reads. Where p_flags overlaps bytes already
  //    settled (the ELF header's), those decide, as long as the loader's rule accepts the result.
  const pflagsRule = p.fields.get('p_flags')!.rule;
  let pFlags = PF_R | PF_X;
  {
    const { offset, size: n } = at('p_flags');
    const tmp = new Uint8Array(n);
    writeUint(tmp, 0, n, p.endian, BigInt(pFlags));
    for (let i = 0; i < n; i++) if (fixed[offset + i]) tmp[i] = bytes[offset + i]!;
    const value = readUint(tmp, 0, n, p.endian);
    if (!ruleAccepts(pflagsRule, value)) return undefined;
    pFlags = Number(value & 7n);
    // Pin only the bytes the rule reads (the rest stay free for code); forced bytes agree already.
    const mask = pflagsRule.kind === 'mask' || pflagsRule.kind === 'anyBit' ? pflagsRule.mask | 0x7n : 0xffffffffn;
    if (!put('p_flags', value, mask)) return undefined;
  }
  // 5. p_vaddr and p_offset: file offset 0 at `base`. If p_vaddr overlaps fixed bytes, they decide.
  const base0 = opts.base ?? BigInt(m.defaultBase);
  let vaddr: bigint;
  let pOffset: bigint;
  {
    const { offset, size: n } = at('p_vaddr');
    const forced = [...Array(n).keys()].some((i) => fixed[offset + i]);
    if (!forced) {
      pOffset = 0n;
      vaddr = base0;
    } else {
      const tmp = new Uint8Array(n);
      writeUint(tmp, 0, n, p.endian, base0);
      for (let i = 0; i < n; i++) if (fixed[offset + i]) tmp[i] = bytes[offset + i]!;
      vaddr = readUint(tmp, 0, n, p.endian);
      pOffset = vaddr % page;
    }
    const base = vaddr - pOffset;
    if (base < BigInt(p.minBase) || base % page !== 0n) return undefined;
    if (!put('p_vaddr', vaddr) || !put('p_offset', pOffset)) return undefined;
  }
  const base = vaddr - pOffset;
  // 6. Entry and sizes come after packing.
  for (const name of DEFERRED) if (!defer(name)) return undefined;

  const free = new Array<boolean>(size).fill(false);
  for (let o = 0; o < size; o++) free[o] = !fixed[o] && !deferred[o] && isFreeByte(p, o, phoff);
  // A byte that neither structure covers cannot exist below `size`, but be safe:
  for (let o = 0; o < size; o++) if (byteOwners(cls, o, phoff).length === 0) free[o] = true;

  const settled = bytes.slice();
  return {
    phoff,
    base,
    size,
    bytes: settled,
    free,
    fixed,
    pFlags,
    finish(file: Uint8Array, entry: bigint): Uint8Array {
      const out = file.slice();
      const w = (name: string, value: bigint): void => {
        const { offset, size: n } = at(name);
        writeUint(out, offset, n, p.endian, value);
      };
      w('e_entry', entry);
      // The segment starts at p_offset and covers the rest of the file. A size that shares its
      // bytes with e_entry is the entry address (much larger than the file: the mapping may run
      // past the end of the file); the other size then takes the same value, so there is no bss.
      let filesz = BigInt(out.length) - pOffset;
      let memsz = filesz;
      if (tiedToEntry.size) filesz = memsz = entry;
      if (!tiedToEntry.has('p_filesz')) w('p_filesz', filesz);
      if (!tiedToEntry.has('p_memsz')) w('p_memsz', memsz);
      return out;
    },
  };
}

/** Loader check of a finished file, as a list of problems (empty: it runs). */
export function verifyHeader(p: Profile, bytes: Uint8Array): string[] {
  return check(p, bytes).map((v) => `${v.id}: ${v.text}`);
}

