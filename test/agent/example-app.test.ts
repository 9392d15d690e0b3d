import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildExampleApp, checkEcrImage, tarballLocationFromOptions, tarballUri } from '../../generator/agent/exampleApp.js';
import { fromPlain } from '../../generator/json/value.js';
import { readOptionsFile } from '../../generator/load/options.js';
import { validateMarathonApp } from '../../generator/schemas/index.js';
import { runCli, STACK_TRACE } from '../support/cli.js';
import { TempDirs } from './support.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2';

const temp = new TempDirs();
after(() => temp.cleanup());

function optionsFile(name: string, text: string): string {
  const file = path.join(temp.make('options'), name);
  fs.writeFileSync(file, text);
  return file;
}

describe('example app builder', () => {
  it('pulls the private ECR image with forcePullImage, fetching and extracting the tarball; valid for Marathon', () => {
    const app = buildExampleApp({ image: IMAGE });
    assert.deepEqual(app.container, { type: 'DOCKER', docker: { image: IMAGE, forcePullImage: true } });
    assert.deepEqual(app.fetch, [{ uri: 'file:///etc/docker.tar.gz', extract: true, executable: false, cache: false }]);
    const report = validateMarathonApp(fromPlain(app));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings, []);
  });

  it('takes the tarball location from the package options host.configDir and host.tarballName', () => {
    const json = optionsFile('options.json', JSON.stringify({ host: { configDir: '/var/lib/ecr/', tarballName: 'ecr.tgz' }, credentials: { mode: 'credsStore' } }));
    const location = tarballLocationFromOptions(readOptionsFile(json), json);
    assert.equal(tarballUri(location), 'file:///var/lib/ecr/ecr.tgz');
    const yaml = optionsFile('options.yaml', 'host:\n  tarballName: docker-config.tar.gz\n');
    assert.equal(tarballUri(tarballLocationFromOptions(readOptionsFile(yaml), yaml)), 'file:///etc/docker-config.tar.gz');
    const none = optionsFile('none.json', '{"service": {"instances": 3}}');
    assert.equal(tarballUri(tarballLocationFromOptions(readOptionsFile(none), none)), 'file:///etc/docker.tar.gz');
  });

  it('accepts ECR images only', () => {
    for (const image of [IMAGE, 'public.ecr.aws/nginx/nginx:1.27', `${IMAGE.replace(':1.4.2', '')}@sha256:${'a'.repeat(64)}`]) assert.equal(checkEcrImage(image), image);
    for (const image of ['nginx:latest', 'ghcr.io/org/app:1', '123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com/App:1']) {
      assert.throws(() => checkEcrImage(image), /not an image on an Amazon ECR registry|not a valid image reference/, image);
    }
  });
});

describe('ecr-universe example-app', () => {
  it('prints the app for the default location and for an options file', async () => {
    let r = await runCli(['example-app', '--image', IMAGE]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), buildExampleApp({ image: IMAGE }));
    const file = optionsFile('opts.yml', 'host:\n  configDir: /opt/ecr\n  tarballName: docker.tar.gz\n');
    r = await runCli(['example-app', '--image', IMAGE, '--options', file]);
    assert.equal(r.code, 0, r.stderr);
    const app = JSON.parse(r.stdout) as { fetch: { uri: string }[] };
    assert.equal(app.fetch[0]?.uri, 'file:///opt/ecr/docker.tar.gz');
  });

  for (const [label, name, text, where, message] of [
    ['a relative configDir (JSON)', 'o.json', '{\n  "host": {\n    "configDir": "etc"\n  }\n}\n', ':3:18', /host\.configDir must be an absolute path/],
    ['a tarball name the fetcher would not extract (YAML)', 'o.yaml', 'host:\n  tarballName: docker.zip\n', ':2:16', /host\.tarballName must be a file name ending in \.tar\.gz or \.tgz/],
    ['a number for configDir', 'o.json', '{"host": {"configDir": 5}}', ':1:24', /host\.configDir must be a string/],
  ] as const) {
    it(`refuses ${label}: file:line:col: error[rule]: message, exit 1`, async () => {
      const file = optionsFile(name, text);
      const r = await runCli(['example-app', '--image', IMAGE, '--options', file]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      const line = r.stderr.trimEnd();
      assert.ok(!line.includes('\n'), r.stderr);
      assert.ok(line.startsWith(`${file}${where}: error[example-app-options]: `), line);
      assert.match(line, message);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
    });
  }

  it('refuses an options file that is not JSON: the parser position', async () => {
    const file = optionsFile('bad.json', '{"host": }');
    const r = await runCli(['example-app', '--image', IMAGE, '--options', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.json:1:\d+: error\[json-syntax\]: /);
  });

  it('refuses an image that is not on ECR: exit 2', async () => {
    const r = await runCli(['example-app', '--image', 'nginx:1.27']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'nginx:1\.27' is not an image on an Amazon ECR registry/);
    assert.doesNotMatch(r.stderr, STACK_TRACE);
  });
});
