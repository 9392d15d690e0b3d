import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../../generator/json/parse.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../generator/json/value.js';

/** ../shared beside the project root, when this checkout has it. */
export const SHARED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const RENDER_FIXTURES_DIR = path.join(SHARED_DIR, 'fixtures/render');
export const CORPUS_PACKAGES_DIR = path.join(SHARED_DIR, 'corpus/universe-sample/packages');
export const REFERENCE_DIR = path.join(SHARED_DIR, 'reference');

export function sharedAvailable(): boolean {
  return fs.existsSync(RENDER_FIXTURES_DIR);
}

export interface RenderFixture {
  file: string;
  name: string;
  description: string;
  template: string;
  config: JsonValue | undefined;
  options: JsonObject | undefined;
  resource: JsonValue | undefined;
  resourceModel: 'raw' | 'v2' | 'v3';
  dcosVersion: string | undefined;
  expected: JsonObject;
}

/** Reads a render fixture with the project's lossless parser (numbers keep their spelling). */
export function readRenderFixture(file: string): RenderFixture {
  const doc = parseJson(fs.readFileSync(file, 'utf8')).value;
  if (!isJsonObject(doc)) throw new Error(`${file}: not an object`);
  const get = (k: string): JsonValue | undefined => doc.get(k);
  const orUndefined = (v: JsonValue | undefined): JsonValue | undefined => (v === null ? undefined : v);
  const options = orUndefined(get('options'));
  const model = get('resource_model');
  return {
    file,
    name: path.basename(file, '.json'),
    description: String(get('description')),
    template: String(get('template')),
    config: orUndefined(get('config')),
    options: options === undefined ? undefined : (options as JsonObject),
    resource: orUndefined(get('resource')),
    resourceModel: model === 'v2' || model === 'v3' ? model : 'raw',
    dcosVersion: typeof get('dcos_version') === 'string' ? (get('dcos_version') as string) : undefined,
    expected: get('expected') as JsonObject,
  };
}

export function listRenderFixtures(): string[] {
  return fs
    .readdirSync(RENDER_FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(RENDER_FIXTURES_DIR, f));
}
