/**
 * The draft-04 interpreter gives ajv's verdicts: random schemas built from every keyword it
 * interprets (with the corner cases: inherited member names, __proto__, formats, unicode
 * lengths, multipleOf with fractions), random data, the same answer as ajv set up like the
 * render engine; and on the corpus's config.json files with their defaults.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseJson } from '../../generator/json/parse.js';
import { toPlain, type PlainJson } from '../../generator/json/value.js';
import { extractDefaults } from '../../generator/render/context.js';
import { renderEra } from '../../generator/render/eras.js';
import { validateOptions } from '../../generator/render/options.js';
import { schemaForAjv } from '../../generator/validate/checks/configSchema.js';
import { interpretSchema } from '../../generator/validate/checks/interpret.js';
import { createAjv, schemaDocument, schemaValidator, SCHEMA_FILES, type SchemaFile } from '../../generator/schemas/registry.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../support/fixtures.js';

/** ajv as the render engine sets it up (allErrors does not change a verdict). */
const ajv = createAjv({ allErrors: false, verbose: false, addUsedSchema: false });

const KEYS = ['a', 'b', 'ab', 'constructor', 'toString', '__proto__'];
const key = fc.constantFrom(...KEYS);
const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, 1.5, -0.25, 1e21, 2 ** 31), fc.constantFrom('', 'a', 'ab', 'b1', 'A', '😀x', '2020-01-01T00:00:00Z', 'user@example.com', 'example.com', '127.0.0.1', '::1', '(', 'http://x.y/z', 'a b'));

const data: fc.Arbitrary<PlainJson> = fc.letrec<{ value: PlainJson }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }).map((o) => {
      // Own members, __proto__ included, as toPlain defines them.
      const out: { [k: string]: PlainJson } = {};
      for (const [k, v] of Object.entries(o)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    }),
  ),
})).value;

const typeName = fc.constantFrom('null', 'boolean', 'object', 'array', 'number', 'integer', 'string');

const schema: fc.Arbitrary<PlainJson> = fc.letrec<{ schema: PlainJson }>((tie) => {
  const sub = tie('schema');
  const keywords = fc.record(
    {
      type: fc.oneof(typeName, fc.uniqueArray(typeName, { minLength: 1, maxLength: 3 })),
      enum: fc.array(fc.oneof(scalar, fc.constant([1]), fc.constant({ a: 1 })), { minLength: 1, maxLength: 3 }),
      maximum: fc.constantFrom(0, 1, 2.5, 10),
      minimum: fc.constantFrom(-1, 0, 1, 0.5),
      exclusiveMaximum: fc.boolean(),
      exclusiveMinimum: fc.boolean(),
      multipleOf: fc.constantFrom(0.5, 1, 2, 3, 0.1, 0.01),
      maxLength: fc.nat(3),
      minLength: fc.nat(3),
      pattern: fc.constantFrom('^a', 'b$', '^[a-z]+$', '\\d', '.*', '^$', '^\\w+$'),
      format: fc.constantFrom('date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uri', 'date', 'made-up'),
      items: fc.oneof(sub, fc.array(sub, { maxLength: 2 })),
      additionalItems: fc.oneof(fc.boolean(), sub),
      maxItems: fc.nat(3),
      minItems: fc.nat(3),
      uniqueItems: fc.boolean(),
      properties: fc.dictionary(key, sub, { maxKeys: 3 }),
      required: fc.uniqueArray(key, { maxLength: 3 }),
      additionalProperties: fc.oneof(fc.boolean(), sub),
      patternProperties: fc.dictionary(fc.constantFrom('^a', 'b', '^t'), sub, { maxKeys: 2 }),
      dependencies: fc.dictionary(key, fc.oneof(fc.uniqueArray(key, { maxLength: 2 }), sub), { maxKeys: 2 }),
      maxProperties: fc.nat(3),
      minProperties: fc.nat(3),
      allOf: fc.array(sub, { minLength: 1, maxLength: 2 }),
      anyOf: fc.array(sub, { minLength: 1, maxLength: 2 }),
      oneOf: fc.array(sub, { minLength: 1, maxLength: 3 }),
      not: sub,
      default: scalar,
      description: fc.constant('d'),
    },
    { requiredKeys: [] },
  );
  return {
    schema: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant({}),
      fc.constant({ $ref: '#/definitions/d' }),
      fc.constant({ $ref: '#/definitions/d', type: 'string' }),
      keywords.map((k) => k as PlainJson),
    ),
  };
}).schema;

/** A root schema whose `definitions/d` (free of `$ref`s) the random refs point to. */
const rootSchema: fc.Arbitrary<PlainJson> = fc.tuple(schema, schema.filter((d) => !JSON.stringify(d).includes('$ref'))).map(([s, d]) =>
  typeof s === 'object' && s !== null && !Array.isArray(s) ? { ...s, definitions: { d } } : s,
);

/** Maps built with defineProperty (a dictionary key __proto__ must stay an own member). */
function own(value: PlainJson): PlainJson {
  if (Array.isArray(value)) return value.map(own);
  if (typeof value !== 'object' || value === null) return value;
  const out: { [k: string]: PlainJson } = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: own(v), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('the draft-04 interpreter', () => {
  it('gives ajv\'s verdict on random schemas and data', () => {
    let interpreted = 0;
    fc.assert(
      fc.property(rootSchema, fc.array(data, { minLength: 1, maxLength: 4 }), (s, values) => {
        const prepared = schemaForAjv(own(s));
        const mine = interpretSchema(prepared);
        if (mine === undefined) return;
        interpreted++;
        const theirs = ajv.compile(prepared as object);
        for (const v of values) {
          let verdict: boolean;
          try {
            verdict = theirs(v);
          } catch {
            continue; // see below: ajv's deep equality and an own `toString` member
          }
          assert.equal(mine(v), verdict, `schema ${JSON.stringify(s)}\ndata ${JSON.stringify(v)}`);
        }
      }),
      { numRuns: 1000 },
    );
    assert.ok(interpreted > 400, `only ${interpreted} schemas interpreted`);
  });

  it('declines what it does not interpret', () => {
    const declined: PlainJson[] = [
      { $ref: '#/definitions/missing' },
      { $ref: 'http://example.com/schema' },
      { id: 'http://example.com/x', type: 'string' },
      { const: 1 },
      { properties: { a: true } },
      { pattern: '(' },
      { exclusiveMaximum: true },
      { minLength: 1.5 },
      { type: 'any' },
      { nullable: true, type: 'string' },
    ];
    for (const s of declined) {
      assert.equal(interpretSchema(s), undefined, JSON.stringify(s));
    }
  });

  it('agrees with the render engine on the corpus config.json files and their defaults', { skip: sharedAvailable() ? false : 'skipped: ../shared is not present' }, () => {
    let n = 0;
    for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR))
      for (const name of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)))
        for (const rev of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter, name))) {
          const f = path.join(CORPUS_PACKAGES_DIR, letter, name, rev, 'config.json');
          if (!fs.existsSync(f)) continue;
          const config = parseJson(fs.readFileSync(f, 'utf8')).value;
          const mine = interpretSchema(schemaForAjv(toPlain(config)));
          assert.ok(mine !== undefined, `${f} is not interpreted`);
          for (const era of ['1.10', '2.0'] as const) {
            const defaults = extractDefaults(config, renderEra(era));
            assert.equal(mine(toPlain(defaults)), validateOptions(config, defaults).length === 0, f);
            n++;
          }
        }
    assert.ok(n > 100);
  });

  it('gives the verdicts of the project\'s schemas (generator/schemas) on corpus files and their mutations', { skip: sharedAvailable() ? false : 'skipped: ../shared is not present' }, () => {
    const byFile: [SchemaFile, string][] = [
      ['universe/package-schema.json', 'package.json'],
      ['universe/config-schema.json', 'config.json'],
      ['universe/v2-resource-schema.json', 'resource.json'],
      ['universe/v3-resource-schema.json', 'resource.json'],
      ['universe/command-schema.json', 'command.json'],
    ];
    const docs = new Map<string, PlainJson[]>();
    for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR))
      for (const name of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)))
        for (const rev of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter, name)))
          for (const file of ['package.json', 'config.json', 'resource.json', 'command.json']) {
            const f = path.join(CORPUS_PACKAGES_DIR, letter, name, rev, file);
            if (fs.existsSync(f)) docs.set(file, [...(docs.get(file) ?? []), JSON.parse(fs.readFileSync(f, 'utf8')) as PlainJson]);
          }
    for (const [schemaFile, file] of byFile) {
      const mine = interpretSchema(schemaDocument(schemaFile));
      assert.ok(mine !== undefined, schemaFile);
      const theirs = schemaValidator(schemaFile);
      const corpus = docs.get(file) ?? [];
      for (const d of corpus) assert.equal(mine(d), theirs(d), `${schemaFile} on a corpus ${file}`);
      fc.assert(
        fc.property(fc.nat(), fc.nat(), data, (which, where, value) => {
          const base = corpus.length > 0 ? corpus[which % corpus.length]! : {};
          const mutated = own(mutate(base, where, value));
          let verdict: boolean;
          try {
            verdict = theirs(mutated);
          } catch {
            // ajv's deep equality calls an own `toString` or `valueOf` member: no verdict to compare.
            return;
          }
          assert.equal(mine(mutated), verdict, `${schemaFile}: ${JSON.stringify(mutated).slice(0, 400)}`);
        }),
        { numRuns: 300 },
      );
    }
    assert.ok(SCHEMA_FILES.every((f) => interpretSchema(schemaDocument(f)) !== undefined));
  });
});

/** `doc` with the member or item number `where` (in document order) replaced by `value`. */
function mutate(doc: PlainJson, where: number, value: PlainJson): PlainJson {
  let n = where % (countNodes(doc) + 1);
  const walk = (v: PlainJson): PlainJson => {
    if (n-- === 0) return value;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(doc);
}

function countNodes(v: PlainJson): number {
  if (Array.isArray(v)) return 1 + v.reduce<number>((a, x) => a + countNodes(x), 0);
  if (typeof v === 'object' && v !== null) return 1 + Object.values(v).reduce<number>((a, x) => a + countNodes(x), 0);
  return 1;
}
