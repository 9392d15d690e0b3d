/**
 * The built command line: bin/ecr-universe.cjs runs the CLI bundle with the code cache of
 * tools/codeCache.mjs, worker threads run their own bundles (tools/bundle.mjs), and a
 * checkout that is not built says so.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT, runCli, STACK_TRACE } from '../support/cli.js';
import { GOOD_PACKAGE, goodRevision, json, writeRevision } from '../validate/support.js';

const WORKERS = { 'load/reader': 'load-reader.cjs', 'validate/worker': 'validate-worker.cjs', 'build/worker': 'build-worker.cjs' };

let work: string;
before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-bundle-test-'));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the built command line', () => {
  it('starts each worker thread from its bundle', () => {
    // As the built CLI sees it: dist/ run by node itself (from the sources, tsx runs the .ts modules).
    const script = `import { workerFile } from ${JSON.stringify(path.join(PROJECT_ROOT, 'dist/generator/threads.js'))};
      console.log(JSON.stringify(${JSON.stringify(Object.keys(WORKERS))}.map(workerFile)));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = JSON.parse(r.stdout) as string[];
    assert.deepEqual(files, Object.values(WORKERS).map((f) => path.join(PROJECT_ROOT, 'dist', 'cli', f)));
    for (const f of files) assert.ok(fs.statSync(f).size > 0, f);
  });

  it('compiles the bundle with the code cache the build made, and without it under other V8 flags', () => {
    const bin = path.join(PROJECT_ROOT, 'bin', 'ecr-universe.cjs');
    const probe = `const r = require(${JSON.stringify(bin)}).loadBundle(); console.log(r.cacheRejected, typeof r.exports.main);`;
    const plain = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    assert.equal(plain.stdout, 'false function\n', plain.stderr);
    // Other V8 flags: V8 refuses the cache and the bundle compiles as usual.
    const flagged = spawnSync(process.execPath, ['--max-old-space-size=300', '-e', probe], { encoding: 'utf8' });
    assert.equal(flagged.stdout, 'true function\n', flagged.stderr);
    const r = spawnSync(process.execPath, ['--max-old-space-size=300', bin, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('gives the same findings with worker threads (bundled) as with none', async () => {
    const root = path.join(work, 'repo');
    for (let i = 0; i < 6; i++) {
      const name = `pkg${i}`;
      writeRevision(root, name, '0', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name }) });
      writeRevision(root, name, '1', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name, version: '1.1.0' }), 'marathon.json.mustache': `{"id": "{{service.name}}", "cpus": ${i},, }` });
    }
    const one = await runCli(['validate', root, '--json', '--jobs', '1']);
    const three = await runCli(['validate', root, '--json', '--jobs', '3']);
    assert.equal(one.code, 1, one.stderr);
    assert.equal(three.code, 1, three.stderr);
    const doc = JSON.parse(three.stdout) as { revisions: number; errors: number };
    assert.deepEqual([doc.revisions, doc.errors > 0], [12, true]);
    assert.equal(three.stdout, one.stdout);
  });

  it('starts the build worker before the CLI loads, and the build adopts it', () => {
    const bin = path.join(PROJECT_ROOT, 'bin', 'ecr-universe.cjs');
    const repo = path.join(work, 'prestart');
    writeRevision(repo, 'hello', '0', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name: 'hello' }) });
    writeRevision(repo, 'hello', '1', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name: 'hello', version: '1.1.0' }) });
    // As the bin does for `build`, then the build of dist/: the worker it used is the one started first.
    const script = `const bin = require(${JSON.stringify(bin)});
      bin.prestartWorkers('build');
      const started = globalThis[bin.PRESTARTED].map((p) => p.worker);
      (async () => {
        const { buildUniverse } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/generator/build/build.js'))});
        const exited = [];
        started[0].once('exit', () => exited.push('build/worker'));
        const out = await buildUniverse(${JSON.stringify(path.join(repo, "repo/packages"))});
        await new Promise((r) => setTimeout(r, 200));
        console.log(JSON.stringify({ started: started.length, left: globalThis[bin.PRESTARTED].length, exited, revisions: out.revisions, packages: out.packages }));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // The pipeline ends its worker: the prestarted one, adopted, is the one that exits.
    assert.deepEqual(JSON.parse(r.stdout), { started: 1, left: 0, exited: ['build/worker'], revisions: 2, packages: 1 });
  });

  it('starts another worker when the prestarted one is gone, and exits when none is adopted', async () => {
    const script = `const bin = require(${JSON.stringify(path.join(PROJECT_ROOT, 'bin', 'ecr-universe.cjs'))});
      bin.prestartWorkers('build');
      const [first] = globalThis[bin.PRESTARTED];
      first.worker.terminate().then(async () => {
        const { adoptPrestarted } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/generator/threads.js'))});
        console.log(adoptPrestarted('build/worker') === undefined, globalThis[bin.PRESTARTED].length);
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.stdout, 'true 0\n', r.stderr);
    // A build that stops before it needs its worker (a usage error) exits at once: the prestarted worker holds nothing open.
    const usage = await runCli(['build', path.join(work, 'nowhere')]);
    assert.equal(usage.code, 2, usage.stderr);
    assert.match(usage.stderr, /required option '--out <dir>' not specified/);
    assert.doesNotMatch(usage.stderr, STACK_TRACE);
  });

  it('says it is not built, without a stack trace, when dist/ is missing', () => {
    const bin = path.join(work, 'checkout', 'bin', 'ecr-universe.cjs');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, 'bin', 'ecr-universe.cjs'), bin);
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', cwd: path.join(work, 'checkout') });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: ecr-universe is not built (no dist): run npm run build\n');
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const root = path.join(work, 'many');
    // Findings to print: a version that is not semver warns.
    for (let i = 0; i < 40; i++) writeRevision(root, `pkg${i}`, '0', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name: `pkg${i}`, version: 'one' }) });
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'ecr-universe.cjs'), 'validate', root, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // The reader goes away before the run ends: every write of the output meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, STACK_TRACE);
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
