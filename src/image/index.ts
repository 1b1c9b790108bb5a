/** tinyelf's image builder: FROM-scratch OCI / docker-archive images of single executables. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Image } from './build.js';

export { buildImage, checkUser, defaultCreated, sha256, MEDIA } from './build.js';
export type { BuildOptions, Blob, Descriptor, Image, ImageFormat, PlatformImage } from './build.js';
export { ALL_PLATFORMS, checkElf, formatPlatform, KNOWN_PLATFORMS, normalizePlatform, parsePlatform, platformTagSuffix } from './platform.js';
export type { Architecture, Platform, Variant } from './platform.js';
export { formatReference, parseReference } from './reference.js';
export type { Reference } from './reference.js';
export { crc32, deflateRaw, gzip } from './deflate.js';
export { writeTar } from './tar.js';
export type { TarEntry } from './tar.js';
export { pushImage, RegistryError } from './push.js';
export type { FetchFunction, FetchResponse, PushOptions, PushResult } from './push.js';

/** Writes an image's files (any format) under `dir`, creating it; returns `dir`. */
export function writeImageDir(image: Image, dir: string): string {
  for (const [path, data] of image.files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
  }
  return dir;
}
