/** `ecr-universe validate` as users run it: output formats, exit codes, PATH kinds, options. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, STACK_TRACE } from '../support/cli.js';
import { GOOD_PACKAGE, goodRevision, json, tempDir, writeRevision } from './support.js';

let work: string;

before(() => {
  work = tempDir('ecr-validate-cli-');
  // repo-a: one good revision and one broken one; repo-b: good only; repo-c: a 1.9-only break.
  writeRevision(path.join(work, 'repo-a'), 'demo', '0', goodRevision());
  writeRevision(path.join(work, 'repo-a'), 'demo', '1', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, version: '1.1.0' }), 'config.json': '{\n  "type": "object",\n  "properties": {,\n}\n' });
  writeRevision(path.join(work, 'repo-b'), 'demo', '0', goodRevision());
  writeRevision(path.join(work, 'repo-c'), 'demo', '0', {
    ...goodRevision(),
    'package.json': json({ ...GOOD_PACKAGE, minDcosReleaseVersion: '1.9' }),
    'config.json': json({ type: 'object', properties: { service: { type: 'object', properties: { name: { type: 'string', default: '/demo' }, cpus: { type: 'number', default: 0.5 }, instances: { type: 'integer', default: 1 }, cmd: { type: 'string', default: 'grep \\d+' } } } } }),
    'marathon.json.mustache': goodRevision()['marathon.json.mustache']!.toString().replace('"mem": 32,', '"mem": 32,\n  "cmd": "{{service.cmd}}",'),
  });
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('ecr-universe validate', () => {
  it('exits 0 on a good repository and prints the summary line', async () => {
    const r = await runCli(['validate', 'repo-b'], { cwd: work });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^1 revision, 0 errors, 0 warnings \(\d+\.\d\d s\)\n$/);
    assert.equal(r.stderr, '');
  });

  it('prints one compiler-like line per finding, relative to the current directory, and exits 1 on an error', async () => {
    const r = await runCli(['validate', 'repo-a'], { cwd: work });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] as string, /^repo-a\/repo\/packages\/D\/demo\/1\/config\.json:3:18: error\[json-syntax\]: /);
    assert.match(lines[lines.length - 1] as string, /^2 revisions, 1 error, 0 warnings \(\d+\.\d\d s\)$/);
    assert.doesNotMatch(r.stdout + r.stderr, STACK_TRACE);
  });

  it('--json prints one object with the issue\'s shape, files relative to the current directory', async () => {
    const r = await runCli(['validate', '--json', path.join(work, 'repo-a')], { cwd: path.join(work, 'repo-a') });
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as { revisions: number; errors: number; warnings: number; diagnostics: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(doc), ['revisions', 'errors', 'warnings', 'diagnostics']);
    assert.equal(doc.revisions, 2);
    assert.equal(doc.errors, 1);
    assert.deepEqual(doc.diagnostics, [
      {
        file: 'repo/packages/D/demo/1/config.json',
        pointer: '',
        line: 3,
        column: 18,
        rule: 'json-syntax',
        severity: 'error',
        message: (doc.diagnostics[0] as { message: string }).message,
      },
    ]);
  });

  it('a break only on an older DC/OS is a warning, and an error with --warnings-as-errors', async () => {
    const plain = await runCli(['validate', 'repo-c'], { cwd: work });
    assert.equal(plain.code, 0, plain.stdout);
    assert.match(plain.stdout, /marathon\.json\.mustache: warning\[older-dcos\]: breaks on DC\/OS 1\.9: the rendered template is not JSON/);
    const strict = await runCli(['validate', 'repo-c', '--warnings-as-errors'], { cwd: work });
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /error\[older-dcos\]: breaks on DC\/OS 1\.9/);
    assert.match(strict.stdout, /1 revision, 1 error, 0 warnings/);
  });

  it('--dcos-version picks the renders checked', async () => {
    const only19 = await runCli(['validate', 'repo-c', '--dcos-version', '1.9', '--json'], { cwd: work });
    assert.equal(only19.code, 1, only19.stdout);
    const doc = JSON.parse(only19.stdout) as { diagnostics: { rule: string; severity: string }[] };
    assert.deepEqual(doc.diagnostics.map((d) => `${d.severity}[${d.rule}]`), ['error[template-render]']);
    const only20 = await runCli(['validate', 'repo-c', '--dcos-version', '2.0'], { cwd: work });
    assert.equal(only20.code, 0, only20.stdout);
    assert.match(only20.stdout, /^1 revision, 0 errors, 0 warnings/);
  });

  it('takes a revision, a package, a packages/ directory or a repository root, several at once', async () => {
    const root = path.join(work, 'repo-b');
    for (const p of [root, path.join(root, 'repo/packages'), path.join(root, 'repo/packages/D'), path.join(root, 'repo/packages/D/demo'), path.join(root, 'repo/packages/D/demo/0')]) {
      const r = await runCli(['validate', p], { cwd: work });
      assert.equal(r.code, 0, `${p}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^1 revision, 0 errors/, p);
    }
    const both = await runCli(['validate', 'repo-a', 'repo-b/repo/packages/D/demo/0'], { cwd: work });
    assert.match(both.stdout, /3 revisions, 1 error/);
  });

  it('wrong usage exits 2: no PATH, a missing PATH, an unknown DC/OS version, a directory that is no Universe', async () => {
    fs.mkdirSync(path.join(work, 'empty'), { recursive: true });
    for (const args of [['validate'], ['validate', 'nowhere'], ['validate', 'repo-b', '--dcos-version', '1.8'], ['validate', 'empty'], ['validate', 'repo-b', '--bogus']]) {
      const r = await runCli(args, { cwd: work });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
      assert.equal(r.stdout, '');
    }
  });
});
