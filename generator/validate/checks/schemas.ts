/**
 * package.json, config.json, resource.json and command.json against the project's Universe
 * schemas (schemas/universe/, which give the verdicts of the official ones). The schema
 * interpreter answers first (no compiling: this check runs once per package.json, and every
 * package.json differs); a "no" is confirmed and explained by generator/schemas.
 */
import { toPlain, type JsonValue } from '../../json/value.js';
import { resourceSchemaKind, validateUniverseFile, type SchemaProblem, type UniverseFileKind } from '../../schemas/index.js';
import { schemaDocument, type SchemaFile } from '../../schemas/registry.js';
import { ContentCache, textId } from '../cache.js';
import { finding, jsonPlace, type Finding } from '../findings.js';
import type { LoadedJsonFile, LoadedRevision } from '../load.js';
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

export function checkSchemas(revision: LoadedRevision, packagingVersion: string | undefined): Finding[] {
  const out: Finding[] = [];
  const check = (file: LoadedJsonFile | undefined, kind: UniverseFileKind, rule: RuleId): void => {
    if (file === undefined || file.value === undefined) return;
    const value = file.value;
    const problems = (): Finding[] => {
      const i = interpreter(kind);
      if (i !== null && interpretedVerdict(i, plain(file.text, value)) === true) return [];
      try {
        return validateUniverseFile(kind, value).map((p) => toFinding(file, rule, p));
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        // ajv's deep equality calls an object's own `toString` or `valueOf` member (JSON can
        // hold such keys): the file is refused rather than the run stopped.
        return [finding(rule, file.file, `${file.file} cannot be checked against its schema: ${e instanceof Error ? e.message : String(e)}`, { pointer: '' })];
      }
    };
    // package.json differs in every revision (its version): nothing to share.
    out.push(...(kind === 'package' ? problems() : cache.get(`${kind}:${textId(file.text)}`, problems)));
  };
  check(revision.package, 'package', 'schema-package');
  check(revision.config, 'config', 'schema-config');
  check(revision.resource, resourceSchemaKind(packagingVersion), 'schema-resource');
  check(revision.command, 'command', 'schema-command');
  return out;
}

/** JSON.parse gives what toPlain would (the last of repeated keys, own __proto__ members), natively. */
function plain(text: string, value: JsonValue): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return toPlain(value);
  }
}

function toFinding(file: LoadedJsonFile, rule: RuleId, p: SchemaProblem): Finding {
  return finding(rule, file.file, p.message, jsonPlace(file.text, p.pointer));
}
