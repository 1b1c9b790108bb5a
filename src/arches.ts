import type { ArchName } from './core/backend.js';

export const ARCHES: readonly ArchName[] = ['i386', 'x86_64', 'arm', 'aarch64'];

/** Names people use for each architecture: Docker/OCI, Node's process.arch, uname -m, Debian. */
const ALIASES: Record<string, ArchName> = {
  i386: 'i386', '386': 'i386', i486: 'i386', i586: 'i386', i686: 'i386', x86: 'i386', ia32: 'i386',
  x86_64: 'x86_64', 'x86-64': 'x86_64', amd64: 'x86_64', x64: 'x86_64',
  arm: 'arm', armhf: 'arm', armel: 'arm', armv6: 'arm', armv6l: 'arm', armv7: 'arm', armv7l: 'arm', arm32: 'arm',
  aarch64: 'aarch64', arm64: 'aarch64', armv8: 'aarch64',
};

/** The canonical name, or an Error naming the ones understood. */
export function normalizeArch(name: string): ArchName {
  const a = ALIASES[name.toLowerCase()];
  if (!a) throw new Error(`unknown architecture '${name}' (expected one of ${ARCHES.join(', ')}, or an alias such as amd64, 386, arm64, x64)`);
  return a;
}

/** The architecture this process runs on. */
export function hostArch(): ArchName {
  return normalizeArch(process.arch);
}
