import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONTAINER_BIN_DIR, CONTAINER_CONFIG_DIR, HEALTH_CHECK_COMMAND, INSTALLER_ENV } from '../../generator/agent/constants.js';
import { claimedDcosVersions, generate } from '../../generator/generate/index.js';
import { fromPlain, isJsonObject, toPlain, type JsonObject } from '../../generator/json/value.js';
import { loadRevision, type PackageRevision } from '../../generator/model/revision.js';
import { renderMarathonApp } from '../../generator/render/revision.js';
import type { DcosVersion } from '../../generator/render/eras.js';
import { validateMarathonApp } from '../../generator/schemas/index.js';
import { PROJECT_ROOT } from '../support/cli.js';

let work: string;
let revisions: PackageRevision[];

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-matrix-'));
  const result = generate({ configFile: path.join(PROJECT_ROOT, 'ecr-universe.yaml'), repoDir: work });
  revisions = result.config.releases.map((r) => loadRevision(path.join(work, result.package.packageDir, String(r.releaseVersion))));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

type Plain = ReturnType<typeof toPlain>;
interface App {
  [k: string]: Plain;
}

function render(revision: PackageRevision, options: object, dcosVersion: DcosVersion): App {
  const r = renderMarathonApp(revision, { options: fromPlain(options) as JsonObject, dcosVersion, labels: false });
  assert.ok(r.ok, r.ok ? '' : `${dcosVersion} ${JSON.stringify(options)}: ${r.kind}: ${r.message}`);
  // Valid for Marathon (the project's copy of its app schema); warnings are only the
  // container.docker.network that DC/OS 1.8 to 1.10 need.
  const report = validateMarathonApp(r.app);
  assert.deepEqual(report.errors, [], `${dcosVersion} ${JSON.stringify(options)}`);
  assert.deepEqual(report.warnings.map((w) => w.pointer), ['/container/docker/network']);
  return toPlain(r.app) as App;
}

const REG1 = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const REG3 = `${REG1},210987654321.dkr.ecr.eu-west-1.amazonaws.com,public.ecr.aws`;

const roleCases: [object, string[]][] = [
  [{}, ['*', 'slave_public']],
  [{ placement: { publicAgents: false } }, ['*']],
  [{ placement: { privateAgents: false } }, ['slave_public']],
  [{ placement: { privateAgents: false, publicAgents: false, role: 'dev' } }, ['dev']],
  [{ placement: { publicAgents: false, role: 'dev' } }, ['*', 'dev']],
  [{ placement: { privateAgents: false, role: 'ops/team-a' } }, ['slave_public', 'ops/team-a']],
  [{ placement: { role: 'dev' } }, ['*', 'slave_public', 'dev']],
];

const credentialCases: [object, string, string][] = [
  [{}, 'credsStore', ''],
  [{ credentials: { mode: 'credsStore', registries: REG1 } }, 'credsStore', REG1],
  [{ credentials: { mode: 'credHelpers' } }, 'credHelpers', ''],
  [{ credentials: { mode: 'credHelpers', registries: REG1 } }, 'credHelpers', REG1],
  [{ credentials: { mode: 'credHelpers', registries: REG3, cache: false } }, 'credHelpers', REG3],
];

describe('the package renders for every option matrix cell on every DC/OS version it claims', () => {
  it('claims DC/OS 1.9 (the 1.8 render rules) to 2.0', () => {
    assert.deepEqual(claimedDcosVersions('1.8'), ['1.9', '1.10', '1.11', '1.12', '1.13', '2.0']);
  });

  it('agent roles: one, several and a custom role', () => {
    for (const revision of revisions)
      for (const v of claimedDcosVersions('1.8'))
        for (const [options, roles] of roleCases) assert.deepEqual(render(revision, options, v).acceptedResourceRoles, roles, `${v} ${JSON.stringify(options)}`);
  });

  it('credential modes with 0, 1 and 3 registries, and the cache switch', () => {
    for (const revision of revisions)
      for (const v of claimedDcosVersions('1.8'))
        for (const [options, mode, registries] of credentialCases) {
          const env = render(revision, options, v).env as Record<string, string>;
          assert.equal(env[INSTALLER_ENV.credentialMode], mode);
          assert.equal(env[INSTALLER_ENV.registries], registries);
          assert.equal(env[INSTALLER_ENV.helperCache], JSON.stringify(options).includes('"cache":false') ? 'off' : 'on');
        }
  });

  it('custom host paths, tarball name, UNIQUE off, resources, image and pull policy', () => {
    const options = {
      service: { name: '/infra/ecr', instances: 7, cpus: 0.25, mem: 64, image: 'registry.example.com:5000/mirror/ecr-helper:0.12.0-1', forcePullImage: true },
      placement: { oneTaskPerAgent: false },
      host: { binDir: '/usr/local/sbin', configDir: '/var/lib/dcos', tarballName: 'ecr.tgz' },
    };
    for (const revision of revisions)
      for (const v of claimedDcosVersions('1.8')) {
        const app = render(revision, options, v);
        assert.equal(app.id, '/infra/ecr');
        assert.deepEqual([app.instances, app.cpus, app.mem], [7, 0.25, 64]);
        assert.deepEqual(app.constraints, []);
        const container = app.container as { docker: Record<string, Plain>; volumes: Record<string, string>[] };
        assert.equal(container.docker.image, 'registry.example.com:5000/mirror/ecr-helper:0.12.0-1');
        assert.equal(container.docker.forcePullImage, true);
        assert.deepEqual(container.volumes.map((vol) => [vol.containerPath, vol.hostPath, vol.mode]), [
          [CONTAINER_BIN_DIR, '/usr/local/sbin', 'RW'],
          [CONTAINER_CONFIG_DIR, '/var/lib/dcos', 'RW'],
        ]);
        const env = app.env as Record<string, string>;
        assert.equal(env[INSTALLER_ENV.tarballName], 'ecr.tgz');
        // The host paths too, so the installer can tell when its bind mounts went stale.
        assert.deepEqual([env.HOST_BIN_DIR, env.HOST_CONFIG_DIR], ['/usr/local/sbin', '/var/lib/dcos']);
      }
  });

  it('defaults: the release image by tag, UNIQUE on, not privileged, HOST network, the installer contract', () => {
    for (const revision of revisions) {
      const app = render(revision, {}, '2.0');
      const container = app.container as { docker: Record<string, Plain> };
      const resource = revision.resource?.value;
      assert.ok(isJsonObject(resource));
      assert.match(String(container.docker.image), /^docker\.io\/ecruniverse\/ecr-credential-helper:\d+\.\d+\.\d+-\d+$/);
      assert.ok(String(container.docker.image).endsWith(`:${revision.version}`));
      assert.equal(container.docker.privileged, false);
      assert.equal(container.docker.network, 'HOST');
      assert.deepEqual(app.constraints, [['hostname', 'UNIQUE']]);
      const env = app.env as Record<string, string>;
      assert.equal(env[INSTALLER_ENV.binDir], CONTAINER_BIN_DIR);
      assert.equal(env[INSTALLER_ENV.configDir], CONTAINER_CONFIG_DIR);
      const hc = (app.healthChecks as { protocol: string; command: { value: string } }[])[0];
      assert.deepEqual([hc?.protocol, hc?.command.value], ['COMMAND', HEALTH_CHECK_COMMAND]);
    }
  });
});

describe('options that break config.json are refused with the property named', () => {
  const bad: [object, string][] = [
    [{ credentials: { registries: 'docker.io' } }, '/credentials/registries'],
    [{ credentials: { registries: `${REG1}","x":"y` } }, '/credentials/registries'],
    [{ credentials: { registries: `${REG1};rm -rf /` } }, '/credentials/registries'],
    [{ credentials: { mode: 'auths' } }, '/credentials/mode'],
    [{ host: { binDir: 'relative/bin' } }, '/host/binDir'],
    [{ host: { configDir: '/etc/../root' } }, '/host/configDir'],
    [{ host: { configDir: '/etc/$(id)' } }, '/host/configDir'],
    [{ host: { tarballName: 'docker.zip' } }, '/host/tarballName'],
    [{ host: { tarballName: '../docker.tar.gz' } }, '/host/tarballName'],
    [{ service: { image: 'ecruniverse/ecr-credential-helper:latest' } }, '/service/image'],
    [{ service: { image: 'ecruniverse/ecr-credential-helper' } }, '/service/image'],
    [{ service: { name: '/Bad_Name' } }, '/service/name'],
    [{ service: { instances: -1 } }, '/service/instances'],
    [{ service: { cpus: '1' } }, '/service/cpus'],
    [{ placement: { role: 'a"b' } }, '/placement/role'],
    [{ placement: { privateAgents: false, publicAgents: false } }, '/placement'],
    [{ unknown: 1 }, '/unknown'],
  ];
  for (const [options, pointer] of bad) {
    it(`${JSON.stringify(options)} -> ${pointer}`, () => {
      const r = renderMarathonApp(revisions[revisions.length - 1]!, { options: fromPlain(options) as JsonObject, labels: false });
      assert.ok(!r.ok && r.kind === 'options_invalid', r.ok ? 'rendered' : r.message);
      assert.ok(r.problems?.some((p) => p.pointer === pointer), `${r.message}`);
      assert.ok(r.message.includes(pointer));
    });
  }
});
