/**
 * Quick throughput check of the x86 assembler on the bench's generated 10k program (bench/gen.ts):
 *   npx tsx bench/profile-asm.ts [--runs 15] [--only text|builder] [--n 10000]
 * For a profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-asm.ts --only text
 */
import { x86Backend } from '../src/arch/x86/index.js';
import { assembleText } from '../src/core/frontend.js';
import { buildX86 } from './build-x86.js';
import { genX86, renderX86 } from './gen.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const runs = Number(arg('--runs', '15'));
const only = arg('--only', 'text,builder').split(',');
const n = Number(arg('--n', '10000'));

// The bench's program (bench/gen.ts), so these figures are the README's.
const prog = genX86(n, Math.round(n / 8));
const text = renderX86(prog, 'nasm');
const build = buildX86(prog);
const backend = x86Backend('x86_64');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(name: string, fn: () => Uint8Array): Uint8Array {
  let bytes = fn();
  for (let i = 0; i < 3; i++) fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    bytes = fn();
    times.push(performance.now() - t);
  }
  const ms = median(times);
  console.log(`${name.padEnd(8)} ${(n / (ms / 1000) / 1e3).toFixed(0).padStart(7)}k insn/s  median ${ms.toFixed(2)} ms  min ${Math.min(...times).toFixed(2)} ms  ${bytes.length} bytes`);
  return bytes;
}

let textBytes: Uint8Array | undefined;
let builderBytes: Uint8Array | undefined;
if (only.includes('text')) textBytes = measure('text', () => assembleText(text, backend).bytes);
if (only.includes('builder')) builderBytes = measure('builder', build);
if (textBytes && builderBytes && Buffer.compare(textBytes, builderBytes) !== 0) {
  console.error('MISMATCH: text and builder bytes differ');
  process.exitCode = 1;
}
