import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseJson } from '../../generator/json/parse.js';
import { stringifyJson } from '../../generator/json/stringify.js';
import { isJsonObject, jsonEquals, type JsonValue } from '../../generator/json/value.js';
import { cosmosResourceView } from '../../generator/model/resource.js';
import { renderMarathonTemplate } from '../../generator/render/cosmos.js';
import { isDcosVersion, renderEra } from '../../generator/render/eras.js';
import { mapLimit, runCli } from '../support/cli.js';
import { listRenderFixtures, readRenderFixture, sharedAvailable, type RenderFixture } from '../support/fixtures.js';

// The fixtures record Cosmos's engine output for the defaults and options as given; they do
// not model Cosmos's JSON Schema check of the options (their README says so), so the check is
// skipped here and tested on its own in cosmos.test.ts.
const skip = sharedAvailable() ? false : 'skipped: ../shared/fixtures/render is not present';

function eraOf(fx: RenderFixture) {
  return renderEra(fx.dcosVersion !== undefined && isDcosVersion(fx.dcosVersion) ? fx.dcosVersion : '2.0');
}

function expectedOk(fx: RenderFixture): boolean {
  return fx.expected.get('ok') === true && !fx.expected.has('labels_error');
}

describe('render fixtures of ../shared (Cosmos engine output), in process', { skip }, () => {
  for (const file of skip ? [] : listRenderFixtures()) {
    const fx = readRenderFixture(file);
    it(`${fx.name}: ${fx.description.slice(0, 90)}`, () => {
      const r = renderMarathonTemplate(
        { template: fx.template, config: fx.config, options: fx.options, resource: fx.resource === undefined ? undefined : cosmosResourceView(fx.resource, fx.resourceModel) },
        eraOf(fx),
        { skipOptionsValidation: true },
      );
      assert.equal(r.ok, expectedOk(fx), r.ok ? 'rendered, but Cosmos refuses it' : `${r.kind}: ${r.message}`);
      const e = fx.expected;
      if (!r.ok && e.has('error_kind')) assert.equal(r.kind, e.get('error_kind'));
      if (!r.ok && e.has('labels_error')) assert.equal(r.kind, 'labels_error');
      if (e.has('text')) assert.equal(r.text, e.get('text'), 'the text the template engine wrote');
      if (e.has('context')) assert.ok(r.context !== undefined && jsonEquals(r.context, e.get('context') as JsonValue), 'merged context');
      if (r.ok) assert.ok(jsonEquals(r.app, e.get('rendered') as JsonValue), 'rendered app');
    });
  }
});

describe('render fixtures of ../shared through the CLI (render DIR --no-labels --jsonl)', { skip }, () => {
  it('gives the expected result for every case', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-conformance-'));
    try {
      const fixtures = listRenderFixtures().map(readRenderFixture);
      const outcomes = await mapLimit(fixtures, 4, async (fx) => {
        const dir = path.join(work, fx.name, '0');
        fs.mkdirSync(dir, { recursive: true });
        const pkg = { packagingVersion: fx.resourceModel === 'v2' ? '2.0' : '3.0', name: 'fixture', version: '0.0.0' };
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
        fs.writeFileSync(path.join(dir, 'marathon.json.mustache'), fx.template);
        if (fx.config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), stringifyJson(fx.config, 2));
        if (fx.resource !== undefined) fs.writeFileSync(path.join(dir, 'resource.json'), stringifyJson(fx.resource, 2));
        const args = ['render', dir, '--no-labels', '--jsonl', '--skip-options-check'];
        if (fx.options !== undefined) {
          const optionsFile = path.join(work, fx.name, 'options.json');
          fs.writeFileSync(optionsFile, stringifyJson(fx.options, 2));
          args.push('--options', optionsFile);
        }
        if (fx.dcosVersion !== undefined) args.push('--dcos-version', fx.dcosVersion);
        if (fx.resourceModel === 'raw') args.push('--resource-model', 'raw');
        return { fx, result: await runCli(args) };
      });
      const failures: string[] = [];
      for (const { fx, result } of outcomes) {
        const lines = result.stdout.trim().split('\n');
        const line = parseJson(lines[0] ?? '').value;
        if (lines.length !== 1 || !isJsonObject(line)) {
          failures.push(`${fx.name}: expected one JSON line, got ${JSON.stringify(result.stdout)} ${result.stderr}`);
          continue;
        }
        const ok = line.get('ok') === true;
        if (ok !== expectedOk(fx)) failures.push(`${fx.name}: ok=${ok}, expected ${expectedOk(fx)} (${String(line.get('error'))})`);
        else if (ok && !jsonEquals(line.get('app') as JsonValue, fx.expected.get('rendered') as JsonValue)) failures.push(`${fx.name}: app differs`);
        else if (!ok) {
          const kind = fx.expected.has('labels_error') ? 'labels_error' : String(fx.expected.get('error_kind'));
          if (line.get('rule') !== `render-${kind.replace(/_/g, '-')}`) failures.push(`${fx.name}: rule ${String(line.get('rule'))}, expected ${kind}`);
          if (result.code !== 1) failures.push(`${fx.name}: exit code ${result.code}, expected 1`);
        } else if (result.code !== 0) failures.push(`${fx.name}: exit code ${result.code}`);
      }
      assert.equal(outcomes.length, fixtures.length);
      assert.deepEqual(failures, []);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
