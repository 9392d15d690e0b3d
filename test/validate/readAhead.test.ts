/**
 * The reader thread gives exactly what reading on the main thread gives (bytes, entries, and
 * the errors of what cannot be read), package by package in order; when it is gone, the main
 * thread reads instead; and a run with it reports what a run without it reports.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { REVISION_FILE_NAMES } from '../../generator/validate/findings.js';
import { readRevision, type RevisionRead } from '../../generator/load/revisionFiles.js';
import { ReadAhead } from '../../generator/load/readAhead.js';
import { validateRepository } from '../../generator/validate/pool.js';
import { READ_AHEAD_REVISIONS } from '../../generator/validate/start.js';
import { GOOD_PACKAGE, goodRevision, json, tempDir, writeRevision, type RevisionFiles } from './support.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ecr-universe.cjs');

let work: string;
let packages: string[][];

before(() => {
  work = tempDir('ecr-validate-read-');
  packages = [];
  for (let p = 0; p < 4; p++) {
    const name = `pkg${p}`;
    const dirs: string[] = [];
    for (let r = 0; r < 3; r++) {
      // Files of every size around the reader's 64 KiB buffer, so that it grows mid-package.
      const big = 'x'.repeat(p * 40_000 + r * 30_000);
      dirs.push(writeRevision(work, name, String(r), { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name, description: big }), 'notes.txt': 'not a revision file' }));
    }
    packages.push(dirs);
  }
  // A revision file that is a directory, one that is a dangling link, and a directory that is gone.
  const [first, second] = packages[1] as [string, string, string];
  fs.rmSync(path.join(first, 'marathon.json.mustache'));
  fs.mkdirSync(path.join(first, 'marathon.json.mustache'));
  fs.rmSync(path.join(second, 'config.json'));
  fs.symlinkSync(path.join(work, 'nowhere'), path.join(second, 'config.json'));
  (packages[2] as string[]).push(path.join(work, 'repo/packages/P/pkg2/9'));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A read with Buffers for bytes, for deepEqual. */
function comparable(read: RevisionRead): unknown {
  return { ...read, files: [...read.files].map(([name, v]) => [name, v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v]) };
}

describe('reading ahead', () => {
  it('gives what the main thread reads, errors included, in package order', async () => {
    const ahead = new ReadAhead(packages, REVISION_FILE_NAMES);
    try {
      for (const [i, dirs] of packages.entries()) {
        const got = await ahead.read(i);
        assert.deepEqual(got.map(comparable), dirs.map((d) => comparable(readRevision(d, REVISION_FILE_NAMES))), `package ${i}`);
      }
    } finally {
      await ahead.close();
    }
    const errors = packages.flat().map((d) => readRevision(d, REVISION_FILE_NAMES));
    assert.deepEqual(errors[3]?.files.get('marathon.json.mustache'), { error: 'EISDIR' });
    assert.deepEqual(errors[4]?.files.get('config.json'), { error: 'ENOENT' });
    assert.deepEqual(errors[9]?.entries, { error: 'ENOENT' });
  });

  it('reads on the main thread what the thread has not delivered when it stopped', async () => {
    const ahead = new ReadAhead(packages, REVISION_FILE_NAMES);
    await ahead.read(0);
    await ahead.close();
    const rest = await ahead.read(3);
    assert.deepEqual(rest.map(comparable), (packages[3] as string[]).map((d) => comparable(readRevision(d, REVISION_FILE_NAMES))));
  });

  it('changes nothing in the findings of a run', async () => {
    const root = tempDir('ecr-validate-read-run-');
    try {
      for (let i = 0; i < READ_AHEAD_REVISIONS + 10; i++) {
        const name = `pkg${i % 37}`;
        const files: RevisionFiles = { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name, version: `1.0.${i}` }) };
        if (i % 11 === 0) files['config.json'] = '{"type": "object", "properties": {,}}';
        writeRevision(root, name, String(Math.floor(i / 37)), files);
      }
      const dir = path.join(root, 'repo/packages/P/pkg5/1');
      fs.rmSync(path.join(dir, 'resource.json'));
      fs.mkdirSync(path.join(dir, 'resource.json'));
      const withReader = await validateRepository([root]);
      const without = await validateRepository([root], { jobs: 1 });
      assert.equal(withReader.revisions, READ_AHEAD_REVISIONS + 10);
      assert.ok(without.errors > 0);
      assert.ok(without.diagnostics.some((d) => d.rule === 'file-read' && d.message.includes('EISDIR')));
      assert.deepEqual(withReader.diagnostics, without.diagnostics);
      // node run with V8 options, which a worker thread refuses: the reader still starts.
      const cli = (args: string[]): string => {
        const r = spawnSync(process.execPath, [...args, CLI, 'validate', root, '--json'], { encoding: 'utf8' });
        assert.equal(r.status, 1, r.stderr);
        return r.stdout;
      };
      assert.equal(cli(['--max-old-space-size=512', '--stack-size=2000']), cli([]));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
