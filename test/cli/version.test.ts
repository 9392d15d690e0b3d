import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_VERSION } from '../../generator/version.js';
import { PROJECT_ROOT, runCli } from '../support/cli.js';

describe('version', () => {
  it('is package.json\'s, and --version prints it', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(PROJECT_VERSION, pkg.version);
    const r = await runCli(['--version']);
    assert.deepEqual([r.code, r.stdout], [0, `${pkg.version}\n`]);
  });
});
