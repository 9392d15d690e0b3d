/**
 * Do the conformance cases have teeth? For each constraint of a schema, this removes it,
 * compiles the weakened schema and looks for a case of cases.ts on which the verdict changes.
 * A constraint no case notices is printed: either it is redundant (the schema means the same
 * without it) or the cases miss something.
 * - Ours (default): a constraint of the project's schema the cases would not miss if it were
 *   left out.
 * - `--official`: the same for the official schemas, i.e. an official constraint the cases
 *   would not notice missing from ours.
 *
 * Not part of `npm test` (it compiles hundreds of schemas, some minutes). Needs ../shared:
 *   node --import tsx test/schemas/mutants.ts [--official] [package|config|v2-resource|v3-resource|command|v3-repo|v4-repo|v5-repo|app ...]
 * (With --official, each repo target weakens the shared vX-repo-definitions.json and checks all
 * three repo formats.)
 *
 * Last run, every constraint left unnoticed was redundant:
 * - `/type` of package-schema.json and app.json, and `/properties/packages/items/type` of the
 *   repo schemas: a non-object already fails (every form matches it, so oneOf fails; for apps,
 *   `not: {required: [cmd, args]}` refuses it);
 * - `config/$ref` of the repo package forms: `#/definitions/config` accepts anything anyway;
 * - networkNames' `minLength` in app.json: its pattern needs a character too;
 * - official only: `type: string` beside an enum of strings; keywords in places where they do
 *   nothing (executorResources' cpus/mem/disk, `items` of an object, `additionalProperties` of
 *   an integer, `properties: {}` beside `additionalProperties: true`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { PlainJson } from '../../generator/json/value.js';
import { createAjv, schemaFilePath, type SchemaFile } from '../../generator/schemas/registry.js';
import * as cases from './cases.js';
import { OFFICIAL_APP_SCHEMA, OFFICIAL_UNIVERSE_DIR, officialAvailable, officialValidators } from './support.js';

interface Target {
  file: SchemaFile;
  /** The official schema of the same verdicts (for repos: the definitions file they share). */
  officialFile: string;
  cases: () => cases.Case[];
  official: () => ValidateFunction;
}

const TARGETS: Record<string, Target> = {
  package: { file: 'universe/package-schema.json', officialFile: 'package-schema.json', cases: () => [...cases.corpusFileCases(), ...cases.packageCases()], official: () => officialValidators().file.package },
  config: {
    file: 'universe/config-schema.json',
    officialFile: 'config-schema.json',
    cases: () => [...cases.corpusFileCases(), ...cases.configKeywordCases(), ...cases.configCases()],
    official: () => officialValidators().file.config,
  },
  'v2-resource': { file: 'universe/v2-resource-schema.json', officialFile: 'v2-resource-schema.json', cases: () => [...cases.corpusFileCases(), ...cases.resourceCases()], official: () => officialValidators().file['v2-resource'] },
  'v3-resource': { file: 'universe/v3-resource-schema.json', officialFile: 'v3-resource-schema.json', cases: () => [...cases.corpusFileCases(), ...cases.resourceCases()], official: () => officialValidators().file['v3-resource'] },
  command: { file: 'universe/command-schema.json', officialFile: 'command-schema.json', cases: () => [...cases.corpusFileCases(), ...cases.resourceCases()], official: () => officialValidators().file.command },
  'v3-repo': { file: 'universe/v3-repo-schema.json', officialFile: 'vX-repo-definitions.json', cases: () => [...cases.repoCases(), ...cases.repoMutationCases()], official: () => officialValidators().repo.v3 },
  'v4-repo': { file: 'universe/v4-repo-schema.json', officialFile: 'vX-repo-definitions.json', cases: () => [...cases.repoCases(), ...cases.repoMutationCases()], official: () => officialValidators().repo.v4 },
  'v5-repo': { file: 'universe/v5-repo-schema.json', officialFile: 'vX-repo-definitions.json', cases: () => [...cases.repoCases(), ...cases.repoMutationCases()], official: () => officialValidators().repo.v5 },
  app: { file: 'marathon/app.json', officialFile: OFFICIAL_APP_SCHEMA, cases: () => [...cases.appCases(), ...cases.appMutationCases()], official: () => officialValidators().app },
};

/** Keywords that constrain (removing one can only let more documents through, or change a choice). */
const CONSTRAINTS = new Set([
  'type', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'uniqueItems', 'additionalItems', 'items', 'required', 'minProperties', 'additionalProperties', 'properties', 'dependencies', 'not', 'oneOf',
  'anyOf', '$ref',
]);
/** Maps from names to schemas: their keys are names, not keywords. */
const NAME_MAPS = new Set(['properties', 'definitions', 'dependencies', 'patternProperties']);

type Json = PlainJson;

function constraintPaths(node: Json, at: string[], out: string[][]): string[][] {
  if (typeof node !== 'object' || node === null) return out;
  const parent = at[at.length - 1];
  const entries: [string, Json][] = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
  for (const [k, v] of entries) {
    if (!Array.isArray(node) && CONSTRAINTS.has(k) && !(parent !== undefined && NAME_MAPS.has(parent))) out.push([...at, k]);
    constraintPaths(v, [...at, k], out);
  }
  return out;
}

function without(doc: Json, path: readonly string[]): Json {
  const copy = structuredClone(doc);
  let node = copy as { [k: string]: Json };
  for (const k of path.slice(0, -1)) node = node[k] as { [k: string]: Json };
  delete node[path[path.length - 1] as string];
  return copy;
}

const readJson = (file: string): Json => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;

const REPO_DEFINITIONS = 'vX-repo-definitions.json';
const REPO_FORMATS = ['v3', 'v4', 'v5'] as const;

/**
 * Validators built from `weakened`, each paired with the official one whose verdicts it must
 * give. The official repo definitions serve all three repo formats, so all three are checked.
 */
function weakenedValidators(target: Target, weakened: Json, official: boolean): [ValidateFunction, ValidateFunction][] {
  const ajv = createAjv();
  if (!official || target.officialFile !== REPO_DEFINITIONS) return [[ajv.compile(weakened as object), target.official()]];
  ajv.addSchema(weakened as object, REPO_DEFINITIONS);
  return REPO_FORMATS.map((v) => [ajv.compile(readJson(path.join(OFFICIAL_UNIVERSE_DIR, `${v}-repo-schema.json`)) as object), officialValidators().repo[v]]);
}

function run(name: string, target: Target, official: boolean): void {
  const docs = target.cases().map((c) => c.doc);
  const file = official
    ? path.isAbsolute(target.officialFile) ? target.officialFile : path.join(OFFICIAL_UNIVERSE_DIR, target.officialFile)
    : schemaFilePath(target.file);
  const schema = readJson(file);
  const paths = constraintPaths(schema, [], []);
  const expected = new Map<ValidateFunction, boolean[]>();
  const verdicts = (reference: ValidateFunction): boolean[] => {
    let list = expected.get(reference);
    if (list === undefined) expected.set(reference, (list = docs.map((d) => reference(d) as boolean)));
    return list;
  };
  const survivors: string[] = [];
  for (const at of paths) {
    let pairs: [ValidateFunction, ValidateFunction][];
    try {
      pairs = weakenedValidators(target, without(schema, at), official);
    } catch {
      continue; // e.g. a definition left without the $ref it needed: not a schema any more
    }
    const noticed = pairs.some(([weakened, reference]) => {
      const want = verdicts(reference);
      return docs.some((d, i) => (weakened(d) as boolean) !== want[i]);
    });
    if (!noticed) survivors.push(`/${at.join('/')}`);
  }
  console.log(`${name} (${file}): ${docs.length} cases, ${paths.length} constraints removed one at a time, ${survivors.length} unnoticed`);
  for (const s of survivors) console.log(`  ${s}`);
}

if (!officialAvailable()) {
  console.error('../shared is not present: nothing to compare with');
  process.exit(2);
}
const args = process.argv.slice(2);
const official = args.includes('--official');
const chosen = args.filter((a) => a !== '--official');
for (const name of chosen.length > 0 ? chosen : Object.keys(TARGETS)) {
  const target = TARGETS[name];
  if (target === undefined) throw new Error(`unknown target ${name}; one of ${Object.keys(TARGETS).join(', ')}`);
  run(name, target, official);
}
