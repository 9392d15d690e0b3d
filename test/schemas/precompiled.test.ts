/**
 * The precompiled validators (dist/precompiled, written by `npm run build` and by `npm test`
 * before the tests) must be the validators ajv compiles at run time: the same verdict and the
 * same errors, down to the schema objects the errors name, on every document of the schema
 * tests (corpus files and their mutations when ../shared is there, the inline cases always),
 * for both profiles and every sub-schema they hold. A module made from another schema text is
 * not used.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { PlainJson } from '../../generator/json/value.js';
import { precompiledFragments, PROFILES } from '../../generator/schemas/precompile.js';
import {
  compileValidator,
  precompiledPath,
  precompiledValidator,
  schemaDocument,
  SCHEMA_FILES,
  type SchemaFile,
  type ValidatorProfile,
} from '../../generator/schemas/registry.js';
import { appCases, appMutationCases, configCases, configKeywordCases, corpusFileCases, packageCases, repoCases, repoMutationCases, resourceCases, type Case } from './cases.js';
import { officialAvailable, type PlainObject } from './support.js';
import { ARGS_APP, FULL_APP, FULL_PACKAGES } from './support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** An error as a comparable value; schema objects by identity, as a name of where they are. */
function comparable(errors: readonly ErrorObject[] | null | undefined, names: Map<unknown, number>): unknown[] {
  const nameOf = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    let n = names.get(v);
    if (n === undefined) names.set(v, (n = names.size));
    return `#object${n}`;
  };
  return (errors ?? []).map((e) => ({ ...e, schema: nameOf(e.schema), parentSchema: nameOf(e.parentSchema), data: nameOf(e.data) }));
}

function same(pre: ValidateFunction, compiled: ValidateFunction, doc: unknown, label: string): void {
  const verdict = pre(doc);
  assert.equal(verdict, compiled(doc), label);
  const names = new Map<unknown, number>();
  assert.deepEqual(comparable(pre.errors, names), comparable(compiled.errors, names), label);
}

const KIND_FILES: Record<string, SchemaFile[]> = {
  package: ['universe/package-schema.json'],
  config: ['universe/config-schema.json'],
  resource: ['universe/v2-resource-schema.json', 'universe/v3-resource-schema.json', 'universe/command-schema.json'],
  repo: ['universe/v3-repo-schema.json', 'universe/v4-repo-schema.json', 'universe/v5-repo-schema.json'],
  app: ['marathon/app.json'],
};

/** Each top-level member of `doc` left out, and given a value of the wrong type. */
function memberMutations(doc: PlainObject, label: string): Case[] {
  return Object.keys(doc).flatMap((key) => {
    const { [key]: _left, ...without } = doc;
    return [
      { label: `${label} without ${key}`, doc: without },
      { label: `${label} with ${key}: 7`, doc: { ...doc, [key]: typeof doc[key] === 'number' ? 'x' : 7 } },
    ];
  });
}

/** Documents that need no ../shared: full documents of every kind, and their members broken one by one. */
function inlineCases(): Record<string, Case[]> {
  const repoEntry = (p: PlainObject): PlainObject => ({ ...p, releaseVersion: 0, marathon: { v2AppMustacheTemplate: 'e30=' } });
  return {
    package: [
      ...FULL_PACKAGES.map((doc, i) => ({ label: `full package ${i}`, doc })),
      ...FULL_PACKAGES.flatMap((doc, i) => memberMutations(doc, `full package ${i}`)),
      { label: 'empty', doc: {} },
      { label: 'no object', doc: [1] },
    ],
    config: [{ label: 'config', doc: { type: 'object', properties: { a: { type: 'string', enum: [{}, { valueOf: 1 }, {}] } } } }, { label: 'bad', doc: { type: 7, required: [] } }],
    resource: [{ label: 'resource', doc: { assets: { uris: { a: 'https://x' }, container: { docker: { a: 'b' } } } } }, { label: 'bad', doc: { assets: 1 } }],
    repo: [{ label: 'entries', doc: { packages: FULL_PACKAGES.map(repoEntry) } }, { label: 'bad', doc: { packages: [{ packagingVersion: '9.0' }] } }],
    app: [
      ...[FULL_APP, ARGS_APP, { id: 1, cmd: [], instances: -1, container: { type: 'X', docker: { image: '' } } }].map((doc, i) => ({ label: `app ${i}`, doc })),
      ...memberMutations(FULL_APP, 'full app'),
    ],
  };
}

/** A third of the schema tests' documents (every third one: each kind of mutation is in it), for time. */
function sharedCases(): Record<string, Case[]> {
  if (!officialAvailable()) return {};
  const third = (cases: Case[]): Case[] => cases.filter((_, i) => i % 3 === 0);
  return mapValues({
    package: packageCases(),
    config: [...configCases(), ...configKeywordCases()],
    resource: [...resourceCases(), ...corpusFileCases()],
    repo: [...repoCases(), ...repoMutationCases()],
    app: [...appCases(), ...appMutationCases()],
  }, third);
}

function mapValues<T>(record: Record<string, T>, f: (value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

describe('precompiled validators', () => {
  it('are built for every profile and schema file', () => {
    for (const profile of PROFILES) {
      for (const file of SCHEMA_FILES) {
        assert.ok(fs.existsSync(precompiledPath(profile, file)), `${precompiledPath(profile, file)} is missing: npm run build writes it`);
        assert.ok(precompiledValidator(profile, file, '') !== undefined, `${profile} ${file} is not used`);
      }
    }
  });

  it('give the verdicts and errors of validators compiled at run time', (t) => {
    const cases = inlineCases();
    for (const [kind, more] of Object.entries(sharedCases())) cases[kind]?.push(...more);
    let compared = 0;
    for (const profile of PROFILES) {
      for (const [kind, list] of Object.entries(cases)) {
        for (const file of KIND_FILES[kind] ?? []) {
          const pre = precompiledValidator(profile as ValidatorProfile, file, '') as ValidateFunction;
          const compiled = compileValidator(profile as ValidatorProfile, file, '');
          assert.notEqual(pre, compiled);
          for (const c of list) {
            same(pre, compiled, c.doc, `${profile} ${file}: ${c.label}`);
            compared++;
          }
        }
      }
    }
    t.diagnostic(`${compared} documents compared${officialAvailable() ? '' : ' (inline cases only: ../shared is not present)'}`);
    // Every case against every schema of its kind, in both profiles; with ../shared, the corpus and its mutations too.
    const expected = PROFILES.length * Object.entries(cases).reduce((n, [kind, list]) => n + (KIND_FILES[kind]?.length ?? 0) * list.length, 0);
    assert.equal(compared, expected);
    if (officialAvailable()) assert.ok(compared > 50_000, `${compared} documents compared`);
  });

  it('hold every definition and alternative, each as compiled at run time', () => {
    for (const profile of PROFILES) {
      for (const file of SCHEMA_FILES) {
        const fragments = precompiledFragments(schemaDocument(file));
        for (const fragment of fragments) {
          const pre = precompiledValidator(profile, file, fragment);
          assert.ok(pre !== undefined, `${profile} ${file}#${fragment}`);
          const compiled = compileValidator(profile, file, fragment);
          for (const doc of [{}, [], 'x', 1, null, { type: 'x', packagingVersion: '4.0', name: 1, id: '/x' }] as PlainJson[]) same(pre, compiled, doc, `${profile} ${file}#${fragment}`);
        }
      }
    }
  });

  it('are not used for a schema file whose text changed', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-precompiled-'));
    try {
      fs.cpSync(path.join(ROOT, 'dist/generator'), path.join(tmp, 'dist/generator'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'dist/precompiled'), path.join(tmp, 'dist/precompiled'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'schemas'), path.join(tmp, 'schemas'), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'package.json'), '{"name": "ecr-universe", "type": "module"}');
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
      // command.json now needs `pip` to hold at least two items: the old validator would accept one.
      const commandFile = path.join(tmp, 'schemas/universe/command-schema.json');
      const command = JSON.parse(fs.readFileSync(commandFile, 'utf8')) as { oneOf: { properties: { pip: { minItems?: number } } }[] };
      (command.oneOf[0] as (typeof command.oneOf)[0]).properties.pip.minItems = 2;
      fs.writeFileSync(commandFile, JSON.stringify(command, null, 2));
      const script = [
        `const m = await import(${JSON.stringify(path.join(tmp, 'dist/generator/schemas/index.js'))});`,
        `const { fromPlain } = await import(${JSON.stringify(path.join(tmp, 'dist/generator/json/value.js'))});`,
        `const command = m.validateUniverseFile('command', fromPlain({ pip: ['https://example.com/x.whl'] })).map((p) => p.keyword);`,
        `const pkg = m.validateUniverseFile('package', fromPlain({})).length > 0;`,
        `const t = m.schemaTimings();`,
        `console.log(JSON.stringify({ command, pkg, compiled: Object.keys(t.compile), precompiled: Object.keys(t.loadPrecompiled) }));`,
      ].join('\n');
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmp, encoding: 'utf8' })) as Record<string, unknown>;
      assert.deepEqual(out, { command: ['minItems'], pkg: true, compiled: ['universe/command-schema.json'], precompiled: ['explain'] });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
