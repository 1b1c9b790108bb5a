/**
 * The `linux` loader profile proven on real kernels, for all four architectures: test/elf does
 * this on the host's kernel (x86 only) and under qemu-user; here every claim is run on Debian's
 * kernels under qemu-system, ARM included, each (kernel, arch) in one boot (bootBatch).
 *
 *   free bytes      each byte the profile calls free, filled with 0xFF, 0xA5 or EB/7F, one at a
 *                   time, and all of them at once with each fill and 0x00: must still exit 42
 *   required bytes  each byte of a fixed / oneOf field changed to 00, FF, 01 or 80 where check()
 *                   says the profile rejects that: the kernel must refuse it (no exit 42)
 */
import { describe, expect, it, type TestContext } from 'vitest';
import type { ArchName } from '../../src/core/backend.js';
import { minimalElf } from '../../src/elf/minimal.js';
import { check, freeRanges, profile, type ProfileName } from '../../src/elf/profiles.js';
import { exitCode } from '../helpers/run.js';
import { refusedVariants } from '../helpers/mutations.js';
import { bootBatch, VMS, type VmName } from './boot.js';
import { kernelProblem } from './require.js';
import { missing } from '../helpers/oracles.js';

interface Variant {
  readonly label: string;
  readonly bytes: Uint8Array;
  readonly expectRun: boolean;
}

const FILLS: ((i: number) => number)[] = [() => 0xff, () => 0xa5, (i) => (i % 2 === 0 ? 0xeb : 0x7f), () => 0x00];

function variants(arch: ArchName, loader: ProfileName): Variant[] {
  const p = profile(arch, loader);
  const e = minimalElf({ arch, code: exitCode(arch, 42) });
  const out: Variant[] = [{ label: 'unchanged', bytes: e.bytes, expectRun: true }];
  const free = freeRanges(p, e.phoff).flatMap((r) => Array.from({ length: r.end - r.start }, (_, k) => r.start + k));
  for (const [n, fill] of FILLS.entries()) {
    const all = e.bytes.slice();
    for (const off of free) all[off] = fill(off);
    out.push({ label: `all free bytes, fill #${n}`, bytes: all, expectRun: true });
    if (n === 3) continue;
    for (const off of free) {
      if (fill(off) === e.bytes[off]) continue;
      const one = e.bytes.slice();
      one[off] = fill(off);
      out.push({ label: `byte ${off} = 0x${fill(off).toString(16)}`, bytes: one, expectRun: true });
    }
  }
  for (const v of refusedVariants(p, e)) out.push({ ...v, expectRun: false });
  for (const v of out) if (v.expectRun) expect(check(p, v.bytes), v.label).toEqual([]);
  return out;
}

const TARGETS: readonly { vm: VmName; arch: ArchName }[] = Object.values(VMS).flatMap((vm) => vm.runs.map((arch) => ({ vm: vm.name, arch })));

// One guest at a time: kernel.test.ts runs its own two beside this file.
describe('the linux loader profile on real kernels', () => {
  for (const { vm, arch } of TARGETS) {
    it(`${arch} on the ${vm} kernel: free bytes run, required bytes are refused`, async (ctx: TestContext) => {
      const problem = kernelProblem(vm);
      if (missing(`a bootable ${vm} kernel (${problem})`, !problem)) ctx.skip();
      const vs = variants(arch, 'linux');
      expect(vs.filter((v) => v.expectRun).length).toBeGreaterThan(20);
      expect(vs.filter((v) => !v.expectRun).length).toBeGreaterThan(20);
      const named = vs.map((v, i) => ({ ...v, name: `v${String(i).padStart(4, '0')}` }));
      const r = await bootBatch(vm, named, { timeoutMs: 240_000 });
      const wrong = named
        .filter((v) => (r.status.get(v.name) === 42) !== v.expectRun)
        .map((v) => `${v.label}: expected ${v.expectRun ? 'exit 42' : 'refusal'}, got status ${r.status.get(v.name)}`);
      console.log(`profile linux ${arch} on ${r.kernel.package}: ${named.length} files in one boot, ${r.durationMs} ms`);
      expect(wrong).toEqual([]);
    }, 300_000);
  }
});
