import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { build, cases } from './cases.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)/g, '$1 ').trim();

describe('built-in programs are byte-identical to their golden files', () => {
  for (const c of cases()) {
    it(`${c.program} ${c.arch} ${c.loader}`, () => {
      expect(existsSync(c.file), `${c.file} is missing: run npm run golden`).toBe(true);
      const golden = new Uint8Array(readFileSync(c.file));
      const bytes = build(c);
      if (!Buffer.from(bytes).equals(Buffer.from(golden))) {
        const at = bytes.findIndex((b, i) => b !== golden[i]);
        expect.fail(`differs at byte ${at} (sizes ${bytes.length} vs golden ${golden.length})\n  got    ${hex(bytes)}\n  golden ${hex(golden)}`);
      }
    });
  }
  it('is deterministic', () => {
    for (const c of cases().slice(0, 8)) expect(Buffer.from(build(c)).equals(Buffer.from(build(c)))).toBe(true);
  });
});

describe('the README size table', () => {
  it('matches the golden files (npm run golden rewrites both)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('<!-- sizes:start -->'), readme.indexOf('<!-- sizes:end -->'));
    const label: Record<string, string> = { sleep: 'sleep', 'sleep-bare': 'sleep --bare', hello: 'hello', exit42: 'exit 42' };
    for (const c of cases()) {
      const row = table.split('\n').find((l) => l.startsWith(`| ${label[c.program]} | ${c.arch}`));
      expect(row, `${c.program} ${c.arch} row`).toBeDefined();
      const cells = row!.split('|').map((x) => x.trim()).filter(Boolean);
      const col = ['portable', 'linux', 'qemu', 'strict'].indexOf(c.loader) + 2;
      expect(Number(cells[col]), `${c.program} ${c.arch} ${c.loader}`).toBe(readFileSync(c.file).length);
    }
  });
});
