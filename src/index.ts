/**
 * tinyelf: the smallest Linux executables that still run, and FROM-scratch images of them.
 *
 *   emitElf({ arch: 'x86_64', program: sleepForever })   → Uint8Array (the executable)
 *   assemble(source, { arch: 'x86_64' })                  → Uint8Array (flat bytes, nasm -f bin)
 *   buildImage({ binaries: [...], tag: 'tiny/pause' })     → an OCI / docker-archive image
 */
import './arch/index.js';

export type { ArchName, Backend, EncodeContext } from './core/backend.js';
export { AsmError, type Diagnostic, type SourceLoc } from './core/errors.js';
export type { Item, Section } from './core/assembler.js';
export { assembleSections } from './core/assembler.js';
export { parseSource } from './core/frontend.js';
export { assemble, type AssembleOptions } from './assemble.js';
export { assembleWithListing, elfListing } from './listing.js';
export { backendFor, type BackendOptions } from './arch/index.js';
export { ARCHES, normalizeArch, hostArch } from './arches.js';

export * as x86 from './arch/x86/index.js';
export * as arm from './arch/arm/index.js';
export * as aarch64 from './arch/aarch64/index.js';

export { emitElf, layoutElf, LOADER_PROFILES, type EmitOptions, type ElfLayout, type LoaderProfileName } from './elf/emit.js';
export { profile, check as checkAgainstProfile, type Profile, type ProfileName } from './elf/profiles.js';
export { inspectElf, formatInspection, type Inspection, type InspectRow, type InspectOptions } from './elf/inspect.js';
export { programFromSource, programFromItems, type Program, type ProgramFamily, type ProgramLike, type DataBlock, type SourceProgramOptions, type ItemsProgramOptions } from './programs/program.js';
export { sleepForever, hello, exit, BUILTIN_NAMES } from './programs/builtins.js';

export * from './image/index.js';
export { readTar, readImageFile, imageFromFiles } from './image/read.js';
