/** Render throughput on the sample corpus (in process) and the cold time of one `render` command. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRevision, type PackageRevision } from '../generator/model/revision.js';
import { renderMarathonApp } from '../generator/render/revision.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../test/support/fixtures.js';
import { fmt, median, timeMs } from './stats.js';

export const name = 'render';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function corpusRevisions(): PackageRevision[] {
  const out: PackageRevision[] = [];
  for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR).sort())
    for (const pkg of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)).sort())
      for (const rev of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter, pkg))) out.push(loadRevision(path.join(CORPUS_PACKAGES_DIR, letter, pkg, rev)));
  return out;
}

export async function run(): Promise<void> {
  if (!sharedAvailable()) {
    console.log('skipped: ../shared is not present');
    return;
  }
  const revisions = corpusRevisions();
  const settingsList = [
    ['DC/OS 2.0, defaults, with Cosmos labels', { repoUri: 'https://universe.example/repo' }],
    ['DC/OS 2.0, defaults, --no-labels', { labels: false }],
    ['DC/OS 1.10, defaults, --no-labels', { labels: false, dcosVersion: '1.10' as const }],
  ] as const;
  for (const [label, settings] of settingsList) {
    renderAll(); // warm up: JIT, ajv compile cache of each config.json
    const times = Array.from({ length: 7 }, () => timeMs(renderAll));
    const ms = median(times);
    console.log(`${label}: ${revisions.length} revisions in ${fmt(ms)} ms (median of 7) = ${fmt((revisions.length / ms) * 1000, 0)} renders/s`);
    function renderAll(): void {
      for (const r of revisions) renderMarathonApp(r, { ...settings, skipOptionsCheck: false });
    }
  }
  const cold = Array.from({ length: 10 }, () =>
    timeMs(() => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/ecr-universe.cjs'), 'render', path.join(CORPUS_PACKAGES_DIR, 'C/chronos/7'), '--no-labels'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    }),
  );
  console.log(`cold \`ecr-universe render C/chronos/7 --no-labels\` (new node process, config.json compiled): ${fmt(median(cold))} ms (median of 10)`);
}
