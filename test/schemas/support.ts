/**
 * Shared pieces of the schema tests: the official schemas of ../shared compiled with the same
 * ajv settings as the project's own, the corpus as Universe files and repository entries, and
 * deterministic mutations of JSON documents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { toPlain, type PlainJson } from '../../generator/json/value.js';
import { loadRevision, type PackageRevision } from '../../generator/model/revision.js';
import type { PlainObject } from '../../generator/schemas/plain.js';
import { createAjv } from '../../generator/schemas/registry.js';
import type { UniverseFileKind, UniverseRepoVersion } from '../../generator/schemas/universe.js';
import { CORPUS_PACKAGES_DIR, REFERENCE_DIR } from '../support/fixtures.js';

export type { PlainObject } from '../../generator/schemas/plain.js';

export const OFFICIAL_UNIVERSE_DIR = path.join(REFERENCE_DIR, 'universe-schema');
export const OFFICIAL_APP_SCHEMA = path.join(REFERENCE_DIR, 'marathon/AppDefinition.json');

export function officialAvailable(): boolean {
  return fs.existsSync(OFFICIAL_UNIVERSE_DIR) && fs.existsSync(OFFICIAL_APP_SCHEMA) && fs.existsSync(CORPUS_PACKAGES_DIR);
}

export interface OfficialValidators {
  file: Record<UniverseFileKind, ValidateFunction>;
  repo: Record<UniverseRepoVersion, ValidateFunction>;
  app: ValidateFunction;
}

let official: OfficialValidators | undefined;

/** The official schemas, compiled by a separate ajv instance with the project's settings. */
export function officialValidators(): OfficialValidators {
  if (official) return official;
  const ajv = createAjv();
  const read = (file: string): object => JSON.parse(fs.readFileSync(file, 'utf8')) as object;
  const universe = (name: string): object => read(path.join(OFFICIAL_UNIVERSE_DIR, name));
  ajv.addSchema(universe('vX-repo-definitions.json'), 'vX-repo-definitions.json');
  const compile = (name: string): ValidateFunction => ajv.compile(universe(name));
  official = {
    file: {
      package: compile('package-schema.json'),
      config: compile('config-schema.json'),
      'v2-resource': compile('v2-resource-schema.json'),
      'v3-resource': compile('v3-resource-schema.json'),
      command: compile('command-schema.json'),
    },
    repo: { v3: compile('v3-repo-schema.json'), v4: compile('v4-repo-schema.json'), v5: compile('v5-repo-schema.json') },
    app: ajv.compile(read(OFFICIAL_APP_SCHEMA)),
  };
  return official;
}

/** Every revision directory of the corpus, loaded with the project's loader. */
export function corpusRevisions(): PackageRevision[] {
  const out: PackageRevision[] = [];
  for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR).sort()) {
    for (const name of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)).sort()) {
      const dir = path.join(CORPUS_PACKAGES_DIR, letter, name);
      for (const rev of fs.readdirSync(dir).sort((a, b) => Number(a) - Number(b))) out.push(loadRevision(path.join(dir, rev)));
    }
  }
  return out;
}

/**
 * The repository entry the Universe build makes of a revision: package.json plus
 * releaseVersion, config, resource, command and the base64 template. `downgrade` turns a
 * 4.0 package into 3.0 as the build does for DC/OS before 1.10.
 */
export function repoPackage(rev: PackageRevision, downgrade = false): PlainObject {
  const pkg = { ...(toPlain(rev.package.value) as PlainObject) };
  pkg.releaseVersion = rev.releaseVersion ?? 0;
  if (rev.config) pkg.config = toPlain(rev.config.value);
  if (rev.resource) pkg.resource = toPlain(rev.resource.value);
  if (rev.command) pkg.command = toPlain(rev.command.value);
  if (rev.marathonTemplate) pkg.marathon = { v2AppMustacheTemplate: rev.marathonTemplate.bytes.toString('base64') };
  if (downgrade && pkg.packagingVersion === '4.0') {
    pkg.packagingVersion = '3.0';
    delete pkg.upgradesFrom;
    delete pkg.downgradesTo;
  }
  return pkg;
}

/** A seeded pseudo-random generator (mulberry32), so sampled cases are the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values that probe types, bounds, enums and patterns of the schemas. */
export const PROBE_VALUES: readonly PlainJson[] = [
  null, true, false, 0, -1, 1, 1.5, 100, 999, 1000, 65535, 65536,
  '', 'x', 'a b', 'Foo', 'foo', 'foo-', '1.0', '1.10', '01.2', '2.0', '3.0', '4.0', '5.0', '6.0', '*',
  'http://example.com/x', 'https://example.com/a b', 'ftp://example.com/x', 'example.com', 'aGVsbG8=', 'aGVsbG8',
  [], ['x'], [1], {}, { x: 1 }, { x: 'y' },
];

export interface Mutation {
  label: string;
  doc: PlainJson;
}

export interface MutationOptions {
  values?: readonly PlainJson[];
  /** Members to add to every object that lacks them. */
  members?: readonly (readonly [string, PlainJson])[];
  /** At most this many mutations, sampled with a seeded generator when there are more. */
  budget?: number;
  seed?: number;
}

type Step = string | number;

/**
 * Mutations of `doc`: every member and item removed, replaced by each probe value, every
 * object given an unknown member and each of `members`, every array emptied and extended.
 */
export function mutations(doc: PlainJson, options: MutationOptions = {}): Mutation[] {
  const values = options.values ?? PROBE_VALUES;
  const members = options.members ?? [];
  const edits: { label: string; at: Step[]; edit: (parent: PlainJson | undefined, self: PlainJson) => PlainJson | typeof REMOVE }[] = [];
  const visit = (node: PlainJson, at: Step[]): void => {
    const label = `/${at.join('/')}`;
    if (at.length > 0) {
      edits.push({ label: `remove ${label}`, at, edit: () => REMOVE });
      for (const v of values) edits.push({ label: `${label} = ${JSON.stringify(v)}`, at, edit: () => structuredClone(v) });
    }
    if (Array.isArray(node)) {
      if (node.length > 0) edits.push({ label: `${label} = []`, at, edit: () => [] });
      for (const v of ['x', 1, {}, null] as PlainJson[]) edits.push({ label: `${label} += ${JSON.stringify(v)}`, at, edit: (_, self) => [...(self as PlainJson[]), v] });
      node.forEach((item, i) => visit(item, [...at, i]));
    } else if (typeof node === 'object' && node !== null) {
      edits.push({ label: `${label} + unknown member`, at, edit: (_, self) => ({ ...(self as PlainObject), 'zz-unknown': 1 }) });
      for (const [k, v] of members) {
        if (!Object.hasOwn(node, k)) edits.push({ label: `${label} + ${k}: ${JSON.stringify(v)}`, at, edit: (_, self) => ({ ...(self as PlainObject), [k]: v }) });
      }
      for (const [k, v] of Object.entries(node)) visit(v, [...at, k]);
    }
  };
  visit(doc, []);
  let chosen = edits;
  if (options.budget !== undefined && edits.length > options.budget) {
    // Breadth first: one edit of every place (in random order), then a second one, and so on,
    // so that a small budget still reaches every member of the document.
    const random = seededRandom(options.seed ?? 1);
    const byPlace = new Map<string, typeof edits>();
    for (const e of edits) {
      const key = e.at.join('/');
      const list = byPlace.get(key);
      if (list) list.push(e);
      else byPlace.set(key, [e]);
    }
    const shuffled = <T>(list: T[]): T[] => list.map((x) => ({ x, r: random() })).sort((a, b) => a.r - b.r).map(({ x }) => x);
    const queues = shuffled([...byPlace.values()].map(shuffled));
    chosen = [];
    for (let round = 0; chosen.length < options.budget; round++) {
      for (const q of queues) if (round < q.length && chosen.length < options.budget) chosen.push(q[round] as (typeof edits)[number]);
    }
  }
  return chosen.map(({ label, at, edit }) => ({ label, doc: applyAt(doc, at, edit) }));
}

const REMOVE = Symbol('remove');

function applyAt(node: PlainJson, at: readonly Step[], edit: (parent: PlainJson | undefined, self: PlainJson) => PlainJson | typeof REMOVE): PlainJson {
  if (at.length === 0) {
    const out = edit(undefined, node);
    return out === REMOVE ? null : out;
  }
  const [head, ...rest] = at as [Step, ...Step[]];
  if (Array.isArray(node)) {
    const copy = node.slice();
    const i = Number(head);
    if (rest.length === 0) {
      const out = edit(node, copy[i] as PlainJson);
      if (out === REMOVE) copy.splice(i, 1);
      else copy[i] = out;
    } else {
      copy[i] = applyAt(copy[i] as PlainJson, rest, edit);
    }
    return copy;
  }
  const obj = node as PlainObject;
  const copy: PlainObject = { ...obj };
  const key = String(head);
  if (rest.length === 0) {
    const out = edit(node, obj[key] as PlainJson);
    if (out === REMOVE) delete copy[key];
    else copy[key] = out;
  } else {
    copy[key] = applyAt(obj[key] as PlainJson, rest, edit);
  }
  return copy;
}

/** Serialised documents seen so far, to skip revisions whose files repeat earlier ones. */
export function firstSeen(): (doc: PlainJson) => boolean {
  const seen = new Set<string>();
  return (doc) => {
    const key = JSON.stringify(doc);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/** An app that uses every part of Marathon's schema, deprecated ones included. */
export const FULL_APP: PlainObject = {
  id: '/tools/ecr-login',
  cmd: 'sleep 3600',
  user: 'root',
  env: { HOME: '/tmp', TOKEN: { secret: 'token' } },
  secrets: { token: { source: 'ecr/token' } },
  instances: 3,
  cpus: 0.1,
  mem: 32,
  disk: 0,
  gpus: 0,
  executor: '//cmd',
  executorResources: { cpus: 0.1 },
  constraints: [['hostname', 'UNIQUE'], ['rack', 'GROUP_BY', '2']],
  acceptedResourceRoles: ['*', 'slave_public'],
  container: {
    type: 'DOCKER',
    docker: {
      image: 'nginx:1.25',
      forcePullImage: false,
      privileged: true,
      parameters: [{ key: 'label', value: 'a=b' }],
      pullConfig: { secret: 'pull' },
      network: 'BRIDGE',
      portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 10000, protocol: 'tcp', name: 'http', labels: { VIP_0: '/x:80' } }],
      credential: { principal: 'p', secret: 's' },
    },
    portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'udp,tcp', name: 'web', networkNames: ['dcos'] }],
    volumes: [
      { containerPath: '/host-etc', hostPath: '/etc', mode: 'RW' },
      { containerPath: 'data', mode: 'RW', persistent: { type: 'mount', size: 100, maxSize: 200, profileName: 'fast', constraints: [['path', 'LIKE', '/mnt/.*']] } },
      { containerPath: 'ext', mode: 'RO', external: { size: 10, name: 'v', provider: 'dvdi', options: { 'dvdi/driver': 'rexray' } } },
    ],
  },
  dependencies: ['/other', '../sibling'],
  fetch: [{ uri: 'file:///etc/docker.tar.gz', extract: true, executable: false, cache: false, destPath: 'docker.tar.gz' }],
  uris: ['https://example.com/a.tgz'],
  healthChecks: [
    { protocol: 'MESOS_HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 60, timeoutSeconds: 20, maxConsecutiveFailures: 3, delaySeconds: 15, ignoreHttp1xx: false, ipProtocol: 'IPv4' },
    { protocol: 'COMMAND', command: { value: 'true' } },
    { protocol: 'TCP', port: 8080 },
  ],
  readinessChecks: [{ name: 'ready', protocol: 'HTTP', path: '/ready', portName: 'http', intervalSeconds: 30, timeoutSeconds: 10, httpStatusCodesForReady: [200], preserveLastResponse: false }],
  labels: { HAPROXY_GROUP: 'external' },
  networks: [{ mode: 'container/bridge', name: 'dcos', labels: { a: 'b' } }],
  ipAddress: { networkName: 'dcos', groups: ['g'], labels: {}, discovery: { ports: [{ number: 80, name: 'http', protocol: 'tcp', labels: {} }] } },
  ports: [0],
  portDefinitions: [{ port: 0, protocol: 'tcp', name: 'admin', labels: {} }],
  requirePorts: false,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 3600,
  taskKillGracePeriodSeconds: 5,
  upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
  unreachableStrategy: { inactiveAfterSeconds: 300, expungeAfterSeconds: 600 },
  killSelection: 'OLDEST_FIRST',
  residency: { relaunchEscalationTimeoutSeconds: 3600, taskLostBehavior: 'WAIT_FOREVER' },
  version: '2017-05-02T10:00:00.000Z',
  versionInfo: { lastScalingAt: '2017-05-02T10:00:00.000Z', lastConfigChangeAt: '2017-05-02T10:00:00.000Z' },
};

/** The other branches: args instead of cmd, an AppC container, unreachableStrategy "disabled". */
export const ARGS_APP: PlainObject = {
  id: 'relative/app-1',
  args: ['--port', '8080'],
  container: { type: 'MESOS', appc: { image: 'example.com/app:1', id: 'sha512-0123456789abcdef', labels: { os: 'linux' }, forcePullImage: true } },
  unreachableStrategy: 'disabled',
  killSelection: 'YOUNGEST_FIRST',
  residency: { taskLostBehavior: 'RELAUNCH_AFTER_TIMEOUT' },
  networks: [{ mode: 'host' }],
};

/** package.json files that use every member their packaging version allows. */
export const FULL_PACKAGES: PlainObject[] = ['2.0', '3.0', '4.0', '5.0'].map((packagingVersion) => {
  const pkg: PlainObject = {
    packagingVersion,
    name: 'ecr-login',
    version: '1.0.0-rc.1',
    scm: 'https://github.com/awslabs/amazon-ecr-credential-helper',
    maintainer: 'ops@example.com',
    website: 'https://example.com',
    description: 'Docker credential helper for Amazon ECR',
    framework: false,
    preInstallNotes: 'pre',
    postInstallNotes: 'post',
    postUninstallNotes: 'bye',
    tags: ['ecr', 'docker'],
    selected: false,
    licenses: [{ name: 'Apache License Version 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }],
  };
  if (packagingVersion !== '2.0') Object.assign(pkg, { minDcosReleaseVersion: '1.10', hasKnownIssues: false, lastUpdated: 1500000000.5 });
  if (packagingVersion >= '4.0') Object.assign(pkg, { upgradesFrom: ['*'], downgradesTo: ['0.9.0'] });
  if (packagingVersion === '5.0') pkg.manager = { packageName: 'cosmos-manager', minPackageVersion: '1.0' };
  return pkg;
});
