#!/usr/bin/env bash
# Builds the binaries of a small local Kubernetes control plane for the e2e tests:
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl  (k8s.io/kubernetes)
#   etcd                                                             (go.etcd.io/etcd/server/v3)
#   kwok                                                             (sigs.k8s.io/kwok)
# from source, with the go command only (modules come from the Go module proxy).
#
# Output: ${DISTILL_E2E_CACHE:-$HOME/.cache/distillation-operator}/k8s-<K8S_VERSION>/bin/
# A binary is only ever put there by an atomic rename after a complete build, next to a
# stamp file naming its version, so an interrupted build is never taken for a complete one
# and a second run builds nothing.
#
# Usage: build-binaries.sh            build what is missing, print the bin directory last
#        build-binaries.sh --print-dir print the bin directory only (builds nothing)
set -euo pipefail

K8S_VERSION=v1.36.3     # k8s.io/kubernetes; staging modules are k8s.io/* v0.36.3
ETCD_VERSION=v3.6.8     # go.etcd.io/etcd/server/v3, the version kubernetes v1.36.3 itself requires
KWOK_VERSION=v0.8.0     # sigs.k8s.io/kwok (built against k8s.io/* v0.36.1)

CACHE_ROOT="${DISTILL_E2E_CACHE:-$HOME/.cache/distillation-operator}"
BASE="$CACHE_ROOT/k8s-$K8S_VERSION"
BIN="$BASE/bin"

if [[ "${1:-}" == "--print-dir" ]]; then
  echo "$BIN"
  exit 0
fi

log() { echo "[build-binaries] $*" >&2; }

# name -> version stamp expected next to it
declare -A WANT=(
  [kube-apiserver]="kubernetes-$K8S_VERSION"
  [kube-controller-manager]="kubernetes-$K8S_VERSION"
  [kube-scheduler]="kubernetes-$K8S_VERSION"
  [kubectl]="kubernetes-$K8S_VERSION"
  [etcd]="etcd-$ETCD_VERSION"
  [kwok]="kwok-$KWOK_VERSION"
)

have() { # have NAME: complete binary of the wanted version present?
  local n=$1
  [[ -x "$BIN/$n" && -f "$BIN/.$n.version" && "$(cat "$BIN/.$n.version")" == "${WANT[$n]}" ]]
}

missing=()
for n in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok; do
  have "$n" || missing+=("$n")
done
if ((${#missing[@]} == 0)); then
  log "all binaries present in $BIN (kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION)"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
mkdir -p "$BIN"
# one build at a time per cache; a second caller waits, then finds the binaries built
exec 9>"$BASE/.lock"
if ! flock -n 9; then
  log "another build holds $BASE/.lock, waiting for it"
  flock 9
fi
missing=()
for n in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok; do
  have "$n" || missing+=("$n")
done
if ((${#missing[@]} == 0)); then
  log "all binaries present in $BIN (built by the other caller)"
  echo "$BIN"
  exit 0
fi
# under the lock, any tmp.* left is from a build that was killed
rm -rf "$BASE"/tmp.*
TMP="$(mktemp -d "$BASE/tmp.XXXXXX")"
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# put BUILT_FILE in place as NAME atomically, then its stamp (also atomically)
install_bin() {
  local n=$1 f=$2
  mv -f "$f" "$BIN/$n"
  printf '%s\n' "${WANT[$n]}" >"$TMP/.$n.version"
  mv -f "$TMP/.$n.version" "$BIN/.$n.version"
  log "installed $BIN/$n (${WANT[$n]})"
}

export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
GO_BUILD=(go build -p "${BUILD_PARALLELISM:-2}" -trimpath)
START=$(date +%s)
log "missing: ${missing[*]}; building into $TMP (go $(go env GOVERSION))"

need_k8s=()
need_etcd=0
for n in "${missing[@]}"; do
  case "$n" in
    kube-*|kubectl) need_k8s+=("$n") ;;
    etcd) need_etcd=1 ;;
  esac
done

# ---------------------------------------------------------------- kubernetes + etcd
if ((${#need_k8s[@]} > 0 || need_etcd)); then
  # A scratch module that requires k8s.io/kubernetes. Its go.mod replaces every staging
  # module with ./staging/src/...; replaces of a dependency are ignored, so they are
  # repeated here pointing at the published k8s.io/* v0.<minor>.<patch> modules.
  MOD="$BASE/src"
  minor_patch="${K8S_VERSION#v1.}"
  staging_version="v0.$minor_patch"
  if [[ ! -f "$MOD/.ready" || "$(cat "$MOD/.ready")" != "$K8S_VERSION $ETCD_VERSION" ]]; then
    log "generating scratch module in $MOD"
    rm -rf "$MOD"
    mkdir -p "$TMP/src/etcd"
    (cd "$TMP/src" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >"$TMP/k8s-dl.json")
    k8s_gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' "$TMP/k8s-dl.json")"
    [[ -f "$k8s_gomod" ]] || { log "cannot find go.mod of k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
    staging_mods=$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$k8s_gomod")
    [[ -n "$staging_mods" ]] || { log "no staging replaces found in $k8s_gomod"; exit 1; }
    {
      echo "module distill-e2e-k8s-binaries"
      echo
      echo "go $(sed -n 's/^go \(.*\)$/\1/p' "$k8s_gomod")"
      echo
      echo "require ("
      echo "	k8s.io/kubernetes $K8S_VERSION"
      echo "	go.etcd.io/etcd/server/v3 $ETCD_VERSION"
      echo ")"
      echo
      echo "replace ("
      for m in $staging_mods; do echo "	$m => $m $staging_version"; done
      echo ")"
    } >"$TMP/src/go.mod"
    cat >"$TMP/src/etcd/main.go" <<'EOF'
// etcd server, the same as go.etcd.io/etcd/server/v3's own main.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
    cat >"$TMP/src/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOF
    log "go mod tidy (downloads modules on a cold cache)"
    (cd "$TMP/src" && go mod tidy)
    got_etcd=$(cd "$TMP/src" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
    [[ "$got_etcd" == "$ETCD_VERSION" ]] || log "note: module graph selected etcd $got_etcd (asked $ETCD_VERSION)"
    echo "$K8S_VERSION $ETCD_VERSION" >"$TMP/src/.ready"
    mv "$TMP/src" "$MOD"
  fi

  pkgs=()
  for n in "${need_k8s[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$n"); done
  ((need_etcd)) && pkgs+=("./etcd")
  # the version variables the kubernetes release build sets (hack/lib/version.sh)
  build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  minor="${minor_patch%%.*}"
  ld="-s -w"
  for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$build_date"
  done
  mkdir -p "$TMP/out"
  log "go build ${pkgs[*]} (cold: about 10 min on 2 cores)"
  t0=$(date +%s)
  (cd "$MOD" && "${GO_BUILD[@]}" -ldflags="$ld" -o "$TMP/out/" "${pkgs[@]}")
  log "kubernetes/etcd build took $(( $(date +%s) - t0 )) s"
  for n in "${need_k8s[@]}"; do install_bin "$n" "$TMP/out/$n"; done
  ((need_etcd)) && install_bin etcd "$TMP/out/etcd"
fi

# ---------------------------------------------------------------- kwok
if ! have kwok; then
  log "go install sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  t0=$(date +%s)
  mkdir -p "$TMP/gobin"
  GOBIN="$TMP/gobin" GOFLAGS="${GOFLAGS/-mod=mod/}" go install -p "${BUILD_PARALLELISM:-2}" -trimpath \
    -ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  log "kwok build took $(( $(date +%s) - t0 )) s"
  install_bin kwok "$TMP/gobin/kwok"
fi

log "done in $(( $(date +%s) - START )) s: $BIN"
echo "$BIN"
