/**
 * Quick throughput check of the x86 assembler on the generated 10k program:
 *   npx tsx bench/profile-asm.ts [--runs 15] [--only text|builder] [--n 10000]
 * For a profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-asm.ts --only text
 */
import { X86Builder, x86Backend } from '../src/arch/x86/index.js';
import { assembleText } from '../src/core/frontend.js';
import { genX86, x86Build, x86Calls, x86Text } from './gen-x86.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const runs = Number(arg('--runs', '15'));
const only = arg('--only', 'text,builder').split(',');
const n = Number(arg('--n', '10000'));

const prog = genX86({ instructions: n, labels: Math.round(n / 8) });
const text = x86Text(prog);
const calls = x86Calls(prog);
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
if (only.includes('builder')) builderBytes = measure('builder', () => x86Build(calls, prog.labels, new X86Builder('x86_64')).assemble());
if (textBytes && builderBytes && Buffer.compare(textBytes, builderBytes) !== 0) {
  console.error('MISMATCH: text and builder bytes differ');
  process.exitCode = 1;
}
