#!/usr/bin/env bash
# Builds the helm CLI from source at a pinned version, with the go command only (the module
# helm.sh/helm/v3 comes from the Go module proxy), and prints the path of the binary.
#
# Output: <cache>/helm-<version>/helm, cache = ${DISTILL_CACHE:-$HOME/.cache/distillation-operator}
# The binary is built in a temporary folder and moved into place by one rename, under a lock, so
# an interrupted build is never taken for a complete one, two callers never build it twice, and a
# second run builds nothing.
#
# Usage: charts/tools/helm.sh              build if missing, print the path of helm (last line)
#        charts/tools/helm.sh --print-path print the path only (builds nothing)
# Cold build: about 6 minutes on 2 cores (mostly compiling client-go and friends).
set -euo pipefail
LOG_PREFIX=helm.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../scripts/lib/common.sh"

HELM_VERSION=v3.22.0   # helm.sh/helm/v3; its go.mod requires k8s.io/client-go v0.37.x

DIR="$DISTILL_CACHE_ROOT/helm-$HELM_VERSION"
HELM="$DIR/helm"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$HELM"
  exit 0
fi

if [[ -x "$HELM" ]]; then
  echo "$HELM"
  exit 0
fi

need_cmd go "install Go 1.26 or newer"
lock_or_wait "$DIR/.lock"
if [[ -x "$HELM" ]]; then
  log "built by the other caller: $HELM"
  echo "$HELM"
  exit 0
fi
# under the lock, any tmp.* left is from a build that was killed
rm -rf "$DIR"/tmp.*
TMP="$(mktemp -d "$DIR/tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# The Kubernetes version helm reports as its default capabilities (helm's Makefile derives
# it from the k8s.io/client-go version in its go.mod; so do we).
gomod="$(go_mod_file "helm.sh/helm/v3@$HELM_VERSION")" || die "cannot find go.mod of helm.sh/helm/v3@$HELM_VERSION"
client_go="$(go_mod_query "$gomod" '.Require[] | select(.Path == "k8s.io/client-go") | .Version')"
[[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || die "no k8s.io/client-go v0.x requirement in $gomod (found '$client_go')"
k8s_minor="${BASH_REMATCH[1]}"

ld="-s -w"
ld+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ld+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ld+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$k8s_minor"
done

log "building helm $HELM_VERSION (cold: several minutes on 2 cores; go $(go env GOVERSION))"
t0=$(date +%s)
mkdir -p "$TMP/bin"
# go install PKG@VERSION builds in module mode, honouring helm's own go.mod and go.sum.
GOBIN="$TMP/bin" CGO_ENABLED=0 GOFLAGS="" go install -p "${BUILD_PARALLELISM:-2}" -trimpath \
  -ldflags="$ld" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
"$TMP/bin/helm" version --short >/dev/null
install_file "$TMP/bin/helm" "$HELM"
log "built $HELM in $(( $(date +%s) - t0 )) s"
echo "$HELM"
