// The bench's Goals table: each verdict follows from the figures it is given.
import { describe, expect, it } from 'vitest';
import { goals } from '../../bench/goals.js';
import type { SectionResult } from '../../bench/lib.js';

const section = (data: unknown): SectionResult => ({ title: '', method: [], tables: [], notes: [], data });

function sections(over: { text?: number; ks?: number; cliMs?: number; nasmMs?: number; ksMs?: number; icedMs?: number; linuxHello?: number } = {}): Record<string, SectionResult> {
  return {
    sizes: section({
      tinyelf: [
        { arch: 'x86_64', kind: 'hello', profile: 'linux', bytes: over.linuxHello ?? 111, ok: true },
        { arch: 'x86_64', kind: 'exit', profile: 'portable', bytes: 112, ok: true },
        { arch: 'x86_64', kind: "hello, the records' job", profile: 'linux', bytes: 94, ok: true },
        { arch: 'x86_64', kind: "hello, the records' job", profile: 'portable', bytes: 126, ok: true },
      ],
      records: [
        { arch: 'x86_64', kind: 'hello', bytes: 81, loaders: 'kernel only', profile: 'linux' },
        { arch: 'x86_64', kind: 'exit', bytes: 112, loaders: 'kernel + qemu', profile: 'portable' },
        { arch: 'aarch64', kind: 'sleep-bare', bytes: 84, loaders: 'kernel < 5.8' },
      ],
    }),
    throughput: section({
      rows: [
        { arch: 'x86_64', system: 'tinyelf assemble()', input: 'text', warmPerSec: over.text ?? 1.5e6 },
        { arch: 'x86_64', system: 'tinyelf X86Builder', input: 'builder', warmPerSec: 7e6 },
        { arch: 'x86_64', system: 'keystone-wasm', input: 'text', warmPerSec: over.ks ?? 3.3e5 },
        { arch: 'x86_64', system: 'nasm -f bin', input: 'text', warmPerSec: null },
      ],
      cold: [
        { what: 'tinyelf CLI (installed layout: dist/, no src/): asm --flat, 10k x86-64', medianMs: over.cliMs ?? 130 },
        { what: 'nasm -f bin, 10k x86-64', medianMs: over.nasmMs ?? 200 },
        { what: 'keystone-wasm in a node script (ks_asm), 10k aarch64', medianMs: 100 },
        { what: 'keystone-wasm in a node script (ks_asm), 10k x86-64', medianMs: over.ksMs ?? 190 },
        { what: 'iced-x86 BlockEncoder in a node script, 10k x86-64', medianMs: over.icedMs ?? 185 },
      ],
    }),
    images: section({ rows: [] }),
  };
}

const verdict = (s: Record<string, SectionResult>, goal: RegExp): string | undefined => {
  const rows = goals(s)!.tables[0]!.rows;
  return rows.find((r) => goal.test(String(r[0])))?.[2] as string | undefined;
};

describe('bench goals', () => {
  it('a record smaller than tinyelf\'s file for the same profile is a miss; equal is met', () => {
    expect(verdict(sections(), /x86_64 hello record 81/)).toBe('no');
    expect(verdict(sections({ linuxHello: 81 }), /x86_64 hello record 81/)).toBe('yes');
    expect(verdict(sections(), /x86_64 exit record 112/)).toBe('yes');
  });
  it("a hello record's figures also give the records' own job, for the record's profile, without changing the verdict", () => {
    const rows = goals(sections())!.tables[0]!.rows;
    const row = rows.find((r) => /x86_64 hello record 81/.test(String(r[0])))!;
    expect(row[1]).toMatch(/tinyelf linux 111 B .*the records' job alone: 94 B$/);
    expect(row[2]).toBe('no');
    expect(String(rows.find((r) => /x86_64 exit record 112/.test(String(r[0])))![1])).not.toMatch(/records' job/);
  });
  it('a record for loaders no profile describes is not compared', () => {
    expect(verdict(sections(), /aarch64 sleep-bare record 84/)).toBe('–');
  });
  it('throughput and whole-process goals follow the figures', () => {
    expect(verdict(sections(), /x86_64: text assembler faster/)).toBe('yes');
    expect(verdict(sections({ ks: 2e6 }), /x86_64: text assembler faster/)).toBe('no');
    expect(verdict(sections({ text: 9e5 }), /text front end ≥ 1M/)).toBe('no');
    expect(verdict(sections({ cliMs: 401, nasmMs: 200 }), /within 2× of nasm/)).toBe('no');
    expect(verdict(sections({ cliMs: 400, nasmMs: 200 }), /within 2× of nasm/)).toBe('yes');
    // The x86-64 rows count, not keystone's faster AArch64 one.
    expect(verdict(sections(), /faster than keystone and iced/)).toBe('yes');
    expect(verdict(sections({ icedMs: 129 }), /faster than keystone and iced/)).toBe('no');
  });
  it('needs the sizes, throughput and images sections', () => {
    const { images: _, ...rest } = sections();
    expect(goals(rest)).toBeUndefined();
  });
});
