/**
 * Gating for tests that need an installed tool (an oracle such as nasm or llvm-mc, or qemu-user).
 *
 * On a developer's machine without the tool, those tests are skipped with a warning. Under CI
 * (process.env.CI) a missing tool is an error instead: .ci/setup installs every tool the suite
 * uses, so a skip there would mean a test that can no longer fail, passing unnoticed.
 */
import { existsSync } from 'node:fs';

const warned = new Set<string>();

/**
 * For `it.skipIf` / `describe.skipIf`: true when `what` is missing and the tests may be skipped;
 * throws under CI.
 */
export function missing(what: string, present: boolean): boolean {
  if (present) return false;
  if (process.env.CI) throw new Error(`${what} is not installed, and CI must run the tests that need it (add it to .ci/setup)`);
  if (!warned.has(what)) {
    warned.add(what);
    console.warn(`SKIPPED: the tests that need ${what} (not installed)`);
  }
  return true;
}

/** missing() for tools named by path. */
export function missingFiles(...paths: string[]): boolean {
  const absent = paths.filter((p) => !existsSync(p));
  return missing(absent.join(', ') || paths.join(', '), absent.length === 0);
}
