/**
 * npm run bench:readme — regenerates README.md's benchmark section, between the markers
 * <!-- bench:start --> and <!-- bench:end -->, from bench/results.json. Only that span is touched.
 * Without the markers it prints the section to stdout and says so on stderr.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, renderSection, type SectionResult } from './lib.js';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const resultsPath = join(BENCH_DIR, 'results.json');
if (!existsSync(resultsPath)) {
  console.error('bench/results.json is missing: run `npm run bench` first');
  process.exit(1);
}
const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as { generated: string; machine: Record<string, unknown>; sections: Record<string, SectionResult> };
const m = results.machine;
const body = [
  `Measured by \`npm run bench\` on ${results.generated.slice(0, 10)} (${m.cpus} × ${m.cpu}, Linux ${m.kernel}, Node ${m.node}); sources of peer figures in [bench/peers.md](bench/peers.md).`,
  '',
  ...Object.values(results.sections).map((s) => renderSection({ ...s, title: s.title }).replace(/^## /, '### ')),
].join('\n');
const section = `${START}\n${body.trimEnd()}\n${END}`;

const readme = join(ROOT, 'README.md');
const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < a) {
  process.stdout.write(section + '\n');
  console.error(`README.md has no ${START} … ${END} markers: the section was printed above, README.md left as it is.`);
} else {
  writeFileSync(readme, text.slice(0, a) + section + text.slice(b + END.length));
  console.error('README.md: benchmark section regenerated from bench/results.json');
}
