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
import { byteOwners, ehdrFields, field, phdrFields, readUint, writeUint, PF_R, PF_W, PF_X } from './fields.js';
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
  /**
   * Set when header bytes the loader pins decide e_entry (the 64-bit e_entry doubling as p_type
   * and p_flags): the file offset the entry point must be. The bytes from there to the first
   * free byte run before the program's first instruction.
   */
  readonly entryOffset?: number;
  /**
   * Writes e_entry (unless forced), p_filesz, p_memsz into a copy of the header bytes over `file`
   * (already holding code). `memEnd` (a file offset, as if the file went on) is where memory the
   * loader zero-fills ends (.bss), if past the file. Throws if the sizes' pinned bytes cannot
   * cover the file, or cannot give that zero-filled memory.
   */
  finish(file: Uint8Array, entry: bigint, memEnd?: number): Uint8Array;
}

export interface TemplateOptions {
  /** Requested base address (page aligned); default the machine's. Overlaps may force another. */
  base?: bigint;
  /** The segment must be writable (PF_W): the program writes to its data, .bss or code. */
  writable?: boolean;
}

/** Templates already made, per profile and requested base (templates are never changed once made). */
const made = new WeakMap<Profile, Map<string, HeaderTemplate[]>>();

/** Every usable template for the profile, the non-overlapping one (phoff = e_ehsize) last. */
export function headerTemplates(p: Profile, opts: TemplateOptions = {}): HeaderTemplate[] {
  let byBase = made.get(p);
  if (!byBase) made.set(p, (byBase = new Map()));
  const key = `${opts.base ?? ''}/${opts.writable === true}`;
  const hit = byBase.get(key);
  if (hit) return hit;
  const out: HeaderTemplate[] = [];
  const pinned = ehdrPinnedBytes(p);
  for (let phoff = 1; phoff <= p.ehdrSize; phoff++) {
    if (pTypeClashes(p, pinned, phoff)) continue; // (what makeTemplate would find, found cheaply)
    const t = makeTemplate(p, phoff, opts, pinned);
    if (t) out.push(t);
  }
  byBase.set(key, out);
  return out;
}

/**
 * The ELF-header bytes that fixed and oneOf rules pin (as makeTemplate writes them: a oneOf's
 * first value), whatever the program header's place; undefined where nothing pins the byte.
 */
function ehdrPinnedBytes(p: Profile): (number | undefined)[] {
  const out = new Array<number | undefined>(p.ehdrSize).fill(undefined);
  for (const f of ehdrFields(p.elfClass)) {
    if (LAYOUT_LIKE.has(f.name)) continue;
    const rule = p.fields.get(f.name)!.rule;
    if (rule.kind !== 'fixed' && rule.kind !== 'oneOf') continue;
    const v = fieldValue(p, f.name, { base: 0n, entry: 0n, phoff: 0, fileSize: 0 });
    if (v === undefined) continue;
    const tmp = new Uint8Array(f.size);
    writeUint(tmp, 0, f.size, p.endian, v);
    tmp.forEach((b, i) => (out[f.offset + i] = b));
  }
  return out;
}

/** True when p_type (PT_LOAD) at `phoff` would overlap an ELF-header byte pinned to another value, or e_phoff's own bytes. */
function pTypeClashes(p: Profile, pinned: (number | undefined)[], phoff: number): boolean {
  const type = field(p.elfClass, 'p_type');
  const v = fieldValue(p, 'p_type', { base: 0n, entry: 0n, phoff, fileSize: 0 });
  if (v === undefined) return false;
  const want = new Uint8Array(type.size);
  writeUint(want, 0, type.size, p.endian, v);
  const phoffField = field(p.elfClass, 'e_phoff');
  const phoffBytes = new Uint8Array(phoffField.size);
  writeUint(phoffBytes, 0, phoffField.size, p.endian, BigInt(phoff));
  for (let i = 0; i < type.size; i++) {
    const o = phoff + type.offset + i;
    if (o >= p.ehdrSize) break;
    const inPhoff = o - phoffField.offset;
    const have = inPhoff >= 0 && inPhoff < phoffField.size ? phoffBytes[inPhoff] : pinned[o];
    if (have !== undefined && have !== want[i]) return true;
  }
  return false;
}

const DEFERRED = new Set(['e_entry', 'p_filesz', 'p_memsz']);
/** Fields whose value the layout decides (in makeTemplate's later steps), whatever their rule. */
const LAYOUT_LIKE = new Set(['e_entry', 'e_phoff', 'p_offset', 'p_vaddr', 'p_filesz', 'p_memsz', 'p_flags', 'e_flags']);

export function makeTemplate(p: Profile, phoff: number, opts: TemplateOptions = {}, pinned = ehdrPinnedBytes(p)): HeaderTemplate | undefined {
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
  /** Sizes some of whose bytes another field pins (e_phnum under p_filesz): a value is chosen around them. */
  const partlyPinned = new Set<string>();
  const defer = (name: string): boolean => {
    const { offset, size: n } = at(name);
    if (name !== 'e_entry') {
      const e = at('e_entry');
      if (e.offset === offset && e.size === n) {
        tiedToEntry.add(name);
        return true;
      }
    }
    const pinned = [...Array(n).keys()].filter((i) => fixed[offset + i]);
    if (pinned.length) {
      if (name === 'e_entry' || pinned.length === n) return false;
      partlyPinned.add(name);
    }
    for (let i = 0; i < n; i++) {
      if (deferred[offset + i]) return false;
      if (!fixed[offset + i]) deferred[offset + i] = true;
    }
    return true;
  };
  /**
   * The smallest value ≥ `atLeast` whose pinned bytes keep their values: the pinned bytes as they
   * are, plus one in the lowest free byte whose weight alone reaches `atLeast` (a size may exceed
   * the file: the mapping just runs past its end).
   */
  const aroundPinned = (name: string, out: Uint8Array, atLeast: bigint): bigint => {
    const { offset, size: n } = at(name);
    const weight = (i: number): bigint => 1n << BigInt(8 * (p.endian === 'little' ? i : n - 1 - i));
    let value = 0n;
    for (let i = 0; i < n; i++) if (fixed[offset + i]) value += BigInt(out[offset + i]!) * weight(i);
    if (value >= atLeast) return value;
    for (let i = 0; i < n; i++) {
      const k = p.endian === 'little' ? i : n - 1 - i;
      if (!fixed[offset + k] && weight(k) >= atLeast) return value + weight(k);
    }
    throw new Error(`internal: ${name} cannot reach ${atLeast} around its pinned bytes`);
  };

  // 1. Fields the loader pins to a value (or a choice, where we take the first): the ELF
  //    header's are the same for every place of the program header; then the program header's.
  pinned.forEach((b, o) => {
    if (b === undefined) return;
    bytes[o] = b;
    fixed[o] = true;
  });
  for (const f of phdrFields(cls)) {
    if (LAYOUT_LIKE.has(f.name)) continue;
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
  // 4. p_flags: read + execute (+ write when asked), in the bits the loader reads. Where p_flags
  //    overlaps bytes already settled (the ELF header's), those decide, as long as the loader's
  //    rule accepts the result and it is writable when it must be.
  const pflagsRule = p.fields.get('p_flags')!.rule;
  let pFlags = opts.writable ? PF_R | PF_W | PF_X : PF_R | PF_X;
  {
    const { offset, size: n } = at('p_flags');
    const tmp = new Uint8Array(n);
    writeUint(tmp, 0, n, p.endian, BigInt(pFlags));
    for (let i = 0; i < n; i++) if (fixed[offset + i]) tmp[i] = bytes[offset + i]!;
    const value = readUint(tmp, 0, n, p.endian);
    if (!ruleAccepts(pflagsRule, value)) return undefined;
    if (opts.writable && (value & BigInt(PF_W)) === 0n) return undefined;
    pFlags = Number(value & 7n);
    // Pin only the bytes the rule reads (the rest stay free for code); forced bytes agree already.
    const mask = pflagsRule.kind === 'mask' || pflagsRule.kind === 'anyBit' ? pflagsRule.mask | 0x7n : 0xffffffffn;
    if (!put('p_flags', value, mask)) return undefined;
  }
  // 5. An e_entry that overlaps pinned bytes is decided by them (its other bytes zero): the base
  //    is then its page, and the entry point a fixed file offset.
  let base0 = opts.base ?? BigInt(m.defaultBase);
  let entryOffset: number | undefined;
  {
    const { offset, size: n } = at('e_entry');
    if ([...Array(n).keys()].some((i) => fixed[offset + i])) {
      const entry = readUint(bytes, offset, n, p.endian);
      const inPage = Number(entry % page);
      if (inPage >= size || opts.base !== undefined) return undefined;
      if (!put('e_entry', entry)) return undefined;
      base0 = entry - BigInt(inPage);
      entryOffset = inPage;
    }
  }
  // 6. p_vaddr and p_offset: file offset 0 at `base`. If p_vaddr overlaps fixed bytes, they
  //    decide; if p_offset is wholly pinned (by e_phoff), it does.
  let vaddr: bigint;
  let pOffset: bigint;
  {
    const { offset, size: n } = at('p_vaddr');
    const forced = [...Array(n).keys()].some((i) => fixed[offset + i]);
    const off = at('p_offset');
    const offsetPinned = [...Array(off.size).keys()].every((i) => fixed[off.offset + i]);
    if (!forced && offsetPinned) {
      pOffset = readUint(bytes, off.offset, off.size, p.endian);
      vaddr = base0 + pOffset;
    } else if (!forced) {
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
    if (entryOffset !== undefined && base !== base0) return undefined; // the pinned entry would miss its offset
    if (!put('p_vaddr', vaddr) || !put('p_offset', pOffset)) return undefined;
  }
  const base = vaddr - pOffset;
  // 7. Entry and sizes come after packing.
  for (const name of DEFERRED) if (!(name === 'e_entry' && entryOffset !== undefined) && !defer(name)) return undefined;

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
    ...(entryOffset !== undefined ? { entryOffset } : {}),
    finish(file: Uint8Array, entry: bigint, memEnd?: number): Uint8Array {
      const out = file.slice();
      const w = (name: string, value: bigint): void => {
        const { offset, size: n } = at(name);
        writeUint(out, offset, n, p.endian, value);
      };
      if (entryOffset === undefined) w('e_entry', entry);
      else if (entry !== base + BigInt(entryOffset)) throw new Error(`internal: entry 0x${entry.toString(16)} is not the pinned one`);
      // The segment starts at p_offset and covers the rest of the file. A size that shares its
      // bytes with e_entry is the entry address, and one partly pinned by another field is the
      // least value around those bytes; either may be much larger than the file (the mapping runs
      // past its end). The other size then takes the same value, so there is no bss.
      const needed = BigInt(out.length) - pOffset;
      let filesz = needed;
      let memsz = needed;
      const bss = memEnd !== undefined && BigInt(memEnd) - pOffset > needed;
      if (bss) {
        // Zero-filled memory after the file: p_filesz must end where the file does (past it the
        // mapping would be of file pages that do not exist, SIGBUS), p_memsz cover the rest.
        const memNeeded = BigInt(memEnd) - pOffset;
        if (tiedToEntry.size || partlyPinned.has('p_filesz')) throw new Error('this header cannot give a p_filesz that ends at the end of the file, as .bss needs');
        memsz = partlyPinned.has('p_memsz') ? aroundPinned('p_memsz', out, memNeeded) : memNeeded;
      } else if (tiedToEntry.size) filesz = memsz = entry;
      else {
        if (partlyPinned.has('p_filesz')) filesz = aroundPinned('p_filesz', out, needed);
        memsz = partlyPinned.has('p_memsz') ? aroundPinned('p_memsz', out, filesz) : filesz;
        if (memsz > filesz && !partlyPinned.has('p_filesz')) filesz = memsz;
      }
      if (!tiedToEntry.has('p_filesz')) writeAround('p_filesz', filesz);
      if (!tiedToEntry.has('p_memsz')) writeAround('p_memsz', memsz);
      return out;

      /** Writes a size; the bytes another field pins must already hold the same values. */
      function writeAround(name: string, value: bigint): void {
        const { offset, size: n } = at(name);
        const tmp = new Uint8Array(n);
        writeUint(tmp, 0, n, p.endian, value);
        for (let i = 0; i < n; i++) {
          if (fixed[offset + i] && out[offset + i] !== tmp[i]) throw new Error(`internal: ${name} 0x${value.toString(16)} breaks a pinned byte`);
          out[offset + i] = tmp[i]!;
        }
      }
    },
  };
}

/** Loader check of a finished file, as a list of problems (empty: it runs). */
export function verifyHeader(p: Profile, bytes: Uint8Array): string[] {
  return check(p, bytes).map((v) => `${v.id}: ${v.text}`);
}

