/**
 * Proves the loader profiles by running: every byte a profile calls free is filled with other
 * values and must still exit 42; every byte it calls fixed is changed and must be refused; edge
 * cases of the constraints must be accepted or refused exactly as check() predicts.
 * Linux claims are run on a kernel (i386, x86_64): this host's, or where it cannot run the
 * architecture, a real one booted in a VM (test/helpers/run.ts); qemu claims under qemu-user.
 */
import { describe, expect, it } from 'vitest';
import type { ArchName } from '../../src/core/backend.js';
import { PF_R, PF_W, PF_X, ehdrFields, phdrFields, writeField } from '../../src/elf/fields.js';
import { ARCHES, machine } from '../../src/elf/machines.js';
import { minimalElf } from '../../src/elf/minimal.js';
import {
  check,
  fieldValue,
  freeRanges,
  isFreeByte,
  phoffConflicts,
  profile,
  ruleAccepts,
  type LoaderName,
  type ProfileName,
} from '../../src/elf/profiles.js';
import { refusedVariants } from '../helpers/mutations.js';
import { exitCode, runAll, viaFor, type Via } from '../helpers/run.js';

interface Target {
  readonly arch: ArchName;
  readonly loader: LoaderName;
  readonly via: Via;
}
/** Where each loader's claims can be run here: a kernel for x86, qemu for all (none: skipped, or under CI a failure). */
const TARGETS: Target[] = (
  [
    ...(['i386', 'x86_64'] as const).map((arch) => ({ arch, loader: 'linux', via: viaFor(arch, 'kernel') })),
    ...ARCHES.map((arch) => ({ arch, loader: 'qemu', via: viaFor(arch, 'qemu') })),
  ] as { arch: ArchName; loader: LoaderName; via: Via | undefined }[]
).filter((t): t is Target => t.via !== undefined);

const base = (arch: ArchName) => minimalElf({ arch, code: exitCode(arch, 42) });

/** Runs all variants (8 at a time, or in one VM boot); returns the labels whose outcome differs from `expectRun`. */
async function mismatches(t: Target, variants: { label: string; bytes: Uint8Array; expectRun: boolean }[]): Promise<string[]> {
  const got = await runAll(variants.map((v) => ({ bytes: v.bytes, opts: { arch: t.arch, via: t.via, timeoutMs: 10_000 } })));
  return variants.filter((v, i) => (got[i]!.status === 42) !== v.expectRun).map((v) => `${v.label} (via ${t.via}): expected ${v.expectRun ? 'run' : 'refusal'}`);
}

describe('profile data', () => {
  for (const arch of ARCHES) {
    it(`${arch}: every field has a claim; the minimal ELF passes every profile; portable ⊆ linux ∩ qemu`, () => {
      const m = machine(arch);
      const names = [...ehdrFields(m.elfClass), ...phdrFields(m.elfClass)].map((f) => f.name);
      const e = base(arch);
      for (const loader of ['linux', 'qemu', 'portable'] as ProfileName[]) {
        const p = profile(arch, loader);
        expect([...p.fields.keys()].sort()).toEqual([...names].sort());
        expect(check(p, e.bytes)).toEqual([]);
      }
      const [lin, qem, por] = (['linux', 'qemu', 'portable'] as const).map((l) => profile(arch, l));
      for (let off = 0; off < e.phoff + por.phdrSize; off++) {
        if (isFreeByte(por!, off, e.phoff)) {
          expect(isFreeByte(lin!, off, e.phoff), `byte ${off}`).toBe(true);
          expect(isFreeByte(qem!, off, e.phoff), `byte ${off}`).toBe(true);
        }
      }
      expect(por!.constraints.length).toBeGreaterThanOrEqual(Math.max(lin!.constraints.length, qem!.constraints.length));
    });
  }

  it('fieldValue gives the canonical layout values', () => {
    const p = profile('x86_64', 'portable');
    const l = { base: 0x400000n, entry: 0x400078n, phoff: 64, fileSize: 128 };
    expect(fieldValue(p, 'e_machine', l)).toBe(62n);
    expect(fieldValue(p, 'e_entry', l)).toBe(0x400078n);
    expect(fieldValue(p, 'p_filesz', l)).toBe(128n);
    expect(fieldValue(p, 'e_shoff', l)).toBeUndefined();
  });

  it('phoffConflicts: the classic i386 overlap at e_phoff = 4 clashes with qemu only', () => {
    // p_type = 1 over EI_CLASS..EI_VERSION: bytes 01 00 00 00, qemu wants EI_DATA = EI_VERSION = 1.
    expect(phoffConflicts(profile('i386', 'linux'), 4)).toEqual([]);
    expect(phoffConflicts(profile('i386', 'qemu'), 4)).toEqual([5, 6]);
    // The 64-bit overlap at e_phoff = 24 lands p_type on e_entry (layout): no fixed clash.
    expect(phoffConflicts(profile('x86_64', 'portable'), 24)).toEqual([]);
  });
});

/** The jmp-short pattern: EB 7F EB 80 … . */
const FILLS: ((i: number) => number)[] = [() => 0xff, () => 0xa5, (i) => (i % 2 === 0 ? 0xeb : 0x7f), () => 0x00];

describe('free bytes run', () => {
  for (const t of TARGETS) {
    it(`${t.arch} on ${t.loader} via ${t.via}: every free byte holds 0xFF, 0xA5, EB 7F, 00 — all at once and one at a time`, async () => {
      const p = profile(t.arch, t.loader);
      const e = base(t.arch);
      const free = freeRanges(p, e.phoff).flatMap((r) => Array.from({ length: r.end - r.start }, (_, k) => r.start + k));
      expect(free.length).toBeGreaterThan(20);
      const variants: { label: string; bytes: Uint8Array; expectRun: boolean }[] = [];
      for (const [n, fill] of FILLS.entries()) {
        const b = e.bytes.slice();
        for (const off of free) b[off] = fill(off);
        variants.push({ label: `all free bytes, fill #${n}`, bytes: b, expectRun: true });
        for (const off of free) {
          if (fill(off) === e.bytes[off] || n === 3) continue;
          const one = e.bytes.slice();
          one[off] = fill(off);
          variants.push({ label: `byte ${off} = 0x${fill(off).toString(16)}`, bytes: one, expectRun: true });
        }
      }
      for (const v of variants) expect(check(p, v.bytes), v.label).toEqual([]);
      expect(await mismatches(t, variants)).toEqual([]);
    });
  }

  for (const arch of ARCHES) {
    const targets = TARGETS.filter((t) => t.arch === arch);
    it(`${arch} portable: all portable-free bytes filled at once run on ${targets.map((t) => t.loader).join(' and ')}`, async () => {
      const p = profile(arch, 'portable');
      const e = base(arch);
      const variants = FILLS.map((fill, n) => {
        const b = e.bytes.slice();
        for (const r of freeRanges(p, e.phoff)) for (let off = r.start; off < r.end; off++) b[off] = fill(off);
        return { label: `fill #${n}`, bytes: b, expectRun: true };
      });
      for (const t of targets) expect(await mismatches(t, variants), t.loader).toEqual([]);
    });
  }
});

describe('required bytes are refused when changed', () => {
  for (const t of TARGETS) {
    it(`${t.arch} on ${t.loader} via ${t.via}: each byte of fixed/oneOf fields, changed to a value the rule rejects`, async () => {
      const variants = refusedVariants(profile(t.arch, t.loader), base(t.arch)).map((v) => ({ ...v, expectRun: false }));
      expect(variants.length).toBeGreaterThan(40);
      expect(await mismatches(t, variants)).toEqual([]);
    });
  }
});

// --- constraint edge cases --------------------------------------------------------------------

type Edit = [string, number | bigint];
interface Edge {
  readonly name: string;
  readonly make: (arch: ArchName) => Uint8Array;
}

function edited(arch: ArchName, edits: Edit[], opts: { base?: number } = {}): Uint8Array {
  const e = minimalElf({ arch, code: exitCode(arch, 42), ...opts });
  const m = machine(arch);
  for (const [name, value] of edits) writeField(e.bytes, m.elfClass, m.endian, name, value, name.startsWith('p_') ? e.phoff : 0);
  return e.bytes;
}

/** The code placed before the program header, so that the phdr table is the end of the file. */
function phdrLast(arch: ArchName, cut: number): Uint8Array {
  const m = machine(arch);
  const e = base(arch);
  const code = exitCode(arch, 42);
  const out = new Uint8Array(e.phoff + code.length + e.bytes.length - e.codeOffset + (e.codeOffset - e.phoff) - code.length);
  out.set(e.bytes.subarray(0, e.phoff));
  out.set(code, e.phoff);
  out.set(e.bytes.subarray(e.phoff, e.codeOffset), e.phoff + code.length);
  writeField(out, m.elfClass, m.endian, 'e_phoff', e.phoff + code.length);
  writeField(out, m.elfClass, m.endian, 'e_entry', e.base + BigInt(e.phoff));
  return out.subarray(0, out.length - cut);
}

/** exit(42) inside the ELF header: x86 code in e_ident[7..15], AArch64 in e_shoff + e_flags. */
function entryInHeader(arch: ArchName): Uint8Array | undefined {
  const e = base(arch);
  const m = machine(arch);
  const code = exitCode(arch, 42);
  const at = arch === 'i386' ? 7 : arch === 'x86_64' ? 8 : arch === 'aarch64' ? 40 : -1;
  if (at < 0) return undefined;
  const b = e.bytes.slice(0, e.codeOffset);
  b.set(code, at);
  writeField(b, m.elfClass, m.endian, 'e_entry', e.base + BigInt(at));
  writeField(b, m.elfClass, m.endian, 'p_filesz', b.length, e.phoff);
  writeField(b, m.elfClass, m.endian, 'p_memsz', b.length, e.phoff);
  return b;
}

const size = (arch: ArchName): number => base(arch).bytes.length;
const EDGES: Edge[] = [
  { name: 'p_flags = PF_X only', make: (a) => edited(a, [['p_flags', PF_X]]) },
  { name: 'p_flags = PF_R only', make: (a) => edited(a, [['p_flags', PF_R]]) },
  { name: 'p_flags = PF_W only', make: (a) => edited(a, [['p_flags', PF_W]]) },
  { name: 'p_flags = 0xfffffff9 (X, high bits)', make: (a) => edited(a, [['p_flags', 0xfffffff9]]) },
  { name: 'e_machine = EM_486', make: (a) => edited(a, [['e_machine', 6]]) },
  { name: 'e_type = ET_DYN', make: (a) => edited(a, [['e_type', 3]]) },
  { name: 'e_type = ET_REL', make: (a) => edited(a, [['e_type', 1]]) },
  { name: 'EI_OSABI = 65 (ARM FDPIC)', make: (a) => edited(a, [['EI_OSABI', 65]]) },
  { name: 'e_flags = 0', make: (a) => edited(a, [['e_flags', 0]]) },
  { name: 'e_flags = 0xffffffff', make: (a) => edited(a, [['e_flags', 0xffffffff]]) },
  { name: 'p_filesz = p_memsz = 1', make: (a) => edited(a, [['p_filesz', 1], ['p_memsz', 1]]) },
  { name: 'p_filesz = p_memsz = 64 KiB', make: (a) => edited(a, [['p_filesz', 0x10000], ['p_memsz', 0x10000]]) },
  { name: 'p_filesz = 0', make: (a) => edited(a, [['p_filesz', 0]]) },
  { name: 'p_filesz = file + 1 > p_memsz', make: (a) => edited(a, [['p_filesz', size(a) + 1]]) },
  { name: 'p_memsz = file - 1 < p_filesz', make: (a) => edited(a, [['p_memsz', size(a) - 1]]) },
  { name: 'p_memsz = 16 MiB, R+X', make: (a) => edited(a, [['p_memsz', 1 << 24]]) },
  { name: 'p_memsz = 16 MiB, R+W+X', make: (a) => edited(a, [['p_memsz', 1 << 24], ['p_flags', 7]]) },
  { name: 'p_filesz = 1 < p_memsz, R+W+X (tail zeroed)', make: (a) => edited(a, [['p_filesz', 1], ['p_flags', 7]]) },
  { name: 'p_memsz = 0x90000000 (past the 32-bit limit)', make: (a) => edited(a, [['p_memsz', 0x90000000], ['p_filesz', 0x90000000]]) },
  { name: 'p_offset = 1 (incongruent)', make: (a) => edited(a, [['p_offset', 1]]) },
  { name: 'p_offset = p_vaddr low bits = 0x40', make: (a) => edited(a, [['p_offset', 0x40], ['p_vaddr', BigInt(machine(a).defaultBase) + 0x40n]]) },
  { name: 'base 0x10000', make: (a) => edited(a, [], { base: 0x10000 }) },
  { name: 'e_phnum = 0', make: (a) => edited(a, [['e_phnum', 0]]) },
  { name: 'phdr table ends at EOF', make: (a) => phdrLast(a, 0) },
  { name: 'phdr table cut by its last 4 bytes (p_align)', make: (a) => phdrLast(a, 4) },
  { name: 'file cut to 40 bytes', make: (a) => base(a).bytes.slice(0, 40) },
  { name: 'entry inside the ELF header', make: (a) => entryInHeader(a) ?? base(a).bytes },
];

describe('constraint edge cases: check() predicts each loader', () => {
  for (const t of TARGETS) {
    it(`${t.arch} on ${t.loader} via ${t.via}`, async () => {
      const p = profile(t.arch, t.loader);
      const variants = EDGES.map((edge) => {
        const bytes = edge.make(t.arch);
        return { label: `${edge.name} [${check(p, bytes).map((v) => v.id).join(', ')}]`, bytes, expectRun: check(p, bytes).length === 0 };
      });
      expect(await mismatches(t, variants)).toEqual([]);
    });
  }

  it('the cases split the loaders where the profiles say they differ', () => {
    const bytes = phdrLast('x86_64', 8);
    expect(check(profile('x86_64', 'linux'), bytes).map((v) => v.id)).toEqual(['phdrs-in-file']);
    expect(check(profile('x86_64', 'qemu'), bytes)).toEqual([]);
    const big = edited('i386', [['p_filesz', size('i386') + 1]]);
    expect(check(profile('i386', 'linux'), big).map((v) => v.id)).toEqual(['filesz-le-memsz']);
    expect(check(profile('i386', 'qemu'), big)).toEqual([]);
    expect(ruleAccepts(profile('i386', 'portable').fields.get('p_flags')!.rule, BigInt(PF_R))).toBe(false);
  });
});
