/**
 * The project's schemas and validators on inline cases (no ../shared needed): the schema files
 * themselves, accepted and refused documents with the problem each refusal must name, the
 * Marathon warnings, and properties that hold for any input.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { pointerTokens } from '../../generator/json/pointer.js';
import { fromPlain, toPlain, type JsonValue, type PlainJson } from '../../generator/json/value.js';
import {
  SCHEMA_FILES,
  schemaFilePath,
  schemaTimings,
  validateMarathonApp,
  validateUniverseFile,
  validateUniverseRepo,
  universeRepoSchemaPath,
  type SchemaProblem,
  type UniverseFileKind,
} from '../../generator/schemas/index.js';
import { valueAt } from '../../generator/schemas/plain.js';
import { createAjv, schemaDocument, schemaRegExp, schemaValidator, type SchemaFile } from '../../generator/schemas/registry.js';
import { ARGS_APP, FULL_APP, FULL_PACKAGES, type PlainObject } from './support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const file = (kind: UniverseFileKind, doc: PlainJson): SchemaProblem[] => validateUniverseFile(kind, fromPlain(doc));
const pkg = (version: string, extra: PlainObject = {}): PlainObject => ({
  packagingVersion: version,
  name: 'ecr-login',
  version: '1.0.0',
  maintainer: 'ops@example.com',
  description: 'ECR credential helper',
  tags: ['ecr'],
  ...extra,
});
const entry = (version: string, extra: PlainObject = {}): PlainObject => pkg(version, { releaseVersion: 0, marathon: { v2AppMustacheTemplate: 'e30=' }, ...extra });

/** The one problem of a document, or a failure that lists them all. */
function only(problems: SchemaProblem[]): SchemaProblem {
  assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
  return problems[0] as SchemaProblem;
}

describe('the schema files', () => {
  it('are valid draft-04 schemas', () => {
    const ajv = createAjv({ validateSchema: true });
    for (const name of SCHEMA_FILES) {
      const doc = JSON.parse(fs.readFileSync(schemaFilePath(name), 'utf8')) as object;
      assert.equal(ajv.validateSchema(doc), true, `${name}: ${JSON.stringify(ajv.errors)}`);
      assert.equal((doc as { $schema?: unknown }).$schema, 'http://json-schema.org/draft-04/schema#', name);
    }
  });

  it('live under schemas/ at the package root', () => {
    assert.equal(universeRepoSchemaPath('v4'), path.join(ROOT, 'schemas/universe/v4-repo-schema.json'));
    for (const name of SCHEMA_FILES) assert.ok(fs.existsSync(path.join(ROOT, 'schemas', name)), name);
  });

  it('refer only inside themselves, so each compiles alone', () => {
    for (const name of SCHEMA_FILES) {
      const text = fs.readFileSync(schemaFilePath(name), 'utf8');
      for (const m of text.matchAll(/"\$ref":\s*"([^"]*)"/g)) assert.ok((m[1] as string).startsWith('#'), `${name}: ${m[1]}`);
      assert.equal(typeof createAjv().compile(JSON.parse(text) as object), 'function', name);
    }
  });

  it('use only standard keywords in the Universe schemas, so a default (strict) ajv-draft-04 compiles them', () => {
    for (const name of SCHEMA_FILES.filter((f) => f.startsWith('universe/'))) {
      const ajv = createAjv({ strict: undefined, allErrors: false, verbose: false, unicodeRegExp: undefined, code: undefined, validateSchema: true });
      assert.equal(typeof ajv.compile(schemaDocument(name) as object), 'function', name);
    }
  });

  it('repeat shared definitions word for word (repo formats, resource versions)', () => {
    const definitions = (f: SchemaFile) => (schemaDocument(f) as { definitions: PlainObject }).definitions;
    const v5 = definitions('universe/v5-repo-schema.json');
    for (const older of ['universe/v3-repo-schema.json', 'universe/v4-repo-schema.json'] as const) {
      for (const [name, def] of Object.entries(definitions(older))) assert.deepEqual(def, v5[name], `${older} #/definitions/${name}`);
    }
    const v3 = definitions('universe/v3-resource-schema.json');
    for (const [name, def] of Object.entries(definitions('universe/v2-resource-schema.json'))) assert.deepEqual(def, v3[name], `resource #/definitions/${name}`);
  });

  it('mark the members Marathon deprecated', () => {
    const report = validateMarathonApp(fromPlain(FULL_APP));
    const deprecated = report.warnings.filter((w) => w.keyword === 'deprecated').map((w) => w.pointer);
    assert.deepEqual(deprecated, [
      '/container/docker/credential',
      '/container/docker/network',
      '/container/docker/portMappings',
      '/ipAddress',
      '/ipAddress/groups',
      '/ports',
      '/uris',
    ]);
    for (const w of report.warnings) {
      const at = valueAt(schemaDocument('marathon/app.json'), w.schemaPointer);
      assert.equal(at, true, `${w.schemaPointer} is a deprecated marker`);
    }
  });
});

describe('package.json', () => {
  it('accepts a minimal package and a full one of every packaging version', () => {
    for (const v of ['2.0', '3.0', '4.0', '5.0']) assert.deepEqual(file('package', pkg(v)), [], v);
    for (const full of FULL_PACKAGES) assert.deepEqual(file('package', full), [], String(full.packagingVersion));
  });

  it('names a missing member by its own pointer', () => {
    const { name: _name, ...noName } = pkg('4.0');
    const p = only(file('package', noName));
    assert.deepEqual([p.pointer, p.keyword, p.schemaPointer], ['/name', 'required', '/definitions/package-4.0/required']);
    assert.match(p.message, /`name` is required/);
  });

  it('reports the problems of the layout its packagingVersion names, not of the others', () => {
    const problems = file('package', pkg('3.0', { name: 'ECR', upgradesFrom: ['*'], lastUpdated: 'yesterday' }));
    assert.deepEqual(
      problems.map((p) => [p.pointer, p.keyword]),
      [
        ['/upgradesFrom', 'additionalProperties'],
        ['/name', 'pattern'],
        ['/lastUpdated', 'type'],
      ],
    );
    assert.match(problems[1]!.message, /`name` does not match the pattern .* \(found "ECR"\)/);
    assert.match(problems[2]!.message, /`lastUpdated` must be a number, not a string/);
  });

  it('lists the packaging versions when packagingVersion is none of them', () => {
    const p = only(file('package', pkg('6.0')));
    assert.equal(p.pointer, '/packagingVersion');
    assert.equal(p.keyword, 'enum');
    assert.equal(p.message, '`packagingVersion` must be one of "2.0", "3.0", "4.0", "5.0" (found "6.0")');
  });

  it('keeps 2.0 free of 3.0 members and 5.0 managers complete', () => {
    assert.equal(only(file('package', pkg('2.0', { minDcosReleaseVersion: '1.8' }))).pointer, '/minDcosReleaseVersion');
    assert.equal(only(file('package', pkg('5.0', { manager: { minPackageVersion: '1' } }))).pointer, '/manager/packageName');
    assert.deepEqual(file('package', pkg('2.0', { version: 'any thing' })), [], '2.0 versions are free text');
    assert.equal(only(file('package', pkg('4.0', { licenses: [{ name: 'x', url: 'ftp://example.com/l' }] }))).pointer, '/licenses/0/url');
    assert.equal(only(file('package', pkg('4.0', { minDcosReleaseVersion: '1.09' }))).pointer, '/minDcosReleaseVersion');
    assert.equal(only(file('package', pkg('4.0', { tags: ['two words'] }))).pointer, '/tags/0');
  });

  it('says once that a package must be an object', () => {
    const p = only(file('package', ['not', 'an', 'object']));
    assert.deepEqual([p.pointer, p.keyword], ['', 'type']);
    assert.equal(p.message, 'package.json must be an object, not an array');
  });
});

describe('config.json', () => {
  const config = { type: 'object', properties: { region: { type: 'string', default: 'us-east-1' } }, required: ['region'] };

  it('accepts a usual config and refuses broken keywords where they are', () => {
    assert.deepEqual(file('config', config), []);
    const bad = { ...config, properties: { region: { type: 'strin' }, port: { type: 'integer', exclusiveMinimum: true } }, required: [] };
    assert.deepEqual(
      file('config', bad).map((p) => [p.pointer, p.keyword]),
      [
        ['/required', 'minItems'],
        ['/properties/region/type', 'enum'],
        ['/properties/port/minimum', 'dependencies'],
      ],
    );
  });

  it('follows draft-04 where it is lenient: unknown keywords, format and $ref are not checked', () => {
    assert.deepEqual(file('config', { ...config, format: 7, $ref: 1, 'x-ui': { anything: true } }), []);
    assert.equal(only(file('config', { ...config, id: 'not a uri' })).keyword, 'format');
  });
});

describe('resource.json and command.json', () => {
  const cli = { binaries: { linux: { 'x86-64': { url: 'https://example.com/cli', kind: 'executable', contentHash: [{ algo: 'sha256', value: 'ab' }] } } } };

  it('allows cli in v3 resources only', () => {
    assert.deepEqual(file('v3-resource', { cli }), []);
    assert.equal(only(file('v2-resource', { cli })).pointer, '/cli');
  });

  it('checks cli binaries closely', () => {
    assert.equal(only(file('v3-resource', { cli: { binaries: {} } })).keyword, 'minProperties');
    const md5 = { binaries: { linux: { 'x86-64': { url: 'x', kind: 'zip', contentHash: [{ algo: 'md5', value: 'ab' }] } } } };
    const p = only(file('v3-resource', { cli: md5 }));
    assert.equal(p.pointer, '/cli/binaries/linux/x86-64/contentHash/0/algo');
    assert.equal(p.message, '`cli.binaries.linux.x86-64.contentHash[0].algo` must be "sha256" (found "md5")');
  });

  it('passes a resource that is not an object, as the official schemas do', () => {
    assert.deepEqual(file('v2-resource', 'icons'), []);
    assert.deepEqual(file('v3-resource', [1]), []);
  });

  it('wants command.json to be {"pip": [strings]}', () => {
    assert.deepEqual(file('command', { pip: ['a==1'] }), []);
    assert.equal(only(file('command', { pip: 'a==1' })).pointer, '/pip');
    assert.equal(only(file('command', {})).pointer, '/pip');
    assert.equal(only(file('command', 'pip')).pointer, '');
  });
});

describe('repository documents', () => {
  it('accepts each format with the packaging versions it carries', () => {
    assert.deepEqual(validateUniverseRepo('v3', { packages: [entry('2.0'), entry('3.0')] }), []);
    assert.deepEqual(validateUniverseRepo('v4', { packages: [entry('2.0'), entry('3.0'), entry('4.0', { upgradesFrom: ['*'] })] }), []);
    assert.deepEqual(validateUniverseRepo('v5', { packages: [entry('5.0', { manager: { packageName: 'm-m' } })] }), []);
    assert.deepEqual(validateUniverseRepo('v3', { packages: [] }), []);
  });

  it('refuses a packaging version the format does not know, naming the allowed ones', () => {
    const p = only(validateUniverseRepo('v3', { packages: [entry('3.0'), entry('4.0')] }));
    assert.equal(p.pointer, '/packages/1/packagingVersion');
    assert.equal(p.message, '`packages[1].packagingVersion` must be one of "2.0", "3.0" (found "4.0")');
  });

  it('checks the entries the build adds', () => {
    assert.equal(only(validateUniverseRepo('v5', { packages: [entry('4.0', { marathon: { v2AppMustacheTemplate: 'not base64!' } })] })).pointer, '/packages/0/marathon/v2AppMustacheTemplate');
    const { releaseVersion: _r, ...noRelease } = entry('3.0');
    assert.equal(only(validateUniverseRepo('v5', { packages: [noRelease] })).pointer, '/packages/0/releaseVersion');
    const { releaseVersion: _r2, ...legacy } = entry('2.0');
    assert.deepEqual(validateUniverseRepo('v5', { packages: [legacy] }), [], '2.0 entries may lack releaseVersion');
    assert.equal(only(validateUniverseRepo('v5', { packages: [entry('4.0', { command: { pip: [] } })] })).pointer, '/packages/0/command');
    assert.equal(only(validateUniverseRepo('v5', { packages: [entry('3.0', { releaseVersion: -1 })] })).keyword, 'minimum');
  });

  it('takes parsed JSON (Maps, JsonNumbers) and plain data alike', () => {
    const doc = { packages: [entry('3.0', { version: 'bad version' }), 'x'] };
    assert.deepEqual(validateUniverseRepo('v4', fromPlain(doc)), validateUniverseRepo('v4', doc));
    assert.deepEqual(
      validateUniverseRepo('v4', doc).map((p) => p.pointer),
      ['/packages/0/version', '/packages/1'],
    );
  });

  it('refuses other shapes of document', () => {
    assert.equal(only(validateUniverseRepo('v5', {})).pointer, '/packages');
    assert.equal(only(validateUniverseRepo('v5', { packages: [], more: 1 })).keyword, 'additionalProperties');
    assert.equal(only(validateUniverseRepo('v5', null)).message, 'the repository must be an object, not null');
  });
});

describe('Marathon apps', () => {
  const app = { id: '/ecr/helper', cmd: 'sleep 1', instances: 2, cpus: 0.1, mem: 32, constraints: [['hostname', 'UNIQUE']] };

  it('accepts the full apps with warnings only', () => {
    assert.deepEqual(validateMarathonApp(fromPlain(FULL_APP)).errors, []);
    assert.deepEqual(validateMarathonApp(fromPlain(ARGS_APP)), { errors: [], warnings: [] });
    assert.deepEqual(validateMarathonApp(fromPlain(app)), { errors: [], warnings: [] });
  });

  it('makes wrong types, bad values and missing data errors', () => {
    const { id: _id, ...noId } = app;
    const missing = only(validateMarathonApp(fromPlain(noId)).errors);
    assert.deepEqual([missing.pointer, missing.keyword, missing.message], ['/id', 'required', '`id` is required']);
    const report = validateMarathonApp(fromPlain({ ...app, instances: -1, cpus: '0.5', constraints: [['hostname', 'ONE_PER_HOST']] }));
    assert.deepEqual(
      report.errors.map((e) => [e.pointer, e.keyword]),
      [
        ['/instances', 'minimum'],
        ['/cpus', 'type'],
        ['/constraints/0/1', 'enum'],
      ],
    );
    assert.equal(report.errors[1]!.message, '`cpus` must be a number, not a string ("0.5")');
    assert.deepEqual(report.warnings, []);
  });

  it('refuses cmd and args together', () => {
    const e = only(validateMarathonApp(fromPlain({ ...app, args: ['x'] })).errors);
    assert.equal(e.keyword, 'not');
    assert.equal(e.message, 'the app must not have `cmd` and `args` together');
  });

  it('explains a value that fits none of the allowed forms', () => {
    const report = validateMarathonApp(fromPlain({ ...app, env: { A: 1, B: { secret: 'ok' }, C: { value: 'x' } }, unreachableStrategy: 'never' }));
    // `C` is an object: the secret form was meant, so `secret` is missing and `value` unknown (a warning).
    assert.deepEqual(
      report.errors.map((e) => [e.pointer, e.message]),
      [
        ['/env/A', '`env.A` must be a string or an object (found 1)'],
        ['/env/C/secret', '`env.C.secret` is required'],
        ['/unreachableStrategy', '`unreachableStrategy` must be "disabled" or an object (found "never")'],
      ],
    );
    assert.deepEqual(
      report.warnings.map((w) => [w.pointer, w.keyword]),
      [['/env/C/value', 'additionalProperties']],
    );
  });

  it('makes unknown members and deprecated ones warnings', () => {
    const report = validateMarathonApp(fromPlain({ ...app, maintainer: 'me', container: { docker: { image: 'nginx', network: 'BRIDGE' } } }));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(
      report.warnings.map((w) => [w.pointer, w.keyword]),
      [
        ['/maintainer', 'additionalProperties'],
        ['/container/docker/network', 'deprecated'],
      ],
    );
    assert.equal(report.warnings[0]!.message, "`maintainer` is not a field of Marathon's app schema");
    assert.match(report.warnings[1]!.message, /^`container.docker.network` is deprecated: use the top-level `networks` instead/);
  });

  it('reads null members as absent only when asked to', () => {
    const withNull = fromPlain({ ...app, labels: null, container: { docker: { image: 'nginx', forcePullImage: null } } });
    assert.deepEqual(
      validateMarathonApp(withNull).errors.map((e) => e.pointer),
      ['/container/docker/forcePullImage', '/labels'],
    );
    const lenient = validateMarathonApp(withNull, { nullAsAbsent: true });
    assert.deepEqual(lenient.errors, []);
    assert.deepEqual(
      lenient.warnings.map((w) => [w.pointer, w.keyword]),
      [
        ['/labels', 'null'],
        ['/container/docker/forcePullImage', 'null'],
      ],
    );
  });
});

/** Any JSON, as the project's parser gives it. */
const anyJson: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 4 }).map((v) => fromPlain(v));

describe('for any input', () => {
  const kinds: UniverseFileKind[] = ['package', 'config', 'v2-resource', 'v3-resource', 'command'];
  const files: Record<UniverseFileKind, SchemaFile> = {
    package: 'universe/package-schema.json',
    config: 'universe/config-schema.json',
    'v2-resource': 'universe/v2-resource-schema.json',
    'v3-resource': 'universe/v3-resource-schema.json',
    command: 'universe/command-schema.json',
  };

  /** A problem points into the document: at a member, or (required) at a missing member of an object that is there. */
  function wellPlaced(doc: PlainJson, schema: SchemaFile, p: SchemaProblem): boolean {
    const parent = pointerTokens(p.pointer).slice(0, -1);
    const parentPointer = parent.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    const placed = valueAt(doc, p.pointer) !== undefined || (p.pointer !== '' && valueAt(doc, parentPointer) !== undefined);
    const keywordThere = p.schemaPointer === '' || valueAt(schemaDocument(schema), p.schemaPointer) !== undefined;
    return placed && keywordThere && p.message.length > 0 && /[a-z]/.test(p.message);
  }

  it('reports problems exactly when the schema refuses, each well placed (universe files)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.oneof(anyJson, fc.constantFrom(...FULL_PACKAGES.map((p) => fromPlain(p)))), (kind, value) => {
        const doc = toPlain(value);
        const problems = validateUniverseFile(kind, value);
        assert.equal(problems.length === 0, schemaValidator(files[kind])(doc));
        for (const p of problems) assert.ok(wellPlaced(doc, files[kind], p), JSON.stringify(p));
      }),
      { numRuns: 400, seed: 4242 },
    );
  });

  it('reports problems exactly when the schema refuses, each well placed (apps with random members)', () => {
    const member = fc.tuple(fc.constantFrom(...Object.keys(FULL_APP), 'extra'), anyJson);
    fc.assert(
      fc.property(fc.array(member, { maxLength: 4 }), (members) => {
        const doc: PlainObject = { ...FULL_APP };
        for (const [k, v] of members) doc[k] = toPlain(v);
        const report = validateMarathonApp(fromPlain(doc));
        const refused = report.errors.length > 0 || report.warnings.some((w) => w.keyword === 'additionalProperties');
        assert.equal(refused, !schemaValidator('marathon/app.json')(doc));
        for (const p of [...report.errors, ...report.warnings]) assert.ok(wellPlaced(doc, 'marathon/app.json', p), JSON.stringify(p));
      }),
      { numRuns: 300, seed: 4243 },
    );
  });
});

describe('members named like Object.prototype properties', () => {
  const tricky = fc.constantFrom('toString', 'valueOf', 'constructor', '__proto__', 'hasOwnProperty', 'a');
  /** JSON (as the project's parser gives it) whose object keys are mostly Object.prototype names. */
  const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
    json: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom<JsonValue>(null, true, 'x', fromPlain(1), fromPlain(0)),
      fc.array(tie('json'), { maxLength: 3 }),
      fc.array(fc.tuple(tricky, tie('json')), { maxLength: 3 }).map((entries) => new Map(entries)),
    ),
  }));

  it('compares enum values as JSON, not through their toString or valueOf members', () => {
    const enumOf = (...values: PlainJson[]) => ({ type: 'object', properties: { a: { enum: values } } });
    assert.deepEqual(file('config', enumOf({}, { valueOf: 1 })), []);
    assert.deepEqual(file('config', enumOf({ toString: 'x' }, { toString: 'y' })), []);
    assert.equal(only(file('config', enumOf({ toString: 'x' }, { toString: 'x' }))).keyword, 'uniqueItems');
    assert.equal(only(file('config', enumOf({ constructor: [1] }, { constructor: [1] }))).keyword, 'uniqueItems');
  });

  it('never stop a validation', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const pair = [a, b];
        for (const kind of ['package', 'config', 'v2-resource', 'v3-resource', 'command'] as const) {
          validateUniverseFile(kind, a);
          validateUniverseFile(kind, fromPlain({ type: 'object', enum: [toPlain(a), toPlain(b)], required: ['x'] }));
        }
        validateUniverseFile('config', new Map<string, JsonValue>([['enum', pair], ['properties', new Map([['p', new Map([['enum', pair]])]])]]));
        validateUniverseRepo('v5', new Map([['packages', pair]]));
        validateMarathonApp(new Map<string, JsonValue>([['id', '/x'], ['env', a], ['labels', b], ['container', a]]), { nullAsAbsent: true });
      }),
      { numRuns: 500, seed: 4244 },
    );
  });

  it('give the verdicts of ajv\'s own uniqueItems on ordinary arrays', () => {
    const require = createRequire(import.meta.url);
    const Ajv04 = (require('ajv-draft-04') as { default: new (o: object) => { compile(s: object): (d: unknown) => boolean } }).default;
    const builtin = new Ajv04({ strict: false }).compile({ uniqueItems: true });
    const ours = createAjv().compile({ uniqueItems: true });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(1, 1.0, '1', [1], { a: 1 }, { a: [1] })), { maxLength: 6 }), (items) => {
        assert.equal(ours(items), builtin(items));
      }),
      { numRuns: 1000, seed: 4245 },
    );
  });
});

describe('pattern', () => {
  it('tests the repo schemas\' base64 pattern as the regular expression does', () => {
    const pattern = '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$';
    assert.ok(JSON.stringify(schemaDocument('universe/v5-repo-schema.json')).includes(JSON.stringify(pattern)));
    const fast = schemaRegExp(pattern, '');
    assert.ok(!(fast instanceof RegExp));
    const slow = new RegExp(pattern);
    const chars = fc.constantFrom(...'AZaz09+/=-_ \n\u00e9'.split(''), 'QUJD', 'e30=', '==');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join('')), (s) => {
        assert.equal(fast.test(s), slow.test(s), JSON.stringify(s));
      }),
      { numRuns: 5000, seed: 99 },
    );
    // Base64 of random bytes, and the same with one character changed (non-canonical, base64url, invalid).
    const encoded = fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.constantFrom('', 'A', 'B', 'Q', '=', '-', '_', '+', '/', ' ')).map(([bytes, at, c]) => {
      const text = Buffer.from(bytes).toString('base64');
      const i = text.length === 0 ? 0 : at % text.length;
      return c === '' ? text : text.slice(0, i) + c + text.slice(i + 1);
    });
    fc.assert(
      fc.property(encoded, (s) => {
        assert.equal(fast.test(s), slow.test(s), JSON.stringify(s));
      }),
      { numRuns: 5000, seed: 7 },
    );
    for (const s of ['', 'e30=', 'e30', 'QUJD', 'QQ==', 'QR==', 'QUI=', 'QUJ=', 'Q===', '====', 'QUJDRA==', 'QUJD\n', 'QU JD', Buffer.from('{"id": "x"}').toString('base64')]) assert.equal(fast.test(s), slow.test(s), s);
    assert.ok(schemaRegExp('^a$', '') instanceof RegExp);
  });
});

describe('cost', () => {
  it('loads nothing of ajv until a validation needs it, and not its compiler when the validators are precompiled', () => {
    const script = [
      `const m = await import(${JSON.stringify(path.join(ROOT, 'generator/schemas/index.ts'))});`,
      `const registry = await import(${JSON.stringify(path.join(ROOT, 'generator/schemas/registry.ts'))});`,
      `const { createRequire } = await import('node:module');`,
      `const cache = createRequire(import.meta.url).cache;`,
      // Precompiled modules load through vm.Script (for their code cache), not require: the registry lists them.
      `const loaded = (part) => Object.keys(cache).some((k) => k.includes(part)) || [...registry.precompiledCodeCaches().keys()].some((k) => k.includes(part));`,
      `const before = [m.schemaTimings().loadAjv === undefined, loaded('/node_modules/ajv'), loaded('/precompiled/')];`,
      `const problems = m.validateUniverseFile('command', 'x').length;`,
      `console.log(JSON.stringify([...before, problems, m.schemaTimings().loadAjv === undefined, loaded('/node_modules/ajv/dist/core.js'), loaded('/precompiled/explain/universe/command-schema.cjs')]));`,
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), [true, false, false, 1, true, false, true]);
  });

  it('compiles each schema once and validates a revision in well under a millisecond', (t) => {
    const docs = FULL_PACKAGES.map((p) => fromPlain(p));
    validateUniverseFile('package', docs[0] as JsonValue);
    const rounds = 300;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) for (const d of docs) validateUniverseFile('package', d);
    const perDoc = (performance.now() - start) / (rounds * docs.length);
    const timings = schemaTimings();
    t.diagnostic(`ajv loaded in ${timings.loadAjv?.toFixed(0)} ms; compiled ${Object.entries(timings.compile).map(([f, ms]) => `${f} ${ms?.toFixed(0)} ms`).join(', ')}`);
    t.diagnostic(`package.json: ${(perDoc * 1000).toFixed(0)} µs per valid document`);
    assert.ok(perDoc < 1, `${perDoc} ms per package.json`);
  });
});
