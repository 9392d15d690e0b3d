/**
 * Precompiled validator modules load through V8's code cache that `npm run build` writes beside
 * them (tools/codeCache.mjs): taken when it was made for this source, refused otherwise, and the
 * module works either way.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REGISTRY = path.join(ROOT, 'dist/generator/schemas/registry.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-universe-code-cache-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs an ES module script with dist's registry as `r`; gives its stdout. */
function run(body: string): string {
  const script = `import * as r from ${JSON.stringify(REGISTRY)};\n${body}`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout;
}

describe('code caches of the precompiled validators', () => {
  it("takes the build's cache for the repo schema validators the build's worker checks with", () => {
    const file = path.join(ROOT, 'dist/precompiled/verdict/universe/v5-repo-schema.cjs');
    assert.ok(fs.existsSync(`${file}.cache`), 'npm run build wrote the cache');
    const out = run(`const v = r.precompiledValidator('verdict', 'universe/v5-repo-schema.json', '');
      console.log(typeof v, JSON.stringify(Object.fromEntries(r.precompiledCodeCaches())));`);
    const [kind, caches] = out.trim().split(' ', 2) as [string, string];
    assert.equal(kind, 'function');
    assert.deepEqual(JSON.parse(caches), { [file]: 'accepted' });
  });

  it('refuses a cache made for other source, loads the module all the same, and writes one it then takes', () => {
    const file = path.join(work, 'module.cjs');
    fs.writeFileSync(file, "'use strict';\nexports.settings = 'x';\nexports.create = function create() { return { '': () => true }; };\n");
    // A cache of another text: V8 checks the source before it uses one.
    run(`import * as vm from 'node:vm'; import * as fs from 'node:fs';
      fs.writeFileSync(${JSON.stringify(`${file}.cache`)}, new vm.Script('exports.other = 1;').createCachedData());`);
    const first = run(`const m = r.loadPrecompiledModule(${JSON.stringify(file)});
      console.log(m.settings, m.create()[''](), r.precompiledCodeCaches().get(${JSON.stringify(file)}), r.writePrecompiledCodeCaches().length);`);
    assert.equal(first, 'x true rejected 1\n');
    const second = run(`const m = r.loadPrecompiledModule(${JSON.stringify(file)});
      console.log(m.settings, r.precompiledCodeCaches().get(${JSON.stringify(file)}));`);
    assert.equal(second, 'x accepted\n');
    assert.deepEqual(fs.readdirSync(work).sort(), ['module.cjs', 'module.cjs.cache'], 'no temporary file left');
  });
});
