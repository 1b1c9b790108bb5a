/** The images against skopeo, umoci and runc: readable, convertible, unpackable, runnable. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImage, parsePlatform, platformTagSuffix, writeImageDir, type BuildOptions, type Platform } from '../../src/image/index.js';
import { exit386, exitArm, exitArm64, HELLO_MESSAGE, helloAmd64, idExitAmd64, sleepAmd64 } from './elves.js';
import { describeWith, whyUnavailable, run, tempDir } from './tools.js';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const multiBins = [
  { platform: amd64, elf: helloAmd64() },
  { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
  { platform: parsePlatform('linux/arm/v7'), elf: exitArm() },
  { platform: parsePlatform('linux/386'), elf: exit386() },
];

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('oci');
});
afterAll(() => tmp?.remove());

function save(name: string, format: 'combined' | 'oci' | 'docker', bins = [{ platform: amd64, elf: helloAmd64() }], tag = 'tiny/hello:latest', platformTags = false) {
  const img = buildImage({ binaries: bins, tag, format, platformTags });
  const path = join(tmp.path, `${name}.tar`);
  writeFileSync(path, img.tar!);
  return { img, path };
}

describeWith('GNU tar reads the archives without end-of-archive blocks', whyUnavailable(['tar']), () => {
  it('lists the image file and the layer with no warnings', () => {
    const { img, path } = save('gnu', 'combined');
    const listing = spawnSync('tar', ['-tvf', path], { encoding: 'utf8' });
    expect(listing.stderr).toBe('');
    expect(listing.stdout.split('\n').filter(Boolean)).toHaveLength(6);
    const layer = join(tmp.path, 'layer.tar.gz');
    writeFileSync(layer, img.files.get(`blobs/sha256/${img.manifests[0]!.layer.digest.slice(7)}`)!);
    const inner = spawnSync('tar', ['-tvzf', layer], { encoding: 'utf8' });
    expect(inner.stderr).toBe('');
    expect(inner.stdout).toMatch(/^-rwxr-xr-x 0\/0 +172 1970-01-01 00:00 hello\n$/);
  });
});

describeWith('skopeo reads and converts the images', whyUnavailable(['skopeo']), () => {
  it('inspects the combined tar as both oci-archive and docker-archive', () => {
    const { img, path } = save('hello-combined', 'combined');
    const oci = JSON.parse(run('skopeo', ['inspect', `oci-archive:${path}`]));
    expect(oci.Digest).toBe(img.digest);
    expect(oci.Architecture).toBe('amd64');
    expect(oci.Layers).toEqual([img.manifests[0]!.layer.digest]);
    // Naming the tag makes skopeo look it up in manifest.json's RepoTags.
    const docker = JSON.parse(run('skopeo', ['inspect', `docker-archive:${path}:docker.io/tiny/hello:latest`]));
    expect(docker.Architecture).toBe('amd64');
    const cfg = JSON.parse(run('skopeo', ['inspect', '--config', `docker-archive:${path}`]));
    expect(cfg.config.Entrypoint).toEqual(['/hello']);
  });

  it('copies oci, docker and multi-platform images to oci: and docker-archive:', () => {
    for (const format of ['oci', 'docker', 'combined'] as const) {
      const { path } = save(`copy-${format}`, format);
      const src = format === 'docker' ? `docker-archive:${path}` : `oci-archive:${path}`;
      run('skopeo', ['copy', '-q', src, `oci:${join(tmp.path, `out-${format}`)}:copied`]);
      run('skopeo', ['copy', '-q', src, `docker-archive:${join(tmp.path, `out-${format}.tar`)}:tiny/copied:1`]);
    }
    // One name in the layout: skopeo takes it without being told.
    const { img, path } = save('multi', 'combined', multiBins, 'tiny/multi:v1');
    const raw = run('skopeo', ['inspect', '--raw', `oci-archive:${path}`]);
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(img.digest);
    expect(run('skopeo', ['inspect', '--raw', `oci-archive:${path}:v1`])).toBe(raw);
    run('skopeo', ['copy', '-q', '--all', `oci-archive:${path}:v1`, `oci:${join(tmp.path, 'multi-all')}:all`]);
    run('skopeo', ['copy', '-q', '--override-arch', 'arm64', `oci-archive:${path}:v1`, `oci:${join(tmp.path, 'multi-arm64')}:arm64`]);
    const arm = JSON.parse(run('skopeo', ['inspect', '--config', `oci:${join(tmp.path, 'multi-arm64')}:arm64`]));
    expect(arm.architecture).toBe('arm64');
  });

  it("reads each platform's manifest of a several-platform image built with platformTags by TAG-<platform>, and then wants a tag", () => {
    const { img, path } = save('multi-tags', 'combined', multiBins, 'tiny/multi:v1', true);
    for (const m of img.manifests) {
      const tag = `v1-${platformTagSuffix(m.platform)}`;
      const raw = run('skopeo', ['inspect', '--raw', `oci-archive:${path}:${tag}`]);
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`, tag).toBe(m.manifest.digest);
      const config = JSON.parse(run('skopeo', ['inspect', '--config', `oci-archive:${path}:${tag}`]));
      expect({ architecture: config.architecture, variant: config.variant }, tag).toEqual({ architecture: m.platform.architecture, variant: m.platform.variant });
    }
    // What the README says: with several names in the layout, skopeo needs one.
    const untagged = spawnSync('skopeo', ['inspect', `oci-archive:${path}`], { encoding: 'utf8' });
    expect(untagged.status).not.toBe(0);
    expect(untagged.stderr).toContain('more than one image in oci, choose an image');
  });

  it('shows the user and labels of the image config', () => {
    const img = buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], tag: 'tiny/user:1', format: 'oci', user: '65535:65535', labels: { 'org.opencontainers.image.source': 'https://example.com/tinyelf' } });
    const path = join(tmp.path, 'user.tar');
    writeFileSync(path, img.tar!);
    const info = JSON.parse(run('skopeo', ['inspect', `oci-archive:${path}`]));
    expect(info.Labels).toEqual({ 'org.opencontainers.image.source': 'https://example.com/tinyelf' });
    expect(JSON.parse(run('skopeo', ['inspect', '--config', `oci-archive:${path}`])).config.User).toBe('65535:65535');
  });

  it('reads an oci-dir written to disk, and every blob matches its name', () => {
    const img = buildImage({ binaries: multiBins, tag: 'tiny/multi:v1', format: 'oci-dir' });
    const dir = writeImageDir(img, join(tmp.path, 'dir'));
    for (const f of readdirSync(join(dir, 'blobs/sha256'))) {
      expect(createHash('sha256').update(readFileSync(join(dir, 'blobs/sha256', f))).digest('hex')).toBe(f);
    }
    const raw = run('skopeo', ['inspect', '--raw', `oci:${dir}:v1`]);
    expect(JSON.parse(raw).manifests).toHaveLength(4);
  });
});

describeWith('umoci unpacks and runc runs the images', whyUnavailable(['skopeo', 'umoci', 'runc', 'tar'], { root: true }), () => {
  const runcRoot = () => join(tmp.path, 'runc-root');
  function unpack(name: string, elf: Uint8Array, opts: Pick<BuildOptions, 'user'> = {}): string {
    const img = buildImage({ binaries: [{ platform: amd64, elf }], tag: `tiny/${name}:latest`, format: 'oci-dir', ...opts });
    const dir = writeImageDir(img, join(tmp.path, `${name}-layout`));
    const bundle = join(tmp.path, `${name}-bundle`);
    // umoci checks each layer against the config's diff_ids while unpacking.
    run('umoci', ['unpack', '--image', `${dir}:latest`, bundle]);
    const configPath = join(bundle, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.process.terminal = false;
    writeFileSync(configPath, JSON.stringify(config));
    expect(readFileSync(join(bundle, 'rootfs', name)).length).toBe(elf.length);
    return bundle;
  }

  it("unpacks each platform of a four-platform tar built with platformTags by TAG-<platform>, with that platform's binary; TAG alone is ambiguous to it", () => {
    const { img, path } = save('umoci-multi', 'combined', multiBins, 'tiny/pause:1', true);
    const layout = join(tmp.path, 'umoci-multi-layout');
    mkdirSync(layout);
    run('tar', ['-xf', path, '-C', layout]);
    for (const { platform, elf } of multiBins) {
      const tag = `1-${platformTagSuffix(platform)}`;
      const bundle = join(tmp.path, `umoci-multi-${tag}`);
      run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
      expect(Buffer.compare(readFileSync(join(bundle, 'rootfs', 'pause')), elf), tag).toBe(0);
      const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
      expect(config.process.args, tag).toEqual(['/pause']);
    }
    expect(img.manifests).toHaveLength(multiBins.length);
    // umoci 0.4.7 cannot pick a platform out of an index: the reason for the per-platform names.
    const ambiguous = spawnSync('umoci', ['unpack', '--image', `${layout}:1`, join(tmp.path, 'umoci-multi-all')], { encoding: 'utf8' });
    expect(ambiguous.status).not.toBe(0);
    expect(ambiguous.stderr).toContain('tag is ambiguous');
  });

  it('runc run prints the hello message and exits 0', () => {
    const bundle = unpack('hello', helloAmd64());
    const r = spawnSync('runc', ['--root', runcRoot(), 'run', '--bundle', bundle, `tinyelf-hello-${process.pid}`], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(HELLO_MESSAGE);
    expect(r.status).toBe(0);
  });

  it("runs the program as the config's user: getuid and getgid give 1234 and 5678", () => {
    for (const [id, want] of [['uid', 1234], ['gid', 5678]] as const) {
      const bundle = unpack(`${id}-exit`, idExitAmd64(id), { user: '1234:5678' });
      expect(JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')).process.user).toMatchObject({ uid: 1234, gid: 5678 });
      const r = spawnSync('runc', ['--root', runcRoot(), 'run', '--bundle', bundle, `tinyelf-${id}-${process.pid}`], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stderr).toBe('');
      // The program exits with the id it got, so the status is its low byte.
      expect(r.status).toBe(want & 0xff);
    }
  });

  it.each([['root', undefined], ['65535:65535, as the pause image runs', '65535:65535']])('runc run -d sleep (user %s) keeps running, and stops at once on SIGTERM', async (_who, user) => {
    const bundle = unpack(`sleep-${user ?? 'root'}`.replace(':', '-'), sleepAmd64(), user ? { user } : {});
    const id = `tinyelf-sleep-${user ? 'user' : 'root'}-${process.pid}`;
    const state = () => JSON.parse(run('runc', ['--root', runcRoot(), 'state', id])).status as string;
    // The detached container keeps runc's stdio, so give it none: a pipe would stay open.
    const started = spawnSync('runc', ['--root', runcRoot(), 'run', '-d', '--bundle', bundle, id], { stdio: 'ignore', timeout: 30_000 });
    expect(started.status).toBe(0);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(state()).toBe('running');
      const t0 = Date.now();
      run('runc', ['--root', runcRoot(), 'kill', id, 'TERM']);
      while (state() !== 'stopped' && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      expect(state()).toBe('stopped');
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      spawnSync('runc', ['--root', runcRoot(), 'delete', '-f', id]);
    }
  });
});
