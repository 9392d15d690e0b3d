import { isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';

/**
 * How resource.json reaches the template's `resource` value. Cosmos decodes it into its typed
 * model and encodes that back, so only the fields of the model survive (`v2` for
 * packagingVersion 2.0, `v3` for 3.0 and later); `raw` keeps the file as written.
 */
export type ResourceModel = 'raw' | 'v2' | 'v3';

export function resourceModelFor(packagingVersion: string | undefined): ResourceModel {
  return packagingVersion === '2.0' ? 'v2' : 'v3';
}

export function cosmosResourceView(resource: JsonValue, model: ResourceModel): JsonValue {
  if (model === 'raw' || !isJsonObject(resource)) return resource;
  const out: JsonObject = new Map();
  out.set('assets', mapOrNull(resource.get('assets'), assets));
  out.set('images', mapOrNull(resource.get('images'), images));
  if (model === 'v3') out.set('cli', mapOrNull(resource.get('cli'), cli));
  return out;
}

function mapOrNull(v: JsonValue | undefined, f: (o: JsonObject) => JsonValue): JsonValue {
  return isJsonObject(v) ? f(v) : v === undefined ? null : v;
}

function pick(o: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = new Map();
  for (const k of keys) out.set(k, o.has(k) ? (o.get(k) as JsonValue) : null);
  return out;
}

function assets(o: JsonObject): JsonObject {
  const out: JsonObject = new Map();
  out.set('uris', o.get('uris') ?? null);
  out.set('container', mapOrNull(o.get('container'), (c) => pick(c, ['docker'])));
  return out;
}

function images(o: JsonObject): JsonObject {
  return pick(o, ['icon-small', 'icon-medium', 'icon-large', 'screenshots']);
}

function cli(o: JsonObject): JsonObject {
  const out: JsonObject = new Map();
  out.set(
    'binaries',
    mapOrNull(o.get('binaries'), (platforms) => {
      const p: JsonObject = new Map();
      for (const os of ['windows', 'linux', 'darwin']) {
        p.set(os, mapOrNull(platforms.get(os), (arch) => {
          const a: JsonObject = new Map();
          a.set('x86-64', mapOrNull(arch.get('x86-64'), binary));
          return a;
        }));
      }
      return p;
    }),
  );
  return out;
}

function binary(o: JsonObject): JsonObject {
  const out = pick(o, ['kind', 'url']);
  const hashes = o.get('contentHash');
  out.set('contentHash', Array.isArray(hashes) ? hashes.map((h) => (isJsonObject(h) ? pick(h, ['algo', 'value']) : h)) : (hashes ?? null));
  return out;
}
