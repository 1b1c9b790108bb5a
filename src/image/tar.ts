/**
 * A POSIX ustar writer for the few entries images need. Output depends only on the entries:
 * uid/gid 0, empty uname/gname, the given mtime, no device numbers.
 */

export interface TarEntry {
  /** Relative path; a trailing '/' makes a directory. */
  name: string;
  data?: Uint8Array;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export const BLOCK = 512;

function octal(h: Uint8Array, at: number, width: number, value: number): void {
  // width-1 octal digits, zero padded, then NUL (the form GNU tar and Go write).
  const s = value.toString(8).padStart(width - 1, '0');
  if (s.length > width - 1) throw new Error(`tar: value ${value} does not fit a ${width}-byte field`);
  for (let i = 0; i < s.length; i++) h[at + i] = s.charCodeAt(i);
}

function header(e: TarEntry): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const isDir = e.name.endsWith('/');
  const name = new TextEncoder().encode(e.name);
  let prefix = new Uint8Array(0);
  let base = name;
  if (name.length > 100) {
    // ustar splits long names at a '/' into prefix (155) + name (100).
    const cut = e.name.lastIndexOf('/', e.name.length - (isDir ? 2 : 1));
    const p = new TextEncoder().encode(e.name.slice(0, cut));
    const b = new TextEncoder().encode(e.name.slice(cut + 1));
    if (cut < 0 || p.length > 155 || b.length > 100) throw new Error(`tar: name too long for ustar: ${e.name}`);
    prefix = p;
    base = b;
  }
  h.set(base, 0);
  octal(h, 100, 8, e.mode);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, isDir ? 0 : (e.data?.length ?? 0));
  octal(h, 136, 12, e.mtime);
  h[156] = isDir ? 0x35 : 0x30;
  h.set([0x75, 0x73, 0x74, 0x61, 0x72, 0, 0x30, 0x30], 257); // "ustar\0" "00"
  h.set(prefix, 345);
  h.fill(0x20, 148, 156); // the checksum is summed with its own field as spaces
  let sum = 0;
  for (const b of h) sum += b;
  h.fill(0, 148, 156);
  octal(h, 148, 7, sum); // six digits, NUL, then a space
  h[155] = 0x20;
  return h;
}

/**
 * Writes the entries in the order given. `endBlocks` zero blocks close the archive: POSIX asks for
 * two; Go's archive/tar (docker, containerd, umoci, skopeo) also stops cleanly at the end of data.
 */
export function writeTar(entries: readonly TarEntry[], endBlocks = 2): Uint8Array {
  let size = endBlocks * BLOCK;
  for (const e of entries) size += BLOCK + Math.ceil((e.data?.length ?? 0) / BLOCK) * BLOCK;
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of entries) {
    out.set(header(e), at);
    at += BLOCK;
    if (e.data && !e.name.endsWith('/')) {
      out.set(e.data, at);
      at += Math.ceil(e.data.length / BLOCK) * BLOCK;
    }
  }
  return out;
}
