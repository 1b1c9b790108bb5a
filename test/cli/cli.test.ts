/**
 * The tinyelf command line, run as a separate process through tsx from the source
 * (node --import tsx src/cli/main.ts), so no build is needed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitElf, exit, hello, hostArch, layoutElf, sleepForever } from '../../src/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];

interface Result {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function tinyelf(args: string[], opts: { input?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(opts.input ?? '');
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tinyelf-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.concurrent('help and usage', () => {
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
    const out = join(dir, 'exit5');
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
    const sub = join(dir, `keep-${name.replace(/\W/g, '-')}`);
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

  it('a missing output directory is an error with no stray files', async () => {
    const r = await tinyelf(['sleep', '--arch', 'x86_64', '-o', join(dir, 'no/such/dir/x')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: cannot write '.*no\/such\/dir\/x': no such file or directory \(ENOENT\)\n$/);
  });
});

describe.concurrent('asm', () => {
  it('shows every error with file:line:column, the line and a caret', async () => {
    const src = join(dir, 'errors.s');
    writeFileSync(src, ['bits 64', 'section .text', '_start:', '    mov eax, 60', '    movx ebx, 1', '    add eax, 1,', '    syscall', '    frob eax'].join('\n'));
    const r = await tinyelf(['asm', src, '--arch', 'x86_64', '-o', join(dir, 'never')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      [
        `${src}:5:5: error: unknown instruction or directive 'movx'`,
        '        movx ebx, 1',
        '        ^',
        `${src}:6:16: error: expected an expression, found end of line`,
        '        add eax, 1,',
        '                   ^',
        `${src}:8:5: error: unknown instruction or directive 'frob'`,
        '        frob eax',
        '        ^',
        `tinyelf: error: 3 errors in ${src}`,
        '',
      ].join('\n'),
    );
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('assembles a source into the executable emitElf makes of it', async () => {
    const text = 'bits 64\nsection .text\n_start:\n    push 9\n    pop rdi\n    mov al, 60\n    syscall\n';
    const src = join(dir, 'nine.s');
    writeFileSync(src, text);
    const { programFromSource } = await import('../../src/index.js');
    const r = await tinyelf(['asm', src, '--arch', 'x86_64', '--loader', 'qemu']);
    expect(r.stderr).toBe('');
    expect(new Uint8Array(r.stdout)).toEqual(emitElf({ arch: 'x86_64', loader: 'qemu', program: programFromSource(text, { arch: 'x86_64', file: src }) }));
  });

  it('--flat equals nasm -f bin', async () => {
    const src = join(dir, 'flat.s');
    writeFileSync(src, ['bits 32', 'org 0x8048000', 'start:', '    mov eax, 1', '    xor ebx, ebx', '    jmp short .x', '    db "hi", 0', '.x: int 0x80', '    dd start, msg', 'msg: times 3 db 0x90', ''].join('\n'));
    const r = await tinyelf(['asm', '--flat', src, '--arch', 'i386', '-o', join(dir, 'flat.bin')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const n = spawnSync('nasm', ['-f', 'bin', src, '-o', join(dir, 'flat.nasm')]);
    expect(n.status).toBe(0);
    expect(readFileSync(join(dir, 'flat.bin'))).toEqual(readFileSync(join(dir, 'flat.nasm')));
    expect(statSync(join(dir, 'flat.bin')).mode & 0o777).toBe(0o644);
  });

  it('a missing source file is a one-line error', async () => {
    const r = await tinyelf(['asm', join(dir, 'nope.s'), '--arch', 'x86_64']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: cannot read '.*nope\.s': no such file or directory \(ENOENT\)\n$/);
  });
});

/** The files of a tar, via tar itself. */
function untar(tarPath: string, into: string): string[] {
  mkdirSync(into, { recursive: true });
  const list = spawnSync('tar', ['-tf', tarPath]).stdout.toString().trim().split('\n');
  expect(spawnSync('tar', ['-xf', tarPath, '-C', into]).status).toBe(0);
  return list;
}

describe.concurrent('image', () => {
  it('writes a tar whose blobs are named by their sha256', async () => {
    const out = join(dir, 'pause.tar');
    const r = await tinyelf(['image', 'sleep', '--platform', 'linux/amd64,linux/386', '--tag', 'tiny/pause:1', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = untar(out, join(dir, 'pause'));
    expect(files).toContain('index.json');
    expect(files).toContain('manifest.json');
    const blobs = files.filter((f) => f.startsWith('blobs/sha256/'));
    expect(blobs.length).toBe(7); // 2 × (layer, config, manifest) + index
    for (const b of blobs) expect(sha(readFileSync(join(dir, 'pause', b)))).toBe(b.slice('blobs/sha256/'.length));
    // The amd64 layer holds exactly what `tinyelf sleep` writes.
    const index = JSON.parse(readFileSync(join(dir, 'pause', 'index.json'), 'utf8'));
    expect(index.manifests[0].annotations['io.containerd.image.name']).toBe('docker.io/tiny/pause:1');
    // Deterministic: the same command gives the same bytes.
    const again = await tinyelf(['image', 'sleep', '--platform', 'linux/386,linux/amd64', '--tag', 'tiny/pause:1']);
    expect(again.stdout.equals(readFileSync(out))).toBe(true);
  });

  it('wraps a given ELF with --file; the platform must match its e_machine', async () => {
    const elf = join(dir, 'hello-arm64');
    writeFileSync(elf, emitElf({ arch: 'aarch64', program: hello('hi') }));
    const ok = await tinyelf(['image', '--file', elf, '--format', 'oci', '-o', join(dir, 'h.tar')]);
    expect(ok.stderr).toBe('');
    const files = untar(join(dir, 'h.tar'), join(dir, 'h'));
    const index = JSON.parse(readFileSync(join(dir, 'h', 'index.json'), 'utf8'));
    expect(index.manifests[0].platform).toEqual({ architecture: 'arm64', os: 'linux' });
    expect(files).not.toContain('manifest.json');
    const bad = await tinyelf(['image', '--file', elf, '--platform', 'linux/amd64', '-o', join(dir, 'h.tar')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^tinyelf: error: '.*hello-arm64': binary for linux\/amd64 has e_machine 183 \(EM_AARCH64, linux\/arm64\)/);
  });

  it('builds one binary per platform (arm/v6 and v7 with their own ISA)', async () => {
    const r = await tinyelf(['image', 'exit', '0', '--platform', 'linux/arm/v6,linux/arm/v7,linux/arm64', '--format', 'oci-dir', '-o', join(dir, 'multi')]);
    expect(r.stderr).toBe('');
    const index = JSON.parse(readFileSync(join(dir, 'multi', 'index.json'), 'utf8'));
    const inner = JSON.parse(readFileSync(join(dir, 'multi', 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'));
    expect(inner.manifests.map((m: { platform: { architecture: string; variant?: string } }) => `${m.platform.architecture}${m.platform.variant ?? ''}`)).toEqual(['armv6', 'armv7', 'arm64']);
  });

  it('unknown platforms are clear errors', async () => {
    const r = await tinyelf(['image', 'sleep', '--platform', 'linux/riscv64', '-o', join(dir, 'x.tar')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: unknown platform 'linux\/riscv64'; known platforms: linux\/386, /);
    expect(existsSync(join(dir, 'x.tar'))).toBe(false);
  });
});

describe('push', () => {
  let server: Server;
  let port: number;
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { type: string; body: Buffer }>();
  beforeAll(async () => {
    // Just enough of the distribution API for a push, with no authentication.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://x');
        const body = Buffer.concat(chunks);
        let m: RegExpExecArray | null;
        if (url.pathname === '/v2/') res.writeHead(200).end('{}');
        else if (req.method === 'HEAD' && (m = /\/blobs\/(sha256:\w+)$/.exec(url.pathname))) res.writeHead(blobs.has(m[1]!) ? 200 : 404).end();
        else if (req.method === 'POST' && url.pathname.endsWith('/blobs/uploads/')) res.writeHead(202, { location: '/upload/1' }).end();
        else if (req.method === 'PUT' && url.pathname === '/upload/1') {
          const digest = url.searchParams.get('digest')!;
          expect(`sha256:${sha(body)}`).toBe(digest);
          blobs.set(digest, body);
          res.writeHead(201).end();
        } else if (req.method === 'PUT' && (m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname))) {
          manifests.set(`${m[1]}:${m[2]}`, { type: req.headers['content-type']!, body });
          res.writeHead(201).end();
        } else res.writeHead(400).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('pushes an image tar that tinyelf image wrote', async () => {
    const out = join(dir, 'push.tar');
    expect((await tinyelf(['image', 'sleep', '--platform', 'linux/amd64,linux/arm64', '-o', out])).status).toBe(0);
    const r = await tinyelf(['push', out, `127.0.0.1:${port}/tiny/pause:v1`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const tagged = manifests.get('tiny/pause:v1')!;
    expect(tagged.type).toBe('application/vnd.oci.image.index.v1+json');
    const digest = `sha256:${sha(tagged.body)}`;
    expect(r.stdout.toString()).toBe(`pushed 127.0.0.1:${port}/tiny/pause:v1@${digest} (4 blobs uploaded, 0 already there)\n`);
    expect(manifests.size).toBe(3); // two platform manifests by digest, the index by tag
    expect(blobs.size).toBe(4);
  });

  it('image --push pushes an oci-dir it just wrote; a docker-only archive cannot be pushed', async () => {
    const r = await tinyelf(['image', 'exit', '1', '--platform', 'linux/386', '--format', 'oci-dir', '-o', join(dir, 'pushdir'), '--push', `127.0.0.1:${port}/tiny/exit`]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toMatch(/^pushed 127\.0\.0\.1:\d+\/tiny\/exit:latest@sha256:\w{64} \(2 blobs uploaded, 0 already there\)\n$/);
    expect(manifests.get('tiny/exit:latest')!.type).toBe('application/vnd.oci.image.manifest.v1+json');
    const again = await tinyelf(['push', join(dir, 'pushdir'), `127.0.0.1:${port}/tiny/exit:again`]);
    expect(again.stdout.toString()).toMatch(/\(0 blobs uploaded, 2 already there\)/);
    expect((await tinyelf(['image', 'exit', '1', '--platform', 'linux/386', '--format', 'docker', '-o', join(dir, 'd.tar')])).status).toBe(0);
    const docker = await tinyelf(['push', join(dir, 'd.tar'), `127.0.0.1:${port}/tiny/exit`]);
    expect(docker.status).toBe(1);
    expect(docker.stderr).toMatch(/^tinyelf: error: cannot read image '.*d\.tar': .* index\.json is missing \(it is a docker-archive only/);
  });
});

describe.concurrent('inspect', () => {
  it('shows bytes that are both an ELF-header and a program-header field', async () => {
    const file = join(dir, 'ins');
    writeFileSync(file, emitElf({ arch: 'i386', program: sleepForever }));
    const r = await tinyelf(['inspect', file]);
    expect(r.stderr).toBe('');
    const text = r.stdout.toString();
    expect(text).toMatch(/^i386 ELF32 little-endian, \d+ bytes, program header at \d+, entry 0x[0-9a-f]+ \(file offset \d+\)\n/);
    const rows = text.split('\n').filter((l) => /^\d/.test(l));
    const overlap = rows.filter((l) => /\| e_\w+(\[[\d-]+\])? +\| p_\w+/.test(l));
    expect(overlap.length).toBeGreaterThan(0);
    expect(text).toMatch(/\| code\/data$/m);
    expect(text).toMatch(/\d+ bytes are both ELF-header and program-header fields/);
  });

  it('--program labels instructions with their source lines, in header bytes too', async () => {
    const r = await tinyelf(['inspect', '--program', 'exit', '3', '--arch', 'x86_64']);
    expect(r.stderr).toBe('');
    const text = r.stdout.toString();
    const l = layoutElf({ arch: 'x86_64', program: exit(3) });
    expect(text).toContain(`${l.bytes.length} bytes`);
    expect(text).toMatch(/\| EI_\w+(\[[\d-]+\])? +\| - +\| >> entry: push status +\(asm\/exit-x86_64\.s:\d+\)/);
    expect(text).toMatch(/syscall +\(asm\/exit-x86_64\.s:\d+\)/);
  });

  it('refuses what is not an ELF', async () => {
    const file = join(dir, 'notelf');
    writeFileSync(file, 'hello');
    const r = await tinyelf(['inspect', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: '.*notelf': not an ELF file \(5 bytes, no \\x7fELF magic\)\n$/);
  });
});
