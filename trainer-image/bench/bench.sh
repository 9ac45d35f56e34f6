#!/usr/bin/env bash
# Trainer benchmark: DJL (the packaged `distill train`) against PyTorch eager (bench/torch_train.py)
# on Fashion-MNIST, batch 128, the same thread count, one training epoch each; then a KD student
# epoch with cached teacher logits, with a teacher pass per batch, and without a teacher.
#
#   ./mvnw -B -pl trainer-image -am package -DskipTests     # once: builds target/*.jar + target/lib
#   trainer-image/bench/bench.sh [--samples 10000] [--threads 2] [--depths "2 4 10"]
#
# Needs /usr/bin/time and, for the PyTorch column, python3 with torch (Debian: apt-get install
# python3-torch); without torch that column is left empty. Prints a table; raw JSON lines go to
# $OUT (default target/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=10000 THREADS=2 DEPTHS="2 4 10" TEACHER=10 STUDENT=2
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) SAMPLES=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --depths) DEPTHS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-target/bench}
mkdir -p "$OUT"
JAR=$(ls target/distillation-trainer-*.jar | grep -v sources | head -1)
PY=${PYTHON:-/usr/bin/python3}
HAVE_TORCH=0
"$PY" -c "import torch" 2>/dev/null && HAVE_TORCH=1
# the image entry point's JVM flags and malloc settings (src/main/jib/usr/local/bin/distill)
JAVA_OPTS=${JAVA_OPTS:-"-Xms32m -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1"}
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-536870912} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-536870912} MALLOC_TOP_PAD_=${MALLOC_TOP_PAD_:-67108864}

job() { # name depth teacherDir augment
  local teacher=""
  [ -n "$3" ] && teacher=",\"teacherDir\":\"$3\""
  cat > "$OUT/$1.json" <<JSON
{"apiVersion":"distillation.dev/stagejob/v1","chain":"bench","stage":"$1","fingerprint":"bench-$1-$(date +%s%N)",
 "model":{"architecture":"plain-cnn","depth":$2},
 "training":{"epochs":1,"batchSize":128,"optimizer":"sgd","learningRate":0.05,"momentum":0.9,"weightDecay":5e-4,
  "lrSchedule":"constant","lrStepEpochs":10,"lrGamma":0.1,"temperature":4.0,"alpha":0.9,"seed":1,"augment":$4},
 "dataset":{"builtin":"fashion-mnist","format":"idx"},"outputDir":"$PWD/$OUT/$1"$teacher,"maxTrainSamples":$SAMPLES}
JSON
}

djl() { # name [extra java opts] -> "imgs/s cpu_s rss_mib"
  rm -rf "$OUT/$1"
  /usr/bin/time -f "%U %S %M" -o "$OUT/$1.time" java $JAVA_OPTS ${2:-} -jar "$JAR" train --job "$OUT/$1.json" \
    --device cpu --threads "$THREADS" > "$OUT/$1.log" 2>&1
  local ips; ips=$(grep -o '"samplesPerSecond" : [0-9.]*' "$OUT/$1/metrics.json" | head -1 | awk '{print $3}')
  read -r u s m < "$OUT/$1.time"
  echo "$ips $(echo "$u + $s" | bc) $((m / 1024))"
}

torch() { # depth mode -> "imgs/s cpu_s rss_mib"
  [ $HAVE_TORCH = 1 ] || { echo "- - -"; return; }
  /usr/bin/time -f "%U %S %M" -o "$OUT/torch.time" "$PY" bench/torch_train.py --depth "$1" --mode "$2" \
    --threads "$THREADS" --samples "$SAMPLES" > "$OUT/torch-$1-$2.json"
  local ips; ips=$(grep -o '"imagesPerSecond": [0-9.]*' "$OUT/torch-$1-$2.json" | awk '{print $2}')
  read -r u s m < "$OUT/torch.time"
  echo "$ips $(echo "$u + $s" | bc) $((m / 1024))"
}

echo "Fashion-MNIST, $SAMPLES training images, batch 128, $THREADS threads, one epoch; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-28s %12s %12s %7s %10s %10s %10s %10s\n" "network" "DJL img/s" "torch img/s" "ratio" "DJL cpu-s" "torch cpu-s" "DJL RSS" "torch RSS"
for d in $DEPTHS; do
  job "plain-$d" "$d" "" false
  read -r dj dc dm < <(djl "plain-$d")
  read -r tj tc tm < <(torch "$d" plain)
  ratio=$( [ "$tj" = "-" ] && echo "-" || echo "scale=2; $dj / $tj" | bc)
  printf "%-28s %12s %12s %7s %10s %10s %9sM %9sM\n" "plain-cnn-$d" "$dj" "$tj" "$ratio" "$dc" "$tc" "$dm" "$tm"
done

# KD: a plain-cnn-$STUDENT student of a plain-cnn-$TEACHER teacher (the teacher from the run above, or trained now)
[ -f "$OUT/plain-$TEACHER/model.params" ] || { job "plain-$TEACHER" "$TEACHER" "" false; djl "plain-$TEACHER" > /dev/null; }
job kd-cached "$STUDENT" "$PWD/$OUT/plain-$TEACHER" false
job kd-batch "$STUDENT" "$PWD/$OUT/plain-$TEACHER" false
job kd-none "$STUDENT" "" false
read -r cj cc cm < <(djl kd-cached)
read -r bj bc bm < <(djl kd-batch "-Ddistill.kd.noCache=true")
read -r nj nc nm < <(djl kd-none)
read -r tcj _ _ < <(torch "$STUDENT" kd-cached)
read -r tbj _ _ < <(torch "$STUDENT" kd-batch)
echo
echo "KD student epoch (plain-cnn-$STUDENT from plain-cnn-$TEACHER), training img/s (computing the cache, once per stage, not included):"
printf "%-34s %12s %12s\n" "" "DJL" "torch"
printf "%-34s %12s %12s\n" "cached teacher logits" "$cj" "$tcj"
printf "%-34s %12s %12s\n" "teacher forward pass per batch" "$bj" "$tbj"
printf "%-34s %12s %12s\n" "no teacher (plain student)" "$nj" "-"
printf "cached vs per-batch speed-up (DJL): %s\n" "$(echo "scale=2; $cj / $bj" | bc)"
