import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../generator/json/parse.js';
import { isJsonObject } from '../../generator/json/value.js';
import { PROJECT_ROOT, runCli, STACK_TRACE } from '../support/cli.js';

let work: string;

/** A copy of the project's inputs (config, templates, README) to generate from. */
function project(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(PROJECT_ROOT, 'ecr-universe.yaml'), path.join(dir, 'ecr-universe.yaml'));
  fs.cpSync(path.join(PROJECT_ROOT, 'package-template'), path.join(dir, 'package-template'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'README.md'), '# x\n\n<!-- options:start (generated from config.json by `ecr-universe generate`; do not edit) -->\nold\n<!-- options:end -->\n');
  return dir;
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'base64'));
    }
  };
  walk(dir);
  return out;
}

const PKG = 'repo/packages/E/ecr-credential-helper';

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-generate-'));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('ecr-universe generate', () => {
  it('writes one revision per release, and a rerun gives identical bytes', async () => {
    const dir = project('idempotent');
    const first = await runCli(['generate'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const a = snapshot(dir);
    assert.deepEqual([...a.keys()].filter((k) => k.startsWith('repo/')).sort(), [
      `${PKG}/0/config.json`,
      `${PKG}/0/marathon.json.mustache`,
      `${PKG}/0/package.json`,
      `${PKG}/0/resource.json`,
      `${PKG}/1/config.json`,
      `${PKG}/1/marathon.json.mustache`,
      `${PKG}/1/package.json`,
      `${PKG}/1/resource.json`,
    ]);
    assert.equal(fs.readFileSync(path.join(dir, PKG, '1/marathon.json.mustache'), 'utf8'), fs.readFileSync(path.join(PROJECT_ROOT, 'package-template/marathon.json.mustache'), 'utf8'));
    assert.match(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), /\| `credentials.registries` \| string \| `""` \|/);
    const second = await runCli(['generate'], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(snapshot(dir), a);
    const check = await runCli(['generate', '--check'], { cwd: dir });
    assert.equal(check.code, 0, check.stderr);
  });

  it('computes upgradesFrom and downgradesTo with semver and tags images by version', async () => {
    const dir = project('versions');
    fs.appendFileSync(path.join(dir, 'ecr-universe.yaml'), '  - helperVersion: 0.12.0\n    packageRevision: 2\n    releaseVersion: 2\n    builderImage: golang:1.24-bookworm\n');
    const r = await runCli(['generate'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const pkg = (rv: number) => parseJson(fs.readFileSync(path.join(dir, PKG, `${rv}/package.json`), 'utf8')).value;
    const p2 = pkg(2);
    assert.ok(isJsonObject(p2));
    assert.equal(p2.get('version'), '0.12.0-2');
    assert.deepEqual(p2.get('upgradesFrom'), ['0.11.0-1', '0.12.0-1']);
    assert.deepEqual(p2.get('downgradesTo'), ['0.11.0-1', '0.12.0-1']);
    const p0 = pkg(0);
    assert.ok(isJsonObject(p0));
    assert.deepEqual(p0.get('upgradesFrom'), []);
    const resource = fs.readFileSync(path.join(dir, PKG, '2/resource.json'), 'utf8');
    assert.match(resource, /"ecr-credential-helper": "docker\.io\/ecruniverse\/ecr-credential-helper:0\.12\.0-2"/);
  });

  it('--check lists stale, missing and extra files and exits 1', async () => {
    const dir = project('stale');
    assert.equal((await runCli(['generate'], { cwd: dir })).code, 0);
    fs.appendFileSync(path.join(dir, PKG, '0/config.json'), ' ');
    fs.rmSync(path.join(dir, PKG, '1/resource.json'));
    fs.mkdirSync(path.join(dir, PKG, '9'));
    fs.writeFileSync(path.join(dir, PKG, '9/package.json'), '{}');
    const r = await runCli(['generate', '--check'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.deepEqual(r.stderr.trim().split('\n').sort(), [
      `repo/${PKG.slice(5)}/0/config.json: out of date (run ecr-universe generate)`,
      `repo/${PKG.slice(5)}/1/resource.json: out of date (run ecr-universe generate)`,
      `repo/${PKG.slice(5)}/9/package.json: out of date (run ecr-universe generate)`,
    ]);
    const fixed = await runCli(['generate'], { cwd: dir });
    assert.equal(fixed.code, 0);
    assert.ok(!fs.existsSync(path.join(dir, PKG, '9')), 'revisions no longer in the YAML are removed');
  });

  it('a failing run leaves the previous tree intact and reports file and position', async () => {
    const dir = project('failing');
    assert.equal((await runCli(['generate'], { cwd: dir })).code, 0);
    const before = snapshot(dir);
    const cases: [string, string, RegExp][] = [
      ['ecr-universe.yaml', 'package:\n  name: ecr-credential-helper\n  bogus: 1\n', /ecr-universe\.yaml:\d+:\d+: error\[project-config\]/],
      ['package-template/config.json.hbs', '{"a": {{{json package.name}}},}', /config\.json\.hbs: error\[template-output\]: the rendered file is not JSON: trailing comma/],
      ['package-template/marathon.json.mustache', '{"id": "{{service.name}}", "instances": {{service.nope}}}', /marathon\.json\.mustache: error\[render-json-parse-error\]/],
      ['package-template/marathon.json.mustache', '{"id": "{{service.name}}", "instances": "{{service.instances}}"}', /marathon\.json\.mustache: error\[marathon-schema\]: rendered with defaults on DC\/OS 1\.9: .*instances/],
      ['package-template/config.json.hbs', '{"type": "object", "properties": {"service": {"type": "objekt"}}}', /^repo\/packages\/E\/ecr-credential-helper\/0\/config\.json:5:15: error\[config-schema\]: `properties\.service\.type` must be one of/],
      ['package-template/package.json.hbs', '{"name": {{{json package.nmae}}} }', /package\.json\.hbs:1:10: error\[template\]: handlebars: the value given to json is not defined/],
      ['package-template/resource.json.hbs', '{"a": {{#if x}}}', /resource\.json\.hbs:1: error\[template\]: handlebars: Parse error on line 1: Expecting/],
    ];
    for (const [file, text, message] of cases) {
      const original = fs.readFileSync(path.join(dir, file), 'utf8');
      fs.writeFileSync(path.join(dir, file), text);
      const r = await runCli(['generate'], { cwd: dir });
      assert.equal(r.code, 1, `${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
      fs.writeFileSync(path.join(dir, file), original);
      const after = snapshot(dir);
      assert.deepEqual([...after.keys()].filter((k) => k.startsWith('repo/')), [...before.keys()].filter((k) => k.startsWith('repo/')), 'no staging directory left behind');
      for (const k of before.keys()) if (k.startsWith('repo/')) assert.equal(after.get(k), before.get(k), `${k} unchanged`);
    }
  });
});
