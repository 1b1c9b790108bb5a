/** pushImage's request sequence, checked against a scripted fetch (no network). */
import { describe, expect, it } from 'vitest';
import { buildImage, parsePlatform, pushImage, type Platform } from '../../src/image/index.js';
import { exitArm64, helloAmd64 } from './elves.js';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };

function recorder(respond: (method: string, url: URL) => Response) {
  const calls: { method: string; url: string; auth?: string; type?: string }[] = [];
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(input.toString());
    const h = (init.headers ?? {}) as Record<string, string>;
    const method = init.method ?? 'GET';
    calls.push({ method, url: url.toString(), ...(h.authorization ? { auth: h.authorization } : {}), ...(h['content-type'] ? { type: h['content-type'] } : {}) });
    return respond(method, url);
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

describe('pushImage protocol', () => {
  const img = buildImage({
    binaries: [
      { platform: amd64, elf: helloAmd64() },
      { platform: parsePlatform('linux/arm64'), elf: exitArm64() },
    ],
  });

  it('uses https off loopback, keeps the upload Location query, and writes the tag last', async () => {
    const { calls, fetch } = recorder((method, url) => {
      if (method === 'HEAD') return new Response(null, { status: url.pathname.endsWith(img.manifests[0]!.layer.digest) ? 200 : 404 });
      if (method === 'POST') return new Response(null, { status: 202, headers: { location: '/v2/tiny/x/blobs/uploads/u1?_state=abc' } });
      if (method === 'PUT') return new Response(null, { status: 201 });
      return new Response('{}', { status: 200 });
    });
    const res = await pushImage(img, 'registry.example.com:5000/tiny/x:v1', { fetch });
    expect(res).toMatchObject({ digest: img.digest, existing: 1, uploaded: 3 });
    expect(calls[0]).toEqual({ method: 'GET', url: 'https://registry.example.com:5000/v2/' });
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts.slice(0, 3).every((c) => /\/blobs\/uploads\/u1\?_state=abc&digest=sha256%3A[0-9a-f]{64}$/.test(c.url))).toBe(true);
    expect(puts.slice(3).map((c) => [c.url.replace(/.*\/manifests\//, ''), c.type])).toEqual([
      [img.manifests[0]!.manifest.digest, 'application/vnd.oci.image.manifest.v1+json'],
      [img.manifests[1]!.manifest.digest, 'application/vnd.oci.image.manifest.v1+json'],
      ['v1', 'application/vnd.oci.image.index.v1+json'],
    ]);
  });

  it('talks plain HTTP to a non-loopback host only when insecure, and maps docker.io to its API host', async () => {
    const seen: string[] = [];
    const fail = (async (u: string | URL) => {
      seen.push(u.toString());
      return new Response('{"errors":[{"code":"DENIED","message":"no"}]}', { status: 403, statusText: 'Forbidden' });
    }) as typeof globalThis.fetch;
    await expect(pushImage(img, 'reg.lan/x:y', { insecure: true, fetch: fail })).rejects.toThrow('probing http://reg.lan/v2/ (is reg.lan an OCI registry?): HTTP 403 Forbidden — DENIED: no');
    await expect(pushImage(img, 'tiny/x', { fetch: fail })).rejects.toThrow(/HTTP 403/);
    expect(seen).toEqual(['http://reg.lan/v2/', 'https://registry-1.docker.io/v2/']);
  });

  it('follows a Bearer challenge with scope on a later request', async () => {
    let tokens = 0;
    const { calls, fetch } = recorder((method, url) => {
      if (url.pathname === '/token') {
        tokens++;
        expect(url.searchParams.get('scope')).toBe('repository:tiny/x:pull,push');
        return Response.json({ access_token: 'T' });
      }
      const authed = calls.at(-1)!.auth === 'Bearer T';
      if (url.pathname === '/v2/') return new Response(null, { status: 200 });
      if (!authed) {
        return new Response('{"errors":[{"code":"UNAUTHORIZED","message":"need token"}]}', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="reg",scope="repository:tiny/x:pull,push"' },
        });
      }
      if (method === 'HEAD') return new Response(null, { status: 200 });
      return new Response(null, { status: 201 });
    });
    await pushImage(img, 'reg.example/tiny/x:v1', { fetch });
    expect(tokens).toBe(1);
    expect(calls.filter((c) => c.url.includes('/manifests/')).every((c) => c.auth === 'Bearer T')).toBe(true);
  });
});
