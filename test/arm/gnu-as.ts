/**
 * The second oracle: GNU as for 32-bit ARM (binutils-arm-linux-gnueabihf). Each case (one or more
 * statements: an IT block is one case) gets a label before it, so the bytes of each are cut out of
 * the object's .text by the labels' addresses. GNU as writes no object when any line is wrong, so
 * the cases it rejects are found from its messages and left out of a second run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_AS = '/usr/bin/arm-linux-gnueabihf-as';
const NM = '/usr/bin/arm-linux-gnueabihf-nm';
const OBJCOPY = '/usr/bin/arm-linux-gnueabihf-objcopy';

export interface GnuMode {
  thumb: boolean;
  isa: 'v6' | 'v7';
}

/** Hex bytes (memory order) per case, or 'error' for a case GNU as rejects. */
export function gnuAs(cases: readonly (readonly string[])[], mode: GnuMode): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-gas-'));
  const rejected = new Set<number>();
  for (let round = 0; round < 4; round++) {
    const lines = ['.syntax unified', mode.thumb ? '.thumb' : '.arm'];
    const owner: number[] = [-1, -1];
    cases.forEach((c, i) => {
      lines.push(`tc${i}:`);
      owner.push(i);
      if (rejected.has(i)) return;
      for (const s of c) {
        lines.push(s);
        owner.push(i);
      }
    });
    lines.push('tcend:');
    const src = join(dir, 'c.s');
    writeFileSync(src, lines.join('\n') + '\n');
    const march = mode.isa === 'v7' ? 'armv7-a' : 'armv6k';
    const r = spawnSync(GNU_AS, [`-march=${march}`, '-o', join(dir, 'c.o'), src], { encoding: 'utf8' });
    if (r.status === 0) return cut(dir, cases.length, rejected);
    const before = rejected.size;
    for (const m of r.stderr.matchAll(/c\.s:(\d+): Error/g)) {
      const i = owner[Number(m[1]) - 1];
      if (i !== undefined && i >= 0) rejected.add(i);
    }
    if (rejected.size === before) throw new Error(`GNU as failed without naming a line:\n${r.stderr}`);
  }
  throw new Error('GNU as: too many rounds');
}

function cut(dir: string, n: number, rejected: Set<number>): string[] {
  const obj = join(dir, 'c.o');
  const at = new Map<string, number>();
  for (const line of execFileSync(NM, [obj], { encoding: 'utf8' }).split('\n')) {
    const m = /^([0-9a-f]+) \w (tc\w+)$/.exec(line);
    if (m) at.set(m[2]!, parseInt(m[1]!, 16));
  }
  execFileSync(OBJCOPY, ['-O', 'binary', '--only-section=.text', obj, join(dir, 'c.bin')]);
  const text = readFileSync(join(dir, 'c.bin'));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const end = i + 1 < n ? at.get(`tc${i + 1}`)! : at.get('tcend')!;
    out.push(rejected.has(i) ? 'error' : text.subarray(at.get(`tc${i}`)!, end).toString('hex'));
  }
  return out;
}
