/**
 * Runs every check on the packages discovery found: loads each revision tolerantly, runs the
 * rule families on it, and turns the findings into Diagnostics. A revision whose files are
 * broken is reported and the run goes on; nothing a file holds can stop it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isJsonObject } from '../json/value.js';
import { compareDcosVersions, DCOS_VERSIONS, NEWEST_DCOS_VERSION, type DcosVersion } from '../render/eras.js';
import { checkContent, type ContentInput } from './checks/content.js';
import { checkRevisionLayout } from './checks/layout.js';
import { checkSchemas } from './checks/schemas.js';
import { checkVersions, DCOS_RELEASE_PATTERN } from './checks/versions.js';
import { RELEASE_VERSION_PATTERN, type PackageTarget } from './discover.js';
import { finding, REVISION_FILE_NAMES, toDiagnostic, type Finding } from './findings.js';
import { loadRevisionFiles, type LoadedRevision } from './load.js';
import type { RevisionRead } from '../load/revisionFiles.js';

export interface CheckSettings {
  /** Render only for this DC/OS version (default: every version the package claims). */
  dcosVersion?: DcosVersion | undefined;
}

export interface PackageReport {
  revisions: number;
  diagnostics: Diagnostic[];
}

/** Where the content checks run: in this thread, or on worker threads (pool.ts). */
export interface ContentRunner {
  run(input: ContentInput): Finding[] | Promise<Finding[]>;
}

export const IN_THREAD: ContentRunner = { run: (input) => checkContent(input) };

/** Every check of one package's revisions, in this thread (`reads`: its revisions as already read, in order). */
export function validatePackage(target: PackageTarget, settings: CheckSettings = {}, reads?: readonly RevisionRead[]): PackageReport {
  const prepared = preparePackage(target, settings, reads);
  const diagnostics = [...prepared.diagnostics];
  for (const r of prepared.revisions) {
    let content: Finding[] = [];
    try {
      if (r.content !== undefined) content = checkContent(r.content);
    } catch (e) {
      content = [crash(e)];
    }
    diagnostics.push(...revisionDiagnostics(r, content));
  }
  return { revisions: prepared.count, diagnostics };
}

/** The same, with the content checks handed to `runner` (which may answer later). */
export async function validatePackageWith(target: PackageTarget, settings: CheckSettings, runner: ContentRunner, reads?: readonly RevisionRead[]): Promise<PackageReport> {
  const prepared = preparePackage(target, settings, reads);
  const contents = prepared.revisions.map((r) => {
    const input = r.content;
    // The runner keeps what it needs; the texts are not held here while it works.
    r.content = undefined;
    return input === undefined ? [] : runner.run(input);
  });
  const diagnostics = [...prepared.diagnostics];
  for (const [i, r] of prepared.revisions.entries()) {
    let content: Finding[];
    try {
      content = await contents[i]!;
    } catch (e) {
      content = [crash(e)];
    }
    diagnostics.push(...revisionDiagnostics(r, content));
  }
  return { revisions: prepared.count, diagnostics };
}

/** A revision checked but for its content checks. */
export interface PreparedRevision {
  dir: string;
  findings: Finding[];
  /** What the content checks need, when package.json is usable. */
  content: ContentInput | undefined;
}

export interface PreparedPackage {
  count: number;
  diagnostics: Diagnostic[];
  revisions: PreparedRevision[];
}

/** Loads a package's revisions and runs every check but the content ones. */
export function preparePackage(target: PackageTarget, settings: CheckSettings, reads?: readonly RevisionRead[]): PreparedPackage {
  const diagnostics: Diagnostic[] = [];
  const loaded: LoadedRevision[] = [];
  for (const [i, dir] of target.revisions.entries()) {
    try {
      loaded.push(loadRevisionFiles(dir, reads?.[i]));
    } catch (e) {
      diagnostics.push(toDiagnostic(crash(e), dir));
    }
  }
  const versions = packageVersions(target, loaded);
  const packageName = path.basename(target.dir);
  const revisions = loaded.map((revision): PreparedRevision => {
    try {
      return prepareRevision(revision, packageName, versions, settings);
    } catch (e) {
      return { dir: revision.dir, findings: [...revision.findings, crash(e)], content: undefined };
    }
  });
  return { count: target.revisions.length, diagnostics, revisions };
}

function revisionDiagnostics(r: PreparedRevision, content: readonly Finding[]): Diagnostic[] {
  return sortFindings([...r.findings, ...content]).map((f) => toDiagnostic(f, r.dir));
}

function prepareRevision(revision: LoadedRevision, packageName: string, versions: ReadonlySet<string>, settings: CheckSettings): PreparedRevision {
  const out: Finding[] = [...revision.findings];
  const prepared: PreparedRevision = { dir: revision.dir, findings: out, content: undefined };
  const pkg = revision.package;
  const pkgValue = pkg?.value;
  const str = (k: string): string | undefined => {
    const v = isJsonObject(pkgValue) ? pkgValue.get(k) : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  // The Universe's scripts read a missing packagingVersion as 2.0 (the schema requires it).
  const packagingVersion = isJsonObject(pkgValue) ? (str('packagingVersion') ?? (pkgValue.has('packagingVersion') ? undefined : '2.0')) : undefined;
  const hasPackageJson = pkg !== undefined || revision.findings.some((f) => f.file === 'package.json' && f.rule === 'file-read');
  out.push(...checkRevisionLayout(revision, packageName, packagingVersion, hasPackageJson));
  out.push(...checkSchemas(revision));
  const usable = pkg !== undefined && isJsonObject(pkgValue);
  if (usable) out.push(...checkVersions(pkg, versions));
  const minDcos = str('minDcosReleaseVersion');
  // config.json and resource.json are checked as files there too, even without a usable package.json.
  prepared.content = {
    config: revision.config,
    resource: revision.resource,
    template: usable ? revision.template : undefined,
    packagingVersion,
    dcosVersions: usable ? dcosVersionsToCheck(minDcos, settings.dcosVersion) : [],
    package: usable ? { minDcosReleaseVersion: minDcos, hasCommand: revision.command !== undefined } : undefined,
  };
  return prepared;
}

/**
 * The DC/OS versions a revision is rendered for: the one asked for (when the package is
 * available there), else every version from minDcosReleaseVersion up; a minimum later than
 * every known release is checked as the newest.
 */
export function dcosVersionsToCheck(minDcos: string | undefined, only: DcosVersion | undefined): DcosVersion[] {
  const min = minDcos !== undefined && DCOS_RELEASE_PATTERN.test(minDcos) ? minDcos : undefined;
  if (only !== undefined) return min === undefined || compareDcosVersions(min, only) <= 0 ? [only] : [];
  if (min === undefined) return [...DCOS_VERSIONS];
  const claimed = DCOS_VERSIONS.filter((v) => compareDcosVersions(v, min) >= 0);
  return claimed.length > 0 ? claimed : [NEWEST_DCOS_VERSION];
}

/** The `version` of every revision of the package, siblings included when only some were named. */
function packageVersions(target: PackageTarget, loaded: readonly LoadedRevision[]): Set<string> {
  const versions = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string') versions.add(v);
  };
  for (const r of loaded) if (isJsonObject(r.package?.value)) add(r.package.value.get('version'));
  if (!target.complete) {
    const named = new Set(target.revisions.map((d) => path.resolve(d)));
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(target.dir);
    } catch {
      entries = [];
    }
    for (const e of entries) {
      const dir = path.resolve(target.dir, e);
      if (!RELEASE_VERSION_PATTERN.test(e) || named.has(dir)) continue;
      try {
        const value: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
        if (typeof value === 'object' && value !== null) add((value as Record<string, unknown>).version);
      } catch {
        // A sibling that cannot be read names no version; it is not checked in this run.
      }
    }
  }
  return versions;
}

function crash(e: unknown): Finding {
  const message = e instanceof Error ? e.message : String(e);
  return finding('validator-crash', '', `the validator failed on this revision (please report it): ${message}`);
}

const FILE_ORDER = new Map<string, number>([['', -1], ...REVISION_FILE_NAMES.map((f, i) => [f, i] as [string, number])]);

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (FILE_ORDER.get(a.f.file) ?? 9) - (FILE_ORDER.get(b.f.file) ?? 9) || (a.f.line ?? 0) - (b.f.line ?? 0) || (a.f.column ?? 0) - (b.f.column ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}
