import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Files of a synthetic packages directory: relative path -> content (strings are written as UTF-8). */
export type RepoFiles = Record<string, string | Buffer>;

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ecr-universe-${prefix}-`));
}

export function writeFiles(root: string, files: RepoFiles): string {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

/** A valid 3.0 package.json for `name`. */
export function packageJson(name: string, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      packagingVersion: '3.0',
      name,
      version: '1.0.0',
      maintainer: 'someone@example.com',
      description: `The ${name} package`,
      tags: ['test'],
      ...extra,
    },
    null,
    2,
  )}\n`;
}

export const TEMPLATE = '{\n  "id": "{{service.name}}",\n  "cpus": 0.1,\n  "mem": 32,\n  "cmd": "sleep 1000"\n}\n';

export const CONFIG = `${JSON.stringify({ type: 'object', properties: { service: { type: 'object', properties: { name: { type: 'string', default: 'svc', description: 'The "name"' } } } } }, null, 2)}\n`;

/** A small valid repository: two packages, three revisions. */
export function smallRepo(): RepoFiles {
  return {
    'A/alpha/0/package.json': packageJson('alpha'),
    'A/alpha/0/marathon.json.mustache': TEMPLATE,
    'A/alpha/0/config.json': CONFIG,
    'A/alpha/1/package.json': packageJson('alpha', { packagingVersion: '4.0', version: '1.1.0', upgradesFrom: ['1.0.0'], downgradesTo: ['1.0.0'], minDcosReleaseVersion: '1.9' }),
    'A/alpha/1/marathon.json.mustache': TEMPLATE,
    'A/alpha/1/config.json': CONFIG,
    'B/beta/0/package.json': packageJson('beta', { minDcosReleaseVersion: '1.10' }),
    'B/beta/0/marathon.json.mustache': TEMPLATE,
  };
}

/** All files under `dir` (relative path -> bytes). */
export function readTree(dir: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) for (const [k, v] of readTree(dir, rel)) out.set(k, v);
    else out.set(rel, fs.readFileSync(path.join(dir, rel)));
  }
  return out;
}
