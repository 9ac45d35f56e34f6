#!/usr/bin/env bash
# Runs the teacher-assistant study: seed1.yaml (main comparison, assistant sizes, multi-step path,
# T/alpha check), then seed2.yaml and seed3.yaml (the main comparison again), each with
# `distill run` into runs/ (default; set WORKDIR). Resumable: run it again after an interruption
# and finished stages are reused, an interrupted one resumes from its last epoch. After each chain
# its report (report.json, report.md, accuracy.png) is copied to results/<chain>/ beside this
# script, and the tables in docs/results.md are recomputed from those reports (summarize.py).
#
#   experiments/takd-fashion/run.sh            # all three chains
#   experiments/takd-fashion/run.sh seed2      # one of them
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workdir="${WORKDIR:-$root/runs}"
if [ $# -gt 0 ]; then chains=("$@"); else chains=(seed1 seed2 seed3); fi
for c in "${chains[@]}"; do
  file="$here/$c.yaml"
  [ -f "$file" ] || { echo "run.sh: no chain file $file" >&2; exit 2; }
  name=$(sed -n 's/^  name: *\([a-z0-9-]*\).*/\1/p' "$file" | head -1)
  echo "== $(date -Is) $c ($name)"
  "$root/distill" run "$file" --workdir "$workdir"
  mkdir -p "$here/results/$name"
  cp "$workdir/$name/report.json" "$workdir/$name/report.md" "$workdir/$name/accuracy.png" "$here/results/$name/"
  python3 "$here/summarize.py" || true
done
