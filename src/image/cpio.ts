/**
 * A writer for the SVR4 "newc" cpio format (magic 070701), the format of Linux initramfs images
 * (Documentation/driver-api/early-userspace/buffer-format.rst). Output depends only on the
 * entries: mtime 0, uid/gid 0, inode numbers 1, 2, 3… in entry order, no checksums.
 *
 *   header   "070701" + 13 fields of 8 uppercase hex digits (110 bytes):
 *            ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
 *   name     namesize bytes including the final NUL, then NULs up to a multiple of 4 (header + name)
 *   data     filesize bytes, then NULs up to a multiple of 4
 *   end      an entry named "TRAILER!!!" with every other field 0 (nlink 1, as GNU cpio writes)
 *
 * The kernel's unpacker (init/initramfs.c) creates each entry with the parent folders that
 * already exist, so a folder must come before what it holds: `writeCpio` adds any missing parent
 * folder (mode 0755) just before its first child. Names are written without a leading '/'.
 */

export type CpioEntry =
  | { readonly type: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly type: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly type: 'chardev' | 'blockdev'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

/** File-type bits of st_mode. */
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFLNK = 0o120000;

export const CPIO_MAGIC = '070701';
export const CPIO_TRAILER = 'TRAILER!!!';
const HEADER_SIZE = 110;

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

function normalize(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw new Error(`cpio: empty path ${JSON.stringify(path)}`);
  if (parts.includes('..')) throw new Error(`cpio: '..' in path ${JSON.stringify(path)}`);
  return parts.join('/');
}

interface Fields {
  ino: number;
  mode: number;
  nlink: number;
  filesize: number;
  rdevmajor: number;
  rdevminor: number;
}

function header(name: Uint8Array, f: Fields): Uint8Array {
  const values = [f.ino, f.mode, 0, 0, f.nlink, 0, f.filesize, 0, 0, f.rdevmajor, f.rdevminor, name.length + 1, 0];
  let s = CPIO_MAGIC;
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`cpio: field value ${v} does not fit 8 hex digits`);
    s += v.toString(16).toUpperCase().padStart(8, '0');
  }
  const out = new Uint8Array(HEADER_SIZE + name.length + 1 + pad4(HEADER_SIZE + name.length + 1));
  for (let i = 0; i < HEADER_SIZE; i++) out[i] = s.charCodeAt(i);
  out.set(name, HEADER_SIZE);
  return out;
}

/** The newc archive of `entries`, in order, with missing parent folders added, ending with the trailer. */
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const seen = new Map<string, CpioEntry['type']>();
  let ino = 1;

  const push = (name: string, f: Omit<Fields, 'ino'>, data?: Uint8Array): void => {
    chunks.push(header(enc.encode(name), { ...f, ino: ino++ }));
    if (data && data.length > 0) {
      chunks.push(data);
      const p = pad4(data.length);
      if (p) chunks.push(new Uint8Array(p));
    }
  };

  for (const e of entries) {
    const path = normalize(e.path);
    if (seen.has(path)) throw new Error(`cpio: duplicate path ${path}`);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const kind = seen.get(parent);
      if (kind === undefined) {
        seen.set(parent, 'dir');
        push(parent, { mode: S_IFDIR | 0o755, nlink: 2, filesize: 0, rdevmajor: 0, rdevminor: 0 });
      } else if (kind !== 'dir') {
        throw new Error(`cpio: ${parent} is a ${kind}, not a folder, in ${path}`);
      }
    }
    seen.set(path, e.type);
    const perm = (dflt: number, mode: number | undefined): number => {
      const m = mode ?? dflt;
      if (m & ~0o7777) throw new Error(`cpio: mode 0${m.toString(8)} of ${path} has bits beyond 07777 (the type comes from 'type')`);
      return m;
    };
    switch (e.type) {
      case 'file':
        push(path, { mode: S_IFREG | perm(0o644, e.mode), nlink: 1, filesize: e.data.length, rdevmajor: 0, rdevminor: 0 }, e.data);
        break;
      case 'dir':
        push(path, { mode: S_IFDIR | perm(0o755, e.mode), nlink: 2, filesize: 0, rdevmajor: 0, rdevminor: 0 });
        break;
      case 'chardev':
      case 'blockdev':
        push(path, {
          mode: (e.type === 'chardev' ? S_IFCHR : S_IFBLK) | perm(0o600, e.mode),
          nlink: 1,
          filesize: 0,
          rdevmajor: e.major,
          rdevminor: e.minor,
        });
        break;
      case 'symlink': {
        const target = enc.encode(e.target);
        push(path, { mode: S_IFLNK | 0o777, nlink: 1, filesize: target.length, rdevmajor: 0, rdevminor: 0 }, target);
        break;
      }
    }
  }
  chunks.push(header(enc.encode(CPIO_TRAILER), { ino: 0, mode: 0, nlink: 1, filesize: 0, rdevmajor: 0, rdevminor: 0 }));

  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * An initramfs whose /init is `init` (mode 0755): /dev with the console node (c 5 1, which the
 * kernel opens for init's fd 0, 1 and 2 before running it: console_on_rootfs() in init/main.c),
 * /proc and /sys as mount points, then `extra` entries.
 *
 * The console node is there so the archive stands alone: a kernel built with
 * CONFIG_INITRAMFS_SOURCE="" (Debian's) first unpacks its own default archive (usr/default_cpio_list:
 * /dev, /dev/console c 5 1, /root), so an /init alone works there too, but one built with its own
 * source need not have it, and devtmpfs is not mounted on the initramfs (CONFIG_DEVTMPFS_MOUNT
 * acts only on the real root). Without a console init runs with fd 0-2 closed and the kernel says
 * "Warning: unable to open an initial console."
 */
export function initramfs(init: Uint8Array, extra: readonly CpioEntry[] = []): Uint8Array {
  return writeCpio([
    { type: 'dir', path: 'dev' },
    { type: 'chardev', path: 'dev/console', major: 5, minor: 1, mode: 0o600 },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'sys' },
    { type: 'file', path: 'init', data: init, mode: 0o755 },
    ...extra,
  ]);
}
