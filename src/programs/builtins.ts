/**
 * The built-in programs. Their sources are in asm/ (one file per program and architecture, in
 * the text syntax), read when a program is first built.
 */
import { readFileSync } from 'node:fs';
import type { ArchName } from '../core/backend.js';
import type { BackendOptions } from '../arch/backends.js';
import { programFromSource, type Program, type ProgramFamily } from './program.js';

const ASM_DIR = new URL('../../asm/', import.meta.url);
const sources = new Map<string, string>();

/** The text of `asm/NAME-ARCH.s`. */
export function builtinSource(name: string, arch: ArchName): string {
  const file = `${name}-${arch}.s`;
  let text = sources.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(new URL(file, ASM_DIR), 'utf8');
    } catch {
      throw new Error(`the built-in program '${name}' is not available for ${arch} yet`);
    }
    sources.set(file, text);
  }
  return text;
}

type SourceOptions = Partial<Parameters<typeof programFromSource>[1]>;

/**
 * A built-in: asm/SOURCE-ARCH.s with `extra`'s options; `alternatives` lists, per architecture,
 * other values for the source's `equ` switches that give equivalent programs (emitElf keeps the
 * smallest file).
 */
function family(
  name: string,
  source: string,
  extra: (arch: ArchName) => SourceOptions = () => ({}),
  alternatives: Partial<Record<ArchName, Record<string, number>[]>> = {},
): ProgramFamily {
  const build = (arch: ArchName, options: BackendOptions, defines: Record<string, number> = {}): Program => {
    const more = extra(arch);
    return programFromSource(builtinSource(source, arch), {
      ...options,
      arch,
      file: `asm/${source}-${arch}.s`,
      name,
      ...more,
      defines: { ...more.defines, ...defines },
    });
  };
  return {
    name,
    build: (arch, options = {}) => build(arch, options),
    alternatives: (arch, options = {}) => (alternatives[arch] ?? []).map((defines) => build(arch, options, defines)),
  };
}

/**
 * Sleeps forever with no CPU; exits 0 on SIGTERM and SIGINT even as PID 1; reaps orphaned
 * children. `sleepForever.bare` only sleeps (smaller; a namespace's init then ignores SIGTERM).
 */
export const sleepForever: ProgramFamily & { readonly bare: ProgramFamily } = Object.assign(family('sleep', 'sleep'), {
  bare: family('sleep-bare', 'sleep-bare'),
});

const utf8 = new TextEncoder();

/** Writes `message` and a newline to stdout and exits 0 (non-zero if the write fails). */
export function hello(message: string | Uint8Array = 'Hello, World!'): ProgramFamily {
  const bytes = typeof message === 'string' ? utf8.encode(message) : message;
  const withNewline = new Uint8Array(bytes.length + 1);
  withNewline.set(bytes);
  withNewline[bytes.length] = 10;
  return family('hello', 'hello', () => ({ data: { message: withNewline } }), {
    x86_64: [{ RIP_RELATIVE: 1 }, { BYTE_LENGTH: 1 }, { RIP_RELATIVE: 1, BYTE_LENGTH: 1 }],
    i386: [{ BYTE_LENGTH: 1 }],
    arm: [{ BYTE_LENGTH: 1 }],
  });
}

/** Exits with `code` (0..255). */
export function exit(code: number): ProgramFamily {
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new RangeError(`exit status must be an integer from 0 to 255, not ${code}`);
  return family('exit', 'exit', () => ({ defines: { status: code } }));
}

export const BUILTIN_NAMES = ['sleep', 'sleep-bare', 'hello', 'exit'] as const;
