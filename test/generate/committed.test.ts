import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkGenerated } from '../../generator/generate/index.js';
import { PROJECT_ROOT } from '../support/cli.js';

describe('the committed repo/ and README', () => {
  it('are what `ecr-universe generate` makes of ecr-universe.yaml (run `npm start` after changing it)', () => {
    const result = checkGenerated({
      configFile: path.join(PROJECT_ROOT, 'ecr-universe.yaml'),
      repoDir: path.join(PROJECT_ROOT, 'repo'),
      readmeFile: path.join(PROJECT_ROOT, 'README.md'),
    });
    assert.deepEqual(result.files.map((f) => path.relative(PROJECT_ROOT, f)), []);
  });
});
