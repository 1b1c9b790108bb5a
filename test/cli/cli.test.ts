/** tinyelf CLI: help, usage errors, sleep/hello/exit output, failures that leave -o alone. */
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitElf, exit, hello, hostArch, sleepForever } from '../../src/index.js';
import { tinyelf, useTempDir, ROOT, CLI } from './helpers.js';

const tmp = useTempDir();

describe.concurrent('help and usage', () => {
  it('bin/tinyelf runs the CLI', async () => {
    const r = spawnSync(join(ROOT, 'bin/tinyelf'), ['exit', '9', '--arch', 'x86_64'], { timeout: 30_000 });
    expect(r.stderr.toString()).toBe('');
    expect(new Uint8Array(r.stdout)).toEqual(emitElf({ arch: 'x86_64', program: exit(9) }));
  });

  it('global --help lists every command; --version is package.json', async () => {
    const r = await tinyelf(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['sleep', 'hello', 'exit', 'asm', 'image', 'push', 'inspect']) expect(r.stdout.toString()).toMatch(new RegExp(`^  ${c} `, 'm'));
    const v = await tinyelf(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(v.stdout.toString()).toBe(`tinyelf ${pkg.version}\n`);
  });

  it.each(['sleep', 'hello', 'exit', 'asm', 'image', 'push', 'inspect'])('%s --help', async (command) => {
    const r = await tinyelf([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toMatch(new RegExp(`^Usage: tinyelf ${command}`));
    expect(r.stderr).toBe('');
  });

  it('unknown command or option: usage error with the commands, exit 2', async () => {
    const a = await tinyelf(['frobnicate']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/^tinyelf: error: unknown command 'frobnicate'\nCommands: sleep, hello, exit, asm, image, push, inspect/);
    const b = await tinyelf(['sleep', '--frob']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/^tinyelf: error: unknown option '--frob' for 'sleep'\nRun 'tinyelf sleep --help'/);
    const c = await tinyelf([]);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/^Usage: tinyelf COMMAND/);
    expect((await tinyelf(['--bogus'])).status).toBe(2);
    expect((await tinyelf(['exit'])).status).toBe(2);
    const pw = await tinyelf(['push', 'x.tar', 'localhost:5000/a', '--password-stdin']);
    expect(pw.status).toBe(2);
    expect(pw.stderr).toMatch(/^tinyelf: error: --password-stdin needs --username\n/);
  });
});

describe.concurrent('sleep, hello, exit', () => {
  const cases: [string[], () => Uint8Array][] = [
    [['sleep', '--arch', 'x86_64'], () => emitElf({ arch: 'x86_64', program: sleepForever })],
    [['sleep', '--bare', '--arch', '386'], () => emitElf({ arch: 'i386', program: sleepForever.bare })],
    [['hello', 'Hi there', '--arch', 'amd64', '--loader', 'linux'], () => emitElf({ arch: 'x86_64', program: hello('Hi there'), loader: 'linux' })],
    [['hello', '--arch', 'i386', '--loader=strict'], () => emitElf({ arch: 'i386', program: hello(), loader: 'strict' })],
    [['exit', '42', '--arch', 'x86_64', '--base', '0x10000'], () => emitElf({ arch: 'x86_64', program: exit(42), base: 0x10000 })],
    [['exit', '3', '--arch', 'arm64'], () => emitElf({ arch: 'aarch64', program: exit(3) })],
    [['sleep'], () => emitElf({ arch: hostArch(), program: sleepForever })],
    [['hello', '--arch', 'x86_64', '--', '-n'], () => emitElf({ arch: 'x86_64', program: hello('-n') })],
  ];
  it.each(cases)('tinyelf %j writes emitElf’s bytes to stdout', async (args, expected) => {
    const r = await tinyelf(args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(new Uint8Array(r.stdout)).toEqual(expected());
  });

  it('arm options reach the backend (--isa, --thumb)', async () => {
    const r = await tinyelf(['exit', '7', '--arch', 'armhf', '--isa', 'v7', '--thumb']);
    expect(r.stderr).toBe('');
    expect(new Uint8Array(r.stdout)).toEqual(emitElf({ arch: 'arm', program: exit(7), isa: 'v7', thumb: true }));
    expect((await tinyelf(['exit', '7', '--arch', 'x86_64', '--thumb'])).status).toBe(2);
  });

  it('-o writes the file with mode 0755, and it runs', async () => {
    const out = join(tmp(), 'exit5');
    const r = await tinyelf(['exit', '5', '--arch', 'x86_64', '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o755);
    expect(new Uint8Array(readFileSync(out))).toEqual(emitElf({ arch: 'x86_64', program: exit(5) }));
    if (hostArch() === 'x86_64') expect(spawnSync(out).status).toBe(5);
  });

  it('output is deterministic', async () => {
    const a = await tinyelf(['hello', 'same', '--arch', 'x86_64']);
    const b = await tinyelf(['hello', 'same', '--arch', 'x86_64']);
    expect(a.stdout.equals(b.stdout)).toBe(true);
  });

  it('refuses to write a binary to a terminal (a real pty via script), exit 2', async () => {
    const cmd = [process.execPath, ...CLI, 'sleep', '--arch', 'x86_64'].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, timeout: 30_000 });
    expect(r.status).toBe(2);
    const text = r.stdout.toString();
    expect(text).toMatch(/tinyelf: error: refusing to write an executable to a terminal; redirect it \(tinyelf … > FILE\) or use -o FILE/);
    expect(text).not.toContain('ELF');
  });
});

describe.concurrent('failures leave an existing output file alone', () => {
  const failing: [string, string[], RegExp][] = [
    ['bad arch', ['sleep', '--arch', 'sparc'], /^tinyelf: error: unknown architecture 'sparc'/],
    ['bad exit status', ['exit', '300', '--arch', 'x86_64'], /^tinyelf: error: exit status must be an integer from 0 to 255/],
    ['bad asm source', ['asm', 'BAD', '--arch', 'x86_64'], /bad\.s:2:5: error: unknown instruction or directive 'movx'/],
    ['unaligned base', ['sleep', '--arch', 'x86_64', '--base', '0x10001'], /^tinyelf: error: base 0x10001 is not a multiple of the page size/],
    ['output is a directory', ['sleep', '--arch', 'x86_64'], /^tinyelf: error: cannot write '.*': /],
  ];
  it.each(failing)('%s', async (name, args, message) => {
    const sub = join(tmp(), `keep-${name.replace(/\W/g, '-')}`);
    mkdirSync(sub);
    const out = join(sub, name === 'output is a directory' ? 'adir' : 'out');
    const original = Buffer.from('precious contents\n');
    if (name === 'output is a directory') mkdirSync(out);
    else writeFileSync(out, original, { mode: 0o600 });
    const bad = join(sub, 'bad.s');
    writeFileSync(bad, 'bits 64\n    movx eax, 1\n');
    const r = await tinyelf([...args.map((a) => (a === 'BAD' ? bad : a)), '-o', out]);
    expect(r.status).toBe(name === 'bad exit status' ? 2 : 1); // 2: a usage error
    expect(r.stderr).toMatch(message);
    expect(r.stdout.length).toBe(0);
    if (name !== 'output is a directory') {
      expect(readFileSync(out)).toEqual(original);
      expect(statSync(out).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(sub).sort()).toEqual([name === 'output is a directory' ? 'adir' : 'out', 'bad.s'].sort());
  });

  it('-o onto a FIFO writes into it, and onto a symlink writes its target: neither is replaced by a regular file', async () => {
    const dir = join(tmp(), 'special');
    mkdirSync(dir);
    // (a FIFO stands for /dev/null: renaming over a device or pipe would put a regular file in its place)
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    const got: Buffer[] = [];
    reader.stdout.on('data', (d: Buffer) => got.push(d));
    const done = new Promise((ok) => reader.on('close', ok));
    const w = await tinyelf(['exit', '3', '--arch', 'x86_64', '-o', fifo]);
    await done;
    expect([w.status, w.stderr]).toEqual([0, '']);
    expect(Buffer.concat(got).equals(Buffer.from(emitElf({ arch: 'x86_64', program: exit(3) })))).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const real = join(dir, 'real');
    writeFileSync(real, 'old');
    symlinkSync('real', join(dir, 'link'));
    const l = await tinyelf(['exit', '3', '--arch', 'x86_64', '-o', join(dir, 'link')]);
    expect([l.status, l.stderr]).toEqual([0, '']);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(real).equals(Buffer.from(emitElf({ arch: 'x86_64', program: exit(3) })))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'link', 'real']);
  });

  it('a missing output directory is an error with no stray files', async () => {
    const r = await tinyelf(['sleep', '--arch', 'x86_64', '-o', join(tmp(), 'no/such/dir/x')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: cannot write '.*no\/such\/dir\/x': no such file or directory \(ENOENT\)\n$/);
  });
});

