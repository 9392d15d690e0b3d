import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BuildError, buildUniverse, type BuildOutput } from '../../generator/build/index.js';
import { formatDiagnostic, type Diagnostic } from '../../generator/diagnostics/diagnostic.js';
import { runCli, STACK_TRACE } from '../support/cli.js';
import { packageJson, readTree, smallRepo, tempDir, TEMPLATE, writeFiles, type RepoFiles } from './support.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function repo(files: RepoFiles): string {
  const dir = tempDir('repo');
  dirs.push(dir);
  return writeFiles(dir, files);
}

async function failures(files: RepoFiles): Promise<{ dir: string; diagnostics: Diagnostic[]; lines: string[] }> {
  const dir = repo(files);
  try {
    await buildUniverse(dir, { check: 'local' });
  } catch (e) {
    assert.ok(e instanceof BuildError, String(e));
    return { dir, diagnostics: e.diagnostics, lines: e.diagnostics.map((d) => formatDiagnostic(d, dir)) };
  }
  assert.fail('the build should fail');
}

async function builds(files: RepoFiles): Promise<BuildOutput> {
  return buildUniverse(repo(files), { check: 'local' });
}

const text = (out: BuildOutput, p: string): string => Buffer.concat(out.files.get(p)?.parts ?? []).toString('utf8');

describe('build input errors', () => {
  it('reports malformed JSON with file, line and column', async () => {
    const { lines } = await failures({ ...smallRepo(), 'A/alpha/1/config.json': '{\n  "type": "object",\n  "properties": {},\n}\n' });
    assert.deepEqual(lines, ['A/alpha/1/config.json:4:1: error[json-syntax]: trailing comma in object']);
  });

  it('reports bytes that are not UTF-8', async () => {
    const { lines } = await failures({ ...smallRepo(), 'B/beta/0/package.json': Buffer.from('{\n  "name": "beta\xff"\n}', 'latin1') });
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /^B\/beta\/0\/package\.json:2:16: error\[encoding\]: invalid UTF-8 byte 0xff/);
  });

  it('reports a layout the Universe build cannot read, every problem at once', async () => {
    const { lines } = await failures({
      ...smallRepo(),
      'README.md': 'hello',
      'C/alpha-two/0/package.json': packageJson('alpha-two'),
      'B/beta/latest/package.json': packageJson('beta'),
      'B/beta/01/package.json': packageJson('beta'),
      'B/Bad_Name/0/package.json': packageJson('bad'),
      'A/alpha/2/marathon.json.mustache': TEMPLATE,
      'A/alpha/3/package.json': packageJson('not-alpha'),
    });
    assert.deepEqual([...lines].sort(), [
      'A/alpha/2/package.json: error[layout]: package.json is missing',
      'A/alpha/3/package.json:3:11: error[layout]: package.json name is "not-alpha": it must be the directory name "alpha"',
      'B/Bad_Name: error[layout]: package directory name "Bad_Name" does not match ^[a-z][a-z0-9-]*[a-z0-9]$',
      'B/beta/01: error[layout]: unexpected directory in beta/: only revision directories named by their releaseVersion (0, 1, 2, ...) belong here',
      'B/beta/latest: error[layout]: unexpected directory in beta/: only revision directories named by their releaseVersion (0, 1, 2, ...) belong here',
      'C/alpha-two: error[layout]: package alpha-two belongs in A/, not C/',
      'README.md: error[layout]: unexpected file in the packages directory: only directories named by one upper-case letter belong here',
    ]);
  });

  it('reports what the repo schemas refuse, in the file and at the member', async () => {
    const { lines } = await failures({ ...smallRepo(), 'B/beta/0/package.json': packageJson('beta', { tags: 'web', minDcosReleaseVersion: '1.10' }) });
    assert.deepEqual(lines, ['B/beta/0/package.json:7:11: error[repo-schema]: `tags` must be an array, not a string ("web") (repo schemas v5, v4)']);
  });

  it('reports a schema problem of the downgraded form only where it appears', async () => {
    // 4.0 without minDcosReleaseVersion lands, downgraded to 3.0, in the 1.8 and 1.9 files: fine.
    // A command.json next to a 4.0 package is refused by the v4 and v5 schemas only.
    const { lines } = await failures({ ...smallRepo(), 'A/alpha/1/command.json': '{"pip": ["x"]}' });
    assert.deepEqual(lines, ['A/alpha/1/command.json:1:1: error[repo-schema]: `command` is not a known property here (repo schemas v5, v4)']);
  });

  it("reports values gen_universe.py's comparison or escaping fails on", async () => {
    const { lines } = await failures({
      ...smallRepo(),
      'B/beta/0/package.json': packageJson('beta', { minDcosReleaseVersion: '1.x' }),
      'A/alpha/0/config.json': '{"type": "object", "properties": {"a": {"type": "string", "default": null}}}',
    });
    assert.equal(lines.length, 2);
    assert.match(lines[0] as string, /^A\/alpha\/0\/config\.json:1:70: error\[gen-universe\]: a null where gen_universe\.py escapes a string/);
    assert.match(lines[1] as string, /^B\/beta\/0\/package\.json:10:28: error\[gen-universe\]: cannot compare versions "1\.x" and "1\.8"/);
  });

  it('builds duplicate keys as Python reads them, with a warning', async () => {
    const out = await builds({ ...smallRepo(), 'B/beta/0/config.json': '{"type": "object", "properties": {"a": {"type": "string", "default": "x"}}, "type": "object"}' });
    assert.deepEqual(out.warnings.map((d) => [d.rule, d.severity, d.pointer, d.line, d.column]), [['duplicate-key', 'warning', '/type', 1, 77]]);
    assert.match(text(out, '1.10/package/beta.json'), /"config": \{"type": "object", "properties": \{"a": \{"type": "string", "default": "x"\}\}\}/);
  });

  it('builds an empty packages directory into empty repositories', async () => {
    const out = await builds({});
    for (const f of ['universe.json', 'repo-up-to-1.8.json', 'repo-up-to-2.0.json', 'repo-empty-v3.json']) assert.equal(text(out, f), '{"packages": []}', f);
    assert.equal(out.revisions, 0);
  });

  it('reports a packages directory that does not exist', async () => {
    await assert.rejects(buildUniverse(path.join(tempDir('none'), 'missing')), (e: unknown) => e instanceof BuildError && e.diagnostics[0]?.message === 'no such packages directory');
  });
});

describe('ecr-universe build on errors', () => {
  it('exits 1 with one line per problem, and leaves the previous output as it was', async () => {
    const dir = repo(smallRepo());
    const out = path.join(tempDir('out'), 'universe');
    dirs.push(path.dirname(out));
    const ok = await runCli(['build', dir, '--out', out]);
    assert.equal(ok.code, 0, ok.stderr);
    const before = readTree(out);
    fs.writeFileSync(path.join(dir, 'A/alpha/0/package.json'), '{"name": "alpha",, }');
    const bad = await runCli(['build', dir, '--out', out], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr, 'A/alpha/0/package.json:1:18: error[json-syntax]: unexpected \',\': expected a string key in object\nbuild failed: 1 error; nothing written\n');
    assert.doesNotMatch(bad.stderr, STACK_TRACE);
    assert.deepEqual(readTree(out), before);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['universe']);
  });

  it('refuses to replace a directory that is not a build', async () => {
    const dir = repo(smallRepo());
    const out = tempDir('notabuild');
    dirs.push(out);
    fs.writeFileSync(path.join(out, 'precious.txt'), 'keep me');
    const r = await runCli(['build', dir, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[build-output\]: the output directory is not empty and holds no universe\.json/);
    assert.deepEqual([...readTree(out).keys()], ['precious.txt']);
  });

  it('needs --out', async () => {
    const r = await runCli(['build', repo(smallRepo())]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--out/);
  });
});

