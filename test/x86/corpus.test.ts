import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/assemble.js';
import { hasNasm, NASM } from './gen.js';
import { missing } from '../helpers/oracles.js';

/**
 * Hand-written tiny ELF executables, a boot sector and kernel-entry code in nasm syntax;
 * `NAME.nasm.hex` holds what `nasm -f bin` made of them, which `assemble` (--flat) must give.
 */
const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
const sources = readdirSync(dir).filter((f) => f.endsWith('.asm'));

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('x86 corpus: hand-written tiny ELF sources', () => {
  it('has sources', () => expect(sources.length).toBeGreaterThanOrEqual(3));
  for (const f of sources) {
    it(`${f} assembles to nasm's bytes (committed)`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      const bytes = assemble(src, { arch: 'x86_64', file: f });
      expect(toHex(bytes)).toBe(readFileSync(join(dir, f.replace(/\.asm$/, '.nasm.hex')), 'utf8').trim());
    });
  }
});

describe.skipIf(missing('nasm', hasNasm()))('x86 corpus against live nasm', () => {
  for (const f of sources) {
    it(f, () => {
      const tmp = mkdtempSync(join(tmpdir(), 'tinyelf-corpus-'));
      try {
        execFileSync(NASM, ['-f', 'bin', '-o', join(tmp, 'out'), join(dir, f)]);
        const src = readFileSync(join(dir, f), 'utf8');
        expect(toHex(assemble(src, { arch: 'x86_64', file: f }))).toBe(toHex(readFileSync(join(tmp, 'out'))));
        expect(readFileSync(join(dir, f.replace(/\.asm$/, '.nasm.hex')), 'utf8').trim()).toBe(toHex(readFileSync(join(tmp, 'out'))));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
