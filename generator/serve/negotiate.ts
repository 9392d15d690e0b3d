/**
 * Content negotiation of the Universe server, as the public Universe server (nginx,
 * mesosphere/universe docker/server) does it and as Cosmos asks:
 * - the cluster's DC/OS version comes from `User-Agent` (`dcos/1.8` ... `dcos/2.0`, e.g.
 *   `cosmos/0.4.0 dcos/1.10.0`); anything else means the newest, 2.0;
 * - the repo format comes from `Accept`, which Cosmos fills with several Universe repo media
 *   types (DC/OS 1.10: v4 and v3; 1.12 and later: v5, v4 and v3): the highest version listed
 *   (with a quality above zero) wins.
 */
import { BUILD_DCOS_VERSIONS, REPO_MEDIA_TYPE, type BuildDcosVersion, type RepoFormat } from '../build/gen.js';

export const NEWEST_VERSION: BuildDcosVersion = '2.0';

const KNOWN = new Set<string>(BUILD_DCOS_VERSIONS);

/** The DC/OS version a client announces (`dcos/X.Y[.Z]` anywhere in the User-Agent), else 2.0. */
export function dcosVersionOf(userAgent: string | undefined): BuildDcosVersion {
  if (userAgent === undefined) return NEWEST_VERSION;
  const m = /(?:^|[^a-z0-9])dcos\/(\d+)\.(\d+)(?!\d)/i.exec(userAgent);
  if (m === null) return NEWEST_VERSION;
  const v = `${Number(m[1])}.${Number(m[2])}`;
  return KNOWN.has(v) ? (v as BuildDcosVersion) : NEWEST_VERSION;
}

export interface MediaRange {
  type: string;
  subtype: string;
  /** Parameter names lower-cased, values unquoted. */
  params: Map<string, string>;
  q: number;
}

/** Parses an Accept header (RFC 9110 media ranges; quoted parameter values allowed). */
export function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of splitOutsideQuotes(header, ',')) {
    const pieces = splitOutsideQuotes(part, ';');
    const full = (pieces[0] ?? '').trim().toLowerCase();
    const slash = full.indexOf('/');
    if (slash <= 0 || slash === full.length - 1) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of pieces.slice(1)) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      let value = p.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      if (name === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1;
      } else params.set(name, value);
    }
    out.push({ type: full.slice(0, slash), subtype: full.slice(slash + 1), params, q });
  }
  return out;
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const FORMATS: readonly RepoFormat[] = ['v3', 'v4', 'v5'];
const [REPO_TYPE, REPO_SUBTYPE] = REPO_MEDIA_TYPE.split('/') as [string, string];

/**
 * What the client accepts for a repository:
 * - `{ format }`: the highest Universe repo version it lists;
 * - `{ format: undefined }`: no version named, but it takes the repo media type without a
 *   version, `application/*`, `*\/*`, or sent no Accept at all: the file's own format;
 * - `undefined`: nothing a Universe server has (406).
 */
export function acceptedRepoFormat(accept: string | undefined): { format: RepoFormat | undefined } | undefined {
  if (accept === undefined || accept.trim() === '') return { format: undefined };
  let best = -1;
  let any = false;
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) continue;
    if (r.type === REPO_TYPE && r.subtype === REPO_SUBTYPE) {
      const version = r.params.get('version');
      if (version === undefined) {
        any = true;
        continue;
      }
      const i = FORMATS.indexOf(version.toLowerCase() as RepoFormat);
      if (i > best) best = i;
    } else if ((r.type === '*' && r.subtype === '*') || (r.type === 'application' && r.subtype === '*')) {
      any = true;
    }
  }
  if (best >= 0) return { format: FORMATS[best] };
  return any ? { format: undefined } : undefined;
}

/** True when `Accept-Encoding` allows gzip (RFC 9110: `gzip`, `x-gzip` or `*` with a quality above zero). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [token = '', ...params] = part.split(';');
    const name = token.trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const [k = '', v = ''] = p.split('=');
      if (k.trim().toLowerCase() === 'q') {
        const n = Number(v.trim());
        q = Number.isFinite(n) ? n : 1;
      }
    }
    if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, q);
    else if (name === '*') star = q;
  }
  if (gzip !== undefined) return gzip > 0;
  return star !== undefined && star > 0;
}

/** True when an If-None-Match header matches `etag` (weak comparison, `*` matches anything). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*') return true;
    if (tag.replace(/^W\//, '') === bare) return true;
  }
  return false;
}
