/**
 * vitest globalSetup: probes once what this host can run (test/helpers/host.ts), prints the table
 * at the start of the run and leaves the result in a JSON file for the test workers, which
 * inherit $TINYELF_HOST_PROBE naming it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProbe, probeHost, PROBE_FILE_VAR } from './host.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tinyelf-probe-'));
  const file = join(dir, 'host.json');
  const probe = probeHost();
  writeFileSync(file, JSON.stringify(probe, null, 2) + '\n');
  process.env[PROBE_FILE_VAR] = file;
  console.log(formatProbe(probe));
  return () => rmSync(dir, { recursive: true, force: true });
}
