/**
 * Debian kernels to boot tinyelf binaries on, under qemu-system, kept in a cache outside the repo.
 *
 *   cache      $TINYELF_KERNEL_CACHE, default /var/cache/tinyelf-kernels
 *   layout     <cache>/<flavour>/kernel (the image qemu -kernel takes) and info.json
 *
 * A flavour already in the cache is used as it is (no apt, no network). Otherwise it is fetched
 * with apt as root: the foreign architecture is added (`dpkg --add-architecture`, idempotent),
 * `apt-get update` run once, the metapackage (linux-image-arm64:arm64 …) resolved to the versioned
 * package it depends on with `apt-cache depends`, that package downloaded with `apt-get download`
 * and only its /boot extracted with dpkg-deb and tar. Debian's arm64 "vmlinuz" is a plain Image
 * in bookworm; should it come gzip-compressed (1f 8b), it is gunzipped, as qemu-system-aarch64
 * -kernel wants the Image. The amd64 bzImage is booted as its inner vmlinux where xz can get it
 * out (see pvhImage).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type Flavour = 'amd64' | '686' | 'arm64' | 'armmp';

export interface KernelSpec {
  readonly flavour: Flavour;
  /** Debian architecture of the package. */
  readonly debArch: 'amd64' | 'i386' | 'arm64' | 'armhf';
  /** The metapackage that names the current kernel of the flavour. */
  readonly meta: string;
}

export const KERNEL_SPECS: Readonly<Record<Flavour, KernelSpec>> = {
  amd64: { flavour: 'amd64', debArch: 'amd64', meta: 'linux-image-amd64' },
  // A native 32-bit kernel (3G/1G split, no PAE), beside the amd64 kernel's IA32 emulation.
  '686': { flavour: '686', debArch: 'i386', meta: 'linux-image-686' },
  arm64: { flavour: 'arm64', debArch: 'arm64', meta: 'linux-image-arm64' },
  armmp: { flavour: 'armmp', debArch: 'armhf', meta: 'linux-image-armmp' },
};

export interface Kernel {
  readonly flavour: Flavour;
  /** Path of the image for qemu -kernel. */
  readonly path: string;
  /** Versioned package, e.g. linux-image-6.1.0-50-arm64. */
  readonly package: string;
  /** Debian package version, e.g. 6.1.176-1. */
  readonly version: string;
}

export function kernelCacheDir(): string {
  return process.env.TINYELF_KERNEL_CACHE ?? '/var/cache/tinyelf-kernels';
}

function run(cmd: string, args: readonly string[], opts: { cwd?: string; allowFail?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().slice(-2000)}`);
  return r.stdout;
}

/** The cached kernel of `flavour`, or undefined. */
export function cachedKernel(flavour: Flavour): Kernel | undefined {
  const dir = join(kernelCacheDir(), flavour);
  const info = join(dir, 'info.json');
  if (!existsSync(info) || !existsSync(join(dir, 'kernel'))) return undefined;
  const { package: pkg, version } = JSON.parse(readFileSync(info, 'utf8')) as { package: string; version: string };
  const path = (flavour === 'amd64' && pvhImage(dir)) || join(dir, 'kernel');
  return { flavour, path, package: pkg, version };
}

/**
 * The uncompressed vmlinux inside an x86 bzImage, written once beside it, or undefined when it
 * cannot be had (no xz, another compression). qemu boots a vmlinux through its PVH entry point
 * (CONFIG_PVH=y in Debian) with no BIOS real-mode setup and no decompression, which under TCG
 * halves the boot time; the kernel and its ELF loader are the same either way.
 */
function pvhImage(dir: string): string | undefined {
  const out = join(dir, 'vmlinux');
  if (existsSync(out)) return out;
  const bz = readFileSync(join(dir, 'kernel'));
  const at = bz.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])); // xz stream magic
  if (at < 0) return undefined;
  const r = spawnSync('xz', ['-dc', '--single-stream'], { input: bz.subarray(at), maxBuffer: 512 << 20 });
  if (r.status !== 0 || r.stdout.length < 4 || r.stdout.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, r.stdout);
  renameSync(tmp, out);
  return out;
}

let updated = false;

/** The versioned package `spec.meta` depends on, e.g. linux-image-6.1.0-50-arm64 (without :arch). */
function resolvePackage(spec: KernelSpec): string {
  const name = `${spec.meta}:${spec.debArch}`;
  const find = (): string | undefined => {
    const out = run('apt-cache', ['depends', name], { allowFail: true });
    const m = /Depends:\s*(linux-image-[0-9][^\s:]*)/.exec(out);
    return m?.[1];
  };
  let pkg = find();
  if (!pkg) ensureArch(spec.debArch);
  if (!pkg && !updated) {
    // A mirror mid-sync can fail one index (exit 100) while the rest are fine: go on and see.
    run('apt-get', ['update', '-qq'], { allowFail: true });
    updated = true;
    pkg = find();
  }
  if (!pkg) throw new Error(`apt-cache depends ${name} names no linux-image package (is apt set up for ${spec.debArch}?)`);
  return pkg;
}

/** Downloads and caches the kernel of `flavour` unless it is cached; returns it. Needs root and apt. */
export function fetchKernel(flavour: Flavour): Kernel {
  const have = cachedKernel(flavour);
  if (have) return have;
  const spec = KERNEL_SPECS[flavour];
  const pkg = resolvePackage(spec);
  const cache = kernelCacheDir();
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, `.fetch-${flavour}-`));
  try {
    run('apt-get', ['download', '-qq', `${pkg}:${spec.debArch}`], { cwd: tmp });
    const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg}:${spec.debArch} left no .deb`);
    const version = run('dpkg-deb', ['-f', join(tmp, deb), 'Version']).trim();
    const root = join(tmp, 'root');
    mkdirSync(root);
    const tar = spawnSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --wildcards "./boot/*"', 'sh', join(tmp, deb), root], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`extracting /boot from ${deb}: ${tar.stderr}`);
    const image = readdirSync(join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    if (!image) throw new Error(`${deb} has no /boot/vmlinuz-*`);
    let bytes: Uint8Array = readFileSync(join(root, 'boot', image));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    const out = join(tmp, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'kernel'), bytes);
    const config = readdirSync(join(root, 'boot')).find((f) => f.startsWith('config-'));
    if (config) writeFileSync(join(out, 'config'), readFileSync(join(root, 'boot', config)));
    writeFileSync(join(out, 'info.json'), JSON.stringify({ package: pkg, version, image }, null, 2) + '\n');
    const dest = join(cache, flavour);
    rmSync(dest, { recursive: true, force: true });
    try {
      renameSync(out, dest);
    } catch (e) {
      if (!cachedKernel(flavour)) throw e; // another process cached it first
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const got = cachedKernel(flavour);
  if (!got) throw new Error(`internal: ${flavour} kernel not in the cache after fetching`);
  return got;
}

/**
 * Debian's static busybox for `debArch`, cached as <cache>/busybox-<debArch>/busybox: the shell
 * that runs many executables in one boot (bootBatch). Fetched like the kernels.
 */
export function fetchBusybox(debArch: KernelSpec['debArch']): string {
  const dir = join(kernelCacheDir(), `busybox-${debArch}`);
  const bin = join(dir, 'busybox');
  if (existsSync(bin)) return bin;
  ensureArch(debArch);
  const cache = kernelCacheDir();
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, `.fetch-busybox-${debArch}-`));
  try {
    const r = spawnSync('apt-get', ['download', '-qq', `busybox-static:${debArch}`], { cwd: tmp, encoding: 'utf8' });
    if (r.status !== 0) {
      if (!updated) {
        run('apt-get', ['update', '-qq'], { allowFail: true });
        updated = true;
      }
      run('apt-get', ['download', '-qq', `busybox-static:${debArch}`], { cwd: tmp });
    }
    const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download busybox-static:${debArch} left no .deb`);
    const root = join(tmp, 'root');
    mkdirSync(root);
    const tar = spawnSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" ./bin/busybox', 'sh', join(tmp, deb), root], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`extracting /bin/busybox from ${deb}: ${tar.stderr}`);
    const out = join(tmp, 'out');
    mkdirSync(out);
    renameSync(join(root, 'bin', 'busybox'), join(out, 'busybox'));
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(out, dir);
    } catch (e) {
      if (!existsSync(bin)) throw e; // another process cached it first
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

function ensureArch(debArch: string): void {
  const native = run('dpkg', ['--print-architecture']).trim();
  if (debArch !== native && !run('dpkg', ['--print-foreign-architectures']).split(/\s+/).includes(debArch)) {
    run('dpkg', ['--add-architecture', debArch]);
    updated = false; // the new architecture's index is not there yet
  }
}

/** Why kernels of this flavour cannot be fetched here, or undefined when they can (or are cached). */
export function fetchBlocker(flavour: Flavour): string | undefined {
  if (cachedKernel(flavour)) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'fetching kernels needs root (apt-get, dpkg --add-architecture)';
  for (const tool of ['apt-get', 'apt-cache', 'dpkg', 'dpkg-deb', 'tar']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

// `tsx test/kernel/kernels.ts [flavour…]` fetches into the cache and prints what it has.
if (import.meta.url === `file://${process.argv[1]}`) {
  const wanted = (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(KERNEL_SPECS)) as Flavour[];
  for (const f of wanted) {
    const t = Date.now();
    const k = fetchKernel(f);
    const bb = fetchBusybox(KERNEL_SPECS[f].debArch);
    console.log(`${f}: ${k.package} ${k.version} ${k.path}, ${bb} (${Date.now() - t} ms)`);
  }
}
