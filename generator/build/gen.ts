/**
 * The package transformations of the public Universe build (mesosphere/universe
 * `scripts/gen_universe.py`, the version that writes repo-up-to-1.8 ... 2.0), on lossless JSON:
 * `generate_package`, the `minDcosReleaseVersion` filter, the `json_escape_compatibility`
 * escaping and the 4.0 -> 3.0 downgrade for DC/OS < 1.10. Objects are never changed in place:
 * a transformation returns the same object when nothing changes, so callers can reuse the
 * serialization of the untouched form.
 */
import { joinPointer } from '../json/pointer.js';
import { JsonNumber, jsonTypeOf, type JsonObject, type JsonValue } from '../json/value.js';
import { compareLooseVersions } from './looseVersion.js';
import { pyTruthy } from './pyjson.js';

/** The DC/OS versions the build writes `repo-up-to-V.json` for, oldest first. */
export const BUILD_DCOS_VERSIONS = ['1.8', '1.9', '1.10', '1.11', '1.12', '1.13', '2.0'] as const;
export type BuildDcosVersion = (typeof BUILD_DCOS_VERSIONS)[number];

export type RepoFormat = 'v3' | 'v4' | 'v5';

/** gen_universe.py `get_universe_version_for_dcos`: <= 1.9 v3, <= 1.11 v4, newer v5. */
export function repoFormatFor(version: BuildDcosVersion): RepoFormat {
  if (version === '1.8' || version === '1.9') return 'v3';
  if (version === '1.10' || version === '1.11') return 'v4';
  return 'v5';
}

/** Versions older than 1.10 get the escaped, downgraded packages. */
export function isLegacyVersion(version: BuildDcosVersion): boolean {
  return version === '1.8' || version === '1.9';
}

export const REPO_MEDIA_TYPE = 'application/vnd.dcos.universe.repo+json';

/** The content type gen_universe.py writes into `.content_type` files. */
export function repoContentType(format: RepoFormat): string {
  return `${REPO_MEDIA_TYPE};charset=utf-8;version=${format}`;
}

/** Something gen_universe.py cannot process: Python raises and the public build stops. */
export class GenUniverseError extends Error {
  constructor(
    message: string,
    /** Pointer inside the generated package object. */
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'GenUniverseError';
  }
}

export interface RevisionInputs {
  releaseVersion: number;
  package: JsonObject;
  resource?: JsonValue;
  /** Base64 of marathon.json.mustache's bytes. */
  marathonTemplate?: string;
  config?: JsonValue;
  command?: JsonValue;
}

/**
 * `generate_package`: package.json's members in their order, then `releaseVersion`, `resource`,
 * `marathon`, `config`, `command` (each only when Python finds it true: an empty object or an
 * empty template is left out). A key package.json already has keeps its position.
 */
export function generatePackage(r: RevisionInputs): JsonObject {
  const pkg: JsonObject = new Map(r.package);
  pkg.set('releaseVersion', new JsonNumber(String(r.releaseVersion)));
  if (pyTruthy(r.resource)) pkg.set('resource', r.resource as JsonValue);
  if (r.marathonTemplate) pkg.set('marathon', new Map([['v2AppMustacheTemplate', r.marathonTemplate]]));
  if (pyTruthy(r.config)) pkg.set('config', r.config as JsonValue);
  if (pyTruthy(r.command)) pkg.set('command', r.command as JsonValue);
  return pkg;
}

const DEFAULT_MIN_DCOS = '0.0';

/**
 * `filter_by_version`: LooseVersion(package.get('minDcosReleaseVersion', '0.0')) <= LooseVersion(V).
 * Python fails on a value that is not a non-empty string and on versions it cannot order.
 */
export function includedIn(pkg: JsonObject, version: BuildDcosVersion): boolean {
  const min = pkg.has('minDcosReleaseVersion') ? pkg.get('minDcosReleaseVersion') : DEFAULT_MIN_DCOS;
  if (typeof min !== 'string' || min === '') {
    throw new GenUniverseError(
      `minDcosReleaseVersion must be a non-empty string to be compared with DC/OS versions (gen_universe.py fails on ${min === '' ? 'an empty string' : jsonTypeOf(min as JsonValue)})`,
      '/minDcosReleaseVersion',
    );
  }
  try {
    return compareLooseVersions(min, version) <= 0;
  } catch (e) {
    throw new GenUniverseError(`${(e as Error).message} (gen_universe.py fails on it)`, '/minDcosReleaseVersion');
  }
}

/**
 * The package as repo-up-to-1.8/1.9 hold it: config escaping (`json_escape_compatibility`),
 * then `downgrade_package_to_v3`. Returns `pkg` itself when neither changes anything.
 */
export function legacyPackage(pkg: JsonObject): JsonObject {
  let out = pkg;
  const config = pkg.get('config');
  if (config !== undefined && pyContains(config, 'properties', '/config')) {
    const properties = pyGetItem(config, 'properties', '/config');
    const escaped = escapeProperties(properties, '/config/properties');
    if (escaped !== properties) {
      const newConfig: JsonObject = new Map(config as JsonObject);
      newConfig.set('properties', escaped);
      out = new Map(out);
      out.set('config', newConfig);
    }
  }
  const pv = out.get('packagingVersion');
  if (pv === '2.0' || pv === '3.0') return out;
  // v4_to_v3_package: drop upgradesFrom and downgradesTo, packagingVersion "3.0" (appended when absent).
  const down: JsonObject = new Map(out);
  down.delete('upgradesFrom');
  down.delete('downgradesTo');
  down.set('packagingVersion', '3.0');
  return down;
}

/** `json_escape_compatibility(schema)`: rewrites descriptions and string defaults, recursing into object properties. */
function escapeProperties(schema: JsonValue, pointer: string): JsonValue {
  if (!(schema instanceof Map)) {
    throw new GenUniverseError(`${describe(schema)} has no .values(): gen_universe.py expects an object of property schemas here`, pointer);
  }
  let out: JsonObject | undefined;
  for (const [key, value] of schema) {
    const at = joinPointer(pointer, key);
    const next = escapeProperty(value, at);
    if (next !== value) {
      out ??= new Map(schema);
      out.set(key, next);
    }
  }
  return out ?? schema;
}

function escapeProperty(value: JsonValue, pointer: string): JsonValue {
  let out: JsonObject | undefined;
  const current = (): JsonObject => out ?? (value as JsonObject);
  if (pyContains(value, 'description', pointer)) {
    const d = pyGetItem(value, 'description', pointer);
    const e = escapeJsonString(d, joinPointer(pointer, 'description'));
    if (e !== d) {
      out = new Map(current());
      out.set('description', e);
    }
  }
  if (pyContains(value, 'type', pointer)) {
    const m = value as JsonObject; // pyGetItem below has already failed for anything but an object
    const type = pyGetItem(value, 'type', pointer);
    if (type === 'string' && m.has('default')) {
      const d = m.get('default') as JsonValue;
      const e = escapeJsonString(d, joinPointer(pointer, 'default'));
      if (e !== d) {
        out = new Map(current());
        out.set('default', e);
      }
    } else if (type === 'object' && m.has('properties')) {
      const p = m.get('properties') as JsonValue;
      const e = escapeProperties(p, joinPointer(pointer, 'properties'));
      if (e !== p) {
        out = new Map(current());
        out.set('properties', e);
      }
    }
  }
  return out ?? value;
}

/**
 * `escape_json_string`: re.sub('([^\\\\])\\"', r'\1\\"', s), i.e. a backslash goes before every
 * double quote that follows a character other than a backslash (matches do not overlap).
 */
function escapeJsonString(s: JsonValue, pointer: string): JsonValue {
  if (typeof s !== 'string') {
    throw new GenUniverseError(`${describe(s)} where gen_universe.py escapes a string (re.sub fails on it)`, pointer);
  }
  return s.indexOf('"') < 0 ? s : s.replace(/([^\\])"/g, '$1\\"');
}

/** Python's `key in value` for a loaded JSON value. */
function pyContains(value: JsonValue, key: string, pointer: string): boolean {
  if (value instanceof Map) return value.has(key);
  if (typeof value === 'string') return value.includes(key);
  if (Array.isArray(value)) return value.some((x) => x === key);
  throw new GenUniverseError(`${describe(value)} where gen_universe.py looks for "${key}" (argument is not iterable)`, pointer);
}

/** Python's `value[key]` with a string key. */
function pyGetItem(value: JsonValue, key: string, pointer: string): JsonValue {
  if (value instanceof Map) return value.get(key) as JsonValue;
  throw new GenUniverseError(`${describe(value)} where gen_universe.py reads ["${key}"] (indices must be integers)`, pointer);
}

function describe(v: JsonValue): string {
  const t = jsonTypeOf(v);
  return t === 'array' || t === 'object' ? `an ${t}` : `a ${t}`;
}
