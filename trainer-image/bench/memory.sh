#!/usr/bin/env bash
# What a stage needs in memory: for each network, the peak resident memory of `distill train` (one
# epoch of $SAMPLES images, batch 128, 2 threads, the image's JVM options and allocator) and the
# smallest JVM heap (-Xmx, from a ladder) with which the same stage completes. The heap holds the
# dataset (bytes) and the batches being assembled; libtorch's memory (weights, activations, the
# optimiser's state, cached teacher logits) is outside it, in the rest of the resident memory.
#
#   trainer-image/bench/memory.sh          # Fashion-MNIST (installed) and synthetic CIFAR-10 (made in $OUT)
# Needs the packaged trainer (./mvnw -pl trainer-image -am package -DskipTests). Output: a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(ls target/distillation-trainer-*.jar | grep -v -e sources -e tests | head -1)
OUT=${OUT:-target/bench-memory}
SAMPLES=${SAMPLES:-5000}
LADDER=${LADDER:-"48 64 96 128 192 256 384 512 768 1024"}
mkdir -p "$OUT"
. src/main/image/usr/local/lib/distill/runtime.sh
distill_malloc
OPTS=$(echo "$DISTILL_JVM_OPTS" | sed 's/-XX:MaxRAMPercentage=[0-9]*//')

# CIFAR-10 in its binary format with random labels and noisy pixels: the same sizes as the real files
cifar="$OUT/cifar-10-batches-bin"
[ -f "$cifar/test_batch.bin" ] || python3 bench/synthetic_cifar.py "$cifar" --train 50000 --test 10000 --seed 1

job() { # name architecture depth datasetJson
  cat > "$OUT/$1.json" <<JSON
{"apiVersion":"distillation.dev/stagejob/v1","chain":"memory","stage":"$1","fingerprint":"memory-$1-$(date +%s%N)",
 "model":{"architecture":"$2","depth":$3},
 "training":{"epochs":1,"batchSize":128,"optimizer":"sgd","learningRate":0.05,"momentum":0.9,"weightDecay":5e-4,
  "lrSchedule":"constant","lrStepEpochs":10,"lrGamma":0.1,"warmupEpochs":0.25,"gradientClipNorm":5,"temperature":4.0,
  "alpha":0.9,"seed":1,"augment":false},
 "dataset":$4,"outputDir":"$PWD/$OUT/$1","maxTrainSamples":$SAMPLES}
JSON
}

run() { # name heap -> exit code; peak RSS (MiB) in $OUT/name.rss
  rm -rf "${OUT:?}/$1"
  local rc=0
  # shellcheck disable=SC2086
  /usr/bin/time -f "%M" -o "$OUT/$1.time" java $OPTS -Xmx"$2"m -jar "$JAR" train --job "$OUT/$1.json" --device cpu --threads 2 \
    > "$OUT/$1.log" 2>&1 || rc=$?
  echo $(( $(tail -1 "$OUT/$1.time") / 1024 )) > "$OUT/$1.rss"
  return $rc
}

fashion='{"builtin":"fashion-mnist","format":"idx"}'
cifar10='{"format":"cifar10","path":"'"$PWD/$cifar"'"}'
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $SAMPLES training images per run, batch 128"
echo
echo "| dataset | network | smallest heap that trains | peak RSS with it | peak RSS, heap 1 GiB |"
echo "|---|---|---:|---:|---:|"
while read -r ds arch depth; do
  name="$ds-$arch-$depth"
  data=$fashion; [ "$ds" = cifar10 ] && data=$cifar10
  job "$name" "$arch" "$depth" "$data"
  run "$name" 1024 || { echo "| $ds | $arch-$depth | failed with 1 GiB: see $OUT/$name.log | | |"; continue; }
  big=$(cat "$OUT/$name.rss")
  min=-; minrss=-
  for h in $LADDER; do
    if run "$name" "$h"; then min="$h MiB"; minrss="$(cat "$OUT/$name.rss") MiB"; break; fi
  done
  echo "| $ds | $arch-$depth | $min | $minrss | $big MiB |"
done <<LIST
fashion-mnist plain-cnn 2
fashion-mnist plain-cnn 4
fashion-mnist plain-cnn 10
cifar10 plain-cnn 10
cifar10 resnet 20
cifar10 resnet 56
LIST
