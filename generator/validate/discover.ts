/**
 * From the PATHs of `ecr-universe validate` to the packages and revisions to check, with the
 * layout findings of the directories above the revisions. A PATH is a revision directory
 * (holds package.json), a package directory (holds revision directories), a letter directory,
 * a `packages/` directory, or a repository root holding `repo/packages/` or `packages/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { pathDiagnostic } from './findings.js';

export const PACKAGE_NAME_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const LETTER_PATTERN = /^[A-Z]$/;
export const RELEASE_VERSION_PATTERN = /^(0|[1-9]\d*)$/;

export type PathKind = 'revision' | 'package' | 'letter' | 'packages';

export interface PackageTarget {
  /** The package directory. */
  dir: string;
  /** Revision directories to check, in release order. */
  revisions: string[];
  /** False when only some revisions were named: sibling versions are read for upgrade paths. */
  complete: boolean;
}

export interface Discovery {
  packages: PackageTarget[];
  /** Layout findings about directories above the revisions. */
  diagnostics: Diagnostic[];
}

/** A PATH that is not something validate can check: wrong usage (exit 2). */
export class PathError extends Error {}

export function discover(paths: readonly string[]): Discovery {
  const packages = new Map<string, PackageTarget>();
  const diagnostics: Diagnostic[] = [];
  const seenDirs = new Set<string>();
  const addRevision = (pkgDir: string, revDir: string, complete: boolean): void => {
    let target = packages.get(pkgDir);
    if (target === undefined) {
      target = { dir: pkgDir, revisions: [], complete };
      packages.set(pkgDir, target);
    }
    target.complete ||= complete;
    if (!target.revisions.includes(revDir)) target.revisions.push(revDir);
  };
  const walkPackage = (pkgDir: string, letterChecked: boolean): void => {
    if (seenDirs.has(pkgDir)) return;
    seenDirs.add(pkgDir);
    const name = path.basename(pkgDir);
    if (!PACKAGE_NAME_PATTERN.test(name)) {
      diagnostics.push(pathDiagnostic('layout-package-dir', pkgDir, `package directory name "${name}" does not match ^[a-z][a-z0-9-]*[a-z0-9]$`));
    }
    if (!letterChecked) checkLetter(pkgDir, diagnostics);
    const entries = readDir(pkgDir);
    const revisions: string[] = [];
    for (const e of entries) {
      const full = path.join(pkgDir, e.name);
      if (!e.isDirectory()) {
        diagnostics.push(pathDiagnostic('layout-revision-dir', full, `"${e.name}" is not a revision directory: a package directory holds only directories named 0, 1, 2, ...`));
      } else if (!RELEASE_VERSION_PATTERN.test(e.name)) {
        diagnostics.push(pathDiagnostic('layout-revision-dir', full, `revision directory "${e.name}" is not a non-negative integer (the releaseVersion)`));
      } else {
        revisions.push(full);
      }
    }
    if (revisions.length === 0 && !packages.has(pkgDir)) packages.set(pkgDir, { dir: pkgDir, revisions: [], complete: true });
    for (const r of sortRevisions(revisions)) addRevision(pkgDir, r, true);
  };
  const walkLetter = (letterDir: string): void => {
    const letter = path.basename(letterDir);
    const letterOk = LETTER_PATTERN.test(letter);
    if (!letterOk) diagnostics.push(pathDiagnostic('layout-letter-dir', letterDir, `"${letter}" is not a letter directory: packages/ holds only directories A to Z`));
    for (const e of readDir(letterDir)) {
      const full = path.join(letterDir, e.name);
      if (!e.isDirectory()) {
        diagnostics.push(pathDiagnostic('layout-package-dir', full, `"${e.name}" is not a package directory`));
        continue;
      }
      if (letterOk && e.name.charAt(0).toUpperCase() !== letter) {
        diagnostics.push(pathDiagnostic('layout-letter-dir', full, `package "${e.name}" must sit in the letter directory "${e.name.charAt(0).toUpperCase()}", not "${letter}"`));
      }
      walkPackage(full, true);
    }
  };
  const walkPackages = (packagesDir: string): void => {
    for (const e of readDir(packagesDir)) {
      const full = path.join(packagesDir, e.name);
      if (!e.isDirectory()) {
        diagnostics.push(pathDiagnostic('layout-letter-dir', full, `"${e.name}" is not a letter directory: packages/ holds only directories A to Z`));
        continue;
      }
      walkLetter(full);
    }
  };

  for (const given of paths) {
    const dir = path.resolve(given);
    const kind = pathKind(given, dir);
    switch (kind.kind) {
      case 'revision': {
        const pkgDir = path.dirname(dir);
        const rev = path.basename(dir);
        if (!RELEASE_VERSION_PATTERN.test(rev)) {
          diagnostics.push(pathDiagnostic('layout-revision-dir', dir, `revision directory "${rev}" is not a non-negative integer (the releaseVersion)`));
        }
        // Repeated findings (the package directory named again) are dropped at the end.
        const name = path.basename(pkgDir);
        if (!PACKAGE_NAME_PATTERN.test(name)) {
          diagnostics.push(pathDiagnostic('layout-package-dir', pkgDir, `package directory name "${name}" does not match ^[a-z][a-z0-9-]*[a-z0-9]$`));
        }
        checkLetter(pkgDir, diagnostics);
        addRevision(pkgDir, dir, false);
        break;
      }
      case 'package':
        walkPackage(dir, false);
        break;
      case 'letter':
        walkLetter(dir);
        break;
      case 'packages':
        walkPackages(kind.dir);
        break;
    }
  }
  for (const p of packages.values()) p.revisions = sortRevisions(p.revisions);
  return { packages: [...packages.values()], diagnostics: dedupe(diagnostics) };
}

/** What a PATH names; throws PathError when it is none of the kinds. */
export function pathKind(given: string, dir: string): { kind: PathKind; dir: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new PathError(`${given}: no such file or directory`);
  }
  if (!stat.isDirectory()) throw new PathError(`${given}: not a directory (give a revision, package, packages/ directory or repository root)`);
  if (isFile(path.join(dir, 'package.json'))) return { kind: 'revision', dir };
  for (const sub of ['repo/packages', 'packages']) {
    const candidate = path.join(dir, sub);
    if (isDirectory(candidate)) return { kind: 'packages', dir: candidate };
  }
  const entries = readDir(dir).filter((e) => e.isDirectory());
  if (path.basename(dir) === 'packages') return { kind: 'packages', dir };
  if (entries.some((e) => RELEASE_VERSION_PATTERN.test(e.name) || isFile(path.join(dir, e.name, 'package.json')))) {
    return { kind: 'package', dir };
  }
  if (entries.length > 0 && entries.every((e) => LETTER_PATTERN.test(e.name))) return { kind: 'packages', dir };
  if (LETTER_PATTERN.test(path.basename(dir)) && entries.length > 0) return { kind: 'letter', dir };
  throw new PathError(`${given}: not a revision directory, package directory, packages/ directory or repository root`);
}

function checkLetter(pkgDir: string, diagnostics: Diagnostic[]): void {
  // Only when the package sits in a letter-like directory: a package checked on its own
  // (a staging directory) has no letter to compare.
  const letterDir = path.dirname(pkgDir);
  const letter = path.basename(letterDir);
  const name = path.basename(pkgDir);
  if (letter.length === 1 && name.length > 0 && letter !== name.charAt(0).toUpperCase()) {
    diagnostics.push(pathDiagnostic('layout-letter-dir', pkgDir, `package "${name}" must sit in the letter directory "${name.charAt(0).toUpperCase()}", not "${letter}"`));
  }
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Revisions by releaseVersion (numeric), others after them by name. */
export function sortRevisions(dirs: readonly string[]): string[] {
  const key = (d: string): number => {
    const b = path.basename(d);
    return RELEASE_VERSION_PATTERN.test(b) ? Number(b) : Number.POSITIVE_INFINITY;
  };
  return [...dirs].sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const k = `${d.rule}\0${d.file}\0${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
