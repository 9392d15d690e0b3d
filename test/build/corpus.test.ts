import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { BUILD_DCOS_VERSIONS, buildUniverse, repoContentType, repoFormatFor, writeBuild, type BuildOutput } from '../../generator/build/index.js';
import { validateUniverseRepo } from '../../generator/schemas/universe.js';
import type { PlainJson } from '../../generator/json/value.js';
import { runCli } from '../support/cli.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../support/fixtures.js';
import { readTree, tempDir } from './support.js';

const skip = sharedAvailable() ? false : 'needs ../shared (the sample corpus)';

/**
 * sha256 of what mesosphere/universe scripts/gen_universe.py (newest version, the one that writes
 * repo-up-to-1.8 ... 2.0) writes for the sample corpus, run with Python 3.11 on a copy of the
 * script whose enumerate_dcos_packages sorts (name, releaseVersion) instead of taking the file
 * system's order (the only change).
 */
const GEN_UNIVERSE_SHA256: [string, string][] = [
  ['repo-empty-v3.content_type', '96dc91ea8ed6e9c0875382495ee87a7ae6f11276e0f3b64ed98e209c41f6dd38'],
  ['repo-empty-v3.json', 'f251a533f4bd04a48977784d130de1255d256479ee70b9635fd95edcef1afbb2'],
  ['repo-up-to-1.10.content_type', '5451fa731f06ced3ddfc744747e04c3bdf4fa311584e3df07486224331855755'],
  ['repo-up-to-1.10.json', '6f1f5f3d2455e3a4ce2cb04d95bd8eaf3a94493bdc769edc6281e1cd275a33cf'],
  ['repo-up-to-1.11.content_type', '5451fa731f06ced3ddfc744747e04c3bdf4fa311584e3df07486224331855755'],
  ['repo-up-to-1.11.json', '9c644e30ec0a4adee40d45dc8b15be0b0031d48e0423ae98f8c05d560b7a40b8'],
  ['repo-up-to-1.12.content_type', '06dd21915c3f4506f264e24d8f48e6abf56aa13e1bfb3aa4587cf739ac2e8668'],
  ['repo-up-to-1.12.json', '46f61079bc0c566da1ed7d941ca52bc216cce40e099f2bdfb714468b51e6b0ee'],
  ['repo-up-to-1.13.content_type', '06dd21915c3f4506f264e24d8f48e6abf56aa13e1bfb3aa4587cf739ac2e8668'],
  ['repo-up-to-1.13.json', 'ed725366bf0c40d2d754f8d9a299dbb3929293aa2b2b073feba0e99964c53112'],
  ['repo-up-to-1.8.content_type', '96dc91ea8ed6e9c0875382495ee87a7ae6f11276e0f3b64ed98e209c41f6dd38'],
  ['repo-up-to-1.8.json', 'f905f233030b9b4c23637a9e7e8fa3ee85c7cf133c863c342009f4fac3d971ba'],
  ['repo-up-to-1.9.content_type', '96dc91ea8ed6e9c0875382495ee87a7ae6f11276e0f3b64ed98e209c41f6dd38'],
  ['repo-up-to-1.9.json', '6c648c93fc715e8376f80f69baabceb318508c39d06bf778475ec7d173878b65'],
  ['repo-up-to-2.0.content_type', '06dd21915c3f4506f264e24d8f48e6abf56aa13e1bfb3aa4587cf739ac2e8668'],
  ['repo-up-to-2.0.json', 'ed725366bf0c40d2d754f8d9a299dbb3929293aa2b2b073feba0e99964c53112'],
  ['universe.content_type', '06dd21915c3f4506f264e24d8f48e6abf56aa13e1bfb3aa4587cf739ac2e8668'],
  ['universe.json', 'ed725366bf0c40d2d754f8d9a299dbb3929293aa2b2b073feba0e99964c53112'],
];
/** The same run: its 52 files `V/package/<name>.json`, as sha256 over "path\nsha256\n" in path order. */
const GEN_UNIVERSE_PACKAGE_FILES = { count: 52, digest: '4c4e22bc0ffbb7a778a4c815b27636d825238ec8ff2735d13a7210adda1fe43f' };

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Pkg {
  name: string;
  releaseVersion: number;
  packagingVersion: string;
  upgradesFrom?: string[];
  minDcosReleaseVersion?: string;
  config?: { properties: Record<string, { properties: Record<string, { default?: string }> }> };
}

describe('build of the sample corpus', { skip }, () => {
  let out: BuildOutput;
  const bytes = (p: string): Buffer => {
    const f = out.files.get(p);
    assert.ok(f, `no ${p} in the build`);
    return Buffer.concat(f.parts);
  };
  const packages = (p: string): Pkg[] => (JSON.parse(bytes(p).toString('utf8')) as { packages: Pkg[] }).packages;
  const dirs: string[] = [];

  before(async () => {
    out = await buildUniverse(CORPUS_PACKAGES_DIR);
  });
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("equals gen_universe.py's output byte for byte", () => {
    for (const [file, hash] of GEN_UNIVERSE_SHA256) assert.equal(sha256(bytes(file)), hash, file);
    const perPackage = [...out.files.keys()].filter((p) => p.includes('/package/')).sort();
    const digest = createHash('sha256');
    for (const p of perPackage) digest.update(`${p}\n${sha256(bytes(p))}\n`);
    assert.equal(perPackage.length, GEN_UNIVERSE_PACKAGE_FILES.count);
    assert.equal(digest.digest('hex'), GEN_UNIVERSE_PACKAGE_FILES.digest);
    // Nothing else than those files (and their gzip copies, which live beside them).
    assert.equal(out.files.size, GEN_UNIVERSE_SHA256.length + perPackage.length);
    assert.deepEqual(out.directories.filter((d) => d.endsWith('/package')), BUILD_DCOS_VERSIONS.map((v) => `${v}/package`));
  });

  it('validates against the repo schemas of each format', () => {
    for (const v of BUILD_DCOS_VERSIONS) {
      const format = repoFormatFor(v);
      assert.deepEqual(validateUniverseRepo(format, JSON.parse(bytes(`repo-up-to-${v}.json`).toString('utf8')) as PlainJson), [], v);
      for (const p of out.files.keys()) {
        if (p.startsWith(`${v}/package/`)) assert.deepEqual(validateUniverseRepo(format, JSON.parse(bytes(p).toString('utf8')) as PlainJson), [], p);
      }
    }
    assert.deepEqual(validateUniverseRepo('v3', JSON.parse(bytes('repo-empty-v3.json').toString('utf8')) as PlainJson), []);
  });

  it('keeps the revisions a DC/OS version can install (minDcosReleaseVersion compared as versions)', () => {
    const counts = BUILD_DCOS_VERSIONS.map((v) => packages(`repo-up-to-${v}.json`).length);
    assert.deepEqual(counts, [54, 87, 89, 93, 94, 95, 95]);
    const has = (v: string, name: string, rv: number): boolean => packages(`repo-up-to-${v}.json`).some((p) => p.name === name && p.releaseVersion === rv);
    // hello-world 300 needs 1.10: "1.10" > "1.9" although it sorts before it as a string.
    assert.equal(has('1.9', 'hello-world', 300), false);
    assert.equal(has('1.10', 'hello-world', 300), true);
    assert.equal(has('1.11', 'beta-kubernetes', 0), false);
    assert.equal(has('1.12', 'beta-kubernetes', 0), true);
    assert.equal(has('1.12', 'hello-world', 400), false);
    assert.equal(has('1.13', 'hello-world', 400), true);
    assert.equal(has('1.8', 'hello-world', 12), true);
    assert.equal(has('1.8', 'hello-world', 13), false);
  });

  it('downgrades 4.0 packages to 3.0 and escapes config strings for DC/OS < 1.10 only', () => {
    const find = (v: string): Pkg => packages(`repo-up-to-${v}.json`).find((p) => p.name === 'hello-world' && p.releaseVersion === 16) as Pkg;
    const placement = (p: Pkg): string | undefined => p.config?.properties.hello?.properties.placement?.default;
    const legacy = find('1.9');
    assert.equal(legacy.packagingVersion, '3.0');
    assert.equal(legacy.upgradesFrom, undefined);
    assert.equal(placement(legacy), '[[\\"hostname\\", \\"UNIQUE\\"]]');
    for (const v of ['1.10', '1.11', '1.12', '1.13', '2.0']) {
      const p = find(v);
      assert.equal(p.packagingVersion, '4.0');
      assert.ok(Array.isArray(p.upgradesFrom));
      assert.equal(placement(p), '[["hostname", "UNIQUE"]]');
    }
    for (const v of ['1.8', '1.9']) assert.ok(packages(`repo-up-to-${v}.json`).every((p) => p.packagingVersion === '2.0' || p.packagingVersion === '3.0'), v);
    const universe = packages('universe.json');
    assert.equal(universe.length, 95);
    assert.equal(universe.filter((p) => p.packagingVersion === '4.0').length, 41);
  });

  it('orders packages by name, then releaseVersion as a number', () => {
    const order = packages('universe.json').map((p) => `${p.name}/${p.releaseVersion}`);
    const hello = order.filter((k) => k.startsWith('hello-world/')).map((k) => Number(k.split('/')[1]));
    assert.deepEqual(hello, [...hello].sort((a, b) => a - b));
    assert.deepEqual(hello.slice(-9), [15, 16, 100, 200, 300, 400, 500, 600, 700]);
    const names = [...new Set(order.map((k) => k.split('/')[0]))];
    assert.deepEqual(names, ['beta-kubernetes', 'chronos', 'etcd', 'hello-world', 'kafka-manager', 'marathon-lb', 'nginx', 'registry']);
  });

  it('writes the content types: v3 up to 1.9, v4 up to 1.11, v5 after, v5 for universe.json, v3 for the empty repo', () => {
    const ct = (p: string): string => bytes(p).toString('utf8');
    assert.deepEqual(
      BUILD_DCOS_VERSIONS.map((v) => ct(`repo-up-to-${v}.content_type`)),
      ['v3', 'v3', 'v4', 'v4', 'v5', 'v5', 'v5'].map((f) => `application/vnd.dcos.universe.repo+json;charset=utf-8;version=${f}`),
    );
    assert.equal(ct('universe.content_type'), repoContentType('v5'));
    assert.equal(ct('repo-empty-v3.content_type'), repoContentType('v3'));
    assert.equal(ct('repo-empty-v3.json'), '{"packages": []}');
    assert.equal(out.files.get('1.10/package/chronos.json')?.mediaType, repoContentType('v4'));
  });

  it('splits each repo file into per-package files in the same order', () => {
    for (const v of BUILD_DCOS_VERSIONS) {
      const all = packages(`repo-up-to-${v}.json`);
      const names = [...new Set(all.map((p) => p.name))];
      assert.deepEqual(
        [...out.files.keys()].filter((p) => p.startsWith(`${v}/package/`)).sort(),
        names.map((n) => `${v}/package/${n}.json`).sort(),
      );
      for (const n of names) assert.deepEqual(packages(`${v}/package/${n}.json`), all.filter((p) => p.name === n), `${v} ${n}`);
    }
  });

  it('adds gzip copies that are smaller and read back to the same bytes', () => {
    let copies = 0;
    for (const [p, f] of out.files) {
      if (f.gzip === undefined) continue;
      copies++;
      const gz = Buffer.concat(f.gzip.parts);
      assert.ok(gz.length < f.size, p);
      assert.deepEqual(zlib.gunzipSync(gz), bytes(p), p);
    }
    assert.equal(out.files.get('repo-empty-v3.json')?.gzip, undefined);
    assert.ok(copies >= 60, `${copies} gzip copies`);
    // Close to compressing each file whole (the segments share the previous revision as a dictionary).
    const whole = zlib.gzipSync(bytes('universe.json'), { level: 9 }).length;
    assert.ok((out.files.get('universe.json')?.gzip?.size ?? Infinity) < whole * 1.5);
  });

  it('gives the same bytes through the JSON tree as through the one-pass path, every time', async () => {
    const tree = await buildUniverse(CORPUS_PACKAGES_DIR, { treeOnly: true, check: 'local' });
    const again = await buildUniverse(CORPUS_PACKAGES_DIR);
    assert.deepEqual([...tree.files.keys()], [...out.files.keys()]);
    for (const [p, f] of out.files) {
      const t = tree.files.get(p);
      const a = again.files.get(p);
      assert.ok(t && a);
      assert.deepEqual(Buffer.concat(t.parts), Buffer.concat(f.parts), p);
      assert.deepEqual(Buffer.concat(a.gzip?.parts ?? []), Buffer.concat(f.gzip?.parts ?? []), p);
    }
  });

  it('writes to disk what it built, and replaces a previous build whole', async () => {
    const dir = tempDir('corpus-out');
    dirs.push(dir);
    const target = path.join(dir, 'universe');
    await writeBuild(out, target);
    const first = readTree(target);
    for (const [p, f] of out.files) {
      assert.deepEqual(first.get(p), Buffer.concat(f.parts), p);
      if (f.gzip) assert.deepEqual(first.get(`${p}.gz`), Buffer.concat(f.gzip.parts), `${p}.gz`);
    }
    fs.writeFileSync(path.join(target, 'stale.json'), '{}');
    await writeBuild(out, target);
    assert.equal(fs.existsSync(path.join(target, 'stale.json')), false);
    assert.deepEqual(fs.readdirSync(dir), ['universe'], 'no staging or previous directory left behind');
  });

  it('works from the command line', async () => {
    const dir = tempDir('corpus-cli');
    dirs.push(dir);
    const target = path.join(dir, 'out');
    const r = await runCli(['build', CORPUS_PACKAGES_DIR, '--out', target]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /built 95 revisions of 8 packages/);
    const files = readTree(target);
    for (const [file, hash] of GEN_UNIVERSE_SHA256) assert.equal(sha256(files.get(file) as Buffer), hash, file);
  });
});
