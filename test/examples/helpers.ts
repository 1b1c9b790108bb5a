/** Shared by the examples and planner tests: every (loader, via) a program must run on. */
import { emitElf, LOADER_PROFILES, type LoaderProfileName, type ProgramLike } from '../../src/index.js';
import type { ArchName } from '../../src/core/backend.js';
import { nativeAvailable, qemuAvailable, runBinary, type RunResult, type Via } from '../helpers/run.js';

const inCI = !!process.env.CI;

/** The loaders a profile promises: the kernel (run natively for x86 only) and/or qemu-user. */
export function viasFor(arch: ArchName, loader: LoaderProfileName): Via[] {
  const out: Via[] = [];
  if (loader !== 'qemu' && (arch === 'i386' || arch === 'x86_64')) {
    if (nativeAvailable(arch)) out.push('native');
    else if (inCI) throw new Error(`cannot run ${arch} natively here`);
  }
  if (loader !== 'linux') {
    if (qemuAvailable(arch)) out.push('qemu');
    else if (inCI) throw new Error(`qemu-user for ${arch} is missing (apt-get install qemu-user)`);
  }
  return out;
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

export function run(r: Run, args: readonly string[] = [], extra: { closeStdout?: boolean } = {}): Promise<RunResult> {
  return runBinary(r.elf, { arch: r.arch, via: r.via, args, ...extra });
}

/** [stdout, status, signal] of a result, for one toEqual. */
export const outcome = (res: RunResult): [string, number | null, string | null] => [res.stdout.toString(), res.status, res.signal];
