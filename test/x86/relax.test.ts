import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { x86Backend } from '../../src/arch/x86/syntax.js';
import { hasNasm, NASM, nasmBytes } from './gen.js';
import { missing } from '../helpers/oracles.js';

/** A random program: labels, branches to them and fillers between. */
type Stmt = { k: 'label'; n: number } | { k: 'br'; op: string; to: number } | { k: 'fill'; n: number };

const BRANCHES = ['jmp', 'jz', 'jnz', 'jc', 'jg', 'call'];

const program = fc.integer({ min: 1, max: 6 }).chain((labels) =>
  fc
    .array(
      fc.oneof(
        fc.record({ k: fc.constant('br' as const), op: fc.constantFrom(...BRANCHES), to: fc.integer({ min: 0, max: labels - 1 }) }),
        fc.record({ k: fc.constant('fill' as const), n: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 100, max: 140 }), fc.integer({ min: 0, max: 300 })) }),
      ),
      { maxLength: 24 },
    )
    .chain((body) =>
      fc.shuffledSubarray([...Array(labels).keys()], { minLength: labels, maxLength: labels }).chain((order) =>
        fc.tuple(...order.map(() => fc.integer({ min: 0, max: body.length }))).map((positions) => {
          const out: Stmt[] = [...body];
          // Insert labels from the back so earlier positions stay valid.
          const ins = order.map((n, i) => ({ n, at: positions[i]! })).sort((a, b) => b.at - a.at);
          for (const { n, at } of ins) out.splice(at, 0, { k: 'label', n });
          return out;
        }),
      ),
    ),
);

function source(bits: 32 | 64, prog: Stmt[]): string {
  const lines = [`bits ${bits}`];
  for (const s of prog) {
    if (s.k === 'label') lines.push(`L${s.n}:`);
    else if (s.k === 'br') lines.push(`${s.op} L${s.to}`);
    else if (s.n > 0) lines.push(`times ${s.n} nop`);
  }
  return lines.join('\n') + '\n';
}

/** Walks the bytes statement by statement; checks every branch lands on its label and is short when it can be. */
function checkBranches(prog: Stmt[], bytes: Uint8Array, symbols: Map<string, bigint>): string[] {
  const problems: string[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  for (const s of prog) {
    if (s.k === 'fill') p += s.n;
    if (s.k !== 'br') continue;
    const b = bytes[p]!;
    let size: number, rel: number;
    if (b === 0xeb || (b >= 0x70 && b <= 0x7f)) (size = 2), (rel = dv.getInt8(p + 1));
    else if (b === 0xe9 || b === 0xe8) (size = 5), (rel = dv.getInt32(p + 1, true));
    else if (b === 0x0f) (size = 6), (rel = dv.getInt32(p + 2, true));
    else {
      problems.push(`unexpected opcode ${b.toString(16)} at ${p}`);
      break;
    }
    const target = Number(symbols.get(`L${s.to}`));
    if (p + size + rel !== target) problems.push(`${s.op} L${s.to} at ${p} lands on ${p + size + rel}, label is at ${target}`);
    const shortRel = target - (p + 2);
    if (size > 2 && s.op !== 'call' && shortRel >= -128 && shortRel <= 127) problems.push(`${s.op} L${s.to} at ${p} is long but a short form would reach (${shortRel})`);
    p += size;
  }
  if (p !== bytes.length) problems.push(`walked ${p} bytes, output has ${bytes.length}`);
  return problems;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('x86 branch relaxation', () => {
  it('every branch lands on its label, short where it reaches (random programs)', () => {
    fc.assert(
      fc.property(program, fc.constantFrom(32 as const, 64 as const), (prog, bits) => {
        const { bytes, symbols } = assembleText(source(bits, prog), x86Backend(bits));
        expect(checkBranches(prog, bytes, symbols)).toEqual([]);
      }),
      { numRuns: 300, seed: 0x5eed },
    );
  });

  const at = (src: string, bits: 32 | 64 = 32) => hex(assembleText(`bits ${bits}\n${src}`, x86Backend(bits)).bytes);
  it('forward boundary: 127 bytes is short, 128 is near', () => {
    expect(at('jmp L\ntimes 127 nop\nL:').slice(0, 4)).toBe('eb7f');
    expect(at('jmp L\ntimes 128 nop\nL:').slice(0, 10)).toBe('e980000000');
    expect(at('jz L\ntimes 127 nop\nL:').slice(0, 4)).toBe('747f');
    expect(at('jz L\ntimes 128 nop\nL:').slice(0, 12)).toBe('0f8480000000');
  });
  it('backward boundary: -128 is short, -129 is near', () => {
    expect(at('L: times 126 nop\njmp L').slice(-4)).toBe('eb80');
    expect(at('L: times 127 nop\njmp L').slice(-10)).toBe('e97cffffff');
    expect(at('L: times 126 nop\njnz L').slice(-4)).toBe('7580');
    expect(at('L: times 127 nop\njnz L').slice(-12)).toBe('0f857bffffff');
    expect(at('L: times 126 nop\nloop L').slice(-4)).toBe('e280');
    expect(() => at('L: times 127 nop\nloop L')).toThrow(AsmError);
    expect(() => at('jmp short L\ntimes 128 nop\nL:')).toThrow(/operand 1: branch target out of range/);
    expect(at('jmp near L\nL:')).toBe('e900000000');
  });
  it('a chain of jumps that push each other out of range all grow', () => {
    // Each jump is at the edge: growing the last one pushes the first out of reach.
    const src = ['jmp A', 'jmp B', 'times 123 nop', 'jmp C', 'A: B: times 1 nop', 'C:'].join('\n');
    const { bytes, symbols } = assembleText(`bits 64\n${src}`, x86Backend(64));
    expect(bytes.length).toBeGreaterThan(0);
    expect(symbols.get('C')).toBe(BigInt(bytes.length));
  });

  it.skipIf(missing('nasm', hasNasm()))('random programs give the same bytes as nasm (live)', () => {
    const samples = fc.sample(fc.tuple(program, fc.constantFrom(32 as const, 64 as const)), { numRuns: 40, seed: 42 });
    for (const [prog, bits] of samples) {
      const src = source(bits, prog);
      expect(hex(assembleText(src, x86Backend(bits)).bytes), src).toBe(hex(nasmBytes(src)));
    }
  });
});
