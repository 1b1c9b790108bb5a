/**
 * Embedding tinyelf in a Node script: a "healthcheck" image whose only binary exits 0, built
 * in memory for every platform tinyelf knows and written as one image tar. No Docker, no files
 * besides the output.
 *
 *   npx tsx examples/embed.ts healthcheck.tar
 *   docker load -i healthcheck.tar && docker run --rm tiny/healthcheck; echo $?
 *
 * Outside this repository, import from 'tinyelf' instead of '../src/index.js'.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildImage, emitElf, exit, type ArchName, type Image, type Platform } from '../src/index.js';

export const TARGETS: { platform: Platform; arch: ArchName }[] = [
  { platform: { os: 'linux', architecture: 'amd64' }, arch: 'x86_64' },
  { platform: { os: 'linux', architecture: 'arm64' }, arch: 'aarch64' },
  { platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, arch: 'arm' },
  { platform: { os: 'linux', architecture: '386' }, arch: 'i386' },
];

/** The built-in exit(0) program for every target, as one image. */
export function healthcheckImage(): Image {
  return buildImage({
    binaries: TARGETS.map(({ platform, arch }) => ({ platform, elf: emitElf({ arch, program: exit(0) }) })),
    tag: 'tiny/healthcheck:latest',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const out = process.argv[2] ?? 'healthcheck.tar';
  const image = healthcheckImage();
  writeFileSync(out, image.tar!);
  console.log(`${out}: ${image.reference} with ${image.manifests.length} platforms (${image.tar!.length} bytes)`);
}
