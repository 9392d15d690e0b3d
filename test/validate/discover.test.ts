/** From PATHs to packages and revisions, and the layout findings of the directories above them. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discover, pathKind, PathError } from '../../generator/validate/discover.js';
import { validateRepository } from '../../generator/validate/pool.js';
import { GOOD_PACKAGE, goodRevision, json, tempDir, writeRevision } from './support.js';

let work: string;
let packages: string;

before(() => {
  work = tempDir('ecr-validate-discover-');
  writeRevision(work, 'demo', '0', goodRevision());
  writeRevision(work, 'demo', '1', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, version: '1.1.0', upgradesFrom: ['1.0.0'] }) });
  writeRevision(work, 'delta', '2', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name: 'delta' }) });
  packages = path.join(work, 'repo/packages');
  fs.writeFileSync(path.join(packages, 'README.md'), 'stray\n');
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('discover', () => {
  it('tells the PATH kinds apart', () => {
    assert.equal(pathKind(work, work).kind, 'packages');
    assert.equal(pathKind(work, work).dir, packages);
    assert.equal(pathKind(packages, packages).kind, 'packages');
    assert.equal(pathKind('D', path.join(packages, 'D')).kind, 'letter');
    assert.equal(pathKind('demo', path.join(packages, 'D/demo')).kind, 'package');
    assert.equal(pathKind('0', path.join(packages, 'D/demo/0')).kind, 'revision');
    assert.throws(() => pathKind('x', path.join(work, 'missing')), PathError);
    assert.throws(() => pathKind('f', path.join(packages, 'README.md')), PathError);
  });

  it('walks a repository: packages in name order, revisions in release order, stray entries reported', () => {
    const found = discover([work]);
    assert.deepEqual(found.packages.map((p) => path.basename(p.dir)), ['delta', 'demo']);
    assert.deepEqual(found.packages[1]!.revisions.map((r) => path.basename(r)), ['0', '1']);
    assert.ok(found.packages.every((p) => p.complete));
    assert.deepEqual(found.diagnostics.map((d) => [d.rule, path.basename(d.file)]), [['layout-letter-dir', 'README.md']]);
  });

  it('names a revision once when PATHs overlap', () => {
    const found = discover([path.join(packages, 'D/demo/1'), path.join(packages, 'D/demo'), path.join(packages, 'D/demo/1')]);
    assert.equal(found.packages.length, 1);
    assert.deepEqual(found.packages[0]!.revisions.map((r) => path.basename(r)), ['0', '1']);
  });

  it('a revision named alone still sees its siblings\' versions for upgradesFrom', async () => {
    const s = await validateRepository([path.join(packages, 'D/demo/1')], { jobs: 1 });
    assert.equal(s.revisions, 1);
    assert.deepEqual(s.diagnostics.filter((d) => d.rule === 'version-upgrade-path'), []);
  });
});
