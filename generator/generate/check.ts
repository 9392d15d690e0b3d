import * as path from 'node:path';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadRevision, type PackageRevision } from '../model/revision.js';
import { compareDcosVersions, DCOS_VERSIONS, type DcosVersion } from '../render/eras.js';
import { renderFailureDiagnostic, renderMarathonApp } from '../render/revision.js';

/**
 * The DC/OS versions whose render a package claims through minDcosReleaseVersion. Releases
 * older than 1.9 ran the 1.9 engine's rules (no JSON escaping), so they are checked as 1.9.
 */
export function claimedDcosVersions(minDcosReleaseVersion: string | undefined): DcosVersion[] {
  if (minDcosReleaseVersion === undefined) return [...DCOS_VERSIONS];
  return DCOS_VERSIONS.filter((v) => compareDcosVersions(v, minDcosReleaseVersion) >= 0);
}

/**
 * What `generate` insists on before it replaces repo/: every revision loads, and renders
 * with its defaults to a Marathon app on every DC/OS version it claims.
 */
export function checkGeneratedPackage(stagedPackageDir: string, releaseVersions: readonly number[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const rv of releaseVersions) {
    const dir = path.join(stagedPackageDir, String(rv));
    let revision: PackageRevision;
    try {
      revision = loadRevision(dir);
    } catch (e) {
      if (e instanceof DiagnosticError) {
        problems.push(...e.all);
        continue;
      }
      throw e;
    }
    const min = revision.package.value.get('minDcosReleaseVersion');
    for (const dcosVersion of claimedDcosVersions(typeof min === 'string' ? min : undefined)) {
      const r = renderMarathonApp(revision, { dcosVersion, labels: false });
      if (!r.ok) problems.push(renderFailureDiagnostic(revision, r, { dcosVersion }));
    }
  }
  return problems;
}
