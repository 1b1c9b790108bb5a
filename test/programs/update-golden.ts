/**
 * Regenerates the golden executables and the README's size table: `npm run golden`.
 * Tests never rewrite golden files themselves; they compare against what this wrote.
 */
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, cases, GOLDEN_DIR, LOADERS, PROGRAMS, ALL_ARCHES } from './cases.js';

mkdirSync(GOLDEN_DIR, { recursive: true });
let changed = 0;
const sizes = new Map<string, number>();
for (const c of cases()) {
  const bytes = build(c);
  sizes.set(`${c.program}/${c.arch}/${c.loader}`, bytes.length);
  const old = existsSync(c.file) ? readFileSync(c.file) : undefined;
  if (!old || !Buffer.from(bytes).equals(old)) {
    writeFileSync(c.file, bytes, { mode: 0o755 });
    changed++;
    console.log(`${old ? 'changed' : 'new'}: ${c.file.slice(GOLDEN_DIR.length)} (${old?.length ?? '-'} → ${bytes.length} bytes)`);
  }
}
console.log(`${changed} golden file(s) written`);

// The README's table, between its markers.
const LABEL: Record<string, string> = { sleep: 'sleep', 'sleep-bare': 'sleep --bare', hello: 'hello', exit42: 'exit 42' };
const ARCH_LABEL: Record<string, string> = { x86_64: 'x86_64', i386: 'i386', arm: 'arm (Thumb, ARMv6)', aarch64: 'aarch64' };
const rows = [`| program | arch | ${LOADERS.join(' | ')} |`, `|---|---|${LOADERS.map(() => '---|').join('')}`];
for (const p of PROGRAMS)
  for (const arch of ['x86_64', 'i386', 'arm', 'aarch64'].filter((a) => (ALL_ARCHES as readonly string[]).includes(a))) {
    const cells = LOADERS.map((l) => sizes.get(`${p.name}/${arch}/${l}`));
    if (cells.every((c) => c === undefined)) continue;
    rows.push(`| ${LABEL[p.name] ?? p.name} | ${ARCH_LABEL[arch]} | ${cells.map((c) => c ?? '–').join(' | ')} |`);
  }
const table = `${rows.join('\n')}\n\nProduced by \`npm run golden\`, which writes the golden files and this table from the sources in \`asm/\`.\n`;
const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
const text = readFileSync(readme, 'utf8');
const start = '<!-- sizes:start -->\n';
const end = '<!-- sizes:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) console.log('README.md has no sizes markers; table:\n' + table);
else {
  const next = text.slice(0, a + start.length) + table + text.slice(b);
  if (next !== text) {
    writeFileSync(readme, next);
    console.log('README.md size table updated');
  }
}
