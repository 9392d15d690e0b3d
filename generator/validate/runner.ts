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
import { checkContent } from './checks/content.js';
import { checkRevisionLayout } from './checks/layout.js';
import { checkResources } from './checks/resources.js';
import { checkSchemas } from './checks/schemas.js';
import { checkVersions, DCOS_RELEASE_PATTERN } from './checks/versions.js';
import { RELEASE_VERSION_PATTERN, type PackageTarget } from './discover.js';
import { finding, REVISION_FILE_NAMES, toDiagnostic, type Finding } from './findings.js';
import { loadRevisionFiles, type LoadedRevision } from './load.js';

export interface CheckSettings {
  /** Render only for this DC/OS version (default: every version the package claims). */
  dcosVersion?: DcosVersion | undefined;
}

export interface PackageReport {
  revisions: number;
  diagnostics: Diagnostic[];
}

/** Every check of one package's revisions (the unit of work: upgrade paths look across revisions). */
export function validatePackage(target: PackageTarget, settings: CheckSettings = {}): PackageReport {
  const diagnostics: Diagnostic[] = [];
  const loaded: LoadedRevision[] = [];
  for (const dir of target.revisions) {
    try {
      loaded.push(loadRevisionFiles(dir));
    } catch (e) {
      diagnostics.push(toDiagnostic(crash(e), dir));
    }
  }
  const versions = packageVersions(target, loaded);
  const packageName = path.basename(target.dir);
  for (const revision of loaded) {
    let findings: Finding[];
    try {
      findings = checkRevision(revision, packageName, versions, settings);
    } catch (e) {
      findings = [...revision.findings, crash(e)];
    }
    diagnostics.push(...sortFindings(findings).map((f) => toDiagnostic(f, revision.dir)));
  }
  return { revisions: target.revisions.length, diagnostics };
}

function checkRevision(revision: LoadedRevision, packageName: string, versions: ReadonlySet<string>, settings: CheckSettings): Finding[] {
  const out: Finding[] = [...revision.findings];
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
  out.push(...checkSchemas(revision, packagingVersion));
  if (pkg === undefined || !isJsonObject(pkgValue)) return out;

  out.push(...checkVersions(pkg, versions));
  const minDcos = str('minDcosReleaseVersion');
  if (revision.resource !== undefined) {
    out.push(...checkResources(revision.resource, { minDcosReleaseVersion: minDcos, hasCommand: revision.command !== undefined }));
  }
  out.push(
    ...checkContent({
      config: revision.config,
      resource: revision.resource,
      template: revision.template,
      packagingVersion,
      dcosVersions: dcosVersionsToCheck(minDcos, settings.dcosVersion),
    }),
  );
  return out;
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
