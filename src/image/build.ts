/**
 * Builds a FROM-scratch image holding one executable per platform, as an OCI image layout and/or a
 * docker-archive (`docker save` format), in one tar or as a directory. Every byte is a function of
 * the inputs, so the same binaries give the same digests on every machine and Node version.
 */
import { createHash } from 'node:crypto';
import { gzip } from './deflate.js';
import { checkElf, formatPlatform, normalizePlatform, platformTagSuffix, type Platform } from './platform.js';
import { formatReference, parseReference, type Reference } from './reference.js';
import { writeTar, type TarEntry } from './tar.js';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

export type ImageFormat = 'combined' | 'oci' | 'docker' | 'oci-dir';

export interface BuildOptions {
  binaries: { platform: Platform; elf: Uint8Array }[];
  /** e.g. tiny/pause:latest; the tag defaults to latest. Without it the image is untagged. */
  tag?: string;
  format?: ImageFormat;
  /** Name of the executable (default: the last path component of the tag's repository, else 'app'). */
  name?: string;
  /** Absolute path of the executable in the image (default '/' + name). */
  entrypoint?: string;
  /** Image creation time and every mtime (default: SOURCE_DATE_EPOCH, else the epoch). */
  created?: Date;
  compression?: 'gzip' | 'none';
  /** The platform docker-archive's manifest.json names (default linux/amd64 if built, else the first). */
  dockerPlatform?: Platform;
  /**
   * The user the program runs as, `UID` or `UID:GID` (numbers: a scratch image has no /etc/passwd
   * to look names up in). Default: none given, which runtimes take as root. Kubernetes' pause
   * image uses 65535:65535.
   */
  user?: string;
  /** Image config labels (`docker inspect` shows them), e.g. org.opencontainers.image.source. */
  labels?: Record<string, string>;
  /**
   * Also name each platform's manifest TAG-<platform> in index.json (TAG-amd64, TAG-arm-v7), for
   * tools that cannot pick a platform out of an index (umoci 0.4.7). Off by default: with several
   * names in the layout, a plain `ctr images import` (host platform only) fails on the other
   * platforms' names, and skopeo and podman want a tag named.
   */
  platformTags?: boolean;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface Blob {
  descriptor: Descriptor;
  data: Uint8Array;
}

export interface PlatformImage {
  platform: Platform;
  manifest: Descriptor;
  config: Descriptor;
  layer: Descriptor;
  /** sha256 of the uncompressed layer tar, as the config's rootfs.diff_ids lists it. */
  diffId: string;
}

export interface Image {
  format: ImageFormat;
  /** What a registry tag points at: the index for several platforms, else the one manifest. */
  root: Descriptor;
  /** Same as root.digest. */
  digest: string;
  manifests: PlatformImage[];
  /** Every blob (layers, configs, manifests, the index), ordered so each comes after what it names. */
  blobs: Blob[];
  /** Fully qualified reference (docker.io/tiny/pause:latest), if tagged. */
  reference?: string;
  /** The layout as path → bytes (what oci-dir writes, and what tar formats pack). */
  files: Map<string, Uint8Array>;
  /** The single-file image, for the tar formats. */
  tar?: Uint8Array;
}

const enc = new TextEncoder();

export function sha256(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** JSON without whitespace; key order is the insertion order of the object literals below. */
function json(value: unknown): Uint8Array {
  return enc.encode(JSON.stringify(value));
}

function blob(mediaType: string, data: Uint8Array): Blob {
  return { descriptor: { mediaType, digest: sha256(data), size: data.length }, data };
}

/** RFC 3339 in UTC, without fractional seconds when there are none (as Docker writes it). */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

/** `env` is typed without @types/node, so the package's declarations compile without it. */
export function defaultCreated(env: Record<string, string | undefined> = process.env): Date {
  const s = env.SOURCE_DATE_EPOCH;
  if (s === undefined || s === '') return new Date(0);
  if (!/^\d+$/.test(s)) throw new Error(`SOURCE_DATE_EPOCH must be a non-negative integer of seconds, not '${s}'`);
  return new Date(Number(s) * 1000);
}

function platformJson(p: Platform): Platform {
  // Spec key order: architecture, os, variant.
  return { architecture: p.architecture, os: p.os, ...(p.variant ? { variant: p.variant } : {}) } as Platform;
}

/** Largest valid uid or gid: (uid_t)-1 means "no change" to the kernel, so it cannot be one. */
const MAX_ID = 2 ** 32 - 2;

/** Throws unless `user` is what BuildOptions.user accepts. */
export function checkUser(user: string): void {
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!m) {
    throw new Error(`user '${user}' must be UID or UID:GID in numbers (a scratch image has no /etc/passwd to look names up in), e.g. 65535:65535`);
  }
  for (const id of [m[1], m[2]]) if (id !== undefined && Number(id) > MAX_ID) throw new Error(`user '${user}': ${id} is above the largest id, ${MAX_ID}`);
}

/** The names an OCI layout entry gets: the tag alone (OCI image-layout) and, for containerd, the full name. */
function nameAnnotations(ref: Reference, tag: string): Record<string, string> {
  return { 'io.containerd.image.name': formatReference({ ...ref, tag }), 'org.opencontainers.image.ref.name': tag };
}

/**
 * index.json's entries: the image under its tag, then, with platformTags and several platforms,
 * each platform's manifest under TAG-<platform> (TAG-amd64, TAG-arm-v7): tools that cannot pick a
 * platform out of an index (umoci) unpack one by that name.
 */
function layoutEntries(root: Descriptor, manifests: PlatformImage[], ref: Reference | undefined, platformTags: boolean): Descriptor[] {
  if (!ref) return [root];
  const entries = [{ ...root, annotations: nameAnnotations(ref, ref.tag!) }];
  if (root.mediaType !== MEDIA.index || !platformTags) return entries;
  for (const m of manifests) {
    const tag = `${ref.tag}-${platformTagSuffix(m.platform)}`;
    if (tag.length > MAX_TAG_LENGTH) {
      throw new Error(`image tag '${ref.tag}' is too long to name each platform's manifest too: '${tag}' is over ${MAX_TAG_LENGTH} characters`);
    }
    entries.push({ ...m.manifest, platform: platformJson(m.platform), annotations: nameAnnotations(ref, tag) });
  }
  return entries;
}

/** Longest tag Docker's reference grammar allows. */
const MAX_TAG_LENGTH = 128;

export function buildImage(opts: BuildOptions): Image {
  const format = opts.format ?? 'combined';
  if (!['combined', 'oci', 'docker', 'oci-dir'].includes(format)) {
    throw new Error(`unknown image format '${format}'; use combined, oci, docker or oci-dir`);
  }
  if (opts.binaries.length === 0) throw new Error('buildImage needs at least one binary');
  let ref: Reference | undefined;
  if (opts.tag !== undefined) {
    ref = parseReference(opts.tag);
    if (ref.digest) throw new Error(`image tag '${opts.tag}' must not contain a digest`);
    ref.tag ??= 'latest';
  }
  const name = opts.name ?? ref?.path.split('/').pop() ?? 'app';
  const entrypoint = opts.entrypoint ?? `/${name}`;
  if (!entrypoint.startsWith('/') || entrypoint.endsWith('/') || entrypoint.split('/').slice(1).some((c) => c === '' || c === '.' || c === '..')) {
    throw new Error(`entrypoint '${entrypoint}' must be an absolute file path like /pause`);
  }
  const created = opts.created ?? defaultCreated();
  const mtime = Math.floor(created.getTime() / 1000);
  if (!(mtime >= 0)) throw new Error('created must be a valid date not before 1970');
  const compress = (opts.compression ?? 'gzip') === 'gzip';
  if (opts.user !== undefined) checkUser(opts.user);
  // Sorted, so the order labels are given in does not change the digests.
  const labels = opts.labels && Object.keys(opts.labels).length ? Object.fromEntries(Object.entries(opts.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined;
  for (const key of Object.keys(labels ?? {})) if (key === '') throw new Error('a label needs a key');

  // Platforms in a fixed order, so the order binaries are passed in does not change the digests.
  const bins = opts.binaries
    .map((b) => ({ platform: normalizePlatform(b.platform), elf: b.elf }))
    .sort((a, b) => (formatPlatform(a.platform) < formatPlatform(b.platform) ? -1 : 1));
  for (let i = 1; i < bins.length; i++) {
    if (formatPlatform(bins[i]!.platform) === formatPlatform(bins[i - 1]!.platform)) {
      throw new Error(`platform ${formatPlatform(bins[i]!.platform)} given twice`);
    }
  }

  const blobs: Blob[] = [];
  const manifests: PlatformImage[] = [];
  for (const { platform, elf } of bins) {
    checkElf(elf, platform);
    // Parent directories get entries of their own, so every unpacker sees them with mode 0755.
    const parts = entrypoint.slice(1).split('/');
    const entries: TarEntry[] = parts.slice(0, -1).map((_, i) => ({ name: `${parts.slice(0, i + 1).join('/')}/`, mode: 0o755, mtime }));
    entries.push({ name: parts.join('/'), data: elf, mode: 0o755, mtime });
    // No end-of-archive blocks: Go's archive/tar (used by docker, containerd, umoci, skopeo) ends at
    // the end of data, and the diff_id is just this tar, so nothing else needs them.
    const tar = writeTar(entries, 0);
    const layer = compress ? blob(MEDIA.layerGzip, gzip(tar)) : blob(MEDIA.layer, tar);
    const diffId = sha256(tar);
    const config = blob(
      MEDIA.config,
      json({
        created: rfc3339(created),
        architecture: platform.architecture,
        ...(platform.variant ? { variant: platform.variant } : {}),
        os: platform.os,
        config: { ...(opts.user !== undefined ? { User: opts.user } : {}), Entrypoint: [entrypoint], ...(labels ? { Labels: labels } : {}) },
        rootfs: { type: 'layers', diff_ids: [diffId] },
      }),
    );
    const manifest = blob(
      MEDIA.manifest,
      json({
        schemaVersion: 2,
        mediaType: MEDIA.manifest,
        config: config.descriptor,
        layers: [layer.descriptor],
      }),
    );
    blobs.push(layer, config, manifest);
    manifests.push({ platform, manifest: manifest.descriptor, config: config.descriptor, layer: layer.descriptor, diffId });
  }

  let root: Descriptor;
  if (manifests.length === 1) {
    root = { ...manifests[0]!.manifest, platform: platformJson(manifests[0]!.platform) };
  } else {
    const index = blob(
      MEDIA.index,
      json({
        schemaVersion: 2,
        mediaType: MEDIA.index,
        manifests: manifests.map((m) => ({ ...m.manifest, platform: platformJson(m.platform) })),
      }),
    );
    blobs.push(index);
    root = index.descriptor;
  }

  const files = new Map<string, Uint8Array>();
  const blobPath = (d: Descriptor) => `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
  const wantOci = format !== 'docker';
  const wantDocker = format === 'docker' || format === 'combined';
  const reference = ref ? formatReference(ref) : undefined;
  if (wantOci) {
    for (const b of blobs) files.set(blobPath(b.descriptor), b.data);
    files.set('oci-layout', json({ imageLayoutVersion: '1.0.0' }));
    files.set('index.json', json({ schemaVersion: 2, mediaType: MEDIA.index, manifests: layoutEntries(root, manifests, ref, opts.platformTags ?? false) }));
  }
  if (wantDocker) {
    // docker load takes every manifest.json entry as an image and the last one wins a shared tag,
    // so name just one platform: the one asked for, else linux/amd64, else the first.
    const wanted = opts.dockerPlatform ? formatPlatform(normalizePlatform(opts.dockerPlatform)) : 'linux/amd64';
    const m = manifests.find((x) => formatPlatform(x.platform) === wanted);
    if (!m && opts.dockerPlatform) throw new Error(`dockerPlatform ${wanted} is not among the built platforms`);
    const chosen = m ?? manifests[0]!;
    for (const b of blobs) {
      if (b.descriptor === chosen.config || b.descriptor === chosen.layer) files.set(blobPath(b.descriptor), b.data);
    }
    files.set('manifest.json', json([{ Config: blobPath(chosen.config), RepoTags: reference ? [reference] : [], Layers: [blobPath(chosen.layer)] }]));
  }

  const image: Image = { format, root, digest: root.digest, manifests, blobs, files, ...(reference ? { reference } : {}) };
  if (format !== 'oci-dir') {
    const names = [...files.keys()].sort();
    // No directory entries and no end blocks: unpackers create parents, and stop at end of data.
    image.tar = writeTar(names.map((n) => ({ name: n, data: files.get(n)!, mode: 0o644, mtime })), 0);
  }
  return image;
}
