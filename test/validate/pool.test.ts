/**
 * Threads change nothing but the time: the same findings, in the same order, whether the
 * content checks run on the main thread or on workers; and the quick config.json validator
 * gives the render engine's verdicts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseJson } from '../../generator/json/parse.js';
import { fromPlain, isJsonObject, toPlain, type JsonObject } from '../../generator/json/value.js';
import { extractDefaults } from '../../generator/render/context.js';
import { renderEra } from '../../generator/render/eras.js';
import { validateOptions } from '../../generator/render/options.js';
import { quickConfigValidator } from '../../generator/validate/checks/configSchema.js';
import { MIN_REMAINING, SAMPLE_REVISIONS, validateRepository } from '../../generator/validate/pool.js';
import { workerExecArgv } from '../../generator/threads.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../support/fixtures.js';
import { GOOD_CONFIG, GOOD_PACKAGE, goodRevision, json, tempDir, writeRevision } from './support.js';

let work: string;
before(() => {
  work = tempDir('ecr-validate-pool-');
  // A few packages with good and broken revisions, some contents repeated across packages.
  for (const name of ['alpha', 'beta', 'gamma']) {
    writeRevision(work, name, '0', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name }) });
    writeRevision(work, name, '1', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name, version: '1.1.0' }), 'marathon.json.mustache': '{"id": "{{service.name}}", "cpus": {{service.cpus}},, }' });
    writeRevision(work, name, '2', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name, version: '1.2.0' }), 'config.json': json({ ...GOOD_CONFIG, title: name }) });
  }
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('threads', () => {
  it('start workers with the loaders of this process, without what only the main script or V8 takes', () => {
    assert.deepEqual(workerExecArgv(['--input-type=module', '-e', 'code', '--import', 'tsx']), ['--import', 'tsx']);
    assert.deepEqual(workerExecArgv(['--eval=x', '-p', 'y', '--input-type', 'module', '--max-old-space-size=512', '--stack-size', '2000']), []);
    assert.deepEqual(workerExecArgv(['--import=tsx', '-r', './hook.cjs', '--conditions', 'dev', '--expose-gc', '--loader', 'x']), ['--import=tsx', '-r', './hook.cjs', '--conditions', 'dev', '--loader', 'x']);
  });

  it('give the same findings as the main thread alone', async () => {
    const one = await validateRepository([work], { jobs: 1 });
    assert.ok(one.errors > 0);
    for (const jobs of [2, 3]) {
      const many = await validateRepository([work], { jobs });
      assert.deepEqual(many.diagnostics, one.diagnostics, `jobs ${jobs}`);
      assert.equal(many.revisions, 9);
    }
  });

  it('start by default once the revisions turn out to differ, with the same findings', { skip: os.availableParallelism() < 2 ? 'one core' : false }, async () => {
    const root = tempDir('ecr-validate-adaptive-');
    try {
      const count = SAMPLE_REVISIONS + MIN_REMAINING + 30;
      for (let i = 0; i < count; i++) {
        const name = `pkg${i}`;
        writeRevision(root, name, '0', { ...goodRevision(), 'package.json': json({ ...GOOD_PACKAGE, name }), 'config.json': json({ ...GOOD_CONFIG, title: name }) });
      }
      const auto = await validateRepository([root]);
      assert.equal(auto.threads, os.availableParallelism());
      const one = await validateRepository([root], { jobs: 1 });
      assert.equal(one.threads, 1);
      assert.deepEqual(auto.diagnostics, one.diagnostics);
      assert.equal(auto.revisions, count);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('stay one by default when the revisions share their contents', async () => {
    const s = await validateRepository([work]);
    assert.equal(s.threads, 1);
  });

  it('give the same findings on the sample corpus', { skip: sharedAvailable() ? false : 'skipped: ../shared is not present' }, async () => {
    const one = await validateRepository([CORPUS_PACKAGES_DIR], { jobs: 1 });
    const two = await validateRepository([CORPUS_PACKAGES_DIR], { jobs: 2 });
    assert.deepEqual(two.diagnostics, one.diagnostics);
  });
});

/** The corpus's config.json files, or the test's own when ../shared is absent. */
function configTexts(): string[] {
  if (!sharedAvailable()) return [json(GOOD_CONFIG)];
  const out = new Set<string>();
  for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR))
    for (const name of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)))
      for (const rev of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter, name))) {
        const f = path.join(CORPUS_PACKAGES_DIR, letter, name, rev, 'config.json');
        if (fs.existsSync(f)) out.add(fs.readFileSync(f, 'utf8'));
      }
  return [...out];
}

describe('the quick config.json validator', () => {
  const texts = configTexts();

  it('compiles every config the render engine compiles, and agrees on their defaults', () => {
    for (const text of texts) {
      const config = parseJson(text).value;
      const quick = quickConfigValidator(text, config);
      assert.ok(!(quick instanceof Error), String(quick));
      const defaults = extractDefaults(config, renderEra('2.0'));
      assert.equal(quick(toPlain(defaults)), validateOptions(config, defaults).length === 0);
    }
  });

  it('agrees with the render engine on random options', () => {
    const configs = texts.map((t) => ({ text: t, value: parseJson(t).value }));
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.boolean(), (which, value, where, nested) => {
        const config = configs[which % configs.length]!;
        const defaults = extractDefaults(config.value, renderEra('2.0'));
        // Replace a default (or a nested one) by a random value: often invalid, sometimes not.
        const keys = [...defaults.keys()];
        const options: JsonObject = new Map(defaults);
        if (keys.length > 0) {
          const key = keys[where % keys.length]!;
          const current = options.get(key);
          if (nested && isJsonObject(current) && current.size > 0) {
            const inner = new Map(current);
            const innerKeys = [...inner.keys()];
            inner.set(innerKeys[where % innerKeys.length]!, fromPlain(value));
            options.set(key, inner);
          } else {
            options.set(key, fromPlain(value));
          }
        }
        const quick = quickConfigValidator(config.text, config.value);
        assert.ok(!(quick instanceof Error));
        assert.equal(quick(toPlain(options)), validateOptions(config.value, options).length === 0);
      }),
      { numRuns: 400 },
    );
  });
});
