/**
 * The helper image's build contexts: each Dockerfile parsed with a real Dockerfile parser
 * (dockerfile-ast) and its instructions asserted; `ecr-universe image` writing the contexts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import {
  HELPER_PACKAGE,
  IMAGE_HELPER_PATH,
  IMAGE_INSTALLER_PATH,
  INSTALLER_DEFAULTS,
  INSTALLER_ENV,
} from '../../generator/agent/constants.js';
import { dockerfileFor, imageContexts } from '../../generator/agent/imageContext.js';
import { loadProjectConfig, parseProjectConfig } from '../../generator/load/projectConfig.js';
import { runCli, STACK_TRACE } from '../support/cli.js';
import { INSTALLER, PROJECT_ROOT, snapshot, TempDirs } from './support.js';

const temp = new TempDirs();
after(() => temp.cleanup());

const PROJECT_FILE = path.join(PROJECT_ROOT, 'ecr-universe.yaml');

function args(i: Instruction): string[] {
  return i.getArguments().map((a) => a.getValue());
}

describe('Dockerfile of each release (parsed with dockerfile-ast)', () => {
  const config = loadProjectConfig(PROJECT_FILE);

  for (const release of config.releases) {
    it(`helper ${release.helperVersion}: pinned go install in ${release.builderImage}, static binary and installer on ${config.image.runtimeImage}`, () => {
      const text = dockerfileFor(release, config.image.runtimeImage);
      const df = DockerfileParser.parse(text);
      const keywords = df.getInstructions().map((i) => i.getKeyword());
      assert.deepEqual(keywords, ['FROM', 'ENV', 'RUN', 'FROM', 'LABEL', 'COPY', 'COPY', 'ENV', 'ENTRYPOINT']);

      const [build, runtime] = df.getFROMs();
      assert.ok(build && runtime);
      assert.equal(build.getImage(), release.builderImage);
      assert.equal(build.getBuildStage(), 'build');
      assert.equal(runtime.getImage(), config.image.runtimeImage);
      assert.equal(runtime.getBuildStage(), null);
      for (const from of [build, runtime]) assert.notEqual(from.getImageTag(), 'latest');

      const [buildEnv, runtimeEnv] = df.getENVs();
      const props = (e: typeof buildEnv): Record<string, string | null> =>
        Object.fromEntries((e?.getProperties() ?? []).map((p) => [p.getName(), p.getValue()]));
      assert.deepEqual(props(buildEnv), { CGO_ENABLED: '0', GOTOOLCHAIN: 'local' });

      const runs = df.getInstructions().filter((i) => i.getKeyword() === 'RUN');
      assert.equal(runs.length, 1);
      assert.deepEqual(args(runs[0] as Instruction), ['go', 'install', '-trimpath', `${HELPER_PACKAGE}@v${release.helperVersion}`]);

      const copies = df.getCOPYs();
      assert.deepEqual(
        copies.map((c) => ({ flags: c.getFlags().map((f) => [f.getName(), f.getValue()]), args: args(c) })),
        [
          { flags: [['from', 'build']], args: ['/go/bin/docker-credential-ecr-login', IMAGE_HELPER_PATH] },
          { flags: [], args: ['install.sh', IMAGE_INSTALLER_PATH] },
        ],
      );
      // The runtime stage's environment: every installer variable with the defaults, but
      // INSTALL_ONCE and the host paths of the mount check (empty: unset; the Marathon app sets them).
      const expectedEnv: Record<string, string> = { ...INSTALLER_DEFAULTS };
      delete expectedEnv[INSTALLER_ENV.installOnce];
      delete expectedEnv[INSTALLER_ENV.hostBinDir];
      delete expectedEnv[INSTALLER_ENV.hostConfigDir];
      assert.deepEqual(props(runtimeEnv), expectedEnv);

      const [entrypoint] = df.getENTRYPOINTs();
      assert.deepEqual(entrypoint?.getJSONStrings().map((j) => j.getJSONValue()), [IMAGE_INSTALLER_PATH]);
      // Nothing is fetched at build time but the Go module (no ADD, no curl/wget), nothing runs in the runtime stage.
      assert.ok(!keywords.includes('ADD'));
      assert.doesNotMatch(text, /curl|wget|--no-check-certificate|GOSUMDB|GONOSUMDB|GOFLAGS|GOPROXY|insecure/i);
      assert.doesNotMatch(text, /sha256:[0-9a-f]/, 'no digest that was not computed from an artifact');
    });
  }

  it('builder images: helper 0.12.0 builds with Go 1.25 (its release dropped Go 1.24), 0.11.0 with Go 1.24', () => {
    const byVersion = new Map(config.releases.map((r) => [r.helperVersion, r.builderImage]));
    assert.equal(byVersion.get('0.11.0'), 'golang:1.24-bookworm');
    assert.equal(byVersion.get('0.12.0'), 'golang:1.25-bookworm');
  });

  it('two releases of one helper version share a context when their Dockerfiles agree, and are refused when they do not', () => {
    const base = fs.readFileSync(PROJECT_FILE, 'utf8');
    const extra = `  - helperVersion: 0.12.0\n    packageRevision: 2\n    releaseVersion: 2\n    builderImage: golang:1.25-bookworm\n`;
    const same = imageContexts(parseProjectConfig('ecr-universe.yaml', `${base.trimEnd()}\n${extra}`), '#!/bin/sh\n');
    assert.deepEqual(
      same.map((c) => [c.helperVersion, c.packageVersions]),
      [
        ['0.11.0', ['0.11.0-1']],
        ['0.12.0', ['0.12.0-1', '0.12.0-2']],
      ],
    );
    const other = extra.replace('golang:1.25-bookworm', 'golang:1.26-bookworm');
    assert.throws(() => imageContexts(parseProjectConfig('ecr-universe.yaml', `${base.trimEnd()}\n${other}`), '#!/bin/sh\n'), /share helper version 0\.12\.0 but not the builder image/);
  });
});

describe('ecr-universe image', () => {
  it('writes DIR/<helper version>/{Dockerfile,install.sh} per release; install.sh is the installer, 0755', async () => {
    const out = path.join(temp.make('image'), 'contexts');
    const r = await runCli(['image', '--config', PROJECT_FILE, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const config = loadProjectConfig(PROJECT_FILE);
    const versions = [...new Set(config.releases.map((rel) => rel.helperVersion))];
    assert.deepEqual(fs.readdirSync(out).sort(), versions.sort());
    assert.deepEqual(r.stdout.trim().split('\n'), versions.map((v) => path.join(out, v)));
    for (const release of config.releases) {
      const dir = path.join(out, release.helperVersion);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['Dockerfile', 'install.sh']);
      assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), dockerfileFor(release, config.image.runtimeImage));
      assert.deepEqual(fs.readFileSync(path.join(dir, 'install.sh')), fs.readFileSync(INSTALLER));
      assert.equal(fs.statSync(path.join(dir, 'install.sh')).mode & 0o777, 0o755);
      assert.equal(fs.statSync(path.join(dir, 'Dockerfile')).mode & 0o777, 0o644);
    }
  });

  it('replaces existing contexts whole, leaves other entries of DIR alone, and leaves no staging directory', async () => {
    const out = temp.make('image');
    fs.mkdirSync(path.join(out, '0.11.0'));
    fs.writeFileSync(path.join(out, '0.11.0', 'stale.txt'), 'old');
    fs.writeFileSync(path.join(out, 'README'), 'mine');
    const r = await runCli(['image', '--config', PROJECT_FILE, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['0.11.0', '0.12.0', 'README']);
    assert.deepEqual(fs.readdirSync(path.join(out, '0.11.0')).sort(), ['Dockerfile', 'install.sh']);
    assert.equal(fs.readFileSync(path.join(out, 'README'), 'utf8'), 'mine');
  });

  it('a bad project file: one diagnostic line, exit 1, nothing written', async () => {
    const dir = temp.make('image');
    const bad = path.join(dir, 'ecr-universe.yaml');
    fs.writeFileSync(bad, fs.readFileSync(PROJECT_FILE, 'utf8').replace('builderImage: golang:1.25-bookworm', 'builderImage: golang:latest'));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const before = snapshot(out);
    const r = await runCli(['image', '--config', bad, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\S*ecr-universe\.yaml:\d+:\d+: error\[project-config\]: releases\.1\.builderImage must name a fixed tag, not latest\n$/);
    assert.doesNotMatch(r.stderr, STACK_TRACE);
    assert.deepEqual(snapshot(out), before);
  });

  it('without --out: usage error, exit 2', async () => {
    const r = await runCli(['image', '--config', PROJECT_FILE]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /required option '--out <dir>'/);
  });
});
