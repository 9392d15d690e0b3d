import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../generator/json/parse.js';
import { isJsonObject } from '../../generator/json/value.js';
import { runCli, STACK_TRACE } from '../support/cli.js';

let work: string;

function revision(name: string, files: Record<string, string>): string {
  const dir = path.join(work, 'packages', name[0]!.toUpperCase(), name, '0');
  fs.mkdirSync(dir, { recursive: true });
  const pkg = { packagingVersion: '3.0', name, version: '1.0.0', description: 'test', maintainer: 'x@example.com', tags: ['t'] };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

function file(name: string, text: string): string {
  const f = path.join(work, name);
  fs.writeFileSync(f, text);
  return f;
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-render-cli-'));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

const CONFIG = JSON.stringify({ type: 'object', properties: { name: { type: 'string', default: 'svc' }, count: { type: 'integer', default: 1 } } });

describe('ecr-universe render', () => {
  it('prints the app as 2-space JSON, with Cosmos labels, app id override and big numbers intact', async () => {
    const dir = revision('good', { 'config.json': CONFIG, 'marathon.json.mustache': '{"id": "/{{name}}", "instances": {{count}}, "x": 12345678901234567890123, "y": 1.0E-7}' });
    const opts = file('good.yaml', 'name: from-yaml\ncount: 3\n');
    const r = await runCli(['render', dir, '--options', opts, '--app-id', '/custom', '--repo-uri', 'https://repo.example/repo']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\{\n  "id": "\/custom",\n  "instances": 3,\n  "x": 12345678901234567890123,\n  "y": 1.0E-7,\n  "labels": \{\n    "DCOS_PACKAGE_METADATA": /);
    const app = parseJson(r.stdout).value;
    assert.ok(isJsonObject(app));
    const labels = app.get('labels');
    assert.ok(isJsonObject(labels));
    assert.equal(labels.get('DCOS_PACKAGE_NAME'), 'good');
    assert.equal(labels.get('DCOS_PACKAGE_VERSION'), '1.0.0');
    assert.equal(labels.get('DCOS_PACKAGE_SOURCE'), 'https://repo.example/repo');
    assert.equal(Buffer.from(String(labels.get('DCOS_PACKAGE_OPTIONS')), 'base64').toString(), '{"name":"from-yaml","count":3}');
  });

  const failures: [string, () => string[], RegExp][] = [
    ['options that are not JSON', () => [revision('a', { 'config.json': CONFIG, 'marathon.json.mustache': '{}' }), '--options', file('bad.json', '{"name": "x",}')], /bad\.json:1:14: error\[json-syntax\]: trailing comma in object/],
    ['options that are not YAML', () => [revision('b', { 'config.json': CONFIG, 'marathon.json.mustache': '{}' }), '--options', file('bad.yaml', 'a: [1,\nb: 2\n')], /bad\.yaml:\d+:\d+: error\[yaml-syntax\]/],
    ['options that break config.json, naming the property', () => [revision('c', { 'config.json': CONFIG, 'marathon.json.mustache': '{}' }), '--options', file('c.json', '{\n  "count": "three"\n}')], /c\.json:2:12: error\[render-options-invalid\]: options do not match config\.json: \/count must be integer/],
    ['a missing template', () => [revision('d', {})], /d\/0\/marathon\.json\.mustache: error\[render-template-missing\]/],
    ['a template that does not parse', () => [revision('e', { 'marathon.json.mustache': '{\n  "a": "{{#x}}"\n}' })], /marathon\.json\.mustache:2:9: error\[render-template-compile-error\]: section 'x' is never closed/],
    ['an output that is not a JSON object', () => [revision('f', { 'marathon.json.mustache': '["x"]' })], /error\[render-not-json-object\]/],
    ['an output that is not JSON, with the rendered line', () => [revision('g', { 'config.json': CONFIG, 'marathon.json.mustache': '{\n  "instances": {{nope}}\n}' })], /error\[render-json-parse-error\]: the rendered template is not JSON: .* \(rendered line 3, column 1: "}"\)/],
    ['a config.json that is not JSON', () => [revision('h', { 'config.json': '{"a": }', 'marathon.json.mustache': '{}' })], /h\/0\/config\.json:1:7: error\[json-syntax\]/],
    ['a directory that does not exist', () => [path.join(work, 'nowhere')], /nowhere: error\[layout\]: no such revision directory/],
    ['an options file that does not exist', () => [revision('i', { 'marathon.json.mustache': '{}' }), '--options', path.join(work, 'missing.json')], /missing\.json: error\[options-file\]: no such options file/],
  ];
  for (const [what, args, message] of failures) {
    it(`refuses ${what}: one line, exit 1, no stack trace`, async () => {
      const r = await runCli(['render', ...args()]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
    });
  }

  it('wrong usage exits 2', async () => {
    for (const args of [['render'], ['render', 'x', '--dcos-version', '1.7'], ['render', 'x', 'y'], ['render', 'x', '--bogus']]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
    }
  });

  it('--jsonl prints one line per directory and does not stop at the first failure', async () => {
    const ok = revision('j', { 'marathon.json.mustache': '{"id": "j"}' });
    const bad = revision('k', { 'marathon.json.mustache': '{"id": {{' });
    const r = await runCli(['render', bad, ok, '--jsonl', '--no-labels']);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.ok, false);
    assert.match(String(lines[0]?.error), /unclosed tag/);
    assert.deepEqual(lines[1], { dir: ok, ok: true, app: { id: 'j' } });
  });

  it('--dcos-version renders as that release did', async () => {
    const dir = revision('l', { 'config.json': JSON.stringify({ properties: { args: { type: 'array', default: ['a', 'b'] } } }), 'marathon.json.mustache': '{"args": {{args}}}' });
    const modern = await runCli(['render', dir, '--no-labels']);
    assert.equal(modern.code, 0, modern.stderr);
    const legacy = await runCli(['render', dir, '--no-labels', '--dcos-version', '1.11']);
    assert.equal(legacy.code, 1);
    assert.match(legacy.stderr, /\(DC\/OS 1\.11\)/);
    assert.match(legacy.stderr, /\(rendered line 1, column 11: "\{\\"args\\": \[a, b\]\}"\)/);
  });
});
