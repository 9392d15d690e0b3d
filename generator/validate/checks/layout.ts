/**
 * Layout inside a revision directory: package.json's name equals the package directory,
 * the files present are the ones its packagingVersion allows, and nothing else is there.
 */
import * as path from 'node:path';
import { finding, jsonPlace, type Finding } from '../findings.js';
import type { LoadedRevision } from '../load.js';

export function checkRevisionLayout(revision: LoadedRevision, packageDirName: string, packagingVersion: string | undefined, hasPackageJson: boolean): Finding[] {
  const out: Finding[] = [];
  if (!hasPackageJson) {
    out.push(finding('layout-required-file', 'package.json', 'package.json is missing: every revision needs one'));
  }
  for (const name of revision.unknown) {
    out.push(finding('layout-unknown-file', '', `"${name}" is not a revision file (package.json, config.json, marathon.json.mustache, resource.json, command.json); the build ignores it`));
  }
  const pkg = revision.package;
  if (pkg?.value instanceof Map) {
    const name = pkg.value.get('name');
    if (typeof name === 'string' && name !== packageDirName) {
      out.push(finding('layout-package-name', 'package.json', `name "${name}" differs from the package directory "${packageDirName}"`, jsonPlace(pkg.text, '/name')));
    }
  }
  if (!hasPackageJson || pkg?.value === undefined) return out;
  if (packagingVersion === '2.0' && revision.template === undefined && !revision.findings.some((f) => f.file === 'marathon.json.mustache')) {
    out.push(finding('layout-required-file', 'marathon.json.mustache', 'marathon.json.mustache is missing: packagingVersion 2.0 requires it'));
  }
  if (revision.command !== undefined) {
    if (packagingVersion === '4.0' || packagingVersion === '5.0') {
      out.push(finding('layout-file-allowed', 'command.json', `command.json is not allowed in packagingVersion ${packagingVersion}: put the CLI in resource.json "cli"`));
    } else if (packagingVersion === '3.0') {
      out.push(finding('layout-command-deprecated', 'command.json', 'command.json is deprecated in packagingVersion 3.0: DC/OS 1.10 and later install CLIs from resource.json "cli"'));
    }
  }
  return out;
}

export function packageDirName(revisionDir: string): string {
  return path.basename(path.dirname(path.resolve(revisionDir)));
}
