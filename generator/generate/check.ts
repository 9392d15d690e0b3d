import * as path from 'node:path';
import { diagnostic, DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { locatePointer } from '../json/parse.js';
import { loadRevision, type PackageRevision, type RevisionJsonFile } from '../model/revision.js';
import { compareDcosVersions, DCOS_VERSIONS, type DcosVersion } from '../render/eras.js';
import { renderFailureDiagnostic, renderMarathonApp } from '../render/revision.js';
import { resourceSchemaKind, validateMarathonApp, validateUniverseFile, type SchemaProblem } from '../schemas/index.js';

/**
 * The DC/OS versions whose render a package claims through minDcosReleaseVersion. Releases
 * older than 1.9 ran the 1.9 engine's rules (no JSON escaping), so they are checked as 1.9.
 */
export function claimedDcosVersions(minDcosReleaseVersion: string | undefined): DcosVersion[] {
  if (minDcosReleaseVersion === undefined) return [...DCOS_VERSIONS];
  return DCOS_VERSIONS.filter((v) => compareDcosVersions(v, minDcosReleaseVersion) >= 0);
}

function schemaDiagnostics(file: RevisionJsonFile, problems: SchemaProblem[], rule: string): Diagnostic[] {
  return problems.map((p) => {
    const at = locatePointer(file.text, p.pointer);
    return diagnostic({ file: file.path, rule, pointer: p.pointer, line: at?.line ?? null, column: at?.column ?? null, message: p.message });
  });
}

/**
 * What `generate` insists on before it replaces repo/: every revision loads, its files pass
 * the Universe schemas, and it renders with its defaults, on every DC/OS version it claims,
 * to an app without errors against Marathon's app schema.
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
    problems.push(...schemaDiagnostics(revision.package, validateUniverseFile('package', revision.package.value), 'package-schema'));
    if (revision.config) problems.push(...schemaDiagnostics(revision.config, validateUniverseFile('config', revision.config.value), 'config-schema'));
    if (revision.resource) {
      problems.push(...schemaDiagnostics(revision.resource, validateUniverseFile(resourceSchemaKind(revision.packagingVersion), revision.resource.value), 'resource-schema'));
    }
    const min = revision.package.value.get('minDcosReleaseVersion');
    for (const dcosVersion of claimedDcosVersions(typeof min === 'string' ? min : undefined)) {
      const r = renderMarathonApp(revision, { dcosVersion, labels: false });
      if (!r.ok) {
        problems.push(renderFailureDiagnostic(revision, r, { dcosVersion }));
        continue;
      }
      for (const e of validateMarathonApp(r.app).errors) {
        problems.push(diagnostic({ file: revision.marathonTemplate?.path ?? dir, rule: 'marathon-schema', pointer: e.pointer, message: `rendered with defaults on DC/OS ${dcosVersion}: ${e.message}` }));
      }
    }
  }
  return problems;
}
