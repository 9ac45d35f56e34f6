#!/usr/bin/env bash
# Trainer benchmark: DJL (the packaged `distill train`) against PyTorch eager (bench/torch_train.py),
# batch 128, SGD (lr 0.05, momentum 0.9, weight decay 5e-4), the same thread count, one training
# epoch each: plain CNNs on Fashion-MNIST (--depths) and CIFAR ResNets on synthetic CIFAR-10
# (--resnets: random labels, noisy pixels brighter with the label, 3x32x32, 10 classes, made by bench/synthetic_cifar.py in
# $OUT/cifar10-synthetic with --samples training and 2,000 test images, seed 1; both sides read
# these files); then a KD student epoch with cached teacher logits, with a teacher pass per batch,
# and without a teacher.
#
#   ./mvnw -B -pl trainer-image -am package -DskipTests     # once: builds target/*.jar + target/lib
#   trainer-image/bench/bench.sh [--samples 60000] [--threads 2] [--depths "2 4 10"] [--resnets "20 56"] [--reps 3] [--no-kd]
#
# --depths: plain-cnn depths (rows plain-cnn-N; "" for none); --resnets: resnet depths, 6n+2 (rows
# resnet-N; default none). Both sides train the same network: the PyTorch run is given the
# trainer's parameter count (its model.json) and stops the benchmark when its own differs.
# Like `distill train`, both evaluate on the test split after the epoch (not in img/s; in cpu-s and RSS).
#
# Each measurement runs --reps times, DJL and PyTorch alternating so that a noisy neighbour hits
# both alike; the table shows the median images/s (min-max in brackets) and the median peak RSS of
# the whole process (/usr/bin/time), CPU seconds likewise.
# PyTorch: $PYTHON (default /usr/bin/python3) with torch; Debian: apt-get install python3-torch.
# A virtualenv with PyPI's torch of libtorch's own version compares the same kernels:
#   python3 -m venv ~/.cache/distill-bench/venv && ~/.cache/distill-bench/venv/bin/pip install torch==2.5.1
#   PYTHON=~/.cache/distill-bench/venv/bin/python trainer-image/bench/bench.sh
# (PyPI's wheel is the CUDA build: its RSS carries the CUDA libraries, so compare RSS with Debian's.)
# Without torch the PyTorch columns are left empty. Raw logs and JSON go to $OUT (default target/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=60000 THREADS=2 DEPTHS="2 4 10" RESNETS="" TEACHER=10 STUDENT=2 REPS=3 KD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) SAMPLES=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --depths) DEPTHS=$2; shift 2 ;;
    --resnets) RESNETS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --no-kd) KD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-target/bench}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)  # absolute: the jobs name their folders by it
JAR=$(ls target/distillation-trainer-*.jar | grep -v sources | head -1)
PY=${PYTHON:-/usr/bin/python3}
HAVE_TORCH=0
"$PY" -c "import torch" 2>/dev/null && HAVE_TORCH=1
TORCH_VERSION=$( [ $HAVE_TORCH = 1 ] && "$PY" -c "import torch; print(torch.__version__)" 2>/dev/null || echo "none")
# the image entry point's JVM options and allocator (tcmalloc when installed; DISTILL_MALLOC=glibc for glibc)
# shellcheck source=../src/main/image/usr/local/lib/distill/runtime.sh
. src/main/image/usr/local/lib/distill/runtime.sh
JAVA_OPTS=${JAVA_OPTS:-$DISTILL_JVM_OPTS}
# the allocator's variables for the DJL runs only (in a subshell): PyTorch runs as users run it
mapfile -t DJL_ENV < <(distill_malloc; echo "DISTILL_MALLOC_USED=$DISTILL_MALLOC_USED"
  env | grep -E '^(LD_PRELOAD|MALLOC_MMAP_THRESHOLD_|MALLOC_TRIM_THRESHOLD_|MALLOC_TOP_PAD_)=' || true)

FASHION='{"builtin":"fashion-mnist","format":"idx"}'
CIFAR="$OUT/cifar10-synthetic"
if [ -n "$RESNETS" ]; then
  python3 bench/synthetic_cifar.py "$CIFAR" --train "$SAMPLES" --test 2000 --seed 1
fi

job() { # name depth teacherDir augment [architecture] [dataset JSON]
  local teacher=""
  [ -n "$3" ] && teacher=",\"teacherDir\":\"$3\""
  cat > "$OUT/$1.json" <<JSON
{"apiVersion":"distillation.dev/stagejob/v1","chain":"bench","stage":"$1","fingerprint":"bench-$1-$(date +%s%N)",
 "model":{"architecture":"${5:-plain-cnn}","depth":$2},
 "training":{"epochs":1,"batchSize":128,"optimizer":"sgd","learningRate":0.05,"momentum":0.9,"weightDecay":5e-4,
  "lrSchedule":"constant","lrStepEpochs":10,"lrGamma":0.1,"temperature":4.0,"alpha":0.9,"seed":1,"augment":$4},
 "dataset":${6:-$FASHION},"outputDir":"$OUT/$1"$teacher,"maxTrainSamples":$SAMPLES}
JSON
}

djl() { # name [extra java opts] -> "imgs/s cpu_s rss_mib"
  rm -rf "${OUT:?}/$1"
  # shellcheck disable=SC2086  # JAVA_OPTS holds several options on purpose
  /usr/bin/time -f "%U %S %M" -o "$OUT/$1.time" env "${DJL_ENV[@]}" java $JAVA_OPTS ${2:-} -jar "$JAR" train --job "$OUT/$1.json" \
    --device cpu --threads "$THREADS" > "$OUT/$1.log" 2>&1 || { echo "DJL run $1 failed ($OUT/$1.log):" >&2; tail -5 "$OUT/$1.log" >&2; return 1; }
  local ips; ips=$(grep -o '"samplesPerSecond" : [0-9.]*' "$OUT/$1/metrics.json" | head -1 | awk '{print $3}')
  read -r u s m < "$OUT/$1.time"
  echo "$ips $(echo "$u + $s" | bc) $((m / 1024))"
}

torch() { # tag torch_train.py options... -> "imgs/s cpu_s rss_mib"
  [ $HAVE_TORCH = 1 ] || { echo "- - -"; return; }
  local tag=$1; shift
  /usr/bin/time -f "%U %S %M" -o "$OUT/torch.time" "$PY" bench/torch_train.py "$@" \
    --threads "$THREADS" --samples "$SAMPLES" 2> "$OUT/torch-$tag.err" > "$OUT/torch-$tag.json" \
    || { echo "PyTorch run $tag failed ($OUT/torch-$tag.err):" >&2; tail -5 "$OUT/torch-$tag.err" >&2; return 1; }
  local ips; ips=$(grep -o '"imagesPerSecond": [0-9.]*' "$OUT/torch-$tag.json" | awk '{print $2}')
  read -r u s m < "$OUT/torch.time"
  echo "$ips $(echo "$u + $s" | bc) $((m / 1024))"
}

median() { # numbers... -> median (the lower middle for an even count); "-" when none are numbers
  local v; v=$(printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g || true)
  [ -n "$v" ] || { echo "-"; return; }
  local n; n=$(echo "$v" | wc -l)
  echo "$v" | sed -n "$(( (n + 1) / 2 ))p"
}

spread() { # numbers... -> "[min-max]" of integers
  local v; v=$(printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g || true)
  [ -n "$v" ] || { echo ""; return; }
  printf "[%.0f-%.0f]" "$(echo "$v" | head -1)" "$(echo "$v" | tail -1)"
}

parameters() { # stage name -> the trainable parameter count in its model.json
  grep -o '"parameters" *: *[0-9]*' "$OUT/$1/model.json" | grep -o '[0-9]*$'
}

ratio() { [ "$1" = "-" ] || [ "$2" = "-" ] && echo "-" || echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }

echo "$SAMPLES training images (plain-cnn: Fashion-MNIST; resnet: synthetic CIFAR-10), batch 128, $THREADS threads, one epoch, median of $REPS runs (DJL and PyTorch alternating)"
echo "DJL: $(basename "$JAR"), libtorch $(ls target/lib | sed -n 's/^pytorch-native-cpu-\(.*\)-linux-x86_64.jar$/\1/p'), allocator $(printf '%s\n' "${DJL_ENV[@]}" | sed -n 's/^DISTILL_MALLOC_USED=//p'), JVM options: $JAVA_OPTS"
echo "PyTorch: $TORCH_VERSION ($PY); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "torch = PyTorch's default (contiguous) layout; torch-CL = the model and batches in channels_last, as the DJL trainer runs on the CPU"
printf "%-14s %20s %20s %6s %20s %6s %9s %9s %9s %9s %6s %12s\n" "network" "DJL img/s" "torch img/s" "ratio" "torch-CL img/s" "ratio" \
  "DJL cpu-s" "torch cpu-s" "DJL RSS" "torch RSS" "ratio" "torch-CL RSS"
rows=()
for d in $DEPTHS; do rows+=("plain $d plain-cnn"); done
for d in $RESNETS; do rows+=("resnet $d resnet"); done
for row in "${rows[@]}"; do
  read -r prefix d arch <<< "$row"
  name="$prefix-$d" data=$FASHION topts=(--arch "$arch" --depth "$d" --mode plain)
  [ "$arch" = resnet ] && data="{\"format\":\"cifar10\",\"path\":\"$CIFAR\"}" topts+=(--format cifar10 --data "$CIFAR")
  dj=() dc=() dm=() tj=() tc=() tm=() lj=() lm=()
  for _ in $(seq "$REPS"); do
    job "$name" "$d" "" false "$arch" "$data"
    r=$(djl "$name"); read -r a b c <<< "$r"; dj+=("$a"); dc+=("$b"); dm+=("$c")
    p=$(parameters "$name")
    r=$(torch "$name" "${topts[@]}" --expect-parameters "$p"); read -r a b c <<< "$r"; tj+=("$a"); tc+=("$b"); tm+=("$c")
    r=$(torch "$name-cl" "${topts[@]}" --expect-parameters "$p" --channels-last); read -r a _ c <<< "$r"; lj+=("$a"); lm+=("$c")
  done
  mdj=$(median "${dj[@]}") mtj=$(median "${tj[@]}") mlj=$(median "${lj[@]}") mdm=$(median "${dm[@]}") mtm=$(median "${tm[@]}")
  printf "%-14s %20s %20s %6s %20s %6s %9s %9s %8sM %8sM %6s %11sM\n" "$arch-$d" "$mdj $(spread "${dj[@]}")" "$mtj $(spread "${tj[@]}")" \
    "$(ratio "$mdj" "$mtj")" "$mlj $(spread "${lj[@]}")" "$(ratio "$mdj" "$mlj")" "$(median "${dc[@]}")" "$(median "${tc[@]}")" \
    "$mdm" "$mtm" "$(ratio "$mdm" "$mtm")" "$(median "${lm[@]}")"
done

[ "$KD" = 1 ] || exit 0
# KD: a plain-cnn-$STUDENT student of a plain-cnn-$TEACHER teacher (the teacher from the run above, or trained now)
[ -f "$OUT/plain-$TEACHER/model.params" ] || { job "plain-$TEACHER" "$TEACHER" "" false; djl "plain-$TEACHER" > /dev/null; }
cj=() bj=() nj=() tcj=() tbj=()
for _ in $(seq "$REPS"); do
  job kd-cached "$STUDENT" "$OUT/plain-$TEACHER" false
  job kd-batch "$STUDENT" "$OUT/plain-$TEACHER" false
  job kd-none "$STUDENT" "" false
  r=$(djl kd-cached); cj+=("${r%% *}")
  r=$(torch kd-cached --depth "$STUDENT" --teacher-depth "$TEACHER" --mode kd-cached); tcj+=("${r%% *}")
  r=$(djl kd-batch "-Ddistill.kd.noCache=true"); bj+=("${r%% *}")
  r=$(torch kd-batch --depth "$STUDENT" --teacher-depth "$TEACHER" --mode kd-batch); tbj+=("${r%% *}")
  r=$(djl kd-none); nj+=("${r%% *}")
done
echo
echo "KD student epoch (plain-cnn-$STUDENT from plain-cnn-$TEACHER), training img/s, median of $REPS (computing the cache, once per stage, not included):"
printf "%-34s %20s %20s %6s\n" "" "DJL" "torch" "ratio"
printf "%-34s %20s %20s %6s\n" "cached teacher logits" "$(median "${cj[@]}") $(spread "${cj[@]}")" "$(median "${tcj[@]}") $(spread "${tcj[@]}")" "$(ratio "$(median "${cj[@]}")" "$(median "${tcj[@]}")")"
printf "%-34s %20s %20s %6s\n" "teacher forward pass per batch" "$(median "${bj[@]}") $(spread "${bj[@]}")" "$(median "${tbj[@]}") $(spread "${tbj[@]}")" "$(ratio "$(median "${bj[@]}")" "$(median "${tbj[@]}")")"
printf "%-34s %20s %20s\n" "no teacher (plain student)" "$(median "${nj[@]}") $(spread "${nj[@]}")" "-"
printf "cached vs per-batch speed-up (DJL): %s\n" "$(ratio "$(median "${cj[@]}")" "$(median "${bj[@]}")")"
