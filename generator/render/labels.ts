import * as zlib from 'node:zlib';
import { stringifyJson } from '../json/stringify.js';
import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from '../json/value.js';
import type { PackageRevision } from '../model/revision.js';

/** Labels Cosmos sets on every package app; a template cannot override them. */
export const PACKAGE_LABELS = [
  'DCOS_PACKAGE_METADATA',
  'DCOS_PACKAGE_NAME',
  'DCOS_PACKAGE_VERSION',
  'DCOS_PACKAGE_SOURCE',
  'DCOS_PACKAGE_OPTIONS',
  'DCOS_PACKAGE_DEFINITION',
] as const;

const METADATA_FIELDS = [
  'packagingVersion',
  'name',
  'version',
  'maintainer',
  'description',
  'tags',
  'selected',
  'scm',
  'website',
  'framework',
  'preInstallNotes',
  'postInstallNotes',
  'postUninstallNotes',
  'licenses',
];

/** circe's dropNullKeys printer: compact, object members whose value is null left out. */
function dropNullKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(dropNullKeys);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = new Map();
  for (const [k, val] of v) if (val !== null) out.set(k, dropNullKeys(val));
  return out;
}

function base64Json(v: JsonValue): string {
  return Buffer.from(stringifyJson(dropNullKeys(v)), 'utf8').toString('base64');
}

/** The package as Cosmos stores it: package.json plus the other files of the revision. */
export function packageDefinition(revision: PackageRevision): JsonObject {
  const def: JsonObject = new Map(revision.package.value);
  if (revision.releaseVersion !== undefined) def.set('releaseVersion', new JsonNumber(String(revision.releaseVersion)));
  if (revision.marathonTemplate) def.set('marathon', new Map([['v2AppMustacheTemplate', revision.marathonTemplate.bytes.toString('base64')]]));
  if (revision.config) def.set('config', revision.config.value);
  if (revision.resource) def.set('resource', revision.resource.value);
  if (revision.command) def.set('command', revision.command.value);
  return def;
}

export interface LabelSettings {
  repoUri: string;
  /** The options the user gave (not the defaults), as Cosmos records them. */
  options: JsonObject | undefined;
}

/**
 * Cosmos's non-overridable labels. METADATA and DEFINITION carry the same information as
 * Cosmos's (the definition is gzipped with a fixed header), not the JVM's exact bytes.
 */
export function packageLabels(revision: PackageRevision, settings: LabelSettings): JsonObject {
  const pkg = revision.package.value;
  const metadata: JsonObject = new Map();
  for (const k of METADATA_FIELDS) if (pkg.has(k)) metadata.set(k, pkg.get(k) as JsonValue);
  const resource = revision.resource?.value;
  if (isJsonObject(resource) && resource.has('images')) metadata.set('images', resource.get('images') as JsonValue);
  const major = (revision.packagingVersion ?? '3.0').split('.')[0];
  const definition: JsonObject = new Map<string, JsonValue>([
    [
      'metadata',
      new Map<string, JsonValue>([
        ['Content-Type', `application/vnd.dcos.universe.package+json;charset=utf-8;version=v${major}`],
        ['Content-Encoding', 'gzip'],
      ]),
    ],
    ['data', zlib.gzipSync(Buffer.from(stringifyJson(dropNullKeys(packageDefinition(revision))), 'utf8')).toString('base64')],
  ]);
  const labels: JsonObject = new Map();
  labels.set('DCOS_PACKAGE_METADATA', base64Json(metadata));
  labels.set('DCOS_PACKAGE_NAME', revision.name ?? '');
  labels.set('DCOS_PACKAGE_VERSION', revision.version ?? '');
  labels.set('DCOS_PACKAGE_SOURCE', settings.repoUri);
  labels.set('DCOS_PACKAGE_OPTIONS', base64Json(settings.options ?? new Map()));
  labels.set('DCOS_PACKAGE_DEFINITION', base64Json(definition));
  return labels;
}
