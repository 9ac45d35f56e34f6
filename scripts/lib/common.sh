# Shell functions shared by the scripts that build tools into the cache or run the e2e cluster
# (charts/tools/*.sh, e2e/cluster/*.sh). Source it after `set -euo pipefail`:
#
#   LOG_PREFIX=helm.sh
#   . "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
#
# Cache: ${DISTILL_CACHE:-$HOME/.cache/distillation-operator} (DISTILL_E2E_CACHE and
# DISTILL_TOOLS_CACHE, older names, are still read).

DISTILL_CACHE_ROOT="${DISTILL_CACHE:-${DISTILL_E2E_CACHE:-${DISTILL_TOOLS_CACHE:-$HOME/.cache/distillation-operator}}}"

log() { echo "[${LOG_PREFIX:-distill}] $(date +%H:%M:%S) $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# need_cmd NAME [HINT]: fail with HINT when NAME is not on PATH
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 is not on PATH${2:+ ($2)}"; }

# lock_or_wait FILE: take an exclusive lock on FILE for the rest of this shell (descriptor in
# LOCK_FD), waiting for, and saying so, another holder. A killed holder releases it by dying.
lock_or_wait() {
  local file=$1
  mkdir -p "$(dirname "$file")"
  exec {LOCK_FD}>"$file"
  if ! flock -n "$LOCK_FD"; then
    log "another process holds $file, waiting for it"
    flock "$LOCK_FD"
  fi
}

# go_mod_file MODULE@VERSION: the path of that version's go.mod in the module cache (downloaded
# from the module proxy when missing). Runs outside any main module.
go_mod_file() {
  local scratch out
  scratch="$(mktemp -d)"
  out="$(cd "$scratch" && GOFLAGS= GOWORK=off go list -m -f '{{.GoMod}}' "$1")" || { rm -rf "$scratch"; return 1; }
  rm -rf "$scratch"
  [[ -f "$out" ]] || { log "go list gave no go.mod for $1"; return 1; }
  echo "$out"
}

# go_mod_dir MODULE@VERSION: the folder of that module version's files (downloaded when missing).
go_mod_dir() {
  local scratch out
  scratch="$(mktemp -d)"
  out="$(cd "$scratch" && GOFLAGS= GOWORK=off go mod download "$1" &&
    GOFLAGS= GOWORK=off go list -m -f '{{.Dir}}' "$1")" || { rm -rf "$scratch"; return 1; }
  rm -rf "$scratch"
  [[ -d "$out" ]] || { log "go list gave no folder for $1"; return 1; }
  echo "$out"
}

# go_mod_query GOMOD JQ-FILTER: read a go.mod file as JSON (`go mod edit -json`) and apply a jq filter
go_mod_query() {
  need_jq
  go mod edit -json "$1" | jq -r "$2"
}

# need_jq: jq on PATH, installed with apt-get when missing and root
need_jq() { command -v jq >/dev/null 2>&1 || apt_ensure jq; }

# install_file SRC DEST: move a complete file into place with one rename (same filesystem)
install_file() { mv -f "$1" "$2"; }

# apt_ensure PACKAGE...: install the Debian packages that are missing (root only). Waits for
# another apt/dpkg run to finish instead of failing on its lock.
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
  need_cmd apt-get "a Debian or Ubuntu machine is needed"
  log "installing ${missing[*]} with apt-get"
  local apt=(apt-get -o DPkg::Lock::Timeout=900 -q)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2 ||
    { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >&2 &&
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2; } ||
    die "apt-get could not install ${missing[*]}"
}
