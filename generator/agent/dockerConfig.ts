/**
 * The docker config that the agents' apps fetch: `.docker/config.json` for the helper, packed
 * into a gzipped tar with fixed metadata. The installer (package-template/image/install.sh)
 * writes the same members and the same config.json bytes; the uncompressed tar is even the
 * same byte for byte (only the deflate stream depends on the gzip implementation).
 */
import * as zlib from 'node:zlib';
import { pack } from 'tar-stream';
import {
  CREDENTIAL_MODES,
  ECR_REGISTRY_HOST_REGEX,
  HELPER_CONFIG_NAME,
  TARBALL_MEMBERS,
  type CredentialMode,
} from './constants.js';

/** A value the agent tooling refuses, with the sentence to show the user. */
export class AgentInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentInputError';
  }
}

export function isCredentialMode(value: string): value is CredentialMode {
  return (CREDENTIAL_MODES as readonly string[]).includes(value);
}

/** True for a registry host the ECR credential helper serves (see ECR_REGISTRY_HOST_PATTERN). */
export function isEcrRegistryHost(host: string): boolean {
  return ECR_REGISTRY_HOST_REGEX.test(host);
}

const ECR_HOST_HINT = '<12-digit account>.dkr.ecr.<region>.amazonaws.com, public.ecr.aws, ...';

/** Refuses a host the helper would not serve; returns it unchanged otherwise. */
export function checkRegistryHost(host: string): string {
  if (!isEcrRegistryHost(host)) {
    throw new AgentInputError(`'${host}' is not an Amazon ECR registry host (${ECR_HOST_HINT})`);
  }
  return host;
}

/**
 * ECR_REGISTRIES as the installer reads it: comma-separated hosts, blanks around each are
 * ignored, a blank list is empty, an empty entry is refused.
 */
export function parseRegistryList(list: string): string[] {
  if (/^[ \t]*$/.test(list)) return [];
  return list.split(',').map((entry) => {
    const host = entry.replace(/^[ \t]+|[ \t]+$/g, '');
    if (host === '') throw new AgentInputError(`the registry list has an empty entry: '${list}'`);
    return checkRegistryHost(host);
  });
}

/** Sorted (by code unit, as `LC_ALL=C sort`) and without repeats: the order in config.json. */
export function canonicalRegistries(hosts: readonly string[]): string[] {
  return [...new Set(hosts)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface DockerConfigSpec {
  mode: CredentialMode;
  /** Registry hosts for credHelpers mode (checked, sorted and deduplicated here). */
  registries?: readonly string[];
}

/**
 * The bytes of `.docker/config.json`: two-space JSON with a final newline.
 * credsStore: `{"credsStore": "ecr-login", "auths": {}}`; credHelpers: each registry mapped
 * to `ecr-login`, plus `"auths": {}` (an agent-wide `--docker_config` needs `auths` to be
 * written as config.json rather than the legacy .dockercfg).
 */
export function dockerConfigJson(spec: DockerConfigSpec): string {
  const registries = canonicalRegistries((spec.registries ?? []).map(checkRegistryHost));
  let config: Record<string, unknown>;
  if (spec.mode === 'credsStore') {
    if (registries.length > 0) throw new AgentInputError('registries are only used with mode credHelpers (credsStore sends every registry to the helper)');
    config = { credsStore: HELPER_CONFIG_NAME, auths: {} };
  } else {
    config = { credHelpers: Object.fromEntries(registries.map((r) => [r, HELPER_CONFIG_NAME])), auths: {} };
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Fixed metadata of both members: mtime 0, owner 0/0 without names, fixed modes. */
const ENTRY_COMMON = { mtime: new Date(0), uid: 0, gid: 0 } as const;
const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

/** The uncompressed tar: `.docker/` (0755) then `.docker/config.json` (0644), ustar. */
export function dockerConfigTar(spec: DockerConfigSpec): Promise<Buffer> {
  const json = Buffer.from(dockerConfigJson(spec), 'utf8');
  const [dirName, fileName] = TARBALL_MEMBERS;
  return new Promise((resolve, reject) => {
    const p = pack();
    const chunks: Buffer[] = [];
    p.on('data', (chunk: unknown) => chunks.push(Buffer.from(chunk as Uint8Array)));
    p.on('error', reject);
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.entry({ ...ENTRY_COMMON, name: dirName, type: 'directory', mode: DIR_MODE });
    p.entry({ ...ENTRY_COMMON, name: fileName, type: 'file', mode: FILE_MODE, size: json.length }, json);
    p.finalize();
  });
}

/**
 * gzip with a fixed 10-byte header (no name, mtime 0, XFL 0, OS 3 = Unix), as the installer
 * writes it, so the bytes depend on the input alone.
 */
export function gzipFixed(data: Buffer): Buffer {
  const out = zlib.gzipSync(data, { level: 9 });
  out.set([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03], 0);
  return out;
}

/** The tarball (`docker.tar.gz`): same input, same bytes, whatever the time zone or umask. */
export async function dockerConfigTarball(spec: DockerConfigSpec): Promise<Buffer> {
  return gzipFixed(await dockerConfigTar(spec));
}
