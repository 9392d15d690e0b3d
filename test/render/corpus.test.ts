import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadRevision } from '../../generator/model/revision.js';
import { renderMarathonApp } from '../../generator/render/revision.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../support/fixtures.js';

const skip = sharedAvailable() ? false : 'skipped: ../shared/corpus is not present';

function revisionDirs(): string[] {
  const out: string[] = [];
  for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR).sort())
    for (const name of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)).sort())
      for (const rev of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter, name)).sort((a, b) => Number(a) - Number(b)))
        out.push(path.join(CORPUS_PACKAGES_DIR, letter, name, rev));
  return out;
}

describe('every revision of the sample corpus renders with default options', { skip }, () => {
  it('renders to a Marathon app object, or is refused only for a required option without default', () => {
    const dirs = revisionDirs();
    assert.ok(dirs.length >= 90, `found ${dirs.length} revisions`);
    const refused: string[] = [];
    for (const dir of dirs) {
      const revision = loadRevision(dir);
      const r = renderMarathonApp(revision, { repoUri: 'https://universe.example/repo' });
      if (!r.ok) {
        assert.equal(r.kind, 'options_invalid', `${dir}: ${r.message}`);
        assert.ok(r.problems?.every((p) => p.message === 'is required'), `${dir}: ${r.message}`);
        refused.push(path.relative(CORPUS_PACKAGES_DIR, dir));
        continue;
      }
      assert.equal(typeof r.app.get('id'), 'string', dir);
      const labels = r.app.get('labels');
      assert.ok(labels instanceof Map && labels.get('DCOS_PACKAGE_NAME') === revision.name, dir);
      assert.equal((labels as Map<string, unknown>).get('DCOS_PACKAGE_SOURCE'), 'https://universe.example/repo');
    }
    // kafka-manager leaves application_secret required without a default: Cosmos refuses a
    // default install too, and the example value renders it.
    assert.deepEqual(refused, ['K/kafka-manager/0', 'K/kafka-manager/1', 'K/kafka-manager/2', 'K/kafka-manager/3']);
    for (const rel of refused) {
      const options = new Map([['kafka-manager', new Map([['application_secret', 'example']])]]);
      const r = renderMarathonApp(loadRevision(path.join(CORPUS_PACKAGES_DIR, rel)), { options, labels: false });
      assert.ok(r.ok, r.ok ? '' : r.message);
    }
  });
});
