import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GeneratedPackage } from './package.js';

/** Every file of the package as `relative path -> bytes`, relative to the repository directory. */
export function packageFiles(pkg: GeneratedPackage): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const rev of pkg.revisions) {
    for (const [name, bytes] of rev.files) out.set(path.posix.join(pkg.packageDir, String(rev.release.releaseVersion), name), bytes);
  }
  return out;
}

/** Files on disk under the package directory that differ from, lack, or are not in `pkg`. */
export function stalePackageFiles(repoDir: string, pkg: GeneratedPackage): string[] {
  const wanted = packageFiles(pkg);
  const stale = new Set<string>();
  for (const [rel, bytes] of wanted) {
    let current: Buffer | undefined;
    try {
      current = fs.readFileSync(path.join(repoDir, rel));
    } catch {
      current = undefined;
    }
    if (current === undefined || !current.equals(bytes)) stale.add(rel);
  }
  for (const rel of listFiles(path.join(repoDir, pkg.packageDir))) {
    const full = path.posix.join(pkg.packageDir, rel);
    if (!wanted.has(full)) stale.add(full);
  }
  return [...stale].sort();
}

function listFiles(dir: string, prefix = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}

/**
 * Writes the package into a staging directory beside its final place, lets `check` look at
 * the staged revisions, then swaps it in with renames. When anything fails, the staging
 * directory goes and the previous tree is left as it was.
 */
export function writePackageStaged(repoDir: string, pkg: GeneratedPackage, check: (stagedPackageDir: string) => void): void {
  const finalDir = path.join(repoDir, pkg.packageDir);
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(finalDir)}.staging-`));
  const backup = `${staging}.previous`;
  let swapped = false;
  try {
    for (const rev of pkg.revisions) {
      const revDir = path.join(staging, String(rev.release.releaseVersion));
      fs.mkdirSync(revDir);
      for (const [name, bytes] of rev.files) fs.writeFileSync(path.join(revDir, name), bytes, { mode: 0o644 });
    }
    check(staging);
    const hadPrevious = fs.existsSync(finalDir);
    if (hadPrevious) fs.renameSync(finalDir, backup);
    try {
      fs.renameSync(staging, finalDir);
      swapped = true;
    } catch (e) {
      if (hadPrevious) fs.renameSync(backup, finalDir);
      throw e;
    }
    if (hadPrevious) fs.rmSync(backup, { recursive: true, force: true });
  } finally {
    if (!swapped) fs.rmSync(staging, { recursive: true, force: true });
  }
}
