/** tinyelf image and push. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitElf, exit, hello } from '../../src/index.js';
import { tinyelf, useTempDir, sha, untar } from './helpers.js';

const tmp = useTempDir();

describe.concurrent('image', () => {
  it('--platform-tags also names each platform in index.json; without it only the tag', async () => {
    const names = async (extra: string[]) => {
      const dir = join(tmp(), `tags${extra.length}`);
      const r = await tinyelf(['image', 'sleep', '--platform', 'linux/amd64,linux/arm/v7', '--tag', 'tiny/pause:1', '--format', 'oci-dir', '-o', dir, ...extra]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name']);
    };
    expect(await names([])).toEqual(['1']);
    expect(await names(['--platform-tags'])).toEqual(['1', '1-amd64', '1-arm-v7']);
  });

  it('writes a tar whose blobs are named by their sha256', async () => {
    const out = join(tmp(), 'pause.tar');
    const r = await tinyelf(['image', 'sleep', '--platform', 'linux/amd64,linux/386', '--tag', 'tiny/pause:1', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = untar(out, join(tmp(), 'pause'));
    expect(files).toContain('index.json');
    expect(files).toContain('manifest.json');
    const blobs = files.filter((f) => f.startsWith('blobs/sha256/'));
    expect(blobs.length).toBe(7); // 2 × (layer, config, manifest) + index
    for (const b of blobs) expect(sha(readFileSync(join(tmp(), 'pause', b)))).toBe(b.slice('blobs/sha256/'.length));
    // The amd64 layer holds exactly what `tinyelf sleep` writes.
    const index = JSON.parse(readFileSync(join(tmp(), 'pause', 'index.json'), 'utf8'));
    expect(index.manifests[0].annotations['io.containerd.image.name']).toBe('docker.io/tiny/pause:1');
    // Deterministic: the same command gives the same bytes.
    const again = await tinyelf(['image', 'sleep', '--platform', 'linux/386,linux/amd64', '--tag', 'tiny/pause:1']);
    expect(again.stdout.equals(readFileSync(out))).toBe(true);
  });

  it('wraps a given ELF with --file; the platform must match its e_machine', async () => {
    const elf = join(tmp(), 'hello-arm64');
    writeFileSync(elf, emitElf({ arch: 'aarch64', program: hello('hi') }));
    const ok = await tinyelf(['image', '--file', elf, '--format', 'oci', '-o', join(tmp(), 'h.tar')]);
    expect(ok.stderr).toBe('');
    const files = untar(join(tmp(), 'h.tar'), join(tmp(), 'h'));
    const index = JSON.parse(readFileSync(join(tmp(), 'h', 'index.json'), 'utf8'));
    expect(index.manifests[0].platform).toEqual({ architecture: 'arm64', os: 'linux' });
    expect(files).not.toContain('manifest.json');
    const bad = await tinyelf(['image', '--file', elf, '--platform', 'linux/amd64', '-o', join(tmp(), 'h.tar')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^tinyelf: error: '.*hello-arm64': binary for linux\/amd64 has e_machine 183 \(EM_AARCH64, linux\/arm64\)/);
  });

  it('builds one binary per platform (arm/v6 and v7 with their own ISA)', async () => {
    const r = await tinyelf(['image', 'exit', '0', '--platform', 'linux/arm/v6,linux/arm/v7,linux/arm64', '--format', 'oci-dir', '-o', join(tmp(), 'multi')]);
    expect(r.stderr).toBe('');
    const index = JSON.parse(readFileSync(join(tmp(), 'multi', 'index.json'), 'utf8'));
    const inner = JSON.parse(readFileSync(join(tmp(), 'multi', 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'));
    expect(inner.manifests.map((m: { platform: { architecture: string; variant?: string } }) => `${m.platform.architecture}${m.platform.variant ?? ''}`)).toEqual(['armv6', 'armv7', 'arm64']);
  });

  it('--user and --label (repeatable) go into the image config; bad ones are usage errors that write nothing', async () => {
    const dir = join(tmp(), 'labelled');
    const r = await tinyelf(['image', 'sleep', '--platform', 'linux/amd64', '--user', '65535:65535', '--label', 'b=two=2', '--label', 'a=', '--format', 'oci-dir', '-o', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const blob = (digest: string) => JSON.parse(readFileSync(join(dir, 'blobs/sha256', digest.slice(7)), 'utf8'));
    const manifest = blob(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0].digest);
    expect(blob(manifest.config.digest).config).toEqual({ User: '65535:65535', Entrypoint: ['/app'], Labels: { a: '', b: 'two=2' } });
    const out = join(tmp(), 'kept.tar');
    writeFileSync(out, 'keep me');
    for (const [args, message] of [
      [['--user', 'nobody'], /^tinyelf: error: --user: user 'nobody' must be UID or UID:GID in numbers/],
      [['--label', 'novalue'], /^tinyelf: error: --label needs KEY=VALUE, not 'novalue'/],
      [['--label', 'a=1', '--label', 'a=2'], /^tinyelf: error: --label a given twice/],
    ] as const) {
      const bad = await tinyelf(['image', 'sleep', ...args, '-o', out]);
      expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(message)]);
      expect(readFileSync(out, 'utf8')).toBe('keep me');
    }
  });

  it('--platform all is every platform: the same bytes as naming them', async () => {
    const all = await tinyelf(['image', 'exit', '0', '--platform', 'all']);
    const named = await tinyelf(['image', 'exit', '0', '--platform', 'linux/arm64,linux/arm/v7,linux/arm/v6,linux/amd64,linux/386']);
    expect([all.status, all.stderr]).toEqual([0, '']);
    expect(all.stdout.equals(named.stdout)).toBe(true);
  });

  it('unknown platforms are clear errors', async () => {
    const r = await tinyelf(['image', 'sleep', '--platform', 'linux/riscv64', '-o', join(tmp(), 'x.tar')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tinyelf: error: unknown platform 'linux\/riscv64'; known platforms: linux\/386, /);
    expect(existsSync(join(tmp(), 'x.tar'))).toBe(false);
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
    const out = join(tmp(), 'push.tar');
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
    const r = await tinyelf(['image', 'exit', '1', '--platform', 'linux/386', '--format', 'oci-dir', '-o', join(tmp(), 'pushdir'), '--push', `127.0.0.1:${port}/tiny/exit`]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toMatch(/^pushed 127\.0\.0\.1:\d+\/tiny\/exit:latest@sha256:\w{64} \(2 blobs uploaded, 0 already there\)\n$/);
    expect(manifests.get('tiny/exit:latest')!.type).toBe('application/vnd.oci.image.manifest.v1+json');
    const again = await tinyelf(['push', join(tmp(), 'pushdir'), `127.0.0.1:${port}/tiny/exit:again`]);
    expect(again.stdout.toString()).toMatch(/\(0 blobs uploaded, 2 already there\)/);
    expect((await tinyelf(['image', 'exit', '1', '--platform', 'linux/386', '--format', 'docker', '-o', join(tmp(), 'd.tar')])).status).toBe(0);
    const docker = await tinyelf(['push', join(tmp(), 'd.tar'), `127.0.0.1:${port}/tiny/exit`]);
    expect(docker.status).toBe(1);
    expect(docker.stderr).toMatch(/^tinyelf: error: cannot read image '.*d\.tar': .* index\.json is missing \(it is a docker-archive only/);
  });
});

