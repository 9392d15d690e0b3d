import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { diagnostic, DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { joinPointer, pointerTokens } from '../json/pointer.js';
import { yaml } from './options.js';
import { readInputFile } from './read.js';

/** The package and its releases, as written in ecr-universe.yaml. */
export interface ProjectConfig {
  file: string;
  package: PackageMetadata;
  image: ImageSettings;
  /** Sorted by releaseVersion. */
  releases: Release[];
}

export interface PackageMetadata {
  name: string;
  description: string;
  maintainer: string;
  tags: string[];
  scm: string;
  website: string;
  licenses: { name: string; url: string }[];
  minDcosReleaseVersion: string;
}

export interface ImageSettings {
  /** Image repository without a tag, e.g. docker.io/ecruniverse/ecr-credential-helper. */
  repository: string;
  /** Base image of the runtime stage (a POSIX shell, tar, gzip, sha256sum). */
  runtimeImage: string;
}

export interface Release {
  /** The upstream amazon-ecr-credential-helper release, e.g. 0.12.0. */
  helperVersion: string;
  /** Counts package builds of one helper release, from 1. */
  packageRevision: number;
  /** The Universe revision directory number. */
  releaseVersion: number;
  /** The Go toolchain image that builds the helper. */
  builderImage: string;
  /** Package version: `<helperVersion>-<packageRevision>`. */
  packageVersion: string;
  /** Full image reference of this release's helper image (never `latest`). */
  image: string;
}

const SEMVER = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$';
const IMAGE_REF = '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$';

/** JSON Schema (draft-04) of ecr-universe.yaml. */
export const PROJECT_CONFIG_SCHEMA = {
  type: 'object',
  required: ['package', 'image', 'releases'],
  additionalProperties: false,
  properties: {
    package: {
      type: 'object',
      required: ['name', 'description', 'maintainer', 'tags', 'scm', 'website', 'licenses', 'minDcosReleaseVersion'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z][a-z0-9-]*[a-z0-9]$' },
        description: { type: 'string', minLength: 1 },
        maintainer: { type: 'string', minLength: 1 },
        tags: { type: 'array', items: { type: 'string', pattern: '^[^\\s]+$' }, minItems: 1, uniqueItems: true },
        scm: { type: 'string', pattern: '^https?://' },
        website: { type: 'string', pattern: '^https?://' },
        licenses: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['name', 'url'],
            additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, url: { type: 'string', pattern: '^https?://' } },
          },
        },
        minDcosReleaseVersion: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$' },
      },
    },
    image: {
      type: 'object',
      required: ['repository', 'runtimeImage'],
      additionalProperties: false,
      properties: {
        repository: { type: 'string', pattern: '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+$' },
        runtimeImage: { type: 'string', pattern: IMAGE_REF, not: { pattern: ':latest$' } },
      },
    },
    releases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['helperVersion', 'packageRevision', 'releaseVersion', 'builderImage'],
        additionalProperties: false,
        properties: {
          helperVersion: { type: 'string', pattern: SEMVER },
          packageRevision: { type: 'integer', minimum: 1 },
          releaseVersion: { type: 'integer', minimum: 0 },
          builderImage: { type: 'string', pattern: IMAGE_REF, not: { pattern: ':latest$' } },
        },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;

function validate(value: unknown): ErrorObject[] {
  if (validator === undefined) {
    const require = createRequire(import.meta.url);
    const Ajv04 = (require('ajv-draft-04') as { default: new (o: object) => { compile(s: object): ValidateFunction } }).default;
    validator = new Ajv04({ allErrors: true, strict: true }).compile(PROJECT_CONFIG_SCHEMA);
  }
  return validator(value) ? [] : (validator.errors ?? []);
}

/** Reads and checks ecr-universe.yaml; every problem is a Diagnostic with line and column. */
export function loadProjectConfig(file: string): ProjectConfig {
  return parseProjectConfig(file, readInputFile(file, 'project-config', 'project config file'));
}

export function parseProjectConfig(file: string, text: string): ProjectConfig {
  const Y = yaml();
  const lineCounter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = syntax.linePos?.[0];
    throw new DiagnosticError(diagnostic({ file, rule: 'yaml-syntax', line: pos?.line ?? null, column: pos?.col ?? null, message: syntax.message.split('\n')[0] ?? 'invalid YAML' }));
  }
  const data: unknown = doc.toJS();
  const problems = validate(data).map((e) => schemaDiagnostic(file, doc, lineCounter, e));
  if (problems.length === 0) problems.push(...semanticProblems(file, doc, lineCounter, data as RawConfig));
  if (problems.length > 0) throw new DiagnosticError(problems[0] as Diagnostic, problems);
  const raw = data as RawConfig;
  const releases = raw.releases
    .map((r) => {
      const packageVersion = `${r.helperVersion}-${r.packageRevision}`;
      return { ...r, packageVersion, image: `${raw.image.repository}:${packageVersion}` };
    })
    .sort((a, b) => a.releaseVersion - b.releaseVersion);
  return { file, package: raw.package, image: raw.image, releases };
}

interface RawConfig {
  package: PackageMetadata;
  image: ImageSettings;
  releases: Omit<Release, 'packageVersion' | 'image'>[];
}

function semanticProblems(file: string, doc: Document, lc: LineCounter, raw: RawConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenRelease = new Map<number, number>();
  const seenVersion = new Map<string, number>();
  raw.releases.forEach((r, i) => {
    const rv = seenRelease.get(r.releaseVersion);
    if (rv !== undefined) out.push(at(file, doc, lc, `/releases/${i}/releaseVersion`, 'project-config', `releaseVersion ${r.releaseVersion} is already used by release ${rv}`));
    seenRelease.set(r.releaseVersion, i);
    const key = `${r.helperVersion}-${r.packageRevision}`;
    const pv = seenVersion.get(key);
    if (pv !== undefined) out.push(at(file, doc, lc, `/releases/${i}`, 'project-config', `package version ${key} is already used by release ${pv}`));
    seenVersion.set(key, i);
  });
  return out;
}

function schemaDiagnostic(file: string, doc: Document, lc: LineCounter, e: ErrorObject): Diagnostic {
  const params = e.params as Record<string, unknown>;
  let pointer = e.instancePath;
  let message = `${pointer === '' ? 'the file' : pointer.slice(1).replace(/\//g, '.')} ${e.message ?? 'is invalid'}`;
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    message = `${joinPointer(pointer, params.missingProperty).slice(1).replace(/\//g, '.')} is required`;
  } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    pointer = joinPointer(pointer, params.additionalProperty);
    message = `${pointer.slice(1).replace(/\//g, '.')} is not a known setting`;
  } else if (e.keyword === 'not') {
    message = `${pointer.slice(1).replace(/\//g, '.')} must name a fixed tag, not latest`;
  }
  return at(file, doc, lc, pointer, 'project-config', message);
}

function at(file: string, doc: Document, lc: LineCounter, pointer: string, rule: string, message: string): Diagnostic {
  const tokens = pointerTokens(pointer).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
  // The node itself, or for a missing member the nearest existing parent.
  for (let n = tokens.length; n >= 0; n--) {
    const node = doc.getIn(tokens.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) {
      const pos = lc.linePos(offset);
      return diagnostic({ file, rule, pointer, line: pos.line, column: pos.col, message });
    }
  }
  return diagnostic({ file, rule, pointer, message });
}
