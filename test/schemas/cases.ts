/**
 * The documents the conformance test puts to both the official schemas and the project's:
 * the corpus of ../shared, hand-written documents that use every member a schema knows, and
 * their mutations. Each builder returns labelled documents; a mutation-testing script (or a
 * reader) can reuse them.
 */
import { isJsonObject, toPlain, type PlainJson } from '../../generator/json/value.js';
import type { PackageRevision } from '../../generator/model/revision.js';
import { resourceSchemaKind, type UniverseFileKind } from '../../generator/schemas/universe.js';
import { listRenderFixtures, readRenderFixture } from '../support/fixtures.js';
import { ARGS_APP, FULL_APP, FULL_PACKAGES, PROBE_VALUES, corpusRevisions, firstSeen, mutations, repoPackage, type PlainObject } from './support.js';

export interface Case {
  label: string;
  doc: PlainJson;
}

let revisions: PackageRevision[] | undefined;
export const corpus = (): PackageRevision[] => (revisions ??= corpusRevisions());

/** The JSON files of a revision with the kind of schema each is checked against. */
export function revisionFiles(rev: PackageRevision): [UniverseFileKind, PlainJson][] {
  const out: [UniverseFileKind, PlainJson][] = [['package', toPlain(rev.package.value)]];
  if (rev.config) out.push(['config', toPlain(rev.config.value)]);
  if (rev.resource) out.push([resourceSchemaKind(rev.packagingVersion), toPlain(rev.resource.value)]);
  if (rev.command) out.push(['command', toPlain(rev.command.value)]);
  return out;
}

const PACKAGE_MEMBERS: [string, PlainJson][] = [
  ['packagingVersion', '3.0'],
  ['upgradesFrom', ['*']],
  ['downgradesTo', []],
  ['minDcosReleaseVersion', '1.10'],
  ['hasKnownIssues', true],
  ['lastUpdated', 1500000000],
  ['manager', { packageName: 'foo-manager', minPackageVersion: '1.0' }],
  ['licenses', [{ name: 'Apache License Version 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }]],
  ['scm', 'https://github.com/x/y'],
  ['website', 'https://example.com'],
  ['framework', true],
  ['selected', false],
  ['preInstallNotes', 'pre'],
  ['postInstallNotes', 'post'],
  ['postUninstallNotes', 'bye'],
  ['releaseVersion', 1],
  ['marathon', { v2AppMustacheTemplate: 'e30=' }],
  ['resource', {}],
  ['config', {}],
  ['command', { pip: [] }],
  ['packageName', 'foo'],
  ['url', 'https://example.com'],
];

const RESOURCE_MEMBERS: [string, PlainJson][] = [
  ['cli', { binaries: { linux: { 'x86-64': { url: 'https://example.com/cli', kind: 'zip', contentHash: [{ algo: 'sha256', value: 'ab' }] } } } }],
  ['images', { 'icon-small': 'https://example.com/s.png' }],
  ['assets', { uris: { a: 'https://example.com/a' }, container: { docker: { img: 'nginx' } } }],
  ['icon-medium', 'x'],
  ['screenshots', ['x']],
  ['uris', {}],
  ['container', {}],
  ['docker', { a: 'b' }],
  ['binaries', {}],
  ['darwin', { 'x86-64': { url: 'x', kind: 'executable', contentHash: [{ algo: 'sha256', value: 'cd' }] } }],
  ['windows', {}],
  ['x86-64', {}],
  ['url', 'ftp://x'],
  ['kind', 'zip'],
  ['contentHash', []],
  ['algo', 'md5'],
  ['value', 1],
  ['pip', ['x']],
];

/** A resource with every part the v3 schema knows, so mutations reach the cli definitions. */
const FULL_RESOURCE: PlainObject = {
  images: { 'icon-small': 'https://example.com/s.png', 'icon-medium': 'https://example.com/m.png', 'icon-large': 'https://example.com/l.png', screenshots: ['https://example.com/1.png'] },
  assets: { uris: { jre: 'https://example.com/jre.tgz' }, container: { docker: { main: 'nginx:1.25' } } },
  cli: {
    binaries: {
      linux: { 'x86-64': { url: 'https://example.com/linux', kind: 'executable', contentHash: [{ algo: 'sha256', value: 'aa' }] } },
      darwin: { 'x86-64': { url: 'https://example.com/darwin', kind: 'zip', contentHash: [{ algo: 'sha256', value: 'bb' }] } },
      windows: { 'x86-64': { url: 'https://example.com/windows.exe', kind: 'executable', contentHash: [{ algo: 'sha256', value: 'cc' }] } },
    },
  },
};

/** Keywords with good and bad values, added to every object of a config.json. */
const CONFIG_MEMBERS: [string, PlainJson][] = [
  ['exclusiveMinimum', true],
  ['exclusiveMaximum', false],
  ['minimum', 0],
  ['maximum', 'x'],
  ['multipleOf', 0],
  ['multipleOf', 2],
  ['required', []],
  ['required', ['a', 'a']],
  ['enum', []],
  ['enum', [1, 1]],
  ['type', 'strin'],
  ['type', ['string', 'string']],
  ['type', ['string', 'null']],
  ['pattern', '('],
  ['pattern', '^a\\Z'],
  ['pattern', '^[a-z]+$'],
  ['items', []],
  ['items', [{}]],
  ['additionalItems', 1],
  ['additionalProperties', 'x'],
  ['dependencies', { a: [] }],
  ['dependencies', { a: ['b'] }],
  ['dependencies', { a: 1 }],
  ['properties', { a: 1 }],
  ['definitions', []],
  ['patternProperties', { x: true }],
  ['allOf', []],
  ['anyOf', [{}]],
  ['oneOf', [1]],
  ['not', 1],
  ['id', 'not a uri'],
  ['id', 'http://example.com/schema#'],
  ['$schema', 'http://json-schema.org/draft-04/schema#'],
  ['title', 1],
  ['minLength', -1],
  ['maxLength', 1.5],
  ['maxItems', '1'],
  ['uniqueItems', 'yes'],
  ['minProperties', 0],
  ['format', 1],
  ['$ref', 1],
];

/** The keywords the official config schema checks (the properties of draft-04's meta-schema). */
const CONFIG_SCHEMA_KEYWORDS = [
  'id', '$schema', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
    'minLength', 'pattern', 'additionalItems', 'items', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required',
    'additionalProperties', 'definitions', 'properties', 'patternProperties', 'dependencies', 'enum', 'type', 'allOf', 'anyOf', 'oneOf', 'not',
];

const CONFIG_PROBES: PlainJson[] = [
  null, true, false, 0, -1, 1, 1.5, 'x', 'string', 'not a uri', 'http://example.com/s#', '(', '^a\\Z', '^[a-z]+$',
  [], [1, 1], ['a', 'a'], ['a'], ['string'], ['string', 'string'], ['strin'], ['a', 1], [{}], [1], [{ type: 'strin' }],
  {}, { a: 1 }, { a: {} }, { a: [] }, { a: ['b'] }, { a: 'x' }, { type: 'strin' }, { type: 'string' },
];

const CONFIG_VALUES: PlainJson[] = [null, true, 0, -1, 1.5, '', 'x', 'string', 'object', [], ['x'], ['x', 'x'], {}, { type: 'string' }];

const APP_VALUES: PlainJson[] = [
  ...PROBE_VALUES,
  0.5, 2, 10000, 'UNIQUE', 'LIKE', 'MAX_PER', 'path', 'tcp', 'udp', 'udp,tcp', 'HTTP', 'MESOS_TCP', 'IPv6', 'RO', 'root', 'DOCKER', 'MESOS',
  'BRIDGE', 'USER', 'container/bridge', 'disabled', 'OLDEST_FIRST', 'WAIT_FOREVER', '2017-01-01T00:00:00Z', '2017-01-01', '/a/b', '..',
  'a..b', '-a', 'a-', '//cmd', '/x//y', 'sha512-abc', 'a'.repeat(64), 'web-1', ['hostname', 'UNIQUE'], ['hostname', 'LIKE', 'a', 'b'],
  ['path', 'LIKE', '/x'], { secret: 'x' }, { secret: '' }, { source: 'x' }, { image: 'x' }, { principal: 'p' },
];

const APP_MEMBERS: [string, PlainJson][] = [
  ['cmd', 'x'], ['args', ['x']], ['id', '/x'], ['instances', 1], ['ports', [0]], ['uris', ['x']], ['ipAddress', {}], ['role', 'slave_public'],
  ['docker', { image: 'x' }], ['appc', { image: 'x' }], ['network', 'HOST'], ['credential', { principal: 'x' }], ['pullConfig', { secret: 'x' }],
  ['portMappings', [{ containerPort: 0 }]], ['volumes', []], ['persistent', { size: 1 }], ['external', {}], ['secret', 'x'], ['source', 'x'],
  ['value', 'x'], ['command', { value: 'x' }], ['hostPort', 70000], ['labels', { a: 1 }], ['name', 'Web'], ['mode', 'RW'], ['size', -1],
  ['protocol', 'sctp'], ['type', 'MESOS'], ['image', ''], ['key', 'k'], ['networkNames', ['-bad']], ['expungeAfterSeconds', 1.5],
];

/** Every JSON file of every corpus revision. */
export function corpusFileCases(): Case[] {
  return corpus().flatMap((rev) => revisionFiles(rev).map(([kind, doc]) => ({ label: `${rev.dir} (${kind})`, doc })));
}

/** Every mutation of a full package.json of each packaging version; sampled mutations of each distinct corpus one. */
export function packageCases(): Case[] {
  const fresh = firstSeen();
  const docs = [
    ...FULL_PACKAGES.map((doc) => ({ doc, where: `full ${String(doc.packagingVersion)}`, budget: undefined })),
    ...corpus().map((rev) => ({ doc: toPlain(rev.package.value), where: rev.dir, budget: 80 })),
  ];
  return docs
    .filter(({ doc }) => fresh(doc))
    .flatMap(({ doc, where, budget }, i) => mutations(doc, { members: PACKAGE_MEMBERS, budget, seed: 7 + i }).map((m) => ({ label: `${where}: ${m.label}`, doc: m.doc })));
}

/** Each keyword draft-04's meta-schema checks, with each probe value, at the top and inside a property. */
export function configKeywordCases(): Case[] {
  const base: PlainObject = { type: 'object', properties: { a: { type: 'string', default: 'x' } }, required: ['a'] };
  const out: Case[] = [];
  for (const keyword of [...CONFIG_SCHEMA_KEYWORDS, 'format', '$ref', 'x-custom']) {
    for (const value of CONFIG_PROBES) {
      out.push({ label: `top ${keyword}: ${JSON.stringify(value)}`, doc: { ...base, [keyword]: value } });
      out.push({ label: `inner ${keyword}: ${JSON.stringify(value)}`, doc: { ...base, properties: { a: { type: 'string', [keyword]: value } } } });
      // exclusiveMinimum and exclusiveMaximum are only checked further when their bound is there.
      out.push({ label: `bounded ${keyword}: ${JSON.stringify(value)}`, doc: { type: 'number', minimum: 0, maximum: 10, [keyword]: value } });
    }
  }
  for (const m of mutations(base, { values: CONFIG_PROBES, members: CONFIG_MEMBERS })) out.push({ label: `base ${m.label}`, doc: m.doc });
  return out;
}

/** Sampled mutations of every distinct corpus config.json. */
export function configCases(): Case[] {
  const fresh = firstSeen();
  return corpus()
    .flatMap((rev) => (rev.config ? [{ where: rev.dir, doc: toPlain(rev.config.value) }] : []))
    .filter(({ doc }) => fresh(doc))
    .flatMap(({ where, doc }, i) => mutations(doc, { values: CONFIG_VALUES, members: CONFIG_MEMBERS, budget: 150, seed: 11 + i }).map((m) => ({ label: `${where}: ${m.label}`, doc: m.doc })));
}

/** Every mutation of a full resource.json; sampled mutations of every distinct corpus resource.json and command.json; the probe values. */
export function resourceCases(): Case[] {
  const fresh = firstSeen();
  const { cli: _cli, ...v2Resource } = FULL_RESOURCE;
  const docs: { where: string; doc: PlainJson }[] = [
    { where: 'full resource', doc: FULL_RESOURCE },
    { where: 'full 2.0 resource', doc: v2Resource },
    { where: 'command', doc: { pip: ['https://example.com/x.whl'] } },
  ];
  for (const rev of corpus()) {
    if (rev.resource) docs.push({ where: `${rev.dir}/resource.json`, doc: toPlain(rev.resource.value) });
    if (rev.command) docs.push({ where: `${rev.dir}/command.json`, doc: toPlain(rev.command.value) });
  }
  return [
    ...docs
      .filter(({ doc }) => fresh(doc))
      .flatMap(({ where, doc }, i) => mutations(doc, { members: RESOURCE_MEMBERS, budget: i < 3 ? undefined : 100, seed: 13 + i }).map((m) => ({ label: `${where}: ${m.label}`, doc: m.doc }))),
    ...PROBE_VALUES.map((doc) => ({ label: `the document is ${JSON.stringify(doc)}`, doc })),
  ];
}

/** Repository documents: the whole corpus as v5, v4 and v3 would carry it, odd shapes, and each package alone. */
export function repoCases(): Case[] {
  const raw = corpus().map((rev) => repoPackage(rev));
  const downgraded = corpus().map((rev) => repoPackage(rev, true));
  const upTo = (list: PlainObject[], versions: string[]) => list.filter((p) => versions.includes(String(p.packagingVersion)));
  return [
    { label: 'all packages', doc: { packages: raw } },
    { label: 'packages up to 4.0', doc: { packages: upTo(raw, ['2.0', '3.0', '4.0']) } },
    { label: 'packages up to 3.0, 4.0 downgraded', doc: { packages: upTo(downgraded, ['2.0', '3.0']) } },
    { label: 'no packages', doc: { packages: [] } },
    ...([{}, { packages: {} }, { packages: [], extra: 1 }, { packages: [1, null, 'x'] }, [], 'x', null] as PlainJson[]).map((doc) => ({ label: JSON.stringify(doc), doc })),
    ...raw.map((p, i) => ({ label: `package ${i}`, doc: { packages: [p] } })),
    ...downgraded.map((p, i) => ({ label: `package ${i} downgraded`, doc: { packages: [p] } })),
  ];
}

/** Sampled mutations of repository entries (one per distinct entry, config and template made small). */
export function repoMutationCases(): Case[] {
  const fresh = firstSeen();
  const raw = corpus().map((rev) => repoPackage(rev));
  const withCli = { ...(raw.find((p) => p.packagingVersion === '4.0') as PlainObject), resource: FULL_RESOURCE };
  const { cli: _cli, ...v2Resource } = FULL_RESOURCE;
  const fullEntries = FULL_PACKAGES.map((p) => {
    const entry: PlainObject = { ...p, releaseVersion: 3, marathon: { v2AppMustacheTemplate: 'e30=' }, config: {}, resource: p.packagingVersion === '2.0' ? v2Resource : FULL_RESOURCE };
    if (p.packagingVersion === '2.0' || p.packagingVersion === '3.0') entry.command = { pip: ['https://example.com/x.whl'] };
    return entry;
  });
  const candidates: PlainObject[] = [...fullEntries, withCli, ...raw, ...corpus().map((rev) => repoPackage(rev, true)).filter((p) => p.packagingVersion === '3.0')];
  const out: Case[] = [];
  for (const [i, entry] of candidates.entries()) {
    // config accepts anything, and a real template only makes each case slower: both are
    // compared whole in repoCases.
    const { config: _config, ...light } = entry;
    if (light.marathon !== undefined) light.marathon = { v2AppMustacheTemplate: 'e30=' };
    if (!fresh(light)) continue;
    // The full entries get every mutation, the corpus ones a sample.
    const budget = i < fullEntries.length ? undefined : 20;
    for (const m of mutations(light, { members: [...PACKAGE_MEMBERS, ...RESOURCE_MEMBERS], budget, seed: 17 + i })) out.push({ label: `entry ${i} ${m.label}`, doc: { packages: [m.doc] } });
  }
  return out;
}

/** The rendered apps of the render fixtures of ../shared. */
export function renderedApps(): PlainJson[] {
  return listRenderFixtures()
    .map((file) => readRenderFixture(file).expected.get('rendered'))
    .filter((app) => isJsonObject(app))
    .map((app) => toPlain(app!));
}

/** The full apps, every rendered app, and the probe values as whole documents. */
export function appCases(): Case[] {
  return [
    ...[FULL_APP, ARGS_APP, ...renderedApps()].map((doc, i) => ({ label: `app ${i}`, doc })),
    ...APP_VALUES.map((doc) => ({ label: `the app is ${JSON.stringify(doc)}`, doc })),
  ];
}

/** Every mutation of the full apps; sampled mutations of every distinct rendered app. */
export function appMutationCases(): Case[] {
  const fresh = firstSeen();
  return [FULL_APP, ARGS_APP, ...renderedApps()]
    .map((doc, i) => ({ doc, i }))
    .filter(({ doc }) => fresh(doc))
    .flatMap(({ doc, i }) => mutations(doc, { values: APP_VALUES, members: APP_MEMBERS, budget: i < 2 ? undefined : 40, seed: 23 + i }).map((m) => ({ label: `app ${i} ${m.label}`, doc: m.doc })));
}
