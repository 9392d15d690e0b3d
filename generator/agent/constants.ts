/**
 * The contract between the helper image (its installer, package-template/image/install.sh)
 * and the package's Marathon app: container paths, environment variables and their
 * defaults, the health check command and the registry host pattern. The template generator
 * imports these; the installer script holds the same values (tests compare them).
 */

/** Upstream Go module of the Amazon ECR credential helper. */
export const HELPER_MODULE = 'github.com/awslabs/amazon-ecr-credential-helper/ecr-login';

/** The helper's main package, what `go install <package>@v<version>` builds. */
export const HELPER_PACKAGE = `${HELPER_MODULE}/cli/docker-credential-ecr-login`;

/** File name of the helper: Docker runs `docker-credential-<name>` for `"ecr-login"`. */
export const HELPER_BINARY_NAME = 'docker-credential-ecr-login';

/** The credential helper name written into config.json (`credsStore` / `credHelpers` values). */
export const HELPER_CONFIG_NAME = 'ecr-login';

/**
 * With `HELPER_CACHE=off` the real binary is installed under this name beside a wrapper
 * named {@link HELPER_BINARY_NAME} that sets `AWS_ECR_DISABLE_CACHE=1` and execs it.
 */
export const HELPER_REAL_BINARY_NAME = 'docker-credential-ecr-login.real';

/** Where the helper image keeps its files. */
export const IMAGE_HOME = '/opt/ecr-credential-helper';

/** Path of the statically linked helper binary inside the image (the default HELPER_SOURCE). */
export const IMAGE_HELPER_PATH = `${IMAGE_HOME}/bin/${HELPER_BINARY_NAME}`;

/** Path of the installer inside the image: the image's ENTRYPOINT. */
export const IMAGE_INSTALLER_PATH = `${IMAGE_HOME}/install.sh`;

/**
 * Container path where the Marathon app bind-mounts the host's bin directory
 * (`host.binDir`, RW). The image's INSTALL_BIN_DIR default.
 */
export const CONTAINER_BIN_DIR = '/host/bin';

/**
 * Container path where the Marathon app bind-mounts the host's config directory
 * (`host.configDir`, RW). The image's INSTALL_CONFIG_DIR default.
 */
export const CONTAINER_CONFIG_DIR = '/host/config';

/**
 * The Marathon COMMAND health check, run inside the task's container with the task's
 * environment: exits 0 only when the helper (and, with HELPER_CACHE=off, the wrapper and the
 * real binary) and the tarball on the host are exactly what the installer would write, and
 * neither bind mount is stale (see {@link INSTALLER_EXIT_STALE_MOUNT}).
 */
export const HEALTH_CHECK_COMMAND = `${IMAGE_INSTALLER_PATH} --check`;

/** Values of CREDENTIAL_MODE: the top-level key of the docker config.json that is written. */
export const CREDENTIAL_MODES = ['credsStore', 'credHelpers'] as const;
export type CredentialMode = (typeof CREDENTIAL_MODES)[number];

/** Values of HELPER_CACHE. */
export const HELPER_CACHE_VALUES = ['on', 'off'] as const;
export type HelperCache = (typeof HELPER_CACHE_VALUES)[number];

/** Environment variables read by the installer. */
export const INSTALLER_ENV = {
  /** Directory (in the container) for the helper: the bind mount of the host's bin directory. */
  binDir: 'INSTALL_BIN_DIR',
  /** Directory (in the container) for the tarball: the bind mount of the host's config directory. */
  configDir: 'INSTALL_CONFIG_DIR',
  /**
   * The host path mounted at INSTALL_BIN_DIR, as the user configured it (`host.binDir`, e.g.
   * `/opt/mesosphere/bin`), for the stale-mount check: when set and INSTALL_BIN_DIR is a mount
   * point, the mount's root in `/proc/self/mountinfo` must be this path (or a suffix of it at a
   * `/`, when the host filesystem is mounted at a prefix) and not deleted. DC/OS replaces
   * `/opt/mesosphere/bin` by renames on upgrades, which leaves a running container's mount on
   * the old directory. Empty (the default): no mount check (hand-run installer, tests).
   */
  hostBinDir: 'HOST_BIN_DIR',
  /**
   * The host path mounted at INSTALL_CONFIG_DIR, as configured (`host.configDir`, e.g. `/etc`):
   * the same stale-mount check as {@link INSTALLER_ENV.hostBinDir}. Empty: no mount check.
   */
  hostConfigDir: 'HOST_CONFIG_DIR',
  /** File name of the tarball inside INSTALL_CONFIG_DIR (`.tar.gz` or `.tgz`). */
  tarballName: 'TARBALL_NAME',
  /** The helper binary to install (absolute path in the container). */
  helperSource: 'HELPER_SOURCE',
  /** `credsStore` or `credHelpers`. */
  credentialMode: 'CREDENTIAL_MODE',
  /** Comma-separated ECR registry hosts for credHelpers mode; may be empty. */
  registries: 'ECR_REGISTRIES',
  /** `on` or `off`: off installs a wrapper that runs the helper with AWS_ECR_DISABLE_CACHE=1. */
  helperCache: 'HELPER_CACHE',
  /** Seconds between re-checks of the host files (1 to 86400). */
  recheckInterval: 'RECHECK_INTERVAL',
  /** `1`: exit 0 after one pass instead of staying up (tests, hand-run installs). */
  installOnce: 'INSTALL_ONCE',
} as const;
export type InstallerEnvName = (typeof INSTALLER_ENV)[keyof typeof INSTALLER_ENV];

/**
 * Exit status of the installer, in the loop and with `--check`, when INSTALL_BIN_DIR or
 * INSTALL_CONFIG_DIR is a stale mount (its host directory was replaced or deleted): Marathon
 * restarts the task, and the new container mounts the current host directory. Bad input, a
 * failed first pass and a failed file check exit 1.
 */
export const INSTALLER_EXIT_STALE_MOUNT = 3;

/** Seconds between two re-checks when RECHECK_INTERVAL is not set. */
export const DEFAULT_RECHECK_INTERVAL_SECONDS = 60;

/** Host directory of the helper on DC/OS agents: on the PATH of the agent (`host.binDir`). */
export const DEFAULT_HOST_BIN_DIR = '/opt/mesosphere/bin';

/** Host directory of the tarball, as in the DC/OS private-registry docs (`host.configDir`). */
export const DEFAULT_HOST_CONFIG_DIR = '/etc';

/** File name of the tarball (`host.tarballName`). */
export const DEFAULT_TARBALL_NAME = 'docker.tar.gz';

/** The image's environment: every installer variable with the container's default. */
export const INSTALLER_DEFAULTS: Readonly<Record<InstallerEnvName, string>> = {
  INSTALL_BIN_DIR: CONTAINER_BIN_DIR,
  INSTALL_CONFIG_DIR: CONTAINER_CONFIG_DIR,
  HOST_BIN_DIR: '',
  HOST_CONFIG_DIR: '',
  TARBALL_NAME: DEFAULT_TARBALL_NAME,
  HELPER_SOURCE: IMAGE_HELPER_PATH,
  CREDENTIAL_MODE: 'credsStore',
  ECR_REGISTRIES: '',
  HELPER_CACHE: 'on',
  RECHECK_INTERVAL: String(DEFAULT_RECHECK_INTERVAL_SECONDS),
  INSTALL_ONCE: '',
};

/** One registry host, without anchors: the alternation used by the patterns below. */
const ECR_HOST =
  '[0-9]{12}\\.dkr[.-]ecr(-fips)?\\.[a-zA-Z0-9][a-zA-Z0-9_-]*\\.' +
  '(amazonaws\\.com|amazonaws\\.com\\.cn|amazonaws\\.eu|on\\.aws|on\\.amazonwebservices\\.com\\.cn|' +
  'sc2s\\.sgov\\.gov|c2s\\.ic\\.gov|cloud\\.adc-e\\.uk|csp\\.hci\\.ic\\.gov)' +
  '|public\\.ecr\\.aws|ecr-public\\.aws\\.com';

/**
 * Registry hosts the ECR credential helper recognises (its `ecrPattern`, plus ECR Public):
 * `<12-digit account>.dkr.ecr[-fips].<region>.amazonaws.com` and `.amazonaws.com.cn`,
 * the EU sovereign `.amazonaws.eu`, the dual-stack `<account>.dkr-ecr.<region>.on.aws`
 * (`.on.amazonwebservices.com.cn`), the isolated partitions (`sc2s.sgov.gov`, `c2s.ic.gov`,
 * `cloud.adc-e.uk`, `csp.hci.ic.gov`), `public.ecr.aws` and its dual-stack name
 * `ecr-public.aws.com` (helper 0.12.0 and later). A JSON Schema / ECMA-262 / POSIX ERE
 * pattern alike: the installer uses the same text with `grep -E`.
 */
export const ECR_REGISTRY_HOST_PATTERN = `^(${ECR_HOST})$`;

export const ECR_REGISTRY_HOST_REGEX = new RegExp(ECR_REGISTRY_HOST_PATTERN);

/**
 * ECR_REGISTRIES as a JSON Schema pattern: empty (or blanks), or registry hosts separated by
 * commas, with optional spaces or tabs around each.
 */
export const ECR_REGISTRY_LIST_PATTERN = `^[ \\t]*((${ECR_HOST})[ \\t]*(,[ \\t]*(${ECR_HOST})[ \\t]*)*)?$`;

/**
 * TARBALL_NAME / `host.tarballName`: a plain file name (no `/`, not starting with `.`) that
 * ends in `.tar.gz` or `.tgz`, so the Mesos fetcher extracts it.
 */
export const TARBALL_NAME_PATTERN = '^[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(tar\\.gz|tgz)$';

/** Members of the tarball, in order. */
export const TARBALL_MEMBERS = ['.docker/', '.docker/config.json'] as const;
