#!/usr/bin/env bash
# The defaults measurement: the minimal chain (plain-cnn-6 teacher, plain-cnn-4 assistant distilled from
# it, plain-cnn-2 students distilled from the assistant and from the teacher, and from labels alone)
# trained for EPOCHS epoch(s) on all of Fashion-MNIST under each recipe of recipes.sh and each seed,
# with the DJL trainer (`distill run`) and with plain PyTorch (torch_minimal.py).
#
#   experiments/defaults/run.sh djl   "old-default default" "1 2 3 4 5"     # two chains at a time, one thread each
#   experiments/defaults/run.sh torch "old-default default" "1 2 3 4 5"     # one at a time, one thread
#   python3 experiments/defaults/summarize.py                                # the tables (README.md here)
# EPOCHS (default 1), WORKDIR (default runs/defaults), PYTHON (torch 2.5.1; default the bench venv).
# Rerunnable: finished chains are reused by fingerprint, finished PyTorch runs skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/recipes.sh"
kind=$1; recipes=$2; seeds=$3
epochs=${EPOCHS:-1}
work=${WORKDIR:-$root/runs/defaults}
mkdir -p "$work/chains" "$here/results/torch"

chain() { # recipe seed -> chain file
  local r=$1 s=$2 lr warm clip
  read -r lr warm clip < <(recipe "$r")
  local f="$work/chains/m-$r-e$epochs-s$s.yaml" extra=""
  [ "$r" = default ] || extra=", learningRate: $lr, warmupEpochs: $warm, gradientClipNorm: $clip"
  cat > "$f" <<YAML
apiVersion: distillation.dev/v1alpha1
kind: DistillationChain
metadata: {name: m-$r-e$epochs-s$s}
spec:
  dataset: {builtin: fashion-mnist}
  training: {epochs: $epochs, seed: $s$extra}
  stages:
    - {name: teacher, model: {architecture: plain-cnn, depth: 6}}
    - {name: assistant, model: {architecture: plain-cnn, depth: 4}, teacher: teacher}
    - {name: student, model: {architecture: plain-cnn, depth: 2}, teacher: assistant}
    - {name: student-direct, model: {architecture: plain-cnn, depth: 2}, teacher: teacher}
    - {name: student-alone, model: {architecture: plain-cnn, depth: 2}}
YAML
  echo "$f"
}

case $kind in
  djl)
    for s in $seeds; do for r in $recipes; do chain "$r" "$s"; done; done \
      | xargs -P 2 -I{} sh -c '"$0"/distill run {} --workdir "$1/runs" --threads 1 > {}.log 2>&1 || true; echo "done {}"' "$root" "$work" ;;
  torch)
    py=${PYTHON:-$HOME/.cache/distill-bench/venv/bin/python}
    for s in $seeds; do for r in $recipes; do
      read -r lr warm clip < <(recipe "$r")
      f="$here/results/torch/$r-e$epochs-s$s.jsonl"
      [ -s "$f" ] && [ "$(wc -l < "$f")" -ge 5 ] && continue
      "$py" "$here/torch_minimal.py" --recipe "$r" --seed "$s" --epochs "$epochs" --lr "$lr" --warmup "$warm" --clip "$clip" > "$f"
      echo "done $r seed $s"
    done; done ;;
  *) echo "usage: run.sh djl|torch \"RECIPES\" \"SEEDS\"" >&2; exit 2 ;;
esac
