import { isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';
import type { RenderEra } from './eras.js';

/**
 * Cosmos's JsonSchema.extractDefaultsFromSchema: for each entry of `properties`, its `default`
 * (even null or an object, and then its nested properties are ignored); else, when it has
 * `properties`, the defaults below it. Up to DC/OS 1.11 an empty result is still kept as `{}`.
 */
export function extractDefaults(config: JsonValue, era: RenderEra): JsonObject {
  const out: JsonObject = new Map();
  if (!isJsonObject(config)) return out;
  const properties = config.get('properties');
  if (!isJsonObject(properties)) return out;
  for (const [key, property] of properties) {
    if (!isJsonObject(property)) continue;
    if (property.has('default')) {
      out.set(key, property.get('default') as JsonValue);
    } else if (isJsonObject(property.get('properties'))) {
      const nested = extractDefaults(property, era);
      if (nested.size > 0 || era.emptyNestedDefaults) out.set(key, nested);
    }
  }
  return out;
}

/**
 * Merges `fragment` into `target`; the later value wins and objects merge key by key.
 * Up to DC/OS 1.12 Cosmos added the fragment's keys to the target in place (target keys first);
 * from 1.13 it uses circe's deepMerge, which starts from the fragment's keys.
 */
export function mergeJsonObjects(target: JsonObject, fragment: JsonObject, era: RenderEra): JsonObject {
  if (era.deepMergeOptionKeysFirst) {
    const out: JsonObject = new Map(fragment);
    for (const [key, left] of target) {
      if (fragment.has(key)) {
        const right = fragment.get(key) as JsonValue;
        out.set(key, isJsonObject(left) && isJsonObject(right) ? mergeJsonObjects(left, right, era) : right);
      } else {
        out.set(key, left);
      }
    }
    return out;
  }
  const out: JsonObject = new Map(target);
  for (const [key, right] of fragment) {
    const left = out.get(key);
    out.set(key, isJsonObject(left) && isJsonObject(right) ? mergeJsonObjects(left, right, era) : right);
  }
  return out;
}

export function mergeAll(objects: readonly JsonObject[], era: RenderEra): JsonObject {
  return objects.reduce<JsonObject>((acc, o) => mergeJsonObjects(acc, o, era), new Map());
}

/**
 * What the public Universe server did to config.json for DC/OS 1.9 and older
 * (gen_universe.py, json_escape_compatibility): in every property's `description`, and in the
 * `default` of string properties, a double quote not preceded by a backslash gets one; object
 * properties are walked recursively.
 */
export function universeEscapeConfig(config: JsonValue): JsonValue {
  if (!isJsonObject(config)) return config;
  const properties = config.get('properties');
  if (!isJsonObject(properties)) return config;
  let out = escapedConfigs.get(config);
  if (out === undefined) {
    out = new Map(config);
    out.set('properties', escapeProperties(properties));
    escapedConfigs.set(config, out);
  }
  return out;
}

/** One escaped copy per config document, so its compiled schema is reused too. */
const escapedConfigs = new WeakMap<JsonObject, JsonObject>();

function escapeProperties(properties: JsonObject): JsonObject {
  const out: JsonObject = new Map();
  for (const [key, value] of properties) {
    if (!isJsonObject(value)) {
      out.set(key, value);
      continue;
    }
    const copy: JsonObject = new Map(value);
    const description = copy.get('description');
    if (typeof description === 'string') copy.set('description', escapeJsonString(description));
    const type = copy.get('type');
    const dflt = copy.get('default');
    if (type === 'string' && typeof dflt === 'string') copy.set('default', escapeJsonString(dflt));
    else if (type === 'object') {
      const nested = copy.get('properties');
      if (isJsonObject(nested)) copy.set('properties', escapeProperties(nested));
    }
    out.set(key, copy);
  }
  return out;
}

/** Python's `re.sub('([^\\\\])\\"', r'\1\\"', s)`: non-overlapping, left to right. */
export function escapeJsonString(s: string): string {
  return s.replace(/([^\\])"/g, '$1\\"');
}
