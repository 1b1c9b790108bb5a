/** Regenerates the golden executables: `npm run golden`. Tests never rewrite them themselves. */
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { build, cases, GOLDEN_DIR } from './cases.js';

mkdirSync(GOLDEN_DIR, { recursive: true });
let changed = 0;
for (const c of cases()) {
  const bytes = build(c);
  const old = existsSync(c.file) ? readFileSync(c.file) : undefined;
  if (!old || !Buffer.from(bytes).equals(old)) {
    writeFileSync(c.file, bytes, { mode: 0o755 });
    changed++;
    console.log(`${old ? 'changed' : 'new'}: ${c.file.slice(GOLDEN_DIR.length)} (${old?.length ?? '-'} → ${bytes.length} bytes)`);
  }
}
console.log(`${changed} golden file(s) written`);
