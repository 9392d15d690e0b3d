#!/bin/sh
# ecr-credential-helper installer: the entrypoint of the helper image.
#
# Runs on every agent as a long-lived Marathon task and keeps two things on the host, through
# two bind mounts:
#   - the Amazon ECR credential helper, as $INSTALL_BIN_DIR/docker-credential-ecr-login
#     (with HELPER_CACHE=off: a small wrapper of that name that sets AWS_ECR_DISABLE_CACHE=1
#     and execs the real binary, installed beside it as docker-credential-ecr-login.real);
#   - $INSTALL_CONFIG_DIR/$TARBALL_NAME, a gzipped tar of .docker/config.json that Marathon
#     apps fetch with "extract": true, so that `docker pull` asks the helper.
# Every file is written to a temporary file in its target directory and renamed into place,
# so readers see the old file or the new one, never a part; a file that already holds the
# right bytes is left alone. The tarball has fixed mtime (0), owner (0/0) and modes, so
# every agent gets the same bytes.
#
# Usage:
#   install.sh                          install, then re-check every RECHECK_INTERVAL seconds
#                                       (or exit after one pass with INSTALL_ONCE=1)
#   install.sh --check                  health check: exit 0 when the host holds exactly what
#                                       a pass would install, else print what differs, exit 1
#                                       (exit 3 on a stale mount, see below)
#   install.sh --registry-check HOST... print "HOST<TAB>ok" or "HOST<TAB>refused" per host
#
# Environment (the defaults are the container's):
#   INSTALL_BIN_DIR     /host/bin      directory for the helper (absolute; must exist)
#   INSTALL_CONFIG_DIR  /host/config   directory for the tarball (absolute; must exist)
#   HOST_BIN_DIR        (empty)        the host path mounted at INSTALL_BIN_DIR, as configured
#                                      (host.binDir, e.g. /opt/mesosphere/bin); empty: no
#                                      mount check
#   HOST_CONFIG_DIR     (empty)        the host path mounted at INSTALL_CONFIG_DIR (host.configDir,
#                                      e.g. /etc); empty: no mount check
#   TARBALL_NAME        docker.tar.gz  file name of the tarball (.tar.gz or .tgz)
#   HELPER_SOURCE       /opt/ecr-credential-helper/bin/docker-credential-ecr-login
#                                      the helper binary to install
#   CREDENTIAL_MODE     credsStore     credsStore (every registry goes through the helper)
#                                      or credHelpers (only the ECR_REGISTRIES)
#   ECR_REGISTRIES      (empty)        comma-separated ECR registry hosts for credHelpers
#   HELPER_CACHE        on             off: the helper runs with AWS_ECR_DISABLE_CACHE=1
#   RECHECK_INTERVAL    60             seconds between re-checks (1 to 86400)
#   INSTALL_ONCE        (empty)        1: exit 0 after one successful pass
# Bad input is refused with one message and exit 1 before anything is written.
#
# Stale mounts: DC/OS rebuilds /opt/mesosphere/bin on every upgrade or config change by
# renaming a new directory into its place (bin -> bin.old, bin.new -> bin, then removing
# bin.old). A bind mount keeps showing the directory it was made of, so the container would go
# on installing into a directory that is no longer on the agent's PATH. Before every pass and
# in --check, when HOST_BIN_DIR (HOST_CONFIG_DIR) is set and INSTALL_BIN_DIR
# (INSTALL_CONFIG_DIR) is a mount point, the mount's root in /proc/self/mountinfo must be that
# host path, or a suffix of it at a '/' (the host directory's filesystem may be mounted at a
# prefix: /opt on its own disk shows /mesosphere/bin), and must not be deleted. A stale mount
# is reported in one line and ends the installer, or --check, with exit status 3; Marathon then
# restarts the task, and the new container gets a mount of the current directory.
#
# Exit status: 0 done (INSTALL_ONCE=1, --check passed) or stopped by SIGTERM/SIGINT/SIGHUP;
# 1 bad input, a failed first pass, or --check found a file missing or different; 3 a stale
# mount.

set -u
umask 022
LC_ALL=C
export LC_ALL

PROG=ecr-credential-helper
HELPER=docker-credential-ecr-login
REAL=docker-credential-ecr-login.real
# Registry hosts the helper recognises (keep equal to ECR_REGISTRY_HOST_PATTERN in
# generator/agent/constants.ts; a test compares the two on many hosts).
ECR_HOST_ERE='^([0-9]{12}\.dkr[.-]ecr(-fips)?\.[a-zA-Z0-9][a-zA-Z0-9_-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazonaws\.eu|on\.aws|on\.amazonwebservices\.com\.cn|sc2s\.sgov\.gov|c2s\.ic\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)|public\.ecr\.aws|ecr-public\.aws\.com)$'
NL='
'
# Exit status when INSTALL_BIN_DIR or INSTALL_CONFIG_DIR is a stale mount (keep equal to
# INSTALLER_EXIT_STALE_MOUNT in generator/agent/constants.ts).
STALE_MOUNT_EXIT=3
MOUNTINFO=/proc/self/mountinfo

INSTALL_BIN_DIR=${INSTALL_BIN_DIR:-/host/bin}
INSTALL_CONFIG_DIR=${INSTALL_CONFIG_DIR:-/host/config}
HOST_BIN_DIR=${HOST_BIN_DIR:-}
HOST_CONFIG_DIR=${HOST_CONFIG_DIR:-}
TARBALL_NAME=${TARBALL_NAME:-docker.tar.gz}
HELPER_SOURCE=${HELPER_SOURCE:-/opt/ecr-credential-helper/bin/docker-credential-ecr-login}
CREDENTIAL_MODE=${CREDENTIAL_MODE:-credsStore}
ECR_REGISTRIES=${ECR_REGISTRIES:-}
HELPER_CACHE=${HELPER_CACHE:-on}
RECHECK_INTERVAL=${RECHECK_INTERVAL:-60}
INSTALL_ONCE=${INSTALL_ONCE:-}

WORK=''
CURRENT_TMP=''
SLEEP_PID=''
REGISTRY_LIST=''

say() { printf '%s: %s\n' "$PROG" "$*"; }
warn() { printf '%s: error: %s\n' "$PROG" "$*" >&2; }
refuse() {
  warn "$*"
  exit 1
}

cleanup() {
  if [ -n "$SLEEP_PID" ]; then kill "$SLEEP_PID" 2>/dev/null; fi
  if [ -n "$CURRENT_TMP" ]; then rm -f "$CURRENT_TMP"; fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  SLEEP_PID=''
  CURRENT_TMP=''
  WORK=''
}

on_signal() {
  cleanup
  say "stopped"
  exit 0
}

# --- input checks -----------------------------------------------------------------------------

trim() {
  t=$1
  while :; do
    case $t in
      ' '* | '	'*) t=${t#?} ;;
      *) break ;;
    esac
  done
  while :; do
    case $t in
      *' ' | *'	') t=${t%?} ;;
      *) break ;;
    esac
  done
  printf '%s' "$t"
}

is_ecr_host() {
  case $1 in
    '' | *[!A-Za-z0-9._-]*) return 1 ;;
  esac
  printf '%s\n' "$1" | grep -Eq "$ECR_HOST_ERE"
}

need_absolute() {
  case $2 in
    *"$NL"*) refuse "$1 must not contain a newline" ;;
  esac
  case $2 in
    /*) ;;
    *) refuse "$1 must be an absolute path, got '$2'" ;;
  esac
}

need_directory() {
  need_absolute "$1" "$2"
  [ -d "$2" ] || refuse "$1=$2 is not a directory (is the host directory mounted there?)"
}

parse_registries() {
  REGISTRY_LIST=''
  case $ECR_REGISTRIES in
    *"$NL"*) refuse "ECR_REGISTRIES must not contain a newline" ;;
  esac
  if [ -z "$(trim "$ECR_REGISTRIES")" ]; then return 0; fi
  rest="$ECR_REGISTRIES,"
  while [ -n "$rest" ]; do
    item=$(trim "${rest%%,*}")
    rest=${rest#*,}
    [ -n "$item" ] || refuse "ECR_REGISTRIES has an empty entry: '$ECR_REGISTRIES'"
    is_ecr_host "$item" || refuse "ECR_REGISTRIES: '$item' is not an Amazon ECR registry host (<12-digit account>.dkr.ecr.<region>.amazonaws.com, public.ecr.aws, ...)"
    REGISTRY_LIST="$REGISTRY_LIST$item$NL"
  done
  REGISTRY_LIST=$(printf '%s' "$REGISTRY_LIST" | sort -u)
}

validate() {
  need_directory INSTALL_BIN_DIR "$INSTALL_BIN_DIR"
  need_directory INSTALL_CONFIG_DIR "$INSTALL_CONFIG_DIR"
  if [ -n "$HOST_BIN_DIR" ]; then need_absolute HOST_BIN_DIR "$HOST_BIN_DIR"; fi
  if [ -n "$HOST_CONFIG_DIR" ]; then need_absolute HOST_CONFIG_DIR "$HOST_CONFIG_DIR"; fi
  case $TARBALL_NAME in
    '' | .* | *[!A-Za-z0-9._-]*)
      refuse "TARBALL_NAME must be a file name of letters, digits, '.', '_' and '-' that does not start with '.', got '$TARBALL_NAME'"
      ;;
    *.tar.gz | *.tgz) ;;
    *) refuse "TARBALL_NAME must end in .tar.gz or .tgz (the Mesos fetcher extracts by extension), got '$TARBALL_NAME'" ;;
  esac
  need_absolute HELPER_SOURCE "$HELPER_SOURCE"
  if [ ! -f "$HELPER_SOURCE" ] || [ ! -x "$HELPER_SOURCE" ]; then
    refuse "HELPER_SOURCE=$HELPER_SOURCE is not an executable file"
  fi
  case $CREDENTIAL_MODE in
    credsStore | credHelpers) ;;
    *) refuse "CREDENTIAL_MODE must be credsStore or credHelpers, got '$CREDENTIAL_MODE'" ;;
  esac
  parse_registries
  case $HELPER_CACHE in
    on | off) ;;
    *) refuse "HELPER_CACHE must be on or off, got '$HELPER_CACHE'" ;;
  esac
  case $RECHECK_INTERVAL in
    '' | *[!0-9]* | 0*) refuse "RECHECK_INTERVAL must be a whole number of seconds from 1 to 86400, got '$RECHECK_INTERVAL'" ;;
  esac
  if [ "${#RECHECK_INTERVAL}" -gt 5 ] || [ "$RECHECK_INTERVAL" -gt 86400 ]; then
    refuse "RECHECK_INTERVAL must be a whole number of seconds from 1 to 86400, got '$RECHECK_INTERVAL'"
  fi
  case $INSTALL_ONCE in
    '' | 0 | 1) ;;
    *) refuse "INSTALL_ONCE must be 1, 0 or empty, got '$INSTALL_ONCE'" ;;
  esac
  if [ -d "$INSTALL_CONFIG_DIR/$TARBALL_NAME" ]; then refuse "$INSTALL_CONFIG_DIR/$TARBALL_NAME is a directory"; fi
  if [ -d "$INSTALL_BIN_DIR/$HELPER" ]; then refuse "$INSTALL_BIN_DIR/$HELPER is a directory"; fi
  if [ -d "$INSTALL_BIN_DIR/$REAL" ]; then refuse "$INSTALL_BIN_DIR/$REAL is a directory"; fi
}

describe() {
  if [ "$CREDENTIAL_MODE" = credsStore ]; then
    what='credsStore (every registry)'
    if [ -n "$REGISTRY_LIST" ]; then
      say "note: ECR_REGISTRIES is not used with CREDENTIAL_MODE=credsStore (every registry goes through the helper)"
    fi
  elif [ -z "$REGISTRY_LIST" ]; then
    what='credHelpers (no registry)'
  else
    what="credHelpers ($(printf '%s' "$REGISTRY_LIST" | tr '\n' ' ' | sed 's/ $//; s/ /, /g'))"
  fi
  say "helper $INSTALL_BIN_DIR/$HELPER (cache $HELPER_CACHE), tarball $INSTALL_CONFIG_DIR/$TARBALL_NAME, mode $what"
  describe_mount INSTALL_BIN_DIR "$INSTALL_BIN_DIR" HOST_BIN_DIR "$HOST_BIN_DIR"
  describe_mount INSTALL_CONFIG_DIR "$INSTALL_CONFIG_DIR" HOST_CONFIG_DIR "$HOST_CONFIG_DIR"
}

# NAME DIR HOST_NAME HOST: one line on the mount check of DIR (nothing when HOST is empty).
describe_mount() {
  if [ -z "$4" ]; then return 0; fi
  if [ -n "$(mount_root "$2")" ]; then
    say "mount check: $1=$2 must stay a mount of $3=$4"
  else
    say "mount check: $1=$2 is not a mount point, not checked"
  fi
}

# --- stale mounts -----------------------------------------------------------------------------

# PATH as /proc/self/mountinfo writes it: space, tab, newline and backslash as octal escapes
# (the paths here hold no newline: validate refuses it).
mount_escape() {
  printf '%s\n' "$1" | sed -e 's/\\/\\134/g' -e 's/ /\\040/g' -e 's/	/\\011/g'
}

# The inverse, for messages only (comparisons are made on the escaped forms).
mount_unescape() {
  printf '%s\n' "$1" | sed -e 's/\\040/ /g' -e 's/\\011/	/g' -e 's/\\134/\\/g'
}

# DIR: prints the root (field 4, escaped) of the mount whose mount point (field 5) is DIR,
# or nothing when DIR is not a mount point or the mount table cannot be read. With mounts
# stacked on one mount point, the last one listed is the one on top. DIR is resolved with
# readlink -f, not `cd -P; pwd -P`: getcwd fails inside a deleted directory.
mount_root() {
  [ -r "$MOUNTINFO" ] || return 0
  dir=$(readlink -f -- "$1" 2>/dev/null) || return 0
  [ -n "$dir" ] || return 0
  MOUNT_POINT=$(mount_escape "$dir") awk '$5 == ENVIRON["MOUNT_POINT"] { root = $4 } END { if (root != "") print root }' "$MOUNTINFO"
}

# NAME DIR HOST_NAME HOST: succeeds unless DIR is a stale mount of HOST; then MOUNT_PROBLEM
# says why in one line.
check_mount() {
  MOUNT_PROBLEM=''
  # No host path to compare with (a hand-run installer, a test without mounts): no check.
  if [ -z "$4" ]; then return 0; fi
  root=$(mount_root "$2")
  # DIR is not a mount point (a hand-run installer, or a mount of a parent directory): there
  # is no mount root to compare, so no check.
  if [ -z "$root" ]; then return 0; fi
  case $root in
    *//deleted)
      MOUNT_PROBLEM="$1=$2 is a stale mount: it shows a deleted host directory ($(mount_unescape "${root%//deleted}")), not $3=$4"
      return 1
      ;;
  esac
  host=$4
  while :; do
    case $host in
      / | *[!/]) break ;;
      *) host=${host%/} ;;
    esac
  done
  want=$(mount_escape "$host")
  # Fresh: the root is HOST, or a suffix of HOST when HOST's filesystem is mounted at a prefix
  # of it (the root always starts with '/', so a suffix match is at a path-segment boundary),
  # or / (a whole filesystem mounted at HOST itself, which cannot be renamed away). Also fresh:
  # a root that ends with HOST, when the filesystem's root lies above the host's / (a btrfs
  # subvolume shows /@/opt/mesosphere/bin) or a symlink in HOST resolves to a longer path
  # (/opt -> /var/opt). pkgpanda's bin.old and deleted roots never end with HOST.
  case $want in
    *"$root") return 0 ;;
  esac
  case $root in
    *"$want") return 0 ;;
  esac
  if [ "$root" = / ]; then return 0; fi
  MOUNT_PROBLEM="$1=$2 is a stale mount: it shows host directory $(mount_unescape "$root") (path within its filesystem), not $3=$4 (the host replaced the directory, or $3 does not name the mounted host path)"
  return 1
}

# PRINTER PREFIX SUFFIX: prints one line per stale mount with PRINTER (say or warn), the
# message between PREFIX and SUFFIX; fails when there is a stale mount.
check_mounts() {
  ok=0
  check_mount INSTALL_BIN_DIR "$INSTALL_BIN_DIR" HOST_BIN_DIR "$HOST_BIN_DIR" || {
    "$1" "$2$MOUNT_PROBLEM$3"
    ok=1
  }
  check_mount INSTALL_CONFIG_DIR "$INSTALL_CONFIG_DIR" HOST_CONFIG_DIR "$HOST_CONFIG_DIR" || {
    "$1" "$2$MOUNT_PROBLEM$3"
    ok=1
  }
  return "$ok"
}

# The loop's guard, before every pass: a stale mount ends the task, so that Marathon starts a
# new one with a mount of the current host directory.
exit_if_stale() {
  check_mounts warn '' "; exiting with status $STALE_MOUNT_EXIT so that Marathon restarts the task with a fresh mount" || exit "$STALE_MOUNT_EXIT"
}

# --- what a pass installs ---------------------------------------------------------------------

setup_work() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$PROG.XXXXXX") || refuse "cannot create a work directory in ${TMPDIR:-/tmp}"
  write_wrapper >"$WORK/wrapper" || refuse "cannot write to $WORK"
}

write_wrapper() {
  cat <<'EOF'
#!/bin/sh
# Installed by the ecr-credential-helper package (HELPER_CACHE=off): runs the Amazon ECR
# credential helper, installed beside this file, with its token cache turned off.
AWS_ECR_DISABLE_CACHE=1
export AWS_ECR_DISABLE_CACHE
case $0 in
  */*) exec "${0%/*}/docker-credential-ecr-login.real" "$@" ;;
  *) exec docker-credential-ecr-login.real "$@" ;;
esac
EOF
}

config_json() {
  if [ "$CREDENTIAL_MODE" = credsStore ]; then
    printf '{\n  "credsStore": "ecr-login",\n  "auths": {}\n}\n'
  elif [ -z "$REGISTRY_LIST" ]; then
    printf '{\n  "credHelpers": {},\n  "auths": {}\n}\n'
  else
    printf '{\n  "credHelpers": {\n'
    printf '%s\n' "$REGISTRY_LIST" | sed -e 's/.*/    "&": "ecr-login",/' -e '$s/,$//'
    printf '  },\n  "auths": {}\n}\n'
  fi
}

zeros() {
  if [ "$1" -gt 0 ]; then dd if=/dev/zero bs="$1" count=1 2>/dev/null; fi
}

# One ustar header block: NAME TYPEFLAG MODE(decimal) SIZE CHECKSUM ('' = 8 spaces), laid out
# as tar-stream writes it (numbers in octal with a space and a NUL, owner 0/0, mtime 0).
tar_header_block() {
  printf '%s' "$1"
  zeros $((100 - ${#1}))
  printf '%06o \000' "$3" 0 0
  printf '%011o ' "$4" 0
  if [ -z "$5" ]; then printf '        '; else printf '%06o \000' "$5"; fi
  printf '%s' "$2"
  zeros 100
  printf 'ustar\000'
  printf '00'
  zeros 64
  printf '%06o \000' 0 0
  zeros 167
}

tar_header() {
  tar_header_block "$1" "$2" "$3" "$4" '' >"$WORK/header" || return 1
  sum=$(od -An -v -tu1 "$WORK/header" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }') || return 1
  tar_header_block "$1" "$2" "$3" "$4" "$sum"
}

# Writes the gzipped tarball to $1: .docker/ (0755) and .docker/config.json (0644).
build_tarball() {
  config_json >"$WORK/config.json" || return 1
  size=$(wc -c <"$WORK/config.json") || return 1
  size=$((size + 0))
  {
    tar_header .docker/ 5 493 0 &&
      tar_header .docker/config.json 0 420 "$size" &&
      cat "$WORK/config.json" &&
      zeros $(((512 - size % 512) % 512)) &&
      zeros 1024
  } >"$WORK/docker.tar" || return 1
  gzip -n -9 -c <"$WORK/docker.tar" >"$WORK/docker.tar.gz.raw" || return 1
  # A fixed gzip header (no name, mtime 0, OS Unix) whatever gzip wrote.
  {
    printf '\037\213\010\000\000\000\000\000\000\003'
    tail -c +11 "$WORK/docker.tar.gz.raw"
  } >"$1"
}

sha_of() {
  sha256sum <"$1" 2>/dev/null | {
    read -r hash _
    printf '%s' "$hash"
  }
}

# SRC DIR NAME MODE: copies SRC to DIR/NAME through a temporary file in DIR and a rename.
install_file() {
  CURRENT_TMP=$(mktemp "$2/.$3.tmp.XXXXXX") || {
    CURRENT_TMP=''
    warn "cannot create a temporary file in $2"
    return 1
  }
  if cat "$1" >"$CURRENT_TMP" && chmod "$4" "$CURRENT_TMP" && mv -f "$CURRENT_TMP" "$2/$3"; then
    CURRENT_TMP=''
    return 0
  fi
  rm -f "$CURRENT_TMP"
  CURRENT_TMP=''
  warn "could not write $2/$3"
  return 1
}

# SRC DIR NAME: installs SRC as DIR/NAME (0755) unless it is there already (same sha256).
ensure_executable() {
  want=$(sha_of "$1")
  [ -n "$want" ] || {
    warn "cannot read $1"
    return 1
  }
  if [ -f "$2/$3" ] && [ -x "$2/$3" ] && [ "$(sha_of "$2/$3")" = "$want" ]; then return 0; fi
  install_file "$1" "$2" "$3" 0755 || return 1
  say "installed $2/$3 (sha256 $want)"
}

install_helper() {
  if [ "$HELPER_CACHE" = on ]; then
    ensure_executable "$HELPER_SOURCE" "$INSTALL_BIN_DIR" "$HELPER" || return 1
    # A wrapper's target left from HELPER_CACHE=off: unused once the binary is in place.
    if [ -e "$INSTALL_BIN_DIR/$REAL" ]; then
      rm -f "$INSTALL_BIN_DIR/$REAL" && say "removed $INSTALL_BIN_DIR/$REAL"
    fi
  else
    # The binary first, then the wrapper that runs it: each step leaves a working helper.
    ensure_executable "$HELPER_SOURCE" "$INSTALL_BIN_DIR" "$REAL" || return 1
    ensure_executable "$WORK/wrapper" "$INSTALL_BIN_DIR" "$HELPER" || return 1
  fi
}

install_tarball() {
  build_tarball "$WORK/expected.tar.gz" || {
    warn "cannot build the tarball in $WORK"
    return 1
  }
  if [ -f "$INSTALL_CONFIG_DIR/$TARBALL_NAME" ] && cmp -s "$WORK/expected.tar.gz" "$INSTALL_CONFIG_DIR/$TARBALL_NAME"; then
    return 0
  fi
  install_file "$WORK/expected.tar.gz" "$INSTALL_CONFIG_DIR" "$TARBALL_NAME" 0644 || return 1
  say "wrote $INSTALL_CONFIG_DIR/$TARBALL_NAME ($(sha_of "$WORK/expected.tar.gz"))"
}

install_pass() {
  install_helper && install_tarball
}

# --- health check -----------------------------------------------------------------------------

# SRC DEST: DEST is an executable file with the bytes of SRC.
same_executable() {
  [ -f "$2" ] && [ -x "$2" ] && [ "$(sha_of "$2")" = "$(sha_of "$1")" ]
}

check() {
  status=0
  if [ "$HELPER_CACHE" = on ]; then
    same_executable "$HELPER_SOURCE" "$INSTALL_BIN_DIR/$HELPER" || {
      say "check: $INSTALL_BIN_DIR/$HELPER is missing or differs from $HELPER_SOURCE"
      status=1
    }
  else
    same_executable "$HELPER_SOURCE" "$INSTALL_BIN_DIR/$REAL" || {
      say "check: $INSTALL_BIN_DIR/$REAL is missing or differs from $HELPER_SOURCE"
      status=1
    }
    same_executable "$WORK/wrapper" "$INSTALL_BIN_DIR/$HELPER" || {
      say "check: $INSTALL_BIN_DIR/$HELPER is missing or is not the cache-off wrapper"
      status=1
    }
  fi
  build_tarball "$WORK/expected.tar.gz" || {
    warn "cannot build the tarball in $WORK"
    return 1
  }
  if ! { [ -f "$INSTALL_CONFIG_DIR/$TARBALL_NAME" ] && cmp -s "$WORK/expected.tar.gz" "$INSTALL_CONFIG_DIR/$TARBALL_NAME"; }; then
    say "check: $INSTALL_CONFIG_DIR/$TARBALL_NAME is missing or differs from the expected tarball"
    status=1
  fi
  return "$status"
}

# --- main -------------------------------------------------------------------------------------

usage() {
  printf 'usage: %s [--check | --registry-check HOST...]\n' "$0"
}

main() {
  case ${1-} in
    '') ;;
    --check)
      [ $# -eq 1 ] || refuse "--check takes no argument"
      validate
      trap cleanup EXIT
      trap 'cleanup; exit 1' TERM INT HUP
      check_mounts say 'check: ' '' || exit "$STALE_MOUNT_EXIT"
      setup_work
      check
      exit $?
      ;;
    --registry-check)
      shift
      for host in "$@"; do
        if is_ecr_host "$host"; then printf '%s\tok\n' "$host"; else printf '%s\trefused\n' "$host"; fi
      done
      exit 0
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      refuse "unknown argument '$1'"
      ;;
  esac

  validate
  trap cleanup EXIT
  trap on_signal TERM INT HUP
  setup_work
  describe
  exit_if_stale
  install_pass || refuse "install failed"
  if [ "$INSTALL_ONCE" = 1 ]; then exit 0; fi
  say "installed; re-checking every ${RECHECK_INTERVAL}s"
  while :; do
    sleep "$RECHECK_INTERVAL" &
    SLEEP_PID=$!
    wait "$SLEEP_PID"
    SLEEP_PID=''
    exit_if_stale
    install_pass || warn "re-check failed; trying again in ${RECHECK_INTERVAL}s"
  done
}

main "$@"
