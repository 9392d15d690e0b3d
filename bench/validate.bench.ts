/**
 * `ecr-universe validate` on a repository of 2,000 revisions made by copying the sample
 * corpus under new package names (so most contents repeat, as in a real repository where a
 * new revision changes little), and on one where every revision's config.json and template
 * are distinct (the worst case: nothing is shared, not even a rendered app). Each run is the
 * built CLI in a new node process, timed from spawn to exit, with the CPU time of all its
 * threads and its peak memory (maxRSS); medians of several runs, each with its input in the
 * page cache (see warmFiles).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locatePointer } from '../generator/json/parse.js';
import { CORPUS_PACKAGES_DIR, sharedAvailable } from '../test/support/fixtures.js';
import { fmt, median, RESOURCE_USAGE_PRELOAD, resourceUsageOf, warmFiles } from './stats.js';

export const name = 'validate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin/ecr-universe.cjs');
const REVISIONS = 2000;
const TARGET_REVISIONS = 1200;

interface CorpusPackage {
  name: string;
  dir: string;
  revisions: string[];
}

function corpusPackages(): CorpusPackage[] {
  const out: CorpusPackage[] = [];
  for (const letter of fs.readdirSync(CORPUS_PACKAGES_DIR).sort()) {
    for (const pkg of fs.readdirSync(path.join(CORPUS_PACKAGES_DIR, letter)).sort()) {
      const dir = path.join(CORPUS_PACKAGES_DIR, letter, pkg);
      out.push({ name: pkg, dir, revisions: fs.readdirSync(dir).sort((a, b) => Number(a) - Number(b)) });
    }
  }
  return out;
}

/** package.json with another name, every other byte as it was. */
function renamed(text: string, newName: string): string {
  const at = locatePointer(text, '/name');
  if (at === undefined) throw new Error('package.json without a name');
  const end = text.indexOf('"', at.offset + 1);
  return `${text.slice(0, at.offset)}"${newName}"${text.slice(end + 1)}`;
}

/** A config.json that differs from every other (a distinct top-level description). */
function distinctConfig(text: string, tag: string): string {
  const brace = text.indexOf('{');
  return `${text.slice(0, brace + 1)}\n  "description": "copy ${tag}",${text.slice(brace + 1)}`;
}

/** Spaces and tabs spelling `n` in binary. */
function uniqueBlanks(n: number): string {
  return `\n${n.toString(2).replace(/0/g, ' ').replace(/1/g, '\t')}`;
}

/**
 * Writes `revisions` revisions under root/repo/packages: copy k of package p is named
 * `<p>-copy<k>`. With `distinct`, each config.json and template gets its own text.
 */
export function makeRepository(root: string, revisions: number, distinct: boolean): void {
  const packages = corpusPackages();
  let written = 0;
  for (let copy = 0; written < revisions; copy++) {
    for (const pkg of packages) {
      if (written >= revisions) break;
      const newName = `${pkg.name}-copy${copy}`;
      const target = path.join(root, 'repo/packages', newName.charAt(0).toUpperCase(), newName);
      for (const rev of pkg.revisions) {
        if (written >= revisions) break;
        const from = path.join(pkg.dir, rev);
        const to = path.join(target, rev);
        fs.mkdirSync(to, { recursive: true });
        for (const file of fs.readdirSync(from)) {
          let text = fs.readFileSync(path.join(from, file), 'utf8');
          if (file === 'package.json') text = renamed(text, newName);
          if (distinct && file === 'config.json') text = distinctConfig(text, `${copy}/${rev}`);
          // Trailing blanks unique to the revision: a distinct template and a distinct rendered
          // text (so nothing downstream is shared either), the same app and findings.
          if (distinct && file === 'marathon.json.mustache') text += `${uniqueBlanks(written)}\n`;
          fs.writeFileSync(path.join(to, file), text);
        }
        written++;
      }
    }
  }
}

interface RunFigures {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  revisions: number;
  errors: number;
  warnings: number;
}

/**
 * One `ecr-universe validate DIR --json --jobs N` as users run it (the built CLI in a new node
 * process): wall time from spawn to exit, CPU time of all its threads, peak RSS.
 */
export function runOnce(dir: string, jobs: number | undefined): RunFigures {
  warmFiles(dir);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...RESOURCE_USAGE_PRELOAD, CLI, 'validate', dir, '--json', ...(jobs === undefined ? [] : ['--jobs', String(jobs)])], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { revisions: number; errors: number; warnings: number };
  return { wallMs, ...resourceUsageOf(r.stderr), revisions: doc.revisions, errors: doc.errors, warnings: doc.warnings };
}

function report(label: string, runs: RunFigures[]): void {
  const first = runs[0] as RunFigures;
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  const rss = median(runs.map((r) => r.maxRssMb));
  console.log(
    `${label}: ${first.revisions} revisions (${first.errors} errors, ${first.warnings} warnings): ${fmt(wall)} ms from process start to exit ` +
      `= ${fmt((first.revisions / wall) * 1000, 0)} revisions/s (${fmt(cpu)} ms CPU on all threads); ` +
      `peak RSS ${fmt(rss)} MB (median of ${runs.length})`,
  );
}

export async function run(): Promise<void> {
  if (!sharedAvailable()) {
    console.log('skipped: ../shared is not present');
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-validate-bench-'));
  try {
    const target = path.join(tmp, 'target');
    const copies = path.join(tmp, 'copies');
    const distinct = path.join(tmp, 'distinct');
    makeRepository(target, TARGET_REVISIONS, false);
    makeRepository(copies, REVISIONS, false);
    makeRepository(distinct, REVISIONS, true);
    console.log(`machine: ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')} (other processes share the cores)`);
    const jobsList: (number | undefined)[] = [undefined, ...new Set([1, os.availableParallelism()])];
    const threads = (jobs: number | undefined): string => (jobs === undefined ? 'default threads' : `--jobs ${jobs}`);
    // The target: 1,200 revisions in at most 1 s and 300 MB.
    report(`target: copies of the sample, default threads`, Array.from({ length: 5 }, () => runOnce(target, undefined)));
    for (const jobs of jobsList) {
      report(`copies of the sample, ${threads(jobs)}`, Array.from({ length: 5 }, () => runOnce(copies, jobs)));
    }
    for (const jobs of jobsList) {
      report(`all-distinct config.json and templates, ${threads(jobs)}`, Array.from({ length: 3 }, () => runOnce(distinct, jobs)));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
