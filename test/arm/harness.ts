import { AsmError } from '../../src/core/errors.js';
import { assembleText } from '../../src/core/frontend.js';
import { armBackend } from '../../src/arch/arm/index.js';
import { statements, type Target } from './oracle.js';

export interface Case {
  src: string;
  want: string;
}

export function readGolden(text: string): Case[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [src, want] = l.split('\t');
      return { src: src!, want: want! };
    });
}

/** Assembles one case; returns hex, or 'error' plus the AsmError for rejected forms. */
export function ours(t: Target, src: string): { hex: string; err?: AsmError } {
  const text = (t.thumb ? '.syntax unified\n.thumb\n' : '') + statements(src).join('\n');
  try {
    const { bytes } = assembleText(text, armBackend({ isa: t.isa }), { file: 'case.s' });
    return { hex: Buffer.from(bytes).toString('hex') };
  } catch (e) {
    if (e instanceof AsmError) return { hex: 'error', err: e };
    throw e;
  }
}

/** Compares every case; returns readable lines for the ones that differ (with a caret at the first differing byte). */
export function compare(t: Target, cases: Case[]): string[] {
  const bad: string[] = [];
  for (const c of cases) {
    const got = ours(t, c.src);
    if (got.hex === c.want) {
      if (got.err && !(got.err.line > 0 && got.err.column > 0 && got.err.file === 'case.s')) bad.push(`${c.src}: error without file:line:column: ${got.err.message}`);
      continue;
    }
    let i = 0;
    while (i < got.hex.length && got.hex[i] === c.want[i]) i++;
    const why = got.err ? ` (${got.err.reason})` : '';
    bad.push(`${t.name}: ${c.src}\n    expected ${c.want}\n    actual   ${got.hex}${why}\n             ${' '.repeat(i - (i % 2))}^`);
  }
  return bad;
}
