#!/usr/bin/env bash
# Regenerates the chart's generated files from their sources (tests fail until this is run after
# a change to a source):
#   crds/*.yml                             -> charts/distillation-operator/crds/   (exact copies)
#   charts/distillation-operator/argocd/health.lua -> .../argocd/argocd-cm-patch.yaml
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
chart="$root/charts/distillation-operator"

{
  cat <<'HEAD'
# Argo CD health check for DistillationChain, as a patch of the argocd-cm ConfigMap.
# GENERATED from health.lua by charts/tools/sync-generated.sh; edit health.lua, not this file.
#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file argocd-cm-patch.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
data:
  resource.customizations.health.distillation.dev_DistillationChain: |
HEAD
  sed 's/^\(.\)/    \1/' "$chart/argocd/health.lua"
} >"$chart/argocd/argocd-cm-patch.yaml"
echo "wrote $chart/argocd/argocd-cm-patch.yaml" >&2

shopt -s nullglob
crds=("$root"/crds/*.yml)
((${#crds[@]} > 0)) || { echo "no generated CRD in $root/crds (the api build writes it)" >&2; exit 1; }
mkdir -p "$chart/crds"
rm -f "$chart"/crds/*.yml
cp "${crds[@]}" "$chart/crds/"

echo "copied ${crds[*]} to $chart/crds/" >&2
