/**
 * Small Universe repositories written by the tests: a good revision of a `demo` package that
 * validates without a finding, and helpers to change one file and see which rules fire.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../../generator/diagnostics/diagnostic.js';
import { validateRepository, type RunSettings } from '../../generator/validate/pool.js';
import type { ValidationSummary } from '../../generator/validate/report.js';

/** File name -> content (string or bytes); null removes the file. */
export type RevisionFiles = Record<string, string | Buffer | null>;

export const GOOD_PACKAGE = {
  packagingVersion: '4.0',
  name: 'demo',
  version: '1.0.0',
  minDcosReleaseVersion: '1.10',
  maintainer: 'ops@example.com',
  description: 'A demo package.',
  tags: ['demo'],
  upgradesFrom: ['*'],
  downgradesTo: ['*'],
};

export const GOOD_CONFIG = {
  type: 'object',
  properties: {
    service: {
      type: 'object',
      properties: {
        name: { type: 'string', default: '/demo', description: 'Marathon app id.' },
        cpus: { type: 'number', default: 0.5, minimum: 0.1 },
        instances: { type: 'integer', default: 1, minimum: 0 },
      },
      required: ['name'],
    },
  },
};

export const GOOD_TEMPLATE = `{
  "id": "{{service.name}}",
  "cpus": {{service.cpus}},
  "mem": 32,
  "instances": {{service.instances}},
  "container": {
    "type": "DOCKER",
    "docker": { "image": "{{resource.assets.container.docker.demo}}" }
  },
  "labels": { "ROLE": "demo" }
}
`;

export const GOOD_RESOURCE = {
  images: {
    'icon-small': 'https://example.com/small.png',
    'icon-medium': 'https://example.com/medium.png',
    'icon-large': 'https://example.com/large.png',
  },
  assets: { container: { docker: { demo: 'example/demo:1.0.0' } } },
};

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function goodRevision(): RevisionFiles {
  return {
    'package.json': json(GOOD_PACKAGE),
    'config.json': json(GOOD_CONFIG),
    'marathon.json.mustache': GOOD_TEMPLATE,
    'resource.json': json(GOOD_RESOURCE),
  };
}

export function tempDir(prefix = 'ecr-validate-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `files` as the revision `root/repo/packages/<L>/<name>/<rev>`; returns its path. */
export function writeRevision(root: string, name: string, rev: string, files: RevisionFiles, letter = name.charAt(0).toUpperCase()): string {
  const dir = path.join(root, 'repo/packages', letter, name, rev);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (content === null) fs.rmSync(full, { force: true, recursive: true });
    else fs.writeFileSync(full, content);
  }
  return dir;
}

/** A repository holding one revision of `demo` (files changed by `change`), validated. */
export async function validateOne(change: (files: RevisionFiles) => void = () => {}, settings: RunSettings = {}): Promise<ValidationSummary> {
  const root = tempDir();
  try {
    const files = goodRevision();
    change(files);
    writeRevision(root, 'demo', '0', files);
    return await validateRepository([root], { jobs: 1, ...settings });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function rulesOf(summary: ValidationSummary): string[] {
  return [...new Set(summary.diagnostics.map((d) => d.rule))].sort();
}

export function withRule(summary: ValidationSummary, rule: string): Diagnostic[] {
  return summary.diagnostics.filter((d) => d.rule === rule);
}

export function describeDiagnostics(summary: ValidationSummary): string {
  return summary.diagnostics.map((d) => `${d.severity}[${d.rule}] ${path.basename(d.file)}:${d.line}:${d.column} ${d.message}`).join('\n');
}
