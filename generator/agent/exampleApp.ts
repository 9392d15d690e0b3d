/**
 * A consumer example: a Marathon app that pulls a private ECR image with the docker config
 * tarball the package placed on the agent. The tarball location comes from the same options
 * as the package (`host.configDir`, `host.tarballName`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, DiagnosticError } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, locatePointer, parseJson } from '../json/parse.js';
import { joinPointer, pointerTokens } from '../json/pointer.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/value.js';
import { yaml } from '../load/options.js';
import { DEFAULT_HOST_CONFIG_DIR, DEFAULT_TARBALL_NAME, TARBALL_NAME_PATTERN } from './constants.js';
import { AgentInputError, isEcrRegistryHost } from './dockerConfig.js';

/** Where the tarball is on every agent. */
export interface TarballLocation {
  /** Absolute host directory (`host.configDir`, default /etc). */
  configDir: string;
  /** File name (`host.tarballName`, default docker.tar.gz). */
  tarballName: string;
}

export const DEFAULT_TARBALL_LOCATION: TarballLocation = { configDir: DEFAULT_HOST_CONFIG_DIR, tarballName: DEFAULT_TARBALL_NAME };

const TARBALL_NAME_REGEX = new RegExp(TARBALL_NAME_PATTERN);

/** `file://<configDir>/<tarballName>`, as the Mesos fetcher takes it. */
export function tarballUri(location: TarballLocation): string {
  const dir = location.configDir.replace(/\/+$/, '');
  return `file://${dir}/${location.tarballName}`;
}

/** Line and column of the value at `pointer` in an options file (JSON or YAML), if found. */
function positionIn(file: string, text: string, pointer: string): { line: number; column: number } | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml') {
    try {
      parseJson(text);
      return locatePointer(text, pointer);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
    }
  }
  const Y = yaml();
  const lineCounter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter });
  const tokens = pointerTokens(pointer);
  for (let n = tokens.length; n >= 0; n--) {
    const node = doc.getIn(tokens.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) {
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

/**
 * Reads `host.configDir` and `host.tarballName` from package options (as read by
 * readOptionsFile), with the package defaults for what is absent. `file` and its text
 * place the errors.
 */
export function tarballLocationFromOptions(options: JsonObject, file: string, text: string = fs.readFileSync(file, 'utf8')): TarballLocation {
  const fail = (pointer: string, message: string): never => {
    const pos = positionIn(file, text, pointer);
    throw new DiagnosticError(diagnostic({ file, rule: 'example-app-options', pointer, line: pos?.line ?? null, column: pos?.column ?? null, message }));
  };
  const host = options.get('host');
  if (host === undefined) return { ...DEFAULT_TARBALL_LOCATION };
  if (!isJsonObject(host)) return fail('/host', 'host must be an object');
  const str = (name: string, fallback: string): string => {
    const value: JsonValue | undefined = host.get(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') return fail(joinPointer('/host', name), `host.${name} must be a string`);
    return value;
  };
  const configDir = str('configDir', DEFAULT_HOST_CONFIG_DIR);
  const tarballName = str('tarballName', DEFAULT_TARBALL_NAME);
  if (!configDir.startsWith('/') || /[\s?#%]/.test(configDir)) {
    fail('/host/configDir', `host.configDir must be an absolute path without blanks, '?', '#' or '%', got ${JSON.stringify(configDir)}`);
  }
  if (!TARBALL_NAME_REGEX.test(tarballName)) {
    fail('/host/tarballName', `host.tarballName must be a file name ending in .tar.gz or .tgz (the Mesos fetcher extracts by extension), got ${JSON.stringify(tarballName)}`);
  }
  return { configDir, tarballName };
}

/** The registry host of an image reference (`host[:port]/path[:tag][@digest]`), or undefined for Docker Hub. */
export function imageRegistryHost(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash === -1) return undefined;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

const IMAGE_REFERENCE =
  /^[a-zA-Z0-9.-]+(:[0-9]+)?\/[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Refuses an image that is not a well-formed reference on an ECR registry host. */
export function checkEcrImage(image: string): string {
  const host = imageRegistryHost(image);
  if (host === undefined || !isEcrRegistryHost(host)) {
    throw new AgentInputError(
      `'${image}' is not an image on an Amazon ECR registry (<12-digit account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag], or public.ecr.aws/...)`,
    );
  }
  if (!IMAGE_REFERENCE.test(image)) throw new AgentInputError(`'${image}' is not a valid image reference (lower-case repository, optional :tag or @sha256:digest)`);
  return image;
}

export interface ExampleAppSpec {
  image: string;
  location?: TarballLocation;
  /** Marathon app id; default /ecr-credential-helper-example. */
  id?: string;
}

export interface ExampleApp {
  id: string;
  instances: number;
  cpus: number;
  mem: number;
  container: {
    type: 'DOCKER';
    docker: { image: string; forcePullImage: boolean };
  };
  fetch: { uri: string; extract: boolean; executable: boolean; cache: boolean }[];
}

/**
 * The app: one instance of the private image, `forcePullImage` so every start pulls (and so
 * asks the helper), and the tarball fetched and extracted into the sandbox, which Mesos uses
 * as HOME for `docker pull`.
 */
export function buildExampleApp(spec: ExampleAppSpec): ExampleApp {
  const location = spec.location ?? DEFAULT_TARBALL_LOCATION;
  return {
    id: spec.id ?? '/ecr-credential-helper-example',
    instances: 1,
    cpus: 0.1,
    mem: 128,
    container: {
      type: 'DOCKER',
      docker: { image: checkEcrImage(spec.image), forcePullImage: true },
    },
    fetch: [{ uri: tarballUri(location), extract: true, executable: false, cache: false }],
  };
}
