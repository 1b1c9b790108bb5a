/**
 * Reads an image that buildImage wrote (an OCI layout as a tar or a directory, possibly combined
 * with a docker-archive) back into an Image, so it can be pushed. Every blob reachable from
 * index.json is loaded and its sha256 checked against its name.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MEDIA, sha256, type Blob, type Descriptor, type Image, type PlatformImage } from './build.js';
import type { Platform } from './platform.js';

/** The regular files of a ustar/GNU tar (no compression), path → bytes. Directories are skipped. */
export function readTar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const dec = new TextDecoder();
  const str = (at: number, len: number) => {
    const raw = tar.subarray(at, at + len);
    const nul = raw.indexOf(0);
    return dec.decode(nul < 0 ? raw : raw.subarray(0, nul));
  };
  let at = 0;
  let longName: string | undefined;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    const stored = parseInt(str(at + 148, 8).trim() || 'x', 8);
    if (stored !== sum) throw new Error(`not a tar file (bad header checksum at byte ${at})`);
    const size = parseInt(str(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const prefix = str(at + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${str(at, 100)}` : str(at, 100));
    longName = undefined;
    const data = tar.slice(at + 512, at + 512 + size);
    if (data.length !== size) throw new Error(`tar file is truncated in ${name}`);
    if (type === 'L') longName = dec.decode(data).replace(/\0+$/, '');
    else if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), data);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Every file under `dir`, relative path (with '/') → bytes. */
function readDir(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full).split(sep).join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

/** Reads an image tar or oci-dir directory at `path`. */
export function readImageFile(path: string): Image {
  const files = statSync(path).isDirectory() ? readDir(path) : readTar(readFileSync(path));
  return imageFromFiles(files, path);
}

export function imageFromFiles(files: Map<string, Uint8Array>, what = 'image'): Image {
  const indexJson = files.get('index.json');
  if (!indexJson) {
    const hint = files.has('manifest.json') ? ' (it is a docker-archive only; build it with --format combined or oci to push it)' : '';
    throw new Error(`${what} has no OCI image layout: index.json is missing${hint}`);
  }
  const parse = <T>(data: Uint8Array, name: string): T => {
    try {
      return JSON.parse(new TextDecoder().decode(data)) as T;
    } catch {
      throw new Error(`${what}: ${name} is not valid JSON`);
    }
  };
  const index = parse<{ manifests?: Descriptor[] }>(indexJson, 'index.json');
  // The image first; any other entry names one of its platforms' manifests (TAG-amd64, …).
  const top = index.manifests?.[0];
  if (!top) throw new Error(`${what}: index.json names no image`);
  const blobs: Blob[] = [];
  const seen = new Set<string>();
  const load = (d: Descriptor): Uint8Array => {
    const m = /^sha256:([0-9a-f]{64})$/.exec(d.digest);
    if (!m) throw new Error(`${what}: unsupported digest '${d.digest}'`);
    const path = `blobs/sha256/${m[1]}`;
    const data = files.get(path);
    if (!data) throw new Error(`${what}: blob ${d.digest} is missing`);
    if (sha256(data) !== d.digest || data.length !== d.size) throw new Error(`${what}: blob ${d.digest} does not match its digest or size`);
    if (!seen.has(d.digest)) {
      seen.add(d.digest);
      blobs.push({ descriptor: { mediaType: d.mediaType, digest: d.digest, size: d.size }, data });
    }
    return data;
  };
  const { annotations: _drop, ...root } = top;
  void _drop;
  const manifests: PlatformImage[] = [];
  const readManifest = (d: Descriptor, platform: Platform | undefined) => {
    const m = parse<{ config: Descriptor; layers: Descriptor[] }>(load(d), `manifest ${d.digest}`);
    const configData = load(m.config);
    for (const l of m.layers) load(l);
    const config = parse<{ architecture: Platform['architecture']; os: 'linux'; variant?: Platform['variant']; rootfs?: { diff_ids?: string[] } }>(configData, `config ${m.config.digest}`);
    manifests.push({
      platform: platform ?? { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) },
      manifest: { mediaType: d.mediaType, digest: d.digest, size: d.size },
      config: m.config,
      layer: m.layers[0]!,
      diffId: config.rootfs?.diff_ids?.[0] ?? '',
    });
  };
  if (root.mediaType === MEDIA.index) {
    const inner = parse<{ manifests: Descriptor[] }>(files.get(`blobs/sha256/${root.digest.slice(7)}`) ?? new Uint8Array(), `index ${root.digest}`);
    for (const d of inner.manifests) readManifest(d, d.platform);
    load(root); // the index last: it names the manifests
  } else {
    readManifest(root, root.platform);
  }
  for (const extra of index.manifests!.slice(1)) {
    if (!manifests.some((m) => m.manifest.digest === extra.digest)) {
      throw new Error(`${what}: index.json must name one image (and its platforms' manifests), but it also names ${extra.digest}, which is not part of ${root.digest}`);
    }
  }
  // Layers and configs first, then manifests, the root last (the order pushImage expects).
  const rank = (b: Blob) => (b.descriptor.digest === root.digest ? 2 : b.descriptor.mediaType === MEDIA.manifest ? 1 : 0);
  blobs.sort((a, b) => rank(a) - rank(b));
  const ref = top.annotations?.['io.containerd.image.name'];
  return {
    format: files.has('manifest.json') ? 'combined' : 'oci',
    root,
    digest: root.digest,
    manifests,
    blobs,
    files,
    ...(ref ? { reference: ref } : {}),
  };
}
