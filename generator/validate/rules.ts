/**
 * Every rule of `ecr-universe validate`: a stable id, its severity, and what it checks.
 * Errors are what makes an install with default options fail, or a file malformed; warnings
 * are what real repositories legitimately carry (see DOMAIN.md, "What the public Universe
 * teaches about errors and warnings").
 */
import type { Severity } from '../diagnostics/diagnostic.js';

export type RuleFamily = 'layout' | 'file' | 'schema' | 'config' | 'version' | 'template' | 'marathon' | 'resource';

export interface RuleInfo {
  id: string;
  family: RuleFamily;
  severity: Severity;
  /** What the rule checks, one sentence for the README table. */
  checks: string;
}

export const RULES = [
  // Layout of repo/packages/<L>/<name>/<releaseVersion>/
  { id: 'layout-letter-dir', family: 'layout', severity: 'error', checks: 'Entries of `packages/` are one-letter directories, and a package sits under the upper-cased first letter of its name.' },
  { id: 'layout-package-dir', family: 'layout', severity: 'error', checks: 'Package directory names match `^[a-z][a-z0-9-]*[a-z0-9]$`.' },
  { id: 'layout-revision-dir', family: 'layout', severity: 'error', checks: 'Entries of a package directory are revision directories named by a non-negative integer (0, 1, 2, ...).' },
  { id: 'layout-package-name', family: 'layout', severity: 'error', checks: '`name` in package.json equals the package directory name.' },
  { id: 'layout-required-file', family: 'layout', severity: 'error', checks: 'package.json is present, and marathon.json.mustache for packagingVersion 2.0.' },
  { id: 'layout-file-allowed', family: 'layout', severity: 'error', checks: 'command.json only in packagingVersion 2.0 and 3.0 (refused in 4.0 and 5.0).' },
  { id: 'layout-command-deprecated', family: 'layout', severity: 'warning', checks: 'command.json in a 3.0 package (deprecated: DC/OS 1.10+ installs CLIs from resource.json `cli`).' },
  { id: 'layout-unknown-file', family: 'layout', severity: 'warning', checks: 'A revision holds only package.json, config.json, marathon.json.mustache, resource.json and command.json (anything else is ignored by the build).' },
  // Files
  { id: 'file-read', family: 'file', severity: 'error', checks: 'Every file of a revision can be read.' },
  { id: 'file-encoding', family: 'file', severity: 'error', checks: 'JSON files are ASCII (Cosmos 0.6.2 and older read them with the platform charset; the Universe refuses others); the template is valid UTF-8.' },
  { id: 'json-syntax', family: 'file', severity: 'error', checks: 'JSON files parse (line and column of the first syntax error).' },
  { id: 'json-duplicate-key', family: 'file', severity: 'error', checks: 'No key appears twice in one JSON object.' },
  { id: 'json-unicode-escape', family: 'file', severity: 'error', checks: 'No escaped unicode literals: strings hold only printable ASCII (the Universe\'s DCOS-42473 check).' },
  // Schemas
  { id: 'schema-package', family: 'schema', severity: 'error', checks: 'package.json matches the Universe package schema of its packagingVersion.' },
  { id: 'schema-config', family: 'schema', severity: 'error', checks: 'config.json matches the Universe config schema.' },
  { id: 'schema-resource', family: 'schema', severity: 'error', checks: 'resource.json matches the v2 (packagingVersion 2.0) or v3 resource schema.' },
  { id: 'schema-command', family: 'schema', severity: 'error', checks: 'command.json matches the Universe command schema.' },
  // config.json as a schema
  { id: 'config-compile', family: 'config', severity: 'error', checks: 'config.json compiles as a draft-04 JSON Schema the way Cosmos reads it.' },
  { id: 'config-defaults', family: 'config', severity: 'error', checks: 'The defaults (with example values for required options that have none) satisfy config.json on the newest DC/OS checked: Cosmos refuses the install otherwise.' },
  // Versions
  { id: 'version-semver', family: 'version', severity: 'warning', checks: '`version` is a semantic version (the Universe allows free text).' },
  { id: 'version-upgrade-path', family: 'version', severity: 'warning', checks: '`upgradesFrom` / `downgradesTo` name `*` or versions of revisions present in the package.' },
  { id: 'version-min-dcos', family: 'version', severity: 'warning', checks: '`minDcosReleaseVersion` is a DC/OS release this tool knows (up to 2.0); a later one hides the package from every known cluster.' },
  // Template and render
  { id: 'template-syntax', family: 'template', severity: 'error', checks: 'marathon.json.mustache compiles (mustache.java\'s parser).' },
  { id: 'template-undeclared', family: 'template', severity: 'warning', checks: 'Every variable the template names is declared in config.json properties or resource.json (an undeclared one renders as empty text).' },
  { id: 'template-render', family: 'template', severity: 'error', checks: 'The template renders with the defaults to a JSON object with string labels on the newest DC/OS checked.' },
  { id: 'older-dcos', family: 'template', severity: 'warning', checks: 'Breaks only on an older DC/OS the package claims through minDcosReleaseVersion ("breaks on DC/OS 1.9: ...").' },
  // The rendered Marathon app
  { id: 'marathon-schema', family: 'marathon', severity: 'error', checks: 'The rendered app passes Marathon\'s app schema by type and value (a string where a number belongs, an empty `id`, a negative count).' },
  { id: 'marathon-unknown-field', family: 'marathon', severity: 'warning', checks: 'The rendered app has no field Marathon\'s app schema does not know (Marathon ignores it).' },
  { id: 'marathon-deprecated', family: 'marathon', severity: 'warning', checks: 'The rendered app uses no field Marathon deprecates (container.docker.network and portMappings pass for packages that claim DC/OS 1.10 or older, whose Marathon needs them).' },
  { id: 'marathon-null', family: 'marathon', severity: 'warning', checks: 'The rendered app has no `null` member (Marathon reads it as absent).' },
  // resource.json
  { id: 'resource-image-ref', family: 'resource', severity: 'error', checks: 'Docker image references in `assets.container.docker` parse.' },
  { id: 'resource-image-latest', family: 'resource', severity: 'warning', checks: 'Docker images have a fixed tag or digest (not `latest`, not untagged).' },
  { id: 'resource-url', family: 'resource', severity: 'error', checks: 'URLs in resource.json (images, assets.uris, cli binaries) are absolute.' },
  { id: 'resource-cli-min-dcos', family: 'resource', severity: 'error', checks: 'A `cli` in resource.json needs minDcosReleaseVersion 1.8 or later, or a command.json (the Universe\'s own check).' },
  // The safety net
  { id: 'validator-crash', family: 'file', severity: 'error', checks: 'The validator itself failed on a revision (a bug to report); the other revisions are still checked.' },
] as const satisfies readonly RuleInfo[];

export type RuleId = (typeof RULES)[number]['id'];

const BY_ID = new Map<string, RuleInfo>(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: RuleId): RuleInfo {
  return BY_ID.get(id) as RuleInfo;
}

export function ruleSeverity(id: RuleId): Severity {
  return ruleInfo(id).severity;
}
