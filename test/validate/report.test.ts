/**
 * Printed file paths: the quick relative paths (a normalized file below a normalized working
 * directory is cut, not resolved) are path.resolve's and path.relative's for every file and
 * working directory, in the JSON output (relativeToFor) and in the compiler-like lines
 * (relativeFile).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as path from 'node:path';
import { relativeFile } from '../../generator/diagnostics/diagnostic.js';
import { relativeTo, relativeToFor } from '../../generator/validate/report.js';

const segment = fc.constantFrom('a', 'b', 'repo', 'packages', 'E', '0', '.', '..', '', '...', 'x.json', '.hidden');
const pathText = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 })).map(([absolute, parts]) => `${absolute ? '/' : ''}${parts.join('/')}`);
const cwdText = fc.oneof(fc.constantFrom('/', '/a', '/a/b', '/repo', '/a/'), pathText.filter((p) => p.startsWith('/')));

describe('relativeToFor', () => {
  it('gives what path.resolve and path.relative give', () => {
    fc.assert(
      fc.property(cwdText, pathText, (cwd, file) => {
        assert.equal(relativeToFor(cwd)(file), relativeTo(cwd, file), `${cwd} ${file}`);
      }),
      { numRuns: 20000, seed: 5 },
    );
    const under = relativeToFor('/tmp/work');
    assert.equal(under('/tmp/work/repo/packages/E/e/0/package.json'), 'repo/packages/E/e/0/package.json');
    assert.equal(under('/tmp/workshop/x'), '../workshop/x');
    assert.equal(under('/tmp/work'), '.');
    assert.equal(under('repo/../x'), 'x');
  });

  it('prints a diagnostic\'s file as path.relative does, absolute outside the working directory', () => {
    const reference = (file: string, cwd: string): string => {
      if (!path.isAbsolute(file)) return file;
      const rel = path.relative(cwd, file);
      // Outside: `..` or below it (a name that merely starts with two dots is inside).
      if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return file;
      return rel === '' ? '.' : rel;
    };
    fc.assert(
      fc.property(cwdText, pathText, (cwd, file) => {
        assert.equal(relativeFile(file, cwd), reference(file, cwd), `${cwd} ${file}`);
      }),
      { numRuns: 20000, seed: 6 },
    );
  });
});
