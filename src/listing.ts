/**
 * Listings of what tinyelf made of a source (see core/listing.ts): for flat bytes as `nasm -l`
 * lists them, and for an executable the planner laid out, where each line landed in the file's
 * address space.
 */
import { assembleTextPlaced } from './core/frontend.js';
import { formatListing } from './core/listing.js';
import { atUserPlaces, preprocessSource } from './core/preprocessing.js';
import { backendFor } from './arch/index.js';
import type { AssembleOptions } from './assemble.js';
import type { ElfLayout } from './elf/emit.js';

/** assemble() and its listing. */
export function assembleWithListing(source: string, options: AssembleOptions): { bytes: Uint8Array; listing: string } {
  const file = options.file ?? '<input>';
  const backend = backendFor(options.arch, { ...options, flat: true });
  const text = preprocessSource(backend, source, file, options);
  const { bytes, placed, origin } = atUserPlaces(text, () => assembleTextPlaced(text.text, backend, { file }));
  text.map?.relocate(placed);
  const listing = formatListing({ source, file, placed, bytesOf: (p) => bytes.subarray(p.address - origin, p.address - origin + p.size) });
  return { bytes, listing };
}

/** The listing of `source` (named `file`) in an executable layoutElf made of it: virtual addresses. */
export function elfListing(layout: ElfLayout, source: string, file: string): string {
  const base = Number(layout.base);
  return formatListing({ source, file, placed: layout.placed, bytesOf: (p) => layout.bytes.subarray(p.address - base, p.address - base + p.size) });
}
