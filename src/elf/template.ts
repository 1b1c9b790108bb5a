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
import { byteOwners, ehdrFields, field, phdrFields, readUint, writeUint, PF_R, PF_X, PF_W } from './fields.js';
import { check, fieldValue, isFreeByte, type Profile } from './profiles.js';
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
  const defer = (name: string): boolean => {
    const { offset, size: n } = at(name);
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
  // 3. p_flags: read + execute (+ write when the bytes it overlaps say so); only the bits the loader reads are pinned.
  const pflagsRule = p.fields.get('p_flags')!.rule;
  const pflagsMask = pflagsRule.kind === 'mask' || pflagsRule.kind === 'anyBit' ? pflagsRule.mask | 0x7n : 0xffffffffn;
  let pFlags = PF_R | PF_X;
  {
    const { offset } = at('p_flags');
    const lowByteIndex = p.endian === 'little' ? offset : offset + 3;
    if (fixed[lowByteIndex]) {
      // Overlapping a fixed byte: accept it if it grants execute (and keep what it says).
      const b = bytes[lowByteIndex]!;
      if ((b & PF_X) === 0) return undefined;
      pFlags = b & 7;
    }
    if (!put('p_flags', BigInt(pFlags), pflagsMask)) return undefined;
  }
  // 4. e_phoff.
  if (!put('e_phoff', BigInt(phoff))) return undefined;
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
      // The segment starts at p_offset; it covers the rest of the file.
      const filesz = BigInt(out.length) - pOffset;
      w('p_filesz', filesz);
      w('p_memsz', filesz);
      return out;
    },
  };
}

/** Loader check of a finished file, as a list of problems (empty: it runs). */
export function verifyHeader(p: Profile, bytes: Uint8Array): string[] {
  return check(p, bytes).map((v) => `${v.id}: ${v.text}`);
}

export { PF_W };
