/**
 * Versions: `version` as semver (a warning: the Universe allows free text), upgrade and
 * downgrade paths that name versions present in the package, and a minDcosReleaseVersion that
 * a known DC/OS release satisfies.
 */
import semver from 'semver';
import { joinPointer } from '../../json/pointer.js';
import { isJsonObject } from '../../json/value.js';
import { compareDcosVersions, NEWEST_DCOS_VERSION } from '../../render/eras.js';
import { finding, jsonPlace, type Finding } from '../findings.js';
import type { LoadedJsonFile } from '../load.js';

export const DCOS_RELEASE_PATTERN = /^(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*$/;

/**
 * @param versions every `version` of the package's revisions (this one included).
 */
export function checkVersions(pkg: LoadedJsonFile, versions: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const value = pkg.value;
  if (!isJsonObject(value)) return out;
  const version = value.get('version');
  if (typeof version === 'string' && semver.valid(version) === null) {
    out.push(finding('version-semver', 'package.json', `version "${version}" is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]); tools that order versions may misplace it`, jsonPlace(pkg.text, '/version')));
  }
  for (const key of ['upgradesFrom', 'downgradesTo'] as const) {
    const list = value.get(key);
    if (!Array.isArray(list)) continue;
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v === '*' || versions.has(v)) return;
      const verb = key === 'upgradesFrom' ? 'upgrade from' : 'downgrade to';
      out.push(finding('version-upgrade-path', 'package.json', `${key} names version "${v}", which no revision of the package has: there is nothing to ${verb}`, jsonPlace(pkg.text, joinPointer(`/${key}`, i))));
    });
  }
  const min = value.get('minDcosReleaseVersion');
  if (typeof min === 'string' && DCOS_RELEASE_PATTERN.test(min) && compareDcosVersions(min, NEWEST_DCOS_VERSION) > 0) {
    out.push(finding('version-min-dcos', 'package.json', `minDcosReleaseVersion ${min} is later than every DC/OS release (the newest is ${NEWEST_DCOS_VERSION}): no cluster shows the package; its template is checked as DC/OS ${NEWEST_DCOS_VERSION} renders it`, jsonPlace(pkg.text, '/minDcosReleaseVersion')));
  }
  return out;
}
