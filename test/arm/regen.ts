/** Regenerates test/arm/golden/*.txt with the live llvm-mc (see oracle.ts). */
import { writeFileSync } from 'node:fs';
import { goldenText, TARGETS } from './oracle.js';

for (const t of TARGETS) {
  const text = goldenText(t);
  writeFileSync(new URL(`./golden/${t.name}.txt`, import.meta.url), text);
  console.log(`${t.name}: ${text.split('\n').length - 2} forms`);
}
