/** Image platforms tinyelf builds for, and the check that an ELF really is for its platform. */
import type { ArchName } from '../core/backend.js';
import { check, profile } from '../elf/profiles.js';

export type Architecture = '386' | 'amd64' | 'arm' | 'arm64';
export type Variant = 'v6' | 'v7' | 'v8';
export interface Platform {
  os: 'linux';
  architecture: Architecture;
  variant?: Variant;
}

/** What each architecture's ELF must say (e_machine), tinyelf's name for it, allowed variants. */
const ARCHES: Record<Architecture, { machine: number; machineName: string; arch: ArchName; variants: readonly Variant[] }> = {
  '386': { machine: 3, machineName: 'EM_386', arch: 'i386', variants: [] },
  amd64: { machine: 62, machineName: 'EM_X86_64', arch: 'x86_64', variants: [] },
  arm: { machine: 40, machineName: 'EM_ARM', arch: 'arm', variants: ['v6', 'v7'] },
  arm64: { machine: 183, machineName: 'EM_AARCH64', arch: 'aarch64', variants: ['v8'] },
};

export const KNOWN_PLATFORMS = ['linux/386', 'linux/amd64', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm64', 'linux/arm64/v8'];
/** Every platform tinyelf builds for, once each (linux/arm64/v8 is linux/arm64). */
export const ALL_PLATFORMS: readonly string[] = [...new Set(KNOWN_PLATFORMS.map((t) => formatPlatform(parsePlatform(t))))];

/**
 * 'linux/arm/v7' → { os, architecture, variant }. 'linux/arm' means v7 and 'linux/arm64/v8' means
 * 'linux/arm64', as containerd normalizes them, so equal platforms compare equal.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  const [os, arch, variant] = parts;
  const unknown = () => new Error(`unknown platform '${text}'; known platforms: ${KNOWN_PLATFORMS.join(', ')}`);
  if (os !== 'linux' || parts.length < 2 || parts.length > 3 || !(arch! in ARCHES)) throw unknown();
  const a = arch as Architecture;
  const info = ARCHES[a];
  if (variant !== undefined && !info.variants.includes(variant as Variant)) throw unknown();
  return normalizePlatform({ os: 'linux', architecture: a, ...(variant ? { variant: variant as Variant } : {}) });
}

export function normalizePlatform(p: Platform): Platform {
  const info = ARCHES[p.architecture];
  if (p.os !== 'linux' || !info || (p.variant !== undefined && !info.variants.includes(p.variant))) {
    throw new Error(`unknown platform '${formatPlatform(p)}'; known platforms: ${KNOWN_PLATFORMS.join(', ')}`);
  }
  if (p.architecture === 'arm') return { os: 'linux', architecture: 'arm', variant: p.variant ?? 'v7' };
  return { os: 'linux', architecture: p.architecture };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/**
 * What an image's tag gets to name the platform's own manifest: 'amd64', '386', 'arm64', 'arm-v7'
 * (a tag may not hold '/'), so TAG-arm-v7 names linux/arm/v7 of the image TAG.
 */
export function platformTagSuffix(p: Platform): string {
  const n = normalizePlatform(p);
  return n.variant ? `${n.architecture}-${n.variant}` : n.architecture;
}

/**
 * Throws unless `elf` is an executable the platform's Linux kernel would load: ELF magic and
 * e_machine first (for a clear message), then every rule of the kernel's loader profile. Fields
 * the kernel never reads (EI_CLASS, EI_DATA, …) are not checked: tinyelf's `linux` profile keeps
 * code there.
 */
export function checkElf(elf: Uint8Array, platform: Platform): void {
  const p = normalizePlatform(platform);
  const info = ARCHES[p.architecture];
  const name = formatPlatform(p);
  if (elf.length < 20 || elf[0] !== 0x7f || elf[1] !== 0x45 || elf[2] !== 0x4c || elf[3] !== 0x46) {
    throw new Error(`binary for ${name} is not an ELF file (${elf.length} bytes, no \\x7fELF magic)`);
  }
  const machine = elf[18]! | (elf[19]! << 8);
  if (machine !== info.machine) {
    const found = Object.entries(ARCHES).find(([, v]) => v.machine === machine);
    throw new Error(
      `binary for ${name} has e_machine ${machine}${found ? ` (${found[1].machineName}, linux/${found[0]})` : ''}, but ${name} needs ${info.machine} (${info.machineName})`,
    );
  }
  const problems = check(profile(info.arch, 'linux'), elf);
  if (problems.length) {
    throw new Error(`binary for ${name} would not load on Linux: ${problems.map((v) => v.text).join('; ')}`);
  }
}
