#!/usr/bin/env bash
# Runs the teacher-assistant study (study.yaml: the main comparison with three seeds, assistant
# sizes, the multi-step path, a T/alpha check) with `distill run` into runs/ (default; set WORKDIR).
# Rerunnable: finished stages are reused, an interrupted one resumes from its last epoch. After each chain
# its report (report.json, report.md, accuracy.png) is copied to results/<chain>/ beside this
# script, and the tables in docs/results.md are recomputed from those reports (summarize.py).
#
#   experiments/takd-fashion/run.sh            # study.yaml
#   experiments/takd-fashion/run.sh other      # other.yaml beside it
# DISTILL_RUN_OPTS adds options to `distill run` (e.g. "--threads 1" for two chains side by side).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workdir="${WORKDIR:-$root/runs}"
if [ $# -gt 0 ]; then chains=("$@"); else chains=(study); fi
for c in "${chains[@]}"; do
  file="$here/$c.yaml"
  [ -f "$file" ] || { echo "run.sh: no chain file $file" >&2; exit 2; }
  name=$(sed -n 's/^  name: *\([a-z0-9-]*\).*/\1/p' "$file" | head -1)
  echo "== $(date -Is) $c ($name)"
  rc=0
  "$root/distill" run "$file" --workdir "$workdir" ${DISTILL_RUN_OPTS:-} || rc=$?
  [ "$rc" -eq 2 ] && exit 2
  mkdir -p "$here/results/$name"
  cp "$workdir/$name/report.json" "$workdir/$name/report.md" "$workdir/$name/accuracy.png" "$here/results/$name/"
  python3 "$here/summarize.py" || true
done
