/** pushImage against a real docker-registry on loopback, read back with skopeo. */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildImage, parsePlatform, pushImage, RegistryError, type Platform } from '../../src/image/index.js';
import { startRegistry, type Registry } from './daemons.js';
import { exit386, exitArm, exitArm64, helloAmd64 } from './elves.js';
import { describeWith, whyUnavailable, run, tempDir } from './tools.js';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const multi = () =>
  buildImage({
    binaries: [
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
      { platform: parsePlatform('linux/arm/v7'), elf: exitArm() },
      { platform: parsePlatform('linux/386'), elf: exit386() },
    ],
    tag: 'tiny/multi:v1',
  });

const skopeoRaw = (ref: string, creds?: string) =>
  run('skopeo', ['inspect', '--raw', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), `docker://${ref}`]);
const sha = async (s: string) => `sha256:${(await import('node:crypto')).createHash('sha256').update(s).digest('hex')}`;

describeWith('push to a loopback docker-registry', whyUnavailable(['docker-registry', 'skopeo']), () => {
  let reg: Registry;
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(() => reg?.stop());

  it('pushes a multi-platform image; skopeo sees the same index and pulls arm64', async () => {
    const img = multi();
    const res = await pushImage(img, `${reg.host}/tiny/multi:v1`);
    expect(res.digest).toBe(img.digest);
    expect(res.uploaded).toBe(8);
    expect(await sha(skopeoRaw(`${reg.host}/tiny/multi:v1`))).toBe(img.digest);
    const tmp = tempDir('pull');
    try {
      run('skopeo', ['copy', '-q', '--src-tls-verify=false', '--override-arch', 'arm64', `docker://${reg.host}/tiny/multi:v1`, `oci:${tmp.path}:arm64`]);
      const cfg = JSON.parse(run('skopeo', ['inspect', '--config', `oci:${tmp.path}:arm64`]));
      expect(cfg.architecture).toBe('arm64');
    } finally {
      tmp.remove();
    }
    // A second push finds every blob already there.
    const again = await pushImage(img, `${reg.host}/tiny/multi:v1`);
    expect(again.existing).toBe(8);
    expect(again.uploaded).toBe(0);
  });

  it('pushes a single-platform image by tag (the manifest itself)', async () => {
    const img = buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }], tag: 'tiny/hello' });
    await pushImage(img, `${reg.host}/tiny/hello:latest`);
    expect(await sha(skopeoRaw(`${reg.host}/tiny/hello:latest`))).toBe(img.digest);
  });

  it('reports HTTP failures with the status and the registry error message', async () => {
    const img = buildImage({ binaries: [{ platform: amd64, elf: helloAmd64() }] });
    // Corrupt one blob so its bytes no longer match its digest: the registry refuses the upload.
    const bad = { ...img, blobs: img.blobs.map((b, i) => (i === 0 ? { ...b, data: new Uint8Array([1, 2, 3]) } : b)) };
    await expect(pushImage(bad, `${reg.host}/tiny/bad:latest`)).rejects.toThrow(/uploading blob sha256:[0-9a-f]{64}: HTTP 400 .*DIGEST_INVALID/);
    const closed = `127.0.0.1:1/tiny/x:y`;
    await expect(pushImage(img, closed)).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:1\/v2\//);
    await expect(pushImage(img, 'example.com/x@sha256:' + '0'.repeat(64))).rejects.toThrow(/must be a tag/);
  });
});

describeWith('push with basic auth (htpasswd, bcrypt)', whyUnavailable(['docker-registry', 'skopeo', 'htpasswd']), () => {
  let reg: Registry;
  beforeAll(async () => {
    reg = await startRegistry({ users: { tiny: 's3cret' } });
  });
  afterAll(() => reg?.stop());

  it('fails clearly without or with wrong credentials, succeeds with them', async () => {
    const img = multi();
    await expect(pushImage(img, `${reg.host}/tiny/multi:v1`)).rejects.toThrow(`registry ${reg.host} requires a username and password (HTTP 401)`);
    await expect(pushImage(img, `${reg.host}/tiny/multi:v1`, { username: 'tiny', password: 'wrong' })).rejects.toThrow(/rejected the credentials: HTTP 401.*UNAUTHORIZED/);
    const err = await pushImage(img, `${reg.host}/tiny/multi:v1`, { username: 'tiny', password: 'wrong' }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.status).toBe(401);
    await pushImage(img, `${reg.host}/tiny/multi:v1`, { username: 'tiny', password: 's3cret' });
    expect(await sha(skopeoRaw(`${reg.host}/tiny/multi:v1`, 'tiny:s3cret'))).toBe(img.digest);
  });
});

describeWith('push with the bearer-token flow', whyUnavailable(['docker-registry', 'skopeo']), () => {
  // A fake token server and gate in front of a plain registry: requests need `Bearer good-token`,
  // which /token hands out for the right basic credentials and scope.
  let reg: Registry;
  let gate: Server;
  let gateHost = '';
  const tokenRequests: URLSearchParams[] = [];
  beforeAll(async () => {
    reg = await startRegistry();
    gate = createServer((req, res) => {
      const url = new URL(req.url!, `http://${req.headers.host}`);
      if (url.pathname === '/token') {
        tokenRequests.push(url.searchParams);
        const ok = req.headers.authorization === `Basic ${Buffer.from('bob:pw').toString('base64')}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { token: 'good-token' } : { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
        return;
      }
      if (req.headers.authorization !== 'Bearer good-token') {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${gateHost}/token",service="tinyelf-test"`,
          'content-type': 'application/json',
        });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return;
      }
      // Keep the Host header, so the registry's Location headers point back at this gate.
      const up = httpRequest({ host: '127.0.0.1', port: Number(reg.host.split(':')[1]), method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => gate.listen(0, '127.0.0.1', r));
    gateHost = `127.0.0.1:${(gate.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => gate?.close(r));
    await reg?.stop();
  });

  it('gets a token for the repository scope and pushes', async () => {
    const img = multi();
    await expect(pushImage(img, `${gateHost}/tiny/multi:v1`)).rejects.toThrow(/token server http:\/\/127\.0\.0\.1:\d+ refused a token for tiny\/multi: HTTP 401.*bad credentials/);
    await pushImage(img, `${gateHost}/tiny/multi:v1`, { username: 'bob', password: 'pw' });
    const last = tokenRequests.at(-1)!;
    expect(last.get('service')).toBe('tinyelf-test');
    expect(last.get('scope')).toBe('repository:tiny/multi:pull,push');
    expect(await sha(skopeoRaw(`${reg.host}/tiny/multi:v1`))).toBe(img.digest);
  });
});
