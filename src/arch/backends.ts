import type { ArchName, Backend } from '../core/backend.js';

/** Options that select a variant of an architecture's instruction set. */
export interface BackendOptions {
  /** ARM: the oldest core the code must run on (v6 by default, so linux/arm/v6 boards run it). */
  isa?: 'v6' | 'v7';
  /** ARM: start in Thumb state. */
  thumb?: boolean;
  /**
   * The output is flat bytes that promise the dialect's reference assembler's (`nasm -f bin`):
   * where it picks a longer form than the shortest, take its form.
   */
  flat?: boolean;
}

type Factory = (options: BackendOptions) => Backend;
const factories = new Map<ArchName, Factory>();

/** Architectures register their backend here (see src/arch/index.ts). */
export function registerBackend(arch: ArchName, factory: Factory): void {
  factories.set(arch, factory);
}

export function backendFor(arch: ArchName, options: BackendOptions = {}): Backend {
  const f = factories.get(arch);
  if (!f) throw new Error(`no assembler for ${arch} yet`);
  return f(options);
}
