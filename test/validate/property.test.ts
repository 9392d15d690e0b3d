/**
 * Random JSON (and random text) in every file a rule reads never crashes the validator: the
 * run reports findings, never throws, and never falls back to its `validator-crash` net.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { discover } from '../../generator/validate/discover.js';
import { validatePackage } from '../../generator/validate/runner.js';
import { GOOD_CONFIG, GOOD_PACKAGE, GOOD_RESOURCE, GOOD_TEMPLATE, json, tempDir, writeRevision, type RevisionFiles } from './support.js';

let work: string;
before(() => {
  work = tempDir('ecr-validate-prop-');
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

type Plain = unknown;

/** `doc` with the value at `tokens` replaced (created when missing). */
function setAt(doc: Plain, tokens: readonly string[], value: Plain): Plain {
  if (tokens.length === 0) return value;
  const [head, ...rest] = tokens as [string, ...string[]];
  const base = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, Plain>) : {};
  return { ...base, [head]: setAt(base[head], rest, value) };
}

const PLACES: Record<string, { doc: Plain; paths: string[][] }> = {
  'package.json': {
    doc: GOOD_PACKAGE,
    paths: [[], ['name'], ['version'], ['packagingVersion'], ['minDcosReleaseVersion'], ['upgradesFrom'], ['downgradesTo'], ['tags']],
  },
  'config.json': {
    doc: GOOD_CONFIG,
    paths: [
      [],
      ['properties'],
      ['properties', 'service'],
      ['properties', 'service', 'properties'],
      ['properties', 'service', 'properties', 'cpus'],
      ['properties', 'service', 'properties', 'cpus', 'default'],
      ['properties', 'service', 'properties', 'name', 'default'],
      ['properties', 'service', 'properties', 'name', 'pattern'],
      ['properties', 'service', 'required'],
      ['properties', 'service', 'properties', 'extra'],
      ['required'],
      ['type'],
    ],
  },
  'resource.json': {
    doc: GOOD_RESOURCE,
    paths: [[], ['images'], ['images', 'icon-small'], ['assets'], ['assets', 'container', 'docker'], ['assets', 'container', 'docker', 'demo'], ['assets', 'uris'], ['cli']],
  },
  'command.json': { doc: { pip: ['demo==1.0'] }, paths: [[], ['pip']] },
};

const FRAGMENTS = ['{{', '}}', '{{#service}}', '{{/service}}', '{{^service.name}}', '{{/service.name}}', '{{service.name}}', '{{{service.cpus}}}', '{{&resource}}', '{{.}}', '{{asJson}}', '{{=<% %>=}}', '<%x%>', '{{! c }}', '{{>p}}', '"', ',', ':', '{', '}', '[', ']', '"id"', '"/x"', 'null', '1', '-1', '\n', '\\', ' '];

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('json' as const),
    file: fc.constantFrom(...Object.keys(PLACES)),
    at: fc.nat(),
    // Objects with members named like Object.prototype's trip libraries that call them.
    value: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom<unknown>([{ toString: 1 }, { toString: 1 }], [{ valueOf: [] }, {}], { constructor: 'x', __proto__: 1 }, ['a', 'a'])),
  }),
  fc.record({ kind: fc.constant('text' as const), file: fc.constantFrom(...Object.keys(PLACES), 'marathon.json.mustache'), text: fc.oneof(fc.string(), fc.json()) }),
  fc.record({ kind: fc.constant('template' as const), parts: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }) }),
);

describe('validate on random input', () => {
  it('never throws and never needs its crash net (random JSON in every file, random templates)', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const files: RevisionFiles = {
          'package.json': json(GOOD_PACKAGE),
          'config.json': json(GOOD_CONFIG),
          'marathon.json.mustache': GOOD_TEMPLATE,
          'resource.json': json(GOOD_RESOURCE),
        };
        const docs = new Map<string, Plain>(Object.entries(PLACES).map(([f, p]) => [f, p.doc]));
        for (const m of mutations) {
          if (m.kind === 'json') {
            const place = PLACES[m.file]!;
            const tokens = place.paths[m.at % place.paths.length]!;
            docs.set(m.file, setAt(docs.get(m.file), tokens, m.value));
            files[m.file] = JSON.stringify(docs.get(m.file), null, 2);
          } else if (m.kind === 'text') {
            files[m.file] = m.text;
          } else {
            files['marathon.json.mustache'] = m.parts.join('');
          }
        }
        const root = path.join(work, String(n++));
        writeRevision(root, 'demo', '0', files);
        const found = discover([root]);
        for (const target of found.packages) {
          const report = validatePackage(target);
          const crash = report.diagnostics.find((d) => d.rule === 'validator-crash');
          assert.equal(crash, undefined, crash?.message);
          for (const d of report.diagnostics) {
            assert.equal(typeof d.message, 'string');
            assert.ok(d.severity === 'error' || d.severity === 'warning');
          }
        }
        fs.rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 300 },
    );
  });
});
