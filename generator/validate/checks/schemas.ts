/**
 * package.json, config.json, resource.json and command.json against the project's Universe
 * schemas (schemas/universe/, which give the verdicts of the official ones).
 */
import { resourceSchemaKind, validateUniverseFile, type SchemaProblem, type UniverseFileKind } from '../../schemas/index.js';
import { ContentCache, textId } from '../cache.js';
import { finding, jsonPlace, type Finding } from '../findings.js';
import type { LoadedJsonFile, LoadedRevision } from '../load.js';
import type { RuleId } from '../rules.js';

const cache = new ContentCache<Finding[]>(1024);

export function checkSchemas(revision: LoadedRevision, packagingVersion: string | undefined): Finding[] {
  const out: Finding[] = [];
  const check = (file: LoadedJsonFile | undefined, kind: UniverseFileKind, rule: RuleId): void => {
    if (file === undefined || file.value === undefined) return;
    const value = file.value;
    // package.json differs in every revision (its version): nothing to share.
    if (kind === 'package') {
      out.push(...validateUniverseFile(kind, value).map((p) => toFinding(file, rule, p)));
      return;
    }
    out.push(...cache.get(`${kind}:${textId(file.text)}`, () => validateUniverseFile(kind, value).map((p) => toFinding(file, rule, p))));
  };
  check(revision.package, 'package', 'schema-package');
  check(revision.config, 'config', 'schema-config');
  check(revision.resource, resourceSchemaKind(packagingVersion), 'schema-resource');
  check(revision.command, 'command', 'schema-command');
  return out;
}

function toFinding(file: LoadedJsonFile, rule: RuleId, p: SchemaProblem): Finding {
  return finding(rule, file.file, p.message, jsonPlace(file.text, p.pointer));
}
