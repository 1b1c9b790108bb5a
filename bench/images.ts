/**
 * Section 3: bytes of the images buildImage makes for sleep and hello (one platform, and every
 * platform whose programs exist), beside published sizes of images people use for the same jobs.
 */
import { buildImage, emitElf, hello, parsePlatform, sleepForever, type ArchName, type ImageFormat, type ProgramFamily } from '../src/index.js';
import { builtArches } from './sizes.js';
import { fmtNum, type Cell, type SectionResult } from './lib.js';

const PLATFORM: Record<ArchName, string> = { i386: 'linux/386', x86_64: 'linux/amd64', arm: 'linux/arm/v6', aarch64: 'linux/arm64' };

/** Published sizes (sources in bench/peers.md). */
export const IMAGE_PEERS = [
  { image: 'registry.k8s.io/pause:3.9 (per platform)', binary: '690,920 (glibc static)', layer: '≈ 744 KB image', note: 'Kubernetes infra container' },
  { image: 'hello-world (Docker, amd64)', binary: '10,072', layer: '20,480 tar / 2,441 gzip', note: 'Docker Official Image' },
  { image: 'tianon/sleeping-beauty', binary: '129', layer: '–', note: 'stops only with SIGKILL' },
  { image: 'busybox (Docker Official, amd64, uclibc)', binary: '≈ 1 MB', layer: '≈ 2 MB gzip, ≈ 4 MB unpacked (Docker Hub listing, approx.)', note: 'what `tail -f /dev/null` images start from' },
  { image: 'hand-built single-file image, 167 B binary', binary: '167', layer: '161 gzip; combined tar 7,168; docker-archive 4,096', note: 'every file ≤ 512 B costs 1,024 B in a tar' },
];

interface Row {
  program: string;
  platforms: string[];
  format: ImageFormat;
  compression: 'gzip' | 'none';
  binaryBytes: number[];
  tarBytes: number;
  layerBytes: number[];
  configBytes: number[];
  manifestBytes: number[];
  indexBytes: number | null;
}

export async function images(): Promise<SectionResult> {
  const skipped: string[] = [];
  // Only arches whose programs build now (another engineer may be midway through an arch's asm).
  const arches = builtArches().filter((arch) => {
    try {
      emitElf({ arch, program: sleepForever });
      emitElf({ arch, program: hello() });
      return true;
    } catch (e) {
      skipped.push(`${arch}: ${(e as Error).message.split('\n')[0]}`);
      return false;
    }
  });
  const progs: [string, ProgramFamily][] = [['sleep', sleepForever], ['hello', hello()]];
  const rows: Row[] = [];
  const created = new Date(0);
  for (const [name, fam] of progs) {
    const sets: ArchName[][] = [['x86_64'], ...(arches.length > 1 ? [arches] : [])];
    for (const set of sets) {
      const binaries = set.map((arch) => ({ platform: parsePlatform(PLATFORM[arch]), elf: emitElf({ arch, program: fam }) }));
      for (const format of ['combined', 'oci', 'docker'] as const) {
        for (const compression of ['gzip', 'none'] as const) {
          const img = buildImage({ binaries, tag: `tiny/${name}:latest`, format, compression, created });
          const size = (d: { size: number }) => d.size;
          rows.push({
            program: name,
            platforms: set.map((a) => PLATFORM[a]),
            format,
            compression,
            binaryBytes: binaries.map((b) => b.elf.length),
            tarBytes: img.tar?.length ?? 0,
            layerBytes: img.manifests.map((m) => size(m.layer)),
            configBytes: img.manifests.map((m) => size(m.config)),
            manifestBytes: img.manifests.map((m) => size(m.manifest)),
            indexBytes: img.manifests.length > 1 || format !== 'docker' ? size(img.root) : null,
          });
        }
      }
    }
  }
  const list = (xs: number[]) => (new Set(xs).size === 1 ? fmtNum(xs[0]!) : xs.map(fmtNum).join(' / '));
  const body: Cell[][] = rows.map((r) => [
    r.program,
    r.platforms.length === 1 ? r.platforms[0]! : `${r.platforms.length} platforms`,
    r.format,
    r.compression,
    list(r.binaryBytes),
    r.tarBytes,
    list(r.layerBytes),
    list(r.configBytes),
    list(r.manifestBytes),
  ]);
  return {
    title: 'Images',
    method: [
      "`buildImage({ binaries, tag: 'tiny/NAME:latest', format, compression, created: epoch })` with the portable-profile binaries; figures are `image.tar.length` and the descriptors' sizes of each platform's layer, config and manifest (several values: one per platform, in the order of the platforms column).",
      `Multi-platform set: ${arches.map((a) => PLATFORM[a]).join(', ')} (the arches whose asm/*.s exist).`,
      'combined = one tar that is both an OCI image layout and a docker-archive; oci = OCI layout tar; docker = `docker save` format, which holds one platform (linux/amd64) even when more were built.',
      'Peer figures are published ones (bench/peers.md), not measured here.',
    ],
    tables: [
      { caption: 'tinyelf images (bytes)', head: ['program', 'platforms', 'format', 'layer compression', 'binary', 'image tar', 'layer blob', 'config', 'manifest'], rows: body },
      { caption: 'published images for the same jobs', head: ['image', 'binary (bytes)', 'layer / image', 'note'], rows: IMAGE_PEERS.map((p) => [p.image, p.binary, p.layer, p.note]) },
    ],
    notes: skipped.map((s) => `left out of the multi-platform set, its programs do not build: ${s}`),
    data: { rows, skipped, peers: IMAGE_PEERS },
  };
}
