/**
 * package.json, config.json, resource.json and command.json against the project's Universe
 * schemas (schemas/universe/, which give the verdicts of the official ones). The schema
 * interpreter answers first (no compiling: this check runs once per package.json, and every
 * package.json differs); a "no" is confirmed and explained by generator/schemas.
 */
import { toPlain, type JsonValue } from '../../json/value.js';
import { validateUniverseFile, type UniverseFileKind } from '../../schemas/index.js';
import { schemaDocument, type SchemaFile } from '../../schemas/registry.js';
import { ContentCache, textId } from '../../cache.js';
import { finding, jsonPlace, type Finding, type JsonFileName } from '../findings.js';
import type { LoadedRevision } from '../load.js';
import type { RuleId } from '../rules.js';
import { interpretSchema, interpretedVerdict, type Interpreted } from './interpret.js';

const cache = new ContentCache<Finding[]>(1024);

const SCHEMA_FILES: Record<UniverseFileKind, SchemaFile> = {
  package: 'universe/package-schema.json',
  config: 'universe/config-schema.json',
  'v2-resource': 'universe/v2-resource-schema.json',
  'v3-resource': 'universe/v3-resource-schema.json',
  command: 'universe/command-schema.json',
};

const interpreters = new Map<UniverseFileKind, Interpreted | null>();

function interpreter(kind: UniverseFileKind): Interpreted | null {
  let i = interpreters.get(kind);
  if (i === undefined) {
    i = interpretSchema(schemaDocument(SCHEMA_FILES[kind])) ?? null;
    interpreters.set(kind, i);
  }
  return i;
}

/** package.json and command.json of a revision (config.json and resource.json: `fileSchemaFindings`). */
export function checkSchemas(revision: LoadedRevision): Finding[] {
  const out: Finding[] = [];
  if (revision.package?.value !== undefined) out.push(...fileSchemaFindings('package', 'package.json', revision.package.text, revision.package.value));
  if (revision.command?.value !== undefined) out.push(...fileSchemaFindings('command', 'command.json', revision.command.text, revision.command.value));
  return out;
}

const RULES: Record<UniverseFileKind, RuleId> = {
  package: 'schema-package',
  config: 'schema-config',
  'v2-resource': 'schema-resource',
  'v3-resource': 'schema-resource',
  command: 'schema-command',
};

/** The schema findings of one file (cached by text, but for package.json, which differs in every revision). */
export function fileSchemaFindings(kind: UniverseFileKind, file: JsonFileName, text: string, value: JsonValue): Finding[] {
  const problems = (): Finding[] => {
    const i = interpreter(kind);
    if (i !== null && interpretedVerdict(i, plain(text, value)) === true) return [];
    try {
      return validateUniverseFile(kind, value).map((p) => finding(RULES[kind], file, p.message, jsonPlace(text, p.pointer)));
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      // ajv's deep equality calls an object's own `toString` or `valueOf` member (JSON can
      // hold such keys): the file is refused rather than the run stopped.
      return [finding(RULES[kind], file, `${file} cannot be checked against its schema: ${e.message}`, { pointer: '' })];
    }
  };
  return kind === 'package' ? problems() : cache.get(`${kind}:${textId(text)}`, problems);
}

/** JSON.parse gives what toPlain would (the last of repeated keys, own __proto__ members), natively. */
function plain(text: string, value: JsonValue): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return toPlain(value);
  }
}
