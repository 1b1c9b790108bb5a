/**
 * Header mutations that a loader profile says must be refused: every byte of every field the
 * profile fixes (or limits to a few values), changed to 00, ff, 01 and 80 — keeping only the
 * changes the profile really rejects (e_type 2 → 3 stays accepted, for one). Used by test/elf
 * (native kernel, qemu-user) and test/kernel (real kernels under qemu-system).
 */
import { field } from '../../src/elf/fields.js';
import { check, type Profile } from '../../src/elf/profiles.js';

export interface RefusedVariant {
  label: string;
  bytes: Uint8Array;
}

export function refusedVariants(p: Profile, elf: { bytes: Uint8Array; phoff: number }): RefusedVariant[] {
  const out: RefusedVariant[] = [];
  for (const [name, claim] of p.fields) {
    if (claim.rule.kind !== 'fixed' && claim.rule.kind !== 'oneOf') continue;
    const f = field(p.elfClass, name);
    const at = f.offset + (name.startsWith('p_') ? elf.phoff : 0);
    for (let k = 0; k < f.size; k++) {
      for (const val of [0x00, 0xff, 0x01, 0x80]) {
        if (val === elf.bytes[at + k]) continue;
        const b = elf.bytes.slice();
        b[at + k] = val;
        if (check(p, b).length === 0) continue; // still accepted: test/elf's edge cases cover these
        out.push({ label: `${name}[${k}] = 0x${val.toString(16)}`, bytes: b });
      }
    }
  }
  return out;
}
