import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';
import { parseJson } from '../json/parse.js';
import { loadProjectConfig, type ProjectConfig } from '../load/projectConfig.js';
import { checkGeneratedPackage } from './check.js';
import { generatePackage, type GeneratedPackage } from './package.js';
import { optionsTable, withOptionsTable } from './readme.js';
import { writeFileAtomic } from '../agent/writeFile.js';
import { PACKAGE_ROOT } from '../packageRoot.js';
import { stalePackageFiles, writePackageStaged } from './write.js';

export { generatePackage, packagePath, IMAGE_ASSET_KEY } from './package.js';
export { claimedDcosVersions, checkGeneratedPackage } from './check.js';
export { optionRows } from './readme.js';

/** package-template/ of this installation. */
export const BUNDLED_TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'package-template');

export interface GenerateOptions {
  configFile: string;
  /** The repository directory that holds packages/ (repo/ in this project). */
  repoDir: string;
  /** README whose options table is regenerated; skipped when it has no markers. */
  readmeFile?: string | undefined;
  templateDir?: string | undefined;
}

export interface GenerateResult {
  config: ProjectConfig;
  package: GeneratedPackage;
  /** Files written, or with `checkOnly` the files that are out of date. */
  files: string[];
}

function prepare(options: GenerateOptions): { config: ProjectConfig; pkg: GeneratedPackage; table: string; templateDir: string } {
  const config = loadProjectConfig(options.configFile);
  const beside = path.join(path.dirname(options.configFile), 'package-template');
  const templateDir = options.templateDir ?? (fs.existsSync(beside) ? beside : BUNDLED_TEMPLATE_DIR);
  const marathonFile = path.join(templateDir, 'marathon.json.mustache');
  let marathon: Buffer;
  try {
    marathon = fs.readFileSync(marathonFile);
  } catch {
    throw new DiagnosticError(diagnostic({ file: marathonFile, rule: 'generate', message: 'the package template has no marathon.json.mustache' }));
  }
  const pkg = generatePackage(config, templateDir, marathon);
  const newest = pkg.revisions[pkg.revisions.length - 1];
  const table = optionsTable(templateDir, parseJson((newest?.files.get('config.json') ?? Buffer.from('{}')).toString('utf8')).value);
  return { config, pkg, table, templateDir };
}

function readmeUpdate(readmeFile: string | undefined, table: string): { file: string; text: string } | undefined {
  if (readmeFile === undefined || !fs.existsSync(readmeFile)) return undefined;
  const current = fs.readFileSync(readmeFile, 'utf8');
  const next = withOptionsTable(current, table);
  return next === undefined || next === current ? undefined : { file: readmeFile, text: next };
}

/** `ecr-universe generate`: renders the package into repo/ (staged, checked, swapped in). */
export function generate(options: GenerateOptions): GenerateResult {
  const { config, pkg, table } = prepare(options);
  const finalDir = path.join(options.repoDir, pkg.packageDir);
  writePackageStaged(options.repoDir, pkg, (staged) => {
    // Findings name the files where they will be, not the staging directory that goes away.
    const problems = checkGeneratedPackage(staged, pkg.revisions.map((r) => r.release.releaseVersion)).map((d) =>
      d.file.startsWith(staged) ? { ...d, file: finalDir + d.file.slice(staged.length) } : d,
    );
    if (problems.length > 0) throw new DiagnosticError(problems[0]!, problems);
  });
  const files = pkg.revisions.map((r) => path.join(options.repoDir, pkg.packageDir, String(r.release.releaseVersion)));
  const readme = readmeUpdate(options.readmeFile, table);
  if (readme) {
    writeFileAtomic(readme.file, readme.text, fs.statSync(readme.file).mode & 0o777);
    files.push(readme.file);
  }
  return { config, package: pkg, files };
}

/** `ecr-universe generate --check`: which generated files are out of date, writing nothing. */
export function checkGenerated(options: GenerateOptions): GenerateResult {
  const { config, pkg, table } = prepare(options);
  const files = stalePackageFiles(options.repoDir, pkg).map((rel) => path.join(options.repoDir, rel));
  const readme = readmeUpdate(options.readmeFile, table);
  if (readme) files.push(readme.file);
  return { config, package: pkg, files };
}
