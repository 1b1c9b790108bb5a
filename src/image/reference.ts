/**
 * Image references in Docker's grammar (distribution/reference):
 *   [domain[:port]/]path-component[/path-component...][:tag][@digest]
 * with Docker Hub defaults: no domain means docker.io, and a one-component Hub name gets library/.
 */

export interface Reference {
  /** Registry host[:port], e.g. docker.io or 127.0.0.1:5000. */
  domain: string;
  /** Repository path, e.g. tiny/pause or library/busybox. */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

export function parseReference(text: string): Reference {
  const bad = (why: string) =>
    new Error(`invalid image reference '${text}': ${why} (expected [registry[:port]/]name[:tag], e.g. tiny/pause:latest)`);
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`'${digest}' is not a digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`tag '${tag}' must be 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-'`);
  }
  if (rest === '') throw bad('empty name');
  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // Docker's rule for telling a registry from the first path component.
  if (slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first)) {
    domain = first;
    path = rest.slice(slash + 1);
    if (!DOMAIN.test(domain)) throw bad(`'${domain}' is not a valid registry host[:port]`);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  for (const c of path.split('/')) {
    if (!COMPONENT.test(c)) {
      throw bad(`name component '${c}' must be lowercase letters and digits, separated by '.', '_', '__' or '-'`);
    }
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (domain.length + 1 + path.length > 255) throw bad('name longer than 255 characters');
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** docker.io/tiny/pause:latest — the form containerd stores and `docker load` accepts. */
export function formatReference(r: Reference): string {
  return `${r.domain}/${r.path}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`;
}
