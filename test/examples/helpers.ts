/**
 * Shared by the examples and planner tests: every (loader, via) a program must run on. The kernel
 * proof (x86 only) goes where test/helpers/run.ts's viaFor puts it: this host's kernel, or a real
 * one in a VM; run a test's binaries together with runEach, so a VM is booted once for them.
 */
import { emitElf, LOADER_PROFILES, type LoaderProfileName, type ProgramLike } from '../../src/index.js';
import type { ArchName } from '../../src/core/backend.js';
import { runAll, viaFor, type RunOptions, type RunResult, type Via } from '../helpers/run.js';

/** The loaders a profile promises: a kernel (for x86 only) and/or qemu-user, each where it runs here. */
export function viasFor(arch: ArchName, loader: LoaderProfileName): Via[] {
  const out: (Via | undefined)[] = [];
  if (loader !== 'qemu' && (arch === 'i386' || arch === 'x86_64')) out.push(viaFor(arch, 'kernel'));
  if (loader !== 'linux') out.push(viaFor(arch, 'qemu'));
  return out.filter((v): v is Via => v !== undefined);
}

export interface Run {
  name: string;
  arch: ArchName;
  loader: LoaderProfileName;
  via: Via;
  elf: Uint8Array;
}

/** The program emitted for every loader profile, paired with every loader that profile promises. */
export function runsOf(name: string, arch: ArchName, program: ProgramLike): Run[] {
  return LOADER_PROFILES.flatMap((loader) => {
    const elf = emitElf({ arch, program, loader });
    return viasFor(arch, loader).map((via) => ({ name: `${name} ${arch} ${loader} via ${via}`, arch, loader, via, elf }));
  });
}

export type RunExtra = Pick<RunOptions, 'args' | 'closeStdout'>;

/** Runs each (run, how) pair; results in order. */
export function runEach(items: readonly (readonly [Run, RunExtra?])[]): Promise<RunResult[]> {
  return runAll(items.map(([r, extra]) => ({ bytes: r.elf, opts: { arch: r.arch, via: r.via, ...extra } })));
}

/** [stdout, status, signal] of a result, for one toEqual. */
export const outcome = (res: RunResult): [string, number | null, string | null] => [res.stdout.toString(), res.status, res.signal];
