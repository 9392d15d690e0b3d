/**
 * Writing a build with the build's worker writing its share of the files (BuildOptions.writer):
 * the same tree as one thread writes, nothing half-written when either thread fails, and no
 * worker left behind.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildUniverse, writeBuild } from '../../generator/build/index.js';
import { DiagnosticError } from '../../generator/diagnostics/diagnostic.js';
import type { FileJob, FileWriter } from '../../generator/build/writeFiles.js';
import { runCli, STACK_TRACE } from '../support/cli.js';
import { packageJson, readTree, smallRepo, tempDir, TEMPLATE, writeFiles, type RepoFiles } from './support.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function scratch(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

/** The small repository with more packages, so that both threads get files of every kind. */
function repository(): string {
  const files: RepoFiles = smallRepo();
  for (let i = 0; i < 12; i++) {
    const name = `gamma${i}`;
    files[`G/${name}/0/package.json`] = packageJson(name);
    files[`G/${name}/0/marathon.json.mustache`] = TEMPLATE;
    files[`G/${name}/1/package.json`] = packageJson(name, { version: '1.1.0', minDcosReleaseVersion: i % 2 === 0 ? '1.10' : '1.8' });
    files[`G/${name}/1/marathon.json.mustache`] = TEMPLATE.replace('0.1', `0.${i + 2}`);
  }
  return writeFiles(path.join(scratch('write-repo'), 'packages'), files);
}

/** Each file's bytes and how many names its inode has (hard links for identical files). */
function snapshot(dir: string): Map<string, [Buffer, number]> {
  const out = new Map<string, [Buffer, number]>();
  for (const [file, bytes] of readTree(dir)) out.set(file, [bytes, fs.statSync(path.join(dir, file)).nlink]);
  return out;
}

const closed = async (writer: FileWriter | undefined): Promise<void> => {
  assert.ok(writer !== undefined, 'the build kept its worker');
  await assert.rejects(writer.writeFiles(scratch('write-closed'), []), /closed/);
};

describe('writing a build with the worker writing its share', () => {
  const packages = repository();

  it('gives the tree one thread writes, links included, and closes the worker', async () => {
    const out = scratch('write-out');
    const alone = await buildUniverse(packages);
    assert.equal(alone.writer, undefined);
    await writeBuild(alone, path.join(out, 'alone'));
    const shared = await buildUniverse(packages, { writer: true });
    const written = await writeBuild(shared, path.join(out, 'shared'));
    await closed(shared.writer);
    const a = snapshot(path.join(out, 'alone'));
    const b = snapshot(path.join(out, 'shared'));
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [file, [bytes, links]] of a) assert.deepEqual(b.get(file), [bytes, links], file);
    assert.equal(written.files, a.size);
    assert.ok([...a.values()].some(([, links]) => links > 1), 'the repository has identical files');
  });

  it('leaves the previous output whole, and no staging directory, when the other thread fails', async () => {
    const out = scratch('write-fail');
    const target = path.join(out, 'universe');
    await writeBuild(await buildUniverse(packages), target);
    const before = snapshot(target);
    const build = await buildUniverse(packages);
    let given: FileJob[] = [];
    let closes = 0;
    // Writes its first file, then fails as a full disk would, some time after this thread started.
    build.writer = {
      writeFiles: async (dir, jobs) => {
        given = [...jobs];
        await new Promise((r) => setTimeout(r, 20));
        const file = path.join(dir, (jobs[0] as FileJob).path);
        fs.writeFileSync(file, 'partial');
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: file });
      },
      close: () => void closes++,
    };
    // Reported on the output file it was writing, not on the staging directory that is gone.
    await assert.rejects(writeBuild(build, target), (e: unknown) => {
      assert.ok(e instanceof DiagnosticError);
      assert.deepEqual([e.diagnostic.file, e.diagnostic.rule], [path.join(target, (given[0] as FileJob).path), 'build-output']);
      assert.match(e.diagnostic.message, /^cannot write: ENOSPC: no space left on device, write; the previous output, if any, is left as it was$/);
      return true;
    });
    assert.ok(given.length > 0, 'the other thread had files to write');
    assert.equal(closes, 1, 'writeBuild closes the writer, failed or not');
    assert.deepEqual(fs.readdirSync(out), ['universe']);
    assert.deepEqual(snapshot(target), before);
  });

  it("reports the worker's own write errors with their code", async () => {
    const build = await buildUniverse(packages, { writer: true });
    const writer = build.writer as FileWriter;
    try {
      const missing = path.join(scratch('write-enoent'), 'no', 'such', 'dir');
      await assert.rejects(writer.writeFiles(missing, [{ path: 'x.json', parts: [Buffer.from('{}')] }]), (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && e.path === path.join(missing, 'x.json'));
    } finally {
      writer.close();
    }
  });

  it('writes the same from the command line with one thread (--jobs 1) as with two', async () => {
    const out = scratch('write-jobs');
    const one = await runCli(['build', packages, '--out', path.join(out, 'one'), '--jobs', '1']);
    const two = await runCli(['build', packages, '--out', path.join(out, 'two')]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.deepEqual(snapshot(path.join(out, 'one')), snapshot(path.join(out, 'two')));
    const bad = await runCli(['build', packages, '--out', path.join(out, 'bad'), '--jobs', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /option '--jobs <n>' argument '0' is invalid\. expected a positive integer/);
    assert.doesNotMatch(bad.stderr, STACK_TRACE);
    assert.equal(fs.existsSync(path.join(out, 'bad')), false);
  });

  it('does not keep the process alive when the output is never written', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const script = `import(${JSON.stringify(path.join(root, 'dist/generator/build/build.js'))}).then(async ({ buildUniverse }) => {
      const out = await buildUniverse(${JSON.stringify(packages)}, { writer: true });
      console.log(out.writer !== undefined, out.revisions);
    });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, 'it exited by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'true 27\n');
  });
});
