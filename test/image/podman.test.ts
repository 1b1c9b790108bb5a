/**
 * The images in podman, with a private store (no daemon): `podman load` of the combined tar (one
 * platform and four) and `podman pull oci-archive:FILE:TAG-<platform>` of the OCI side. Running
 * containers is left to runc and Docker (test/image): podman's runtime needs rlimits that some
 * sandboxes refuse.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImage, parsePlatform, platformTagSuffix, type Image, type Platform } from '../../src/image/index.js';
import { exit386, exitArm, exitArm64, helloAmd64 } from './elves.js';
import { describeWith, run, tempDir, whyUnavailable } from './tools.js';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const fourPlatforms = [
  { platform: amd64, elf: helloAmd64() },
  { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
  { platform: parsePlatform('linux/arm/v7'), elf: exitArm() },
  { platform: parsePlatform('linux/386'), elf: exit386() },
];

describeWith('podman loads the images', whyUnavailable(['podman'], { root: true }), () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('podman');
  });
  afterAll(() => tmp?.remove());

  /** podman on a store of its own under tmp (vfs: no mounts to undo). */
  const podman = (args: string[]) =>
    run('podman', ['--root', join(tmp.path, 'root'), '--runroot', join(tmp.path, 'run'), '--tmpdir', join(tmp.path, 'tmp'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...args]);
  const save = (name: string, img: Image) => {
    const path = join(tmp.path, `${name}.tar`);
    writeFileSync(path, img.tar!);
    return path;
  };
  /** The image podman stored under `name`: its id is the config's digest. */
  const inspect = (name: string) => JSON.parse(podman(['image', 'inspect', name]))[0] as { Id: string; Architecture: string; Config: { Entrypoint: string[] } };
  const configId = (img: Image, architecture: string) => img.manifests.find((m) => m.platform.architecture === architecture)!.config.digest.slice('sha256:'.length);

  it('podman load reads the combined tar of one platform and of four (taking amd64)', () => {
    for (const [tag, bins] of [['one', fourPlatforms.slice(0, 1)], ['four', fourPlatforms]] as const) {
      const img = buildImage({ binaries: [...bins], tag: `tiny/podman:${tag}` });
      expect(podman(['load', '-i', save(`load-${tag}`, img)])).toContain(`Loaded image: docker.io/tiny/podman:${tag}`);
      const stored = inspect(`docker.io/tiny/podman:${tag}`);
      expect([stored.Id, stored.Architecture, stored.Config.Entrypoint]).toEqual([configId(img, 'amd64'), 'amd64', ['/podman']]);
    }
  });

  it("podman pull oci-archive:FILE:TAG-<platform> takes that platform's image out of the OCI side (platformTags)", () => {
    const img = buildImage({ binaries: fourPlatforms, tag: 'tiny/podman-oci:v1', format: 'oci', platformTags: true });
    const path = save('oci', img);
    for (const { platform } of fourPlatforms) {
      const tag = `v1-${platformTagSuffix(platform)}`;
      podman(['pull', '-q', `oci-archive:${path}:${tag}`]);
      const stored = inspect(`docker.io/tiny/podman-oci:${tag}`);
      expect([stored.Id, stored.Architecture], tag).toEqual([configId(img, platform.architecture), platform.architecture]);
    }
  });
});
