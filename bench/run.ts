/**
 * npm run bench [-- --quick] [-- --only sizes,throughput,images,runtime]
 *
 * Prints each section's tables with how every figure was measured, and writes bench/results.json
 * (read by `npm run bench:readme`). --quick: only the tinyelf size table (no C builds, no timing).
 * --arches x86_64,i386: the size table for those arches only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arch, cpus, release } from 'node:os';
import { BENCH_DIR, renderSection, type SectionResult } from './lib.js';
import { sizes } from './sizes.js';
import { goals } from './goals.js';

const archesArg = process.argv.includes('--arches') ? process.argv[process.argv.indexOf('--arches') + 1] : undefined;
const SECTIONS: Record<string, (quick: boolean) => Promise<SectionResult>> = {
  sizes: (quick) => sizes({ quick, ...(archesArg ? { arches: archesArg.split(',') } : {}) }),
  throughput: async (quick) => (await import('./throughput.js')).throughput({ quick }),
  images: async () => (await import('./images.js')).images(),
  runtime: async () => (await import('./runtime.js')).runtime(),
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : quick ? ['sizes'] : Object.keys(SECTIONS);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1]! : quick ? undefined : join(BENCH_DIR, 'results.json');

const results: Record<string, SectionResult> = {};
for (const name of only) {
  const fn = SECTIONS[name];
  if (!fn) throw new Error(`unknown section '${name}' (expected ${Object.keys(SECTIONS).join(', ')})`);
  const t = performance.now();
  const r = await fn(quick);
  results[name] = r;
  console.log(renderSection(r));
  console.error(`(${name}: ${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}

// The goals, from the figures above (only when the sections they read were run).
const goalSection = goals(results);
if (goalSection) console.log(renderSection(goalSection));
const sections: Record<string, SectionResult> = goalSection ? { goals: goalSection, ...results } : results;

const machine = { node: process.version, arch: arch(), cpus: cpus().length, cpu: cpus()[0]?.model ?? '', kernel: release() };
if (out) {
  writeFileSync(out, JSON.stringify({ generated: new Date().toISOString(), machine, quick, sections }, null, 2) + '\n');
  console.error(`wrote ${out}`);
}
