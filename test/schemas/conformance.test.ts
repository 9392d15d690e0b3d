/**
 * The project's schemas must accept and refuse exactly what the official ones do. Both are
 * compiled with ajv (same settings) and their verdicts compared on the corpus of ../shared, on
 * hand-written documents that use every member, and on mutations of all of them (cases.ts).
 * The public validate functions must agree with the verdicts too: no problem for a valid
 * document, at least one for an invalid one.
 */
import { strict as assert } from 'node:assert';
import { describe, it, type TestContext } from 'node:test';
import type { ValidateFunction } from 'ajv';
import { fromPlain, type PlainJson } from '../../generator/json/value.js';
import { validateMarathonApp } from '../../generator/schemas/marathon.js';
import { schemaValidator, type SchemaFile } from '../../generator/schemas/registry.js';
import { validateUniverseFile, validateUniverseRepo, type UniverseFileKind, type UniverseRepoVersion } from '../../generator/schemas/universe.js';
import {
  appCases,
  appMutationCases,
  configCases,
  configKeywordCases,
  corpus,
  corpusFileCases,
  packageCases,
  repoCases,
  repoMutationCases,
  resourceCases,
  type Case,
} from './cases.js';
import { officialAvailable, officialValidators, repoPackage } from './support.js';

const skip = officialAvailable() ? false : 'skipped: ../shared (reference/universe-schema, reference/marathon, corpus) is not present';

const FILE_SCHEMA: Record<UniverseFileKind, SchemaFile> = {
  package: 'universe/package-schema.json',
  config: 'universe/config-schema.json',
  'v2-resource': 'universe/v2-resource-schema.json',
  'v3-resource': 'universe/v3-resource-schema.json',
  command: 'universe/command-schema.json',
};
const FILE_KINDS = Object.keys(FILE_SCHEMA) as UniverseFileKind[];
const REPO_VERSIONS: UniverseRepoVersion[] = ['v3', 'v4', 'v5'];

interface Judge {
  name: string;
  official: ValidateFunction;
  mine: ValidateFunction;
  /** The public function's verdict: true when it reports no (error) problem. */
  api: (doc: PlainJson) => boolean;
}

const fileJudge = (kind: UniverseFileKind): Judge => ({
  name: kind,
  official: officialValidators().file[kind],
  mine: schemaValidator(FILE_SCHEMA[kind]),
  api: (doc) => validateUniverseFile(kind, fromPlain(doc)).length === 0,
});

const repoJudge = (version: UniverseRepoVersion): Judge => ({
  name: version,
  official: officialValidators().repo[version],
  mine: schemaValidator(`universe/${version}-repo-schema.json`),
  api: (doc) => validateUniverseRepo(version, doc).length === 0,
});

/** Unknown members are warnings for the app validator, but the schema verdict counts them. */
const appJudge = (): Judge => ({
  name: 'app',
  official: officialValidators().app,
  mine: schemaValidator('marathon/app.json'),
  api: (doc) => {
    const report = validateMarathonApp(fromPlain(doc));
    return report.errors.length === 0 && !report.warnings.some((w) => w.keyword === 'additionalProperties');
  },
});

/**
 * Compares the verdicts of every judge on every case. The public function is asked about
 * every `apiEvery`-th case only: it explains failures, which costs more than a verdict.
 */
function compare(t: TestContext, what: string, cases: readonly Case[], judges: readonly Judge[], apiEvery = 1): void {
  let compared = 0;
  let valid = 0;
  let throughApi = 0;
  const mismatches: string[] = [];
  for (const { label, doc } of cases) {
    for (const judge of judges) {
      compared++;
      const expected = judge.official(doc) as boolean;
      if (expected) valid++;
      const got = judge.mine(doc) as boolean;
      if (got !== expected) {
        mismatches.push(`${label} against ${judge.name}: official says ${expected ? 'valid' : 'invalid'}, ours ${got ? 'valid' : 'invalid'}`);
      } else if (compared % apiEvery === 0) {
        throughApi++;
        if (judge.api(doc) !== expected) mismatches.push(`${label} against ${judge.name}: the validate function says ${expected ? 'invalid' : 'valid'}`);
      }
    }
  }
  t.diagnostic(`${what}: ${compared} verdicts compared (${valid} valid, ${compared - valid} invalid), ${throughApi} also through the validate function`);
  assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} disagreements`);
  assert.ok(valid > 0 && compared - valid > 0, 'the cases hold both accepted and refused documents');
}

describe('universe file schemas give the official verdicts', { skip }, () => {
  it('on every file of every corpus revision, against all five file schemas', (t) => {
    compare(t, 'corpus files x 5 schemas', corpusFileCases(), FILE_KINDS.map(fileJudge));
  });

  it('on mutations of package.json (every one of a full package of each packaging version, a sample of each corpus one)', (t) => {
    compare(t, 'package.json mutations', packageCases(), [fileJudge('package')]);
  });

  it('on each draft-04 keyword with each probe value, in config.json', (t) => {
    compare(t, 'config.json keyword probes', configKeywordCases(), [fileJudge('config')], 3);
  });

  it('on mutations of every distinct config.json of the corpus', (t) => {
    compare(t, 'config.json mutations', configCases(), [fileJudge('config')], 5);
  });

  it('on mutations of resource.json and command.json, against both resource schemas and the command schema', (t) => {
    compare(t, 'resource.json and command.json mutations', resourceCases(), [fileJudge('v2-resource'), fileJudge('v3-resource'), fileJudge('command')], 5);
  });
});

describe('universe repository schemas give the official verdicts', { skip }, () => {
  it('on whole repositories built from the corpus as the Universe build does, and on each package alone', (t) => {
    compare(t, 'repository documents x 3 schemas', repoCases(), REPO_VERSIONS.map(repoJudge));
  });

  it('on mutations of repository entries', (t) => {
    compare(t, 'repository entry mutations x 3 schemas', repoMutationCases(), REPO_VERSIONS.map(repoJudge), 5);
  });

  it('accepts what the Universe build writes: every package in v5, the downgraded 2.0 and 3.0 set in v3', () => {
    const raw = corpus().map((rev) => repoPackage(rev));
    assert.deepEqual(validateUniverseRepo('v5', { packages: raw }), []);
    const v3 = corpus()
      .map((rev) => repoPackage(rev, true))
      .filter((p) => p.packagingVersion === '2.0' || p.packagingVersion === '3.0');
    assert.deepEqual(validateUniverseRepo('v3', fromPlain({ packages: v3 })), []);
  });
});

describe('the Marathon app schema gives the verdicts of AppDefinition.json', { skip }, () => {
  it('on the full apps, every rendered app of the render fixtures, and the probe values', (t) => {
    compare(t, 'apps', appCases(), [appJudge()]);
  });

  it('on mutations of the apps (every one of the full apps, a sample of each rendered app)', (t) => {
    compare(t, 'app mutations', appMutationCases(), [appJudge()], 5);
  });
});
