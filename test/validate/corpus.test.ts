/**
 * The sample of the public Universe (../shared/corpus) validates with no error: every finding
 * on real, published revisions is a warning (undeclared names, deprecated Marathon fields,
 * non-semver versions), and kafka-manager's required option without a default renders with
 * an example value instead of failing.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { validateRepository } from '../../generator/validate/pool.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../support/fixtures.js';
import { describeDiagnostics } from './support.js';

const skip = sharedAvailable() ? false : 'skipped: ../shared/corpus is not present';

describe('the sample corpus validates with 0 errors', { skip }, () => {
  it('every revision, every check, every DC/OS version it claims', async () => {
    const s = await validateRepository([CORPUS_PACKAGES_DIR], { jobs: 1 });
    assert.equal(s.revisions, 95);
    assert.equal(s.errors, 0, describeDiagnostics({ ...s, diagnostics: s.diagnostics.filter((d) => d.severity === 'error') }));
    const rules = new Set(s.diagnostics.map((d) => d.rule));
    // What real repositories legitimately carry, seen here.
    for (const r of ['template-undeclared', 'marathon-deprecated', 'marathon-unknown-field', 'version-semver']) assert.ok(rules.has(r), `no ${r}`);
    assert.ok(s.diagnostics.some((d) => d.rule === 'template-undeclared' && d.file.includes('/C/chronos/') && d.message.includes('{{chronos.assets_path}}')));
    assert.ok(!s.diagnostics.some((d) => d.file.includes('/K/kafka-manager/') && d.severity === 'error'));
  });

  it('--warnings-as-errors turns every finding into an error', async () => {
    const s = await validateRepository([CORPUS_PACKAGES_DIR], { jobs: 1, warningsAsErrors: true, dcosVersion: '2.0' });
    assert.equal(s.warnings, 0);
    assert.ok(s.errors > 0);
  });
});
