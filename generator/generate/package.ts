import * as path from 'node:path';
import semver from 'semver';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, parseJson } from '../json/parse.js';
import { stringifyJson } from '../json/stringify.js';
import type { ProjectConfig, Release } from '../load/projectConfig.js';
import { OPTION_PATTERNS, PACKAGE_DEFAULTS } from './options.js';
import { renderTemplateFile } from './templates.js';

/** The Universe layout: packages/<LETTER>/<name>/<releaseVersion>/. */
export function packagePath(name: string): string {
  return path.posix.join('packages', name.charAt(0).toUpperCase(), name);
}

export interface GeneratedRevision {
  release: Release;
  /** File name -> bytes, in the order they are written. */
  files: Map<string, Buffer>;
}

export interface GeneratedPackage {
  /** packages/E/ecr-credential-helper, relative to the repository directory. */
  packageDir: string;
  revisions: GeneratedRevision[];
}

/** The key of the helper image in resource.json's assets.container.docker. */
export const IMAGE_ASSET_KEY = 'ecr-credential-helper';

const JSON_TEMPLATES = ['package.json', 'config.json', 'resource.json'] as const;
const NOTES = ['preInstallNotes', 'postInstallNotes', 'postUninstallNotes'] as const;

/**
 * Renders package-template/ for every release of the project config. JSON files come out of
 * handlebars, are parsed strictly (a template bug is caught here, with its position) and
 * written as 2-space JSON; marathon.json.mustache is copied byte for byte, since it is
 * Cosmos's install-time template and not the generator's.
 */
export function generatePackage(config: ProjectConfig, templateDir: string, marathonTemplate: Buffer): GeneratedPackage {
  const versions = config.releases.map((r) => r.packageVersion);
  for (const v of versions) {
    if (semver.valid(v) === null) throw new DiagnosticError(diagnostic({ file: config.file, rule: 'project-config', message: `package version ${v} is not semver` }));
  }
  const revisions = config.releases.map((release) => {
    const older = semver.sort(versions.filter((v) => semver.lt(v, release.packageVersion)));
    const data = {
      package: config.package,
      release,
      description: `${config.package.description} This release installs docker-credential-ecr-login ${release.helperVersion}.`,
      upgradesFrom: older,
      downgradesTo: older,
      imageKey: IMAGE_ASSET_KEY,
      patterns: OPTION_PATTERNS,
      defaults: PACKAGE_DEFAULTS,
      preInstallNotes: '',
      postInstallNotes: '',
      postUninstallNotes: '',
    };
    for (const note of NOTES) data[note] = renderTemplateFile(templateDir, `notes/${note}.txt.hbs`, data).trim();
    const files = new Map<string, Buffer>();
    for (const name of JSON_TEMPLATES) {
      const source = path.join(templateDir, `${name}.hbs`);
      files.set(name, Buffer.from(canonicalJson(source, renderTemplateFile(templateDir, `${name}.hbs`, data)), 'utf8'));
    }
    files.set('marathon.json.mustache', marathonTemplate);
    return { release, files };
  });
  return { packageDir: packagePath(config.package.name), revisions };
}

/** Strict parse of a rendered JSON template, then 2-space JSON; Universe JSON must be ASCII. */
function canonicalJson(source: string, text: string): string {
  let value;
  try {
    value = parseJson(text).value;
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new DiagnosticError(
        diagnostic({ file: source, rule: 'template-output', message: `the rendered file is not JSON: ${e.message} (rendered line ${e.position.line}, column ${e.position.column})` }),
      );
    }
    throw e;
  }
  const out = `${stringifyJson(value, 2)}\n`;
  // eslint-disable-next-line no-control-regex
  const nonAscii = /[^\u0000-\u007f]/.exec(out);
  if (nonAscii) {
    throw new DiagnosticError(
      diagnostic({ file: source, rule: 'template-output', message: `Universe JSON files must be ASCII; the rendered file holds '${nonAscii[0]}' (check ecr-universe.yaml)` }),
    );
  }
  return out;
}
