/**
 * Every rule of `validate`, each with a failing example of its own and a passing one (the good
 * `demo` revision, or a near miss that must stay quiet).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES, ruleSeverity, type RuleId } from '../../generator/validate/rules.js';
import { validateRepository } from '../../generator/validate/pool.js';
import type { ValidationSummary } from '../../generator/validate/report.js';
import {
  GOOD_CONFIG,
  GOOD_PACKAGE,
  GOOD_RESOURCE,
  GOOD_TEMPLATE,
  describeDiagnostics,
  goodRevision,
  json,
  rulesOf,
  tempDir,
  validateOne,
  withRule,
  writeRevision,
  type RevisionFiles,
} from './support.js';

type Example = () => Promise<ValidationSummary>;

/** A repository written by `write` (given its root), validated. */
async function repo(write: (root: string) => void, paths: (root: string) => string[] = (root) => [root]): Promise<ValidationSummary> {
  const root = tempDir();
  try {
    write(root);
    return await validateRepository(paths(root), { jobs: 1 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const pkg = (changes: Record<string, unknown>): string => json({ ...GOOD_PACKAGE, ...changes });
const withoutKeys = (o: Record<string, unknown>, ...keys: string[]): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const config = (service: Record<string, unknown>, required: string[] = ['name']): string =>
  json({ type: 'object', properties: { service: { type: 'object', properties: { ...GOOD_CONFIG.properties.service.properties, ...service }, required } } });
const resource = (changes: Record<string, unknown>): string => json({ ...GOOD_RESOURCE, ...changes });
const dockerImage = (image: string): string => resource({ assets: { container: { docker: { demo: image } } } });
const templateWith = (extra: string): string => GOOD_TEMPLATE.replace('"mem": 32,', `"mem": 32,\n  ${extra},`);
const change = (f: (files: RevisionFiles) => void): Example => () => validateOne(f);
const CLI = {
  binaries: {
    linux: {
      'x86-64': {
        kind: 'executable',
        url: 'https://example.com/dcos-demo',
        contentHash: [{ algo: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }],
      },
    },
  },
};

interface RuleCase {
  fail: Example;
  /** Default: the good revision. */
  pass?: Example;
  /** Words the failing message must hold. */
  message?: RegExp;
}

const CASES: Record<Exclude<RuleId, 'validator-crash'>, RuleCase> = {
  'layout-letter-dir': {
    fail: () => repo((root) => writeRevision(root, 'demo', '0', goodRevision(), 'X')),
    message: /letter directory "D"/,
  },
  'layout-package-dir': {
    fail: () => repo((root) => writeRevision(root, 'demo_1', '0', { ...goodRevision(), 'package.json': pkg({ name: 'demo_1' }) })),
    message: /does not match/,
  },
  'layout-revision-dir': {
    fail: () =>
      repo((root) => {
        writeRevision(root, 'demo', '0', goodRevision());
        writeRevision(root, 'demo', 'latest', goodRevision());
      }),
    pass: () =>
      repo((root) => {
        writeRevision(root, 'demo', '0', goodRevision());
        writeRevision(root, 'demo', '10', goodRevision());
      }),
    message: /not a non-negative integer/,
  },
  'layout-package-name': { fail: change((f) => (f['package.json'] = pkg({ name: 'other' }))), message: /differs from the package directory "demo"/ },
  'layout-required-file': {
    fail: change((f) => {
      f['package.json'] = json({ ...withoutKeys(GOOD_PACKAGE, 'upgradesFrom', 'downgradesTo', 'minDcosReleaseVersion'), packagingVersion: '2.0' });
      f['marathon.json.mustache'] = null;
    }),
    // 3.0 and later may leave the template out.
    pass: change((f) => (f['marathon.json.mustache'] = null)),
    message: /packagingVersion 2.0 requires it/,
  },
  'layout-file-allowed': { fail: change((f) => (f['command.json'] = json({ pip: ['demo==1.0'] }))), message: /not allowed in packagingVersion 4.0/ },
  'layout-command-deprecated': {
    fail: change((f) => {
      f['package.json'] = json({ ...withoutKeys(GOOD_PACKAGE, 'upgradesFrom', 'downgradesTo'), packagingVersion: '3.0' });
      f['command.json'] = json({ pip: ['demo==1.0'] });
    }),
    message: /deprecated in packagingVersion 3.0/,
  },
  'layout-unknown-file': { fail: change((f) => (f['README.md'] = '# demo\n')), message: /"README.md" is not a revision file/ },
  'file-read': {
    fail: () =>
      repo((root) => {
        const dir = writeRevision(root, 'demo', '0', goodRevision());
        fs.rmSync(path.join(dir, 'config.json'));
        fs.mkdirSync(path.join(dir, 'config.json'));
      }),
    message: /config.json cannot be read/,
  },
  'file-encoding': {
    fail: change((f) => (f['package.json'] = pkg({ description: 'Démo package.' }))),
    pass: change((f) => (f['marathon.json.mustache'] = GOOD_TEMPLATE.replace('"ROLE": "demo"', '"ROLE": "démo"'))),
    message: /must be ASCII, but holds the non-ASCII character U\+00E9/,
  },
  'json-syntax': { fail: change((f) => (f['config.json'] = '{"type": "object",}\n')), message: /./ },
  'json-duplicate-key': {
    fail: change((f) => (f['package.json'] = (f['package.json'] as string).replace('"version": "1.0.0",', '"version": "1.0.0",\n  "version": "1.0.1",'))),
    message: /duplicate key "version"/,
  },
  'json-unicode-escape': {
    fail: change((f) => (f['package.json'] = (f['package.json'] as string).replace('A demo package.', 'A d\\u00e9mo package.'))),
    // An escape that decodes to plain ASCII is what the Universe accepts.
    pass: change((f) => (f['package.json'] = (f['package.json'] as string).replace('A demo package.', 'A \\u0064emo package.'))),
    message: /U\+00E9/,
  },
  'schema-package': { fail: change((f) => (f['package.json'] = json(withoutKeys(GOOD_PACKAGE, 'maintainer')))), message: /maintainer/ },
  'schema-config': { fail: change((f) => (f['config.json'] = json({ ...GOOD_CONFIG, required: 'service' }))), message: /required/ },
  'schema-resource': {
    fail: change((f) => (f['resource.json'] = resource({ images: { ...GOOD_RESOURCE.images, 'icon-small': 5 } }))),
    message: /icon-small/,
  },
  'schema-command': {
    fail: change((f) => {
      f['package.json'] = json({ ...withoutKeys(GOOD_PACKAGE, 'upgradesFrom', 'downgradesTo'), packagingVersion: '3.0' });
      f['command.json'] = json({ pip: 'demo==1.0' });
    }),
    message: /pip/,
  },
  'config-compile': {
    fail: change((f) => (f['config.json'] = json({ ...GOOD_CONFIG, properties: { ...GOOD_CONFIG.properties, extra: { $ref: '#/definitions/missing' } } }))),
    message: /not a usable JSON Schema/,
  },
  'config-defaults': {
    fail: change((f) => (f['config.json'] = config({ cpus: { type: 'number', default: 0.01, minimum: 0.1 } }))),
    // A required option without a default is the user's to give: no error, rendered with an example.
    pass: change((f) => (f['config.json'] = config({ secret: { type: 'string', pattern: '^[a-z]{8,}$' } }, ['name', 'secret']))),
    message: /the defaults do not satisfy config.json: \/service\/cpus must be >= 0.1/,
  },
  'version-semver': {
    fail: change((f) => (f['package.json'] = pkg({ version: '1.0' }))),
    pass: change((f) => (f['package.json'] = pkg({ version: '1.0.0-beta.1+build.5' }))),
    message: /"1.0" is not a semantic version/,
  },
  'version-upgrade-path': {
    fail: change((f) => (f['package.json'] = pkg({ upgradesFrom: ['0.9.0'], downgradesTo: ['*'] }))),
    pass: () =>
      repo((root) => {
        writeRevision(root, 'demo', '0', goodRevision());
        writeRevision(root, 'demo', '1', { ...goodRevision(), 'package.json': pkg({ version: '1.1.0', upgradesFrom: ['1.0.0'], downgradesTo: ['1.0.0'] }) });
      }),
    message: /names version "0.9.0", which no revision of the package has/,
  },
  'version-min-dcos': {
    fail: change((f) => (f['package.json'] = pkg({ minDcosReleaseVersion: '2.1' }))),
    pass: change((f) => (f['package.json'] = pkg({ minDcosReleaseVersion: '2.0' }))),
    message: /later than every DC\/OS release/,
  },
  'template-syntax': { fail: change((f) => (f['marathon.json.mustache'] = GOOD_TEMPLATE.replace('"mem": 32,', '{{#service}}"mem": 32,'))), message: /./ },
  'template-undeclared': {
    fail: change((f) => (f['marathon.json.mustache'] = templateWith('"env": { "NAME": "{{service.nmae}}" }'))),
    // Inside a section, names are looked up in the section's object first.
    pass: change((f) => (f['marathon.json.mustache'] = templateWith('"env": { {{#service}}"NAME": "{{name}}"{{/service}} }'))),
    message: /\{\{service.nmae\}\} is not declared/,
  },
  'template-render': {
    fail: change((f) => (f['marathon.json.mustache'] = GOOD_TEMPLATE.replace('"mem": 32,', '"mem": 32,,'))),
    message: /the rendered template is not JSON/,
  },
  'older-dcos': {
    fail: change((f) => {
      f['package.json'] = pkg({ minDcosReleaseVersion: '1.9' });
      f['config.json'] = config({ cmd: { type: 'string', default: 'grep -E \\d+' } });
      f['marathon.json.mustache'] = templateWith('"cmd": "{{service.cmd}}"');
    }),
    // The same package that does not claim DC/OS 1.9.
    pass: change((f) => {
      f['config.json'] = config({ cmd: { type: 'string', default: 'grep -E \\d+' } });
      f['marathon.json.mustache'] = templateWith('"cmd": "{{service.cmd}}"');
    }),
    message: /^breaks on DC\/OS 1.9: /,
  },
  'marathon-schema': {
    fail: change((f) => (f['config.json'] = config({ instances: { type: 'integer', default: -1 } }))),
    message: /`instances` must be at least 0/,
  },
  'marathon-unknown-field': { fail: change((f) => (f['marathon.json.mustache'] = templateWith('"maintainer": "ops@example.com"'))), message: /`maintainer` is not a field/ },
  'marathon-deprecated': { fail: change((f) => (f['marathon.json.mustache'] = templateWith('"ports": [0]'))), message: /`ports` is deprecated/ },
  'marathon-null': { fail: change((f) => (f['marathon.json.mustache'] = templateWith('"cmd": null'))), message: /`cmd` is null/ },
  'resource-image-ref': { fail: change((f) => (f['resource.json'] = dockerImage('Example/Demo:1.0'))), message: /image "Example\/Demo:1.0"/ },
  'resource-image-latest': {
    fail: change((f) => (f['resource.json'] = dockerImage('example/demo:latest'))),
    pass: change((f) => (f['resource.json'] = dockerImage(`registry.example.com:5000/example/demo@sha256:${'a'.repeat(64)}`))),
    message: /uses the tag latest/,
  },
  'resource-url': {
    fail: change((f) => (f['resource.json'] = resource({ images: { ...GOOD_RESOURCE.images, 'icon-small': 'small.png' } }))),
    message: /"small.png" is not an absolute URL/,
  },
  'resource-cli-min-dcos': {
    fail: change((f) => {
      f['package.json'] = json({ ...withoutKeys(GOOD_PACKAGE, 'upgradesFrom', 'downgradesTo'), packagingVersion: '3.0', minDcosReleaseVersion: '1.7' });
      f['resource.json'] = resource({ cli: CLI });
    }),
    pass: change((f) => (f['resource.json'] = resource({ cli: CLI }))),
    message: /needs minDcosReleaseVersion 1.8 or later/,
  },
};

describe('validate rules: a failing and a passing example each', () => {
  it('the good demo revision has no finding at all', async () => {
    const s = await validateOne();
    assert.equal(s.revisions, 1);
    assert.deepEqual(s.diagnostics, [], describeDiagnostics(s));
  });

  it('every rule but the safety net has a case', () => {
    const ids = RULES.map((r) => r.id).filter((id) => id !== 'validator-crash');
    assert.deepEqual(Object.keys(CASES).sort(), [...ids].sort());
  });

  for (const [rule, c] of Object.entries(CASES) as [RuleId, RuleCase][]) {
    describe(rule, () => {
      it(`fails: reports ${rule} as ${ruleSeverity(rule)}`, async () => {
        const s = await c.fail();
        const found = withRule(s, rule);
        assert.ok(found.length > 0, `no ${rule} in:\n${describeDiagnostics(s)}`);
        for (const d of found) {
          assert.equal(d.severity, ruleSeverity(rule));
          if (c.message) assert.match(d.message, c.message);
        }
        assert.ok(!rulesOf(s).includes('validator-crash'), describeDiagnostics(s));
        assert.equal(s.errors > 0, s.diagnostics.some((d) => d.severity === 'error'));
      });
      it('passes', async () => {
        const s = await (c.pass ?? (() => validateOne()))();
        assert.deepEqual(withRule(s, rule), [], describeDiagnostics(s));
        assert.ok(!rulesOf(s).includes('validator-crash'), describeDiagnostics(s));
      });
    });
  }
});

describe('marathon-deprecated and the DC/OS versions a package claims', () => {
  const legacyNetwork = (minDcos: string) => (f: RevisionFiles) => {
    f['package.json'] = json({ ...GOOD_PACKAGE, minDcosReleaseVersion: minDcos });
    f['marathon.json.mustache'] = String(f['marathon.json.mustache']).replace('"docker": { "image"', '"docker": { "network": "HOST", "image"');
  };
  it('is not reported for container.docker.network when the package claims DC/OS 1.10 or older (their Marathon needs it)', async () => {
    for (const min of ['1.8', '1.10']) {
      const s = await validateOne(legacyNetwork(min));
      assert.deepEqual(withRule(s, 'marathon-deprecated'), [], `${min}: ${describeDiagnostics(s)}`);
    }
  });
  it('is reported when the package needs DC/OS 1.11 or later', async () => {
    const s = await validateOne(legacyNetwork('1.11'));
    assert.deepEqual(withRule(s, 'marathon-deprecated').map((d) => d.message), ['in the rendered app, `container.docker.network` is deprecated: use the top-level `networks` instead (clusters on DC/OS 1.8 to 1.10 still need it).']);
  });
});
