/**
 * Install-time option rules of the ecr-credential-helper package: the defaults and the
 * patterns written into its config.json. Every string option is pattern-checked, so no value
 * can inject JSON into the Marathon app (even on DC/OS 1.9, whose Cosmos does not escape) or
 * shell into the installer. Host defaults and the registry and tarball patterns are the
 * installer's own (generator/agent/constants.ts), so the two cannot drift.
 */
import { DEFAULT_HOST_BIN_DIR, DEFAULT_HOST_CONFIG_DIR, DEFAULT_TARBALL_NAME, ECR_REGISTRY_LIST_PATTERN, TARBALL_NAME_PATTERN } from '../agent/constants.js';

export const PACKAGE_DEFAULTS = {
  binDir: DEFAULT_HOST_BIN_DIR,
  configDir: DEFAULT_HOST_CONFIG_DIR,
  tarballName: DEFAULT_TARBALL_NAME,
} as const;

const IMAGE_NAME = '[a-z0-9]+(?:[._-][a-z0-9]+)*';
const IMAGE_REF = `(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?::[0-9]+)?/)?${IMAGE_NAME}(?:/${IMAGE_NAME})*(?::(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})`;

export const OPTION_PATTERNS = {
  /** Marathon app ids: slash-separated names of lowercase letters, digits, dashes and dots. */
  appId: '^/?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)*$',
  /** Empty, or an image reference with a fixed tag (not latest) or a digest. */
  optionalImage: `^(?:${IMAGE_REF})?$`,
  /** Empty, or a Mesos role name. */
  optionalRole: '^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*)?$',
  /** An absolute path without `.` or `..` segments. */
  absolutePath: '^(?:/(?!\\.\\.?(?:/|$))[A-Za-z0-9._-]+)+$',
  /** A file name the Mesos fetcher extracts. */
  tarballName: TARBALL_NAME_PATTERN,
  /** Empty, or comma-separated ECR registry hosts. */
  registryList: ECR_REGISTRY_LIST_PATTERN,
} as const;

/** How the README's options table describes each pattern. */
export const OPTION_PATTERN_LABELS: Readonly<Record<string, string>> = {
  [OPTION_PATTERNS.appId]: 'Marathon app id',
  [OPTION_PATTERNS.optionalImage]: 'empty, or an image with a fixed tag (not latest) or digest',
  [OPTION_PATTERNS.optionalRole]: 'empty, or a Mesos role name',
  [OPTION_PATTERNS.absolutePath]: 'absolute path, no . or .. segments',
  [OPTION_PATTERNS.tarballName]: 'file name ending .tar.gz or .tgz',
  [OPTION_PATTERNS.registryList]: 'empty, or comma-separated ECR registry hosts',
};
