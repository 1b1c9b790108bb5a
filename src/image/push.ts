/**
 * Pushes an image with the OCI distribution API: blobs (skipping ones the registry has), then
 * per-platform manifests by digest, then the index (or single manifest) by tag — the tag last, so a
 * failed push never leaves a tag pointing at something incomplete.
 */
import type { Blob, Image } from './build.js';
import { parseReference } from './reference.js';

/**
 * The part of the Fetch API push uses, spelled out so the package's type declarations need
 * neither the DOM library nor @types/node. The global fetch is one.
 */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): FetchResponse;
}
export type FetchFunction = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array; redirect?: 'follow' },
) => Promise<FetchResponse>;

export interface PushOptions {
  username?: string;
  password?: string;
  /** Allow plain HTTP to a non-loopback registry. */
  insecure?: boolean;
  /** For tests and proxies; defaults to the global fetch. */
  fetch?: FetchFunction;
}

export interface PushResult {
  /** What the tag now points at. */
  digest: string;
  /** e.g. 127.0.0.1:5000/tiny/pause:latest@sha256:… */
  reference: string;
  /** Blobs uploaded and blobs the registry already had. */
  uploaded: number;
  existing: number;
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted values may hold commas). */
function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header) ?? ['', '', ''];
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: m[1]!.toLowerCase(), params };
}

async function describe(res: FetchResponse, what: string): Promise<RegistryError> {
  let detail = '';
  const body = await res.text().catch(() => '');
  try {
    const errors = (JSON.parse(body) as { errors?: { code?: string; message?: string; detail?: unknown }[] }).errors ?? [];
    detail = errors.map((e) => `${e.code ?? 'ERROR'}: ${e.message ?? ''}${e.detail ? ` (${JSON.stringify(e.detail)})` : ''}`).join('; ');
  } catch {
    detail = body.trim().slice(0, 200);
  }
  return new RegistryError(`${what}: HTTP ${res.status} ${res.statusText}${detail ? ` — ${detail}` : ''}`, res.status);
}

export async function pushImage(image: Image, target: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = parseReference(target);
  if (ref.digest) throw new Error(`push target '${target}' must be a tag, not a digest`);
  const tag = ref.tag ?? 'latest';
  const host = ref.domain === 'docker.io' ? 'registry-1.docker.io' : ref.domain;
  const scheme = isLoopback(host) || opts.insecure ? 'http' : 'https';
  const base = `${scheme}://${host}`;
  const repo = ref.path;
  const doFetch: FetchFunction = opts.fetch ?? fetch;
  const basic = opts.username !== undefined ? `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}` : undefined;
  let authorization: string | undefined;

  async function authenticate(challenge: string | null, what: string, res: FetchResponse): Promise<void> {
    const c = parseChallenge(challenge ?? '');
    if (c.scheme === 'basic') {
      if (!basic) throw new RegistryError(`${what}: registry ${host} requires a username and password (HTTP ${res.status})`, res.status);
      if (authorization === basic) throw await describe(res, `${what}: registry ${host} rejected the credentials`);
      authorization = basic;
      return;
    }
    if (c.scheme === 'bearer' && c.params.realm) {
      const url = new URL(c.params.realm);
      if (c.params.service) url.searchParams.set('service', c.params.service);
      url.searchParams.set('scope', c.params.scope ?? `repository:${repo}:pull,push`);
      const tr = await doFetch(url.toString(), { headers: basic ? { authorization: basic } : {} });
      if (!tr.ok) throw await describe(tr, `${what}: token server ${url.origin} refused a token for ${repo}`);
      const body = (await tr.json()) as { token?: string; access_token?: string };
      const token = body.token ?? body.access_token;
      if (!token) throw new RegistryError(`${what}: token server ${url.origin} answered without a token`);
      const next = `Bearer ${token}`;
      if (authorization === next) throw await describe(res, `${what}: registry ${host} rejected the token`);
      authorization = next;
      return;
    }
    throw await describe(res, `${what}: registry ${host} asks for unsupported authentication '${challenge ?? ''}'`);
  }

  /** One request, authenticating and retrying when the registry answers 401. */
  async function request(method: string, url: string, what: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<FetchResponse> {
    for (let attempt = 0; ; attempt++) {
      let res: FetchResponse;
      try {
        res = await doFetch(url, {
          method,
          // Credentials go only to the registry itself, not to a Location on another host.
          headers: { ...headers, ...(authorization && new URL(url).origin === base ? { authorization } : {}) },
          ...(body ? { body } : {}),
          redirect: 'follow',
        });
      } catch (e) {
        const cause = (e as { cause?: { message?: string } }).cause?.message;
        throw new RegistryError(`${what}: cannot reach ${url}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
      }
      if (res.status !== 401 || attempt >= 2) return res;
      // Keep an unread copy: if authenticating fails, its error body goes into the message.
      const copy = res.clone();
      await res.arrayBuffer().catch(() => undefined);
      await authenticate(res.headers.get('www-authenticate'), what, copy);
    }
  }

  const probe = await request('GET', `${base}/v2/`, `probing ${base}/v2/`);
  if (probe.status === 401) throw await describe(probe, `probing ${base}/v2/: not authorized`);
  if (!probe.ok) throw await describe(probe, `probing ${base}/v2/ (is ${host} an OCI registry?)`);
  await probe.arrayBuffer();

  const isManifest = (b: Blob) => b.descriptor.mediaType.endsWith('manifest.v1+json') || b.descriptor.mediaType.endsWith('index.v1+json');
  let uploaded = 0;
  let existing = 0;
  for (const b of image.blobs.filter((x) => !isManifest(x))) {
    const digest = b.descriptor.digest;
    const head = await request('HEAD', `${base}/v2/${repo}/blobs/${digest}`, `checking blob ${digest}`);
    if (head.ok) {
      existing++;
      continue;
    }
    if (head.status !== 404) throw await describe(head, `checking blob ${digest}`);
    const start = await request('POST', `${base}/v2/${repo}/blobs/uploads/`, `starting upload of ${digest}`);
    if (start.status !== 202) throw await describe(start, `starting upload of ${digest}`);
    await start.arrayBuffer();
    const location = start.headers.get('location');
    if (!location) throw new RegistryError(`starting upload of ${digest}: registry sent no Location header`);
    // The Location may carry state in its query string (upload ids, signatures); keep it.
    const put = new URL(location, base);
    put.searchParams.append('digest', digest);
    const res = await request('PUT', put.toString(), `uploading blob ${digest}`, b.data, {
      'content-type': 'application/octet-stream',
      'content-length': String(b.data.length),
    });
    if (res.status !== 201) throw await describe(res, `uploading blob ${digest}`);
    await res.arrayBuffer();
    uploaded++;
  }
  const putManifest = async (b: Blob, reference: string) => {
    const res = await request('PUT', `${base}/v2/${repo}/manifests/${reference}`, `putting manifest ${repo}:${reference}`, b.data, {
      'content-type': b.descriptor.mediaType,
    });
    if (res.status !== 201) throw await describe(res, `putting manifest ${repo}:${reference}`);
    await res.arrayBuffer();
  };
  const rootBlob = image.blobs.find((b) => b.descriptor.digest === image.root.digest)!;
  for (const b of image.blobs.filter(isManifest)) if (b !== rootBlob) await putManifest(b, b.descriptor.digest);
  await putManifest(rootBlob, tag);
  return { digest: image.root.digest, reference: `${ref.domain}/${repo}:${tag}@${image.root.digest}`, uploaded, existing };
}
