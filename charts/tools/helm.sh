#!/usr/bin/env bash
# Builds the helm CLI from source at a pinned version, with the go command only (the module
# helm.sh/helm/v3 comes from the Go module proxy), and prints the path of the binary.
#
# Output: ${DISTILL_TOOLS_CACHE:-$HOME/.cache/distillation-operator}/helm-<version>/helm
# The binary is built in a temporary folder and moved into place by one rename, so an
# interrupted build is never taken for a complete one; a second run builds nothing.
#
# Usage: charts/tools/helm.sh              build if missing, print the path of helm (last line)
#        charts/tools/helm.sh --print-path print the path only (builds nothing)
# Cold build: about 6 minutes on 2 cores (mostly compiling client-go and friends).
set -euo pipefail

HELM_VERSION=v3.22.0   # helm.sh/helm/v3; its go.mod requires k8s.io/client-go v0.37.x

CACHE_ROOT="${DISTILL_TOOLS_CACHE:-$HOME/.cache/distillation-operator}"
DIR="$CACHE_ROOT/helm-$HELM_VERSION"
HELM="$DIR/helm"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$HELM"
  exit 0
fi

log() { echo "[helm.sh] $*" >&2; }

if [[ -x "$HELM" ]]; then
  echo "$HELM"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
mkdir -p "$DIR"
TMP="$(mktemp -d "$DIR/tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# The Kubernetes version helm reports as its default capabilities (helm's Makefile derives
# it from the k8s.io/client-go version in its go.mod; so do we).
gomod="$(cd "$TMP" && go mod download -json "helm.sh/helm/v3@$HELM_VERSION" \
  | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[[ -f "$gomod" ]] || { log "cannot find go.mod of helm.sh/helm/v3@$HELM_VERSION"; exit 1; }
client_go="$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod" | head -1)"
[[ -n "$client_go" ]] || { log "no k8s.io/client-go requirement in $gomod"; exit 1; }

ld="-s -w"
ld+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ld+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ld+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$client_go"
done

log "building helm $HELM_VERSION (cold: several minutes on 2 cores; go $(go env GOVERSION))"
t0=$(date +%s)
mkdir -p "$TMP/bin"
# go install PKG@VERSION builds in module mode, honouring helm's own go.mod and go.sum.
GOBIN="$TMP/bin" CGO_ENABLED=0 GOFLAGS="" go install -p "${BUILD_PARALLELISM:-2}" -trimpath \
  -ldflags="$ld" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
"$TMP/bin/helm" version --short >/dev/null
mv -f "$TMP/bin/helm" "$HELM"
log "built $HELM in $(( $(date +%s) - t0 )) s"
echo "$HELM"
