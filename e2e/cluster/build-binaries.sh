#!/usr/bin/env bash
# Builds the binaries of a small local Kubernetes cluster for the e2e tests, from source, with
# the go command only (modules come from the Go module proxy):
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubectl  (k8s.io/kubernetes)
#   etcd                                                             (go.etcd.io/etcd/server/v3)
#   kwok                                                             (sigs.k8s.io/kwok)
# and, with --node, what the real node needs:
#   kubelet                                                          (k8s.io/kubernetes)
#   pause        the Pod sandbox's process: Kubernetes' build/pause/linux/pause.c, static (gcc)
#
# Output: <cache>/k8s-<K8S_VERSION>/bin/, cache = ${DISTILL_CACHE:-$HOME/.cache/distillation-operator}
# A binary is only ever put there by an atomic rename after a complete build, next to a
# stamp file naming its version, so an interrupted build is never taken for a complete one
# and a second run builds nothing. One build at a time per cache (a lock).
#
# Usage: build-binaries.sh [--node]            build what is missing, print the bin directory last
#        build-binaries.sh --print-dir          print the bin directory only (builds nothing)
#        build-binaries.sh --print-version      print the Kubernetes version (builds nothing)
set -euo pipefail
LOG_PREFIX=build-binaries
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../scripts/lib/common.sh"

K8S_VERSION=v1.36.3     # k8s.io/kubernetes; staging modules are k8s.io/* v0.36.3
ETCD_VERSION=v3.6.8     # go.etcd.io/etcd/server/v3, the version kubernetes v1.36.3 itself requires
KWOK_VERSION=v0.8.0     # sigs.k8s.io/kwok (built against k8s.io/* v0.36.1)
# what the scratch module below is made of; a change here regenerates it
MODULE_LAYOUT="$K8S_VERSION $ETCD_VERSION kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet"

BASE="$DISTILL_CACHE_ROOT/k8s-$K8S_VERSION"
BIN="$BASE/bin"

wanted=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)
case "${1:-}" in
  --print-dir) echo "$BIN"; exit 0 ;;
  --print-version) echo "$K8S_VERSION"; exit 0 ;;
  --node) wanted+=(kubelet pause) ;;
  "") ;;
  *) die "usage: $0 [--node | --print-dir | --print-version]" ;;
esac

# name -> version stamp expected next to it
declare -A WANT=(
  [kube-apiserver]="kubernetes-$K8S_VERSION"
  [kube-controller-manager]="kubernetes-$K8S_VERSION"
  [kube-scheduler]="kubernetes-$K8S_VERSION"
  [kubectl]="kubernetes-$K8S_VERSION"
  [kubelet]="kubernetes-$K8S_VERSION"
  [pause]="kubernetes-$K8S_VERSION-pause"
  [etcd]="etcd-$ETCD_VERSION"
  [kwok]="kwok-$KWOK_VERSION"
)

have() { # have NAME: complete binary of the wanted version present?
  local n=$1
  [[ -x "$BIN/$n" && -f "$BIN/.$n.version" && "$(cat "$BIN/.$n.version")" == "${WANT[$n]}" ]]
}

list_missing() {
  missing=()
  local n
  for n in "${wanted[@]}"; do have "$n" || missing+=("$n"); done
}

list_missing
if ((${#missing[@]} == 0)); then
  log "all binaries present in $BIN (kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION)"
  echo "$BIN"
  exit 0
fi

need_cmd go "install Go 1.26 or newer"
mkdir -p "$BIN"
# one build at a time per cache; a second caller waits, then finds the binaries built
lock_or_wait "$BASE/.lock"
list_missing
if ((${#missing[@]} == 0)); then
  log "all binaries present in $BIN (built by the other caller)"
  echo "$BIN"
  exit 0
fi
# under the lock, any tmp.* left is from a build that was killed
rm -rf "$BASE"/tmp.*
TMP="$(mktemp -d "$BASE/tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

# put BUILT_FILE in place as NAME atomically, then its stamp (also atomically)
install_bin() {
  local n=$1 f=$2
  install_file "$f" "$BIN/$n"
  printf '%s\n' "${WANT[$n]}" >"$TMP/.$n.version"
  install_file "$TMP/.$n.version" "$BIN/.$n.version"
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
    kube-*|kubectl|kubelet) need_k8s+=("$n") ;;
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
  if [[ ! -f "$MOD/.ready" || "$(cat "$MOD/.ready")" != "$MODULE_LAYOUT" ]]; then
    log "generating scratch module in $MOD"
    rm -rf "$MOD"
    mkdir -p "$TMP/src/etcd"
    k8s_gomod="$(go_mod_file "k8s.io/kubernetes@$K8S_VERSION")" || die "cannot find go.mod of k8s.io/kubernetes@$K8S_VERSION"
    staging_mods="$(go_mod_query "$k8s_gomod" '.Replace[] | select(.New.Path | startswith("./staging/")) | .Old.Path')"
    [[ -n "$staging_mods" ]] || die "no staging replaces found in $k8s_gomod"
    go_version="$(go_mod_query "$k8s_gomod" '.Go')"
    {
      echo "module distill-e2e-k8s-binaries"
      echo
      echo "go $go_version"
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
    cat >"$TMP/src/etcd/main.go" <<'GO'
// etcd server, the same as go.etcd.io/etcd/server/v3's own main.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    cat >"$TMP/src/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
GO
    log "go mod tidy (downloads modules on a cold cache)"
    (cd "$TMP/src" && go mod tidy)
    got_etcd=$(cd "$TMP/src" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
    [[ "$got_etcd" == "$ETCD_VERSION" ]] || log "note: module graph selected etcd $got_etcd (asked $ETCD_VERSION)"
    echo "$MODULE_LAYOUT" >"$TMP/src/.ready"
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
  log "go build ${pkgs[*]} (cold: about 10 min on 2 cores, kubelet about 5 more)"
  t0=$(date +%s)
  (cd "$MOD" && "${GO_BUILD[@]}" -ldflags="$ld" -o "$TMP/out/" "${pkgs[@]}")
  log "kubernetes/etcd build took $(( $(date +%s) - t0 )) s"
  for n in "${need_k8s[@]}"; do install_bin "$n" "$TMP/out/$n"; done
  ((need_etcd)) && install_bin etcd "$TMP/out/etcd"
fi

# ---------------------------------------------------------------- pause
if [[ " ${missing[*]} " == *" pause "* ]]; then
  apt_ensure gcc libc6-dev   # a static C build needs libc.a
  src="$(go_mod_dir "k8s.io/kubernetes@$K8S_VERSION")/build/pause/linux/pause.c"
  [[ -f "$src" ]] || die "no $src in the k8s.io/kubernetes module"
  # as build/pause/Makefile compiles it
  gcc -Os -Wall -Werror -static -DVERSION="$K8S_VERSION" -o "$TMP/pause" "$src"
  install_bin pause "$TMP/pause"
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
