#!/usr/bin/env bash
# The tuned teacher-assistant study: T and alpha tuned per method on a validation split, the assistant's
# size chosen by the chain, 60 epochs, 3 seeds, over training-set size x student width (chains.py says
# what each chain holds). Writes the chain files to $WORKDIR/chains/, runs each with `distill run`
# (resumable: finished stages and candidates are reused by fingerprint, an interrupted one resumes from
# its last epoch checkpoint), copies each chain's reports to results/<chain>/ beside this script, and
# recomputes results/summary.md and results/heatmap.svg from them (summarize.py). RESULTS=dir copies the
# reports there instead (and summarize.py reads them there).
#
#   experiments/takd-tuned/run.sh                 # every chain (4 sizes x 3 seeds)
#   experiments/takd-tuned/run.sh tuned-n1000-s1  # some of them
# DISTILL_RUN_OPTS adds options to `distill run` (e.g. "--threads 1", "--device gpu").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workdir="${WORKDIR:-$root/runs}"
results="${RESULTS:-$here/results}"   # where reports are copied (summarize.py reads the same variable)
chains="$workdir/chains"
python3 "$here/chains.py" "$chains" >/dev/null
if [ $# -gt 0 ]; then names=("$@"); else names=($(cd "$chains" && ls tuned-*.yaml | sed 's/\.yaml$//' | sort -t- -k2.2n -k3)); fi
for name in "${names[@]}"; do
  file="$chains/$name.yaml"
  [ -f "$file" ] || { echo "run.sh: no chain $name (chains.py writes tuned-n<size>-s<seed>)" >&2; exit 2; }
  size=$(echo "$name" | sed -n 's/^tuned-n\([0-9]*\)-s[0-9]*$/\1/p')
  echo "== $(date -Is) $name"
  rc=0
  "$root/distill" run "$file" --workdir "$workdir" --max-train-samples "$size" ${DISTILL_RUN_OPTS:-} || rc=$?
  [ "$rc" -eq 2 ] && exit 2
  mkdir -p "$results/$name"
  cp "$workdir/$name/report.json" "$workdir/$name/report.md" "$workdir/$name/accuracy.png" "$results/$name/"
  python3 "$here/summarize.py" || true
done
