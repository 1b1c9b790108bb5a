import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ALL_PLATFORMS, buildImage, checkElf, formatPlatform, KNOWN_PLATFORMS, parsePlatform, parseReference, type Platform } from '../../src/image/index.js';
import { imageFromFiles } from '../../src/image/read.js';
import { exit386, exitArm, exitArm64, helloAmd64, idExitAmd64 } from './elves.js';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const hex = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');
const text = (d: Uint8Array | undefined) => new TextDecoder().decode(d);

/** Reads a ustar archive into name → data (enough for what buildImage writes). */
export function readTar(tar: Uint8Array): Map<string, { data: Uint8Array; mode: number; mtime: number }> {
  const out = new Map<string, { data: Uint8Array; mode: number; mtime: number }>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const field = (o: number, n: number) => text(h.subarray(o, o + n)).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12), 8);
    const sum = h.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 0x20 : b), 0);
    expect(parseInt(field(148, 8), 8)).toBe(sum);
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    out.set(name, { data: tar.slice(at + 512, at + 512 + size), mode: parseInt(field(100, 8), 8), mtime: parseInt(field(136, 12), 8) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('platforms and references', () => {
  it('ALL_PLATFORMS is every known platform once, after normalizing', () => {
    expect(ALL_PLATFORMS).toEqual([...new Set(KNOWN_PLATFORMS.map((t) => formatPlatform(parsePlatform(t))))]);
  });
  it('parses and formats platforms, normalizing arm and arm64 variants', () => {
    expect(parsePlatform('linux/arm/v6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(formatPlatform(parsePlatform('linux/arm'))).toBe('linux/arm/v7');
    expect(formatPlatform(parsePlatform('linux/arm64/v8'))).toBe('linux/arm64');
    expect(() => parsePlatform('linux/riscv64')).toThrow(/unknown platform 'linux\/riscv64'; known platforms: linux\/386, linux\/amd64, linux\/arm\/v6/);
    expect(() => parsePlatform('windows/amd64')).toThrow(/known platforms/);
    expect(() => parsePlatform('linux/amd64/v3')).toThrow(/unknown platform/);
  });

  it('checks that the platform kernel would load the ELF: magic, e_machine, then its loader profile', () => {
    checkElf(helloAmd64(), amd64);
    checkElf(exitArm64(), parsePlatform('linux/arm64'));
    checkElf(exitArm(), parsePlatform('linux/arm/v6'));
    checkElf(exit386(), parsePlatform('linux/386'));
    expect(() => checkElf(exitArm64(), amd64)).toThrow('binary for linux/amd64 has e_machine 183 (EM_AARCH64, linux/arm64), but linux/amd64 needs 62 (EM_X86_64)');
    expect(() => checkElf(exit386(), amd64)).toThrow('binary for linux/amd64 has e_machine 3 (EM_386, linux/386), but linux/amd64 needs 62 (EM_X86_64)');
    // The kernel never reads EI_DATA (the `linux` profile keeps code there): accepted.
    const be = helloAmd64();
    be[5] = 2;
    checkElf(be, amd64);
    // It does insist on e_phentsize: refused, with the profile's reason.
    const badPhent = helloAmd64();
    badPhent[0x36] = 0x20;
    expect(() => checkElf(badPhent, amd64)).toThrow(/would not load on Linux: e_phentsize = 0x20/);
    expect(() => checkElf(new TextEncoder().encode('#!/bin/sh\necho hi\n'), amd64)).toThrow(/not an ELF file/);
  });

  it('parses references with Docker Hub defaults and rejects bad ones clearly', () => {
    expect(parseReference('tiny/pause:latest')).toEqual({ domain: 'docker.io', path: 'tiny/pause', tag: 'latest' });
    expect(parseReference('busybox')).toEqual({ domain: 'docker.io', path: 'library/busybox' });
    expect(parseReference('127.0.0.1:5000/a/b:v1.0')).toEqual({ domain: '127.0.0.1:5000', path: 'a/b', tag: 'v1.0' });
    expect(parseReference('localhost/x')).toEqual({ domain: 'localhost', path: 'x' });
    expect(parseReference('ghcr.io/o/r@sha256:' + 'a'.repeat(64)).digest).toBe('sha256:' + 'a'.repeat(64));
    expect(() => parseReference('Tiny/Pause')).toThrow(/invalid image reference 'Tiny\/Pause': name component 'Pause'/);
    expect(() => parseReference('tiny/pause:-x')).toThrow(/tag '-x'/);
    expect(() => parseReference('tiny//pause')).toThrow(/name component ''/);
    expect(() => parseReference('')).toThrow(/empty name/);
    expect(() => buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], tag: 'UPPER:case' })).toThrow(/invalid image reference/);
  });
});

describe('buildImage', () => {
  it('pins digests and sizes for a fixed hello ELF (golden)', () => {
    const img = buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], tag: 'tiny/hello:latest' });
    expect(helloAmd64().length).toBe(172);
    expect({
      digest: img.digest,
      layer: img.manifests[0]!.layer.digest,
      layerSize: img.manifests[0]!.layer.size,
      diffId: img.manifests[0]!.diffId,
      config: img.manifests[0]!.config.digest,
      tarBytes: img.tar!.length,
      tarSha: hex(img.tar!),
    }).toMatchInlineSnapshot(`
      {
        "config": "sha256:0d55efaa15000b6d91a83a2b24510c4448999b31590a85e91c230797367495d3",
        "diffId": "sha256:d0187ce79a943183e09da8c5285076c5fe15be854a66a43051c6719b219bb6f4",
        "digest": "sha256:5c17472322b339bfc9029baf471aa0e5389755f4c9279a8b71006e0f0853da13",
        "layer": "sha256:7593c31383460e0bfdab7de7a8ef11959f02bb61fe32c12cea6193b26ea32f91",
        "layerSize": 153,
        "tarBytes": 6144,
        "tarSha": "8adab11f68a5ba9a339a8468d41f8d8720f36e9baa4d220c712dbc32b18cd9a8",
      }
    `);
  });

  it('pins the multi-platform index digest, whatever order binaries come in', () => {
    const bins = [
      { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm/v7'), elf: exitArm() },
      { platform: parsePlatform('linux/386'), elf: exit386() },
    ];
    const a = buildImage({ binaries: bins, tag: 'tiny/multi:v1' });
    const b = buildImage({ binaries: [...bins].reverse(), tag: 'tiny/multi:v1' });
    expect(b.digest).toBe(a.digest);
    expect(Buffer.from(b.tar!).equals(Buffer.from(a.tar!))).toBe(true);
    expect({ digest: a.digest, tarBytes: a.tar!.length, layers: a.manifests.map((m) => m.layer.size) }).toMatchInlineSnapshot(`
      {
        "digest": "sha256:c1e2ba3ce02b4320e505fa175726c20d212febb0c32216fbfea393e19bca5c23",
        "layers": [
          120,
          156,
          122,
          123,
        ],
        "tarBytes": 16896,
      }
    `);
  });

  it("with platformTags, names a several-platform image under its tag and each platform's manifest under TAG-<platform> in index.json", () => {
    const bins = [
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
      { platform: parsePlatform('linux/arm/v6'), elf: exitArm() },
      { platform: parsePlatform('linux/arm/v7'), elf: exitArm() },
      { platform: parsePlatform('linux/386'), elf: exit386() },
    ];
    // Without platformTags, the tag alone.
    const plain = buildImage({ binaries: bins, tag: 'registry.example.com:5000/tiny/multi:v1', format: 'oci-dir' });
    expect(JSON.parse(text(plain.files.get('index.json'))).manifests).toHaveLength(1);
    const img = buildImage({ binaries: bins, tag: 'registry.example.com:5000/tiny/multi:v1', format: 'oci-dir', platformTags: true });
    expect(img.digest).toBe(plain.digest);
    const entries = JSON.parse(text(img.files.get('index.json'))).manifests as { digest: string; platform?: Platform; annotations: Record<string, string> }[];
    const names = (tag: string) => ({ 'io.containerd.image.name': `registry.example.com:5000/tiny/multi:${tag}`, 'org.opencontainers.image.ref.name': tag });
    expect(entries[0]).toEqual({ ...img.root, annotations: names('v1') });
    const inner = JSON.parse(text(img.files.get(`blobs/sha256/${img.digest.slice(7)}`))).manifests as { digest: string; platform: Platform }[];
    expect(entries.slice(1).map((e) => [e.annotations, e.digest, e.platform])).toEqual([
      [names('v1-386'), inner[0]!.digest, { architecture: '386', os: 'linux' }],
      [names('v1-amd64'), inner[1]!.digest, { architecture: 'amd64', os: 'linux' }],
      [names('v1-arm-v6'), inner[2]!.digest, { architecture: 'arm', os: 'linux', variant: 'v6' }],
      [names('v1-arm-v7'), inner[3]!.digest, { architecture: 'arm', os: 'linux', variant: 'v7' }],
      [names('v1-arm64'), inner[4]!.digest, { architecture: 'arm64', os: 'linux' }],
    ]);
    expect(inner.map((m) => m.platform)).toEqual(entries.slice(1).map((e) => e.platform));
    // One platform: the tag already names the manifest. No tag: nothing to name.
    expect(JSON.parse(text(buildImage({ binaries: bins.slice(0, 1), tag: 't:v1', format: 'oci-dir', platformTags: true }).files.get('index.json'))).manifests).toHaveLength(1);
    const untagged = buildImage({ binaries: bins, format: 'oci-dir', platformTags: true });
    expect(JSON.parse(text(untagged.files.get('index.json'))).manifests).toEqual([untagged.root]);
  });

  it('refuses a tag too long to name the platforms too, and only then', () => {
    const bins = [
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm/v7'), elf: exitArm() },
    ];
    const longest = 'a'.repeat(128 - '-arm-v7'.length);
    expect(() => buildImage({ binaries: bins, tag: `t:${longest}`, platformTags: true })).not.toThrow();
    expect(() => buildImage({ binaries: bins, tag: `t:${longest}b` })).not.toThrow();
    expect(() => buildImage({ binaries: bins, tag: `t:${longest}b`, platformTags: true })).toThrow(`image tag '${longest}b' is too long to name each platform's manifest too: '${longest}b-arm-v7' is over 128 characters`);
    expect(() => buildImage({ binaries: bins.slice(0, 1), tag: `t:${'a'.repeat(128)}`, platformTags: true })).not.toThrow();
  });

  it("reads the per-platform names back for a push, and refuses an index.json entry that is not the image's", () => {
    const bins = [
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
    ];
    const img = buildImage({ binaries: bins, tag: 'tiny/multi:v1', format: 'oci-dir' });
    const back = imageFromFiles(img.files);
    expect([back.root, back.reference, back.blobs.length]).toEqual([img.root, 'docker.io/tiny/multi:v1', img.blobs.length]);
    const other = buildImage({ binaries: [{ platform: amd64, elf: idExitAmd64('uid') }], format: 'oci-dir' });
    const files = new Map([...img.files, ...other.files]);
    const index = JSON.parse(text(img.files.get('index.json')));
    index.manifests.push(other.root);
    files.set('index.json', new TextEncoder().encode(JSON.stringify(index)));
    expect(() => imageFromFiles(files, 'x.tar')).toThrow(`x.tar: index.json must name one image (and its platforms' manifests), but it also names ${other.root.digest}, which is not part of ${img.digest}`);
  });

  it('writes consistent blobs: names are digests, diff_ids are of the uncompressed tar', () => {
    const img = buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], tag: 'tiny/hello' });
    const files = readTar(img.tar!);
    expect([...files.keys()]).toEqual([...files.keys()].sort());
    for (const [name, f] of files) {
      expect(f.mode).toBe(0o644);
      expect(f.mtime).toBe(0);
      if (name.startsWith('blobs/sha256/')) expect(hex(f.data)).toBe(name.slice(13));
    }
    const index = JSON.parse(text(files.get('index.json')!.data));
    expect(index.manifests[0].annotations).toEqual({
      'io.containerd.image.name': 'docker.io/tiny/hello:latest',
      'org.opencontainers.image.ref.name': 'latest',
    });
    expect(JSON.parse(text(files.get('oci-layout')!.data))).toEqual({ imageLayoutVersion: '1.0.0' });
    const manifest = JSON.parse(text(files.get(`blobs/sha256/${index.manifests[0].digest.slice(7)}`)!.data));
    const config = JSON.parse(text(files.get(`blobs/sha256/${manifest.config.digest.slice(7)}`)!.data));
    expect(config).toEqual({
      created: '1970-01-01T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/hello'] },
      rootfs: { type: 'layers', diff_ids: [img.manifests[0]!.diffId] },
    });
    const layerTar = gunzipSync(files.get(`blobs/sha256/${manifest.layers[0].digest.slice(7)}`)!.data);
    expect(`sha256:${hex(layerTar)}`).toBe(config.rootfs.diff_ids[0]);
    const layer = readTar(layerTar);
    expect([...layer.keys()]).toEqual(['hello']);
    expect(layer.get('hello')!.mode).toBe(0o755);
    expect(Buffer.from(layer.get('hello')!.data).equals(Buffer.from(helloAmd64()))).toBe(true);
    const docker = JSON.parse(text(files.get('manifest.json')!.data));
    expect(docker).toEqual([{ Config: `blobs/sha256/${manifest.config.digest.slice(7)}`, RepoTags: ['docker.io/tiny/hello:latest'], Layers: [`blobs/sha256/${manifest.layers[0].digest.slice(7)}`] }]);
  });

  it('formats: oci has no manifest.json, docker no index.json, oci-dir no tar; every file is one 1 KiB tar slot', () => {
    const bin = [{ platform: amd64, elf: helloAmd64() }];
    const oci = buildImage({ binaries: bin, format: 'oci' });
    const docker = buildImage({ binaries: bin, format: 'docker', tag: 'x' });
    const dir = buildImage({ binaries: bin, format: 'oci-dir' });
    expect([...readTar(oci.tar!).keys()].filter((n) => !n.startsWith('blobs/'))).toEqual(['index.json', 'oci-layout']);
    expect([...readTar(docker.tar!).keys()].filter((n) => !n.startsWith('blobs/'))).toEqual(['manifest.json']);
    expect(dir.tar).toBeUndefined();
    expect(dir.files.has('index.json')).toBe(true);
    expect(oci.tar!.length).toBe(5 * 1024);
    expect(docker.tar!.length).toBe(3 * 1024);
  });

  it('honours SOURCE_DATE_EPOCH, entrypoint, compression none and nested paths', () => {
    const old = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const img = buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], entrypoint: '/bin/hello', compression: 'none', format: 'oci-dir' });
      const layer = img.files.get(`blobs/sha256/${img.manifests[0]!.layer.digest.slice(7)}`)!;
      expect(img.manifests[0]!.layer.mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
      expect(`sha256:${hex(layer)}`).toBe(img.manifests[0]!.diffId);
      const entries = readTar(layer);
      expect([...entries.keys()]).toEqual(['bin/', 'bin/hello']);
      expect(entries.get('bin/')!.mode).toBe(0o755);
      expect(entries.get('bin/hello')!.mtime).toBe(1700000000);
      const config = JSON.parse(text(img.files.get(`blobs/sha256/${img.manifests[0]!.config.digest.slice(7)}`)));
      expect(config.created).toBe('2023-11-14T22:13:20Z');
      expect(config.config.Entrypoint).toEqual(['/bin/hello']);
      process.env.SOURCE_DATE_EPOCH = 'yesterday';
      expect(() => buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }] })).toThrow(/SOURCE_DATE_EPOCH/);
    } finally {
      if (old === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = old;
    }
  });

  it('writes the user and labels into the image config; label order does not change the digest', () => {
    const config = (img: ReturnType<typeof buildImage>) => JSON.parse(text(img.files.get(`blobs/sha256/${img.manifests[0]!.config.digest.slice(7)}`)));
    const bins = [{ platform: amd64, elf: helloAmd64() }];
    const plain = buildImage({ binaries: bins, format: 'oci-dir' });
    expect(config(plain).config).toEqual({ Entrypoint: ['/app'] });
    const a = buildImage({ binaries: bins, format: 'oci-dir', user: '65535:65535', labels: { b: '2', a: '1' } });
    const b = buildImage({ binaries: bins, format: 'oci-dir', user: '65535:65535', labels: { a: '1', b: '2' } });
    expect(config(a).config).toEqual({ User: '65535:65535', Entrypoint: ['/app'], Labels: { a: '1', b: '2' } });
    expect(Object.keys(config(a).config.Labels)).toEqual(['a', 'b']);
    expect(a.digest).toBe(b.digest);
    expect(a.digest).not.toBe(plain.digest);
    expect(config(buildImage({ binaries: bins, format: 'oci-dir', user: '0', labels: {} })).config).toEqual({ User: '0', Entrypoint: ['/app'] });
    expect(config(buildImage({ binaries: bins, format: 'oci-dir', user: '4294967294:7' })).config.User).toBe('4294967294:7');
  });

  it('refuses a user that is not UID or UID:GID in numbers, or an id out of range, and an empty label key', () => {
    const bins = [{ platform: amd64, elf: helloAmd64() }];
    for (const user of ['nobody', '65535:nogroup', '', ':1', '1:', '-1', '1:2:3', ' 1', '0x10']) {
      expect(() => buildImage({ binaries: bins, user }), user).toThrow(/must be UID or UID:GID in numbers/);
    }
    expect(() => buildImage({ binaries: bins, user: '4294967295' })).toThrow(/above the largest id, 4294967294/);
    expect(() => buildImage({ binaries: bins, user: '1:99999999999' })).toThrow(/above the largest id/);
    expect(() => buildImage({ binaries: bins, labels: { '': 'x' } })).toThrow(/a label needs a key/);
  });

  it('rejects wrong binaries, duplicate platforms and bad options', () => {
    expect(() => buildImage({ binaries: [{ platform: parsePlatform('linux/arm64'), elf: helloAmd64() }] })).toThrow(/linux\/arm64 has e_machine 62/);
    expect(() => buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }, { platform: amd64, elf: helloAmd64() }] })).toThrow(/linux\/amd64 given twice/);
    expect(() => buildImage({ binaries: [] })).toThrow(/at least one binary/);
    expect(() => buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], entrypoint: 'hello' })).toThrow(/absolute file path/);
    expect(() => buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], tag: 'a/b@sha256:' + '0'.repeat(64) })).toThrow(/must not contain a digest/);
    expect(() => buildImage({ binaries: [{ platform: { os: 'linux', architecture: 'mips' as 'arm' }, elf: helloAmd64() }] })).toThrow(/known platforms/);
  });

  it('docker-archive names one platform: linux/amd64 by default, or the one asked for', () => {
    const bins = [
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
    ];
    const img = buildImage({ binaries: bins, format: 'docker', tag: 't' });
    const m = JSON.parse(text(img.files.get('manifest.json')));
    expect(m).toHaveLength(1);
    expect(m[0].Config).toBe(`blobs/sha256/${img.manifests.find((x) => x.platform.architecture === 'amd64')!.config.digest.slice(7)}`);
    const arm = buildImage({ binaries: bins, format: 'docker', dockerPlatform: parsePlatform('linux/arm64') });
    expect(JSON.parse(text(arm.files.get('manifest.json')))[0].Config).toBe(`blobs/sha256/${arm.manifests.find((x) => x.platform.architecture === 'arm64')!.config.digest.slice(7)}`);
    expect([...arm.files.keys()].filter((k) => k.startsWith('blobs/'))).toHaveLength(2);
  });
});
