/** Output for the CLI: binaries to a file (atomically) or to a non-terminal stdout. */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** An error whose message is shown as is, with a chosen exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** "ENOENT: no such file or directory" from a Node fs error, without the path Node appends. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') return err.message.replace(/,\s*\w+\s+'.*'$/s, '').replace(/^\w+: /, '') + ` (${err.code})`;
  return (e as Error)?.message ?? String(e);
}

function tempName(path: string): string {
  return join(dirname(resolve(path)), `.${basename(path)}.tinyelf-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
}

/**
 * Writes `data` to `path` with `mode`: into a temporary file in the same directory, fsync'd, then
 * renamed over `path`. On any failure the temporary file is removed and `path` is left as it was.
 * A symlink is followed (its target gets the file, the link stays). A device or FIFO (-o
 * /dev/null, a named pipe) is written to, not renamed over: that would put a regular file in
 * its place.
 */
export function writeFileAtomic(path: string, data: Uint8Array, mode: number): void {
  let target = path;
  try {
    const st = statSync(path);
    if (!st.isFile() && !st.isDirectory()) return writeInPlace(path, data);
    target = realpathSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot write '${path}': ${fsReason(e)}`);
  }
  const tmp = tempName(target);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeAll(fd, data);
    fchmodSync(fd, mode); // the umask may have cleared bits
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write '${path}': ${fsReason(e)}`);
  }
  syncDir(dirname(resolve(target)));
}

/** Writes `data` into an existing special file (a device, a FIFO). */
function writeInPlace(path: string, data: Uint8Array): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    writeAll(fd, data);
  } catch (e) {
    throw new CliError(`cannot write '${path}': ${fsReason(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes a directory of files the same way: built beside `path`, then swapped in. */
export function writeDirAtomic(path: string, files: Map<string, Uint8Array>): void {
  const tmp = tempName(path);
  let old: string | undefined;
  try {
    try {
      if (!statSync(path).isDirectory()) throw new CliError(`cannot write '${path}': it exists and is not a directory`);
      old = tempName(path);
    } catch (e) {
      if (e instanceof CliError) throw e;
    }
    mkdirSync(tmp, { mode: 0o755 });
    for (const name of [...files.keys()].sort()) {
      const full = join(tmp, name);
      mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
      const fd = openSync(full, 'wx', 0o644);
      try {
        writeAll(fd, files.get(name)!);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    if (old) renameSync(path, old);
    try {
      renameSync(tmp, path);
    } catch (e) {
      if (old) renameSync(old, path);
      old = undefined;
      throw e;
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot write '${path}': ${fsReason(e)}`);
  }
  if (old) rmSync(old, { recursive: true, force: true });
  syncDir(dirname(resolve(path)));
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is done.
  }
}

/** Refuses a terminal: binary output there is garbage and can upset it. */
export function checkStdoutNotTty(what: string): void {
  if (process.stdout.isTTY) {
    throw new CliError(`refusing to write ${what} to a terminal; redirect it (tinyelf … > FILE) or use -o FILE`, 2);
  }
}

export function writeStdout(data: Uint8Array | string): Promise<void> {
  return new Promise((ok, fail) => {
    process.stdout.write(data, (err) => {
      if (!err) ok();
      else if ((err as NodeJS.ErrnoException).code !== 'EPIPE') fail(new CliError(`cannot write to stdout: ${fsReason(err)}`));
      // EPIPE: the stream's 'error' handler (see run) ends the process.
    });
  });
}

/** Binary output: `-o FILE` (mode 0755 for executables) or stdout. */
export async function emitBinary(data: Uint8Array, out: string | undefined, what: string, mode = 0o755): Promise<void> {
  if (out === undefined || out === '-') {
    checkStdoutNotTty(what);
    await writeStdout(data);
  } else {
    writeFileAtomic(out, data, mode);
  }
}

export async function readStdin(): Promise<string> {
  return Buffer.from(await readStdinBytes()).toString('utf8');
}

/** All of standard input, as bytes. */
export async function readStdinBytes(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
