#!/usr/bin/env bash
# GPU check of the trainer, for a machine with an NVIDIA GPU (driver loaded, nvidia-smi on PATH):
#
#   trainer-image/bench/gpu-check.sh [--depth 4] [--epochs 3] [--samples 60000] [--skip-build] [--cpu-dry-run]
#
#  1. builds the CUDA variant of the trainer (-Pcuda: libtorch for CUDA 12.4; Maven needs the
#     pytorch-native-cu124 jar, from the network or already in ~/.m2);
#  2. trains one stage (plain-cnn-DEPTH on Fashion-MNIST, EPOCHS epochs, seed 1) with --device gpu
#     on one GPU (CUDA_VISIBLE_DEVICES=0), and the same stage with --device cpu (the same libtorch), and checks that the GPU run says it
#     ran on the GPU and that its test accuracy is within one point of the CPU run's;
#  3. measures training images/s of one epoch on the GPU, the DJL trainer against PyTorch eager
#     (bench/torch_train.py --device cuda) on the same GPU, same network, batch 128 and data;
#  4. on a machine with two or more GPUs, trains the stage of step 2 on two of them (CUDA_VISIBLE_DEVICES=0,1,
#     as a Pod with gpu: 2 sees them: data parallel, each batch split across the two), checks that it
#     reports both GPUs and that its test accuracy is within one point of the one-GPU run's, and
#     prints the images/s of both. With --cpu-dry-run or one GPU it says why it cannot.
#
# PyTorch: $PYTHON (default python3) with a CUDA build of torch, 2.5.1 to match the trainer's libtorch:
#   python3 -m venv ~/.cache/distill-bench/venv && ~/.cache/distill-bench/venv/bin/pip install torch==2.5.1
#   PYTHON=~/.cache/distill-bench/venv/bin/python trainer-image/bench/gpu-check.sh
# Without it step 3 prints only the trainer's images/s and says why.
# Fashion-MNIST: $DISTILL_DATA/fashion-mnist or /usr/share/datasets/fashion-mnist (scripts/ensure-fashion-mnist.sh).
# --cpu-dry-run runs every step on the CPU with the CPU build already in target/ (for reviewing the
# script on a machine without a GPU: the device check then expects the CPU, and no speed is compared).
# Logs, jobs and stage folders go to $OUT (default trainer-image/target/gpu-check). Exit status: 0 when
# every check passed, 1 when one failed, 2 when the machine cannot run the check (no GPU, no data, no build).
set -euo pipefail
cd "$(dirname "$0")/.."
DEPTH=4 EPOCHS=3 SAMPLES=60000 BUILD=1 DRY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --depth) DEPTH=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --samples) SAMPLES=$2; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    --cpu-dry-run) DRY=1; BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-target/gpu-check}
PY=${PYTHON:-python3}
DATA=${DISTILL_DATA:-/usr/share/datasets}/fashion-mnist

[ -f "$DATA/train-images-idx3-ubyte.gz" ] || { echo "gpu-check: no Fashion-MNIST in $DATA (run scripts/ensure-fashion-mnist.sh)" >&2; exit 2; }
VISIBLE=
if [ "$DRY" = 1 ]; then
  GPUS=1 DEVICE=cpu EXPECT=cpu NATIVE=cpu TORCH_DEVICE=cpu
  echo "gpu-check: CPU dry run: every step on the CPU"
else
  DEVICE=gpu EXPECT=gpu NATIVE=cu TORCH_DEVICE=cuda
  command -v nvidia-smi > /dev/null || { echo "gpu-check: nvidia-smi not found: this machine has no NVIDIA driver" >&2; exit 2; }
  GPUS=$(nvidia-smi -L | grep -c '^GPU ' || true)
  [ "$GPUS" -ge 1 ] || { echo "gpu-check: nvidia-smi lists no GPU" >&2; exit 2; }
  echo "GPUs: $GPUS"; nvidia-smi -L
  echo "driver: $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)"
  VISIBLE=0 # steps 2 and 3 on one GPU; step 4 on two
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$BUILD" = 1 ]; then
  # the CPU build's libtorch jar must not stay beside the CUDA one in target/lib
  rm -rf target/lib
  (cd .. && ./mvnw -B -q -pl trainer-image -am package -Pcuda -DskipTests)
fi
JAR=$(ls target/distillation-trainer-*.jar 2>/dev/null | grep -v sources | head -1 || true)
[ -n "$JAR" ] && ls target/lib/pytorch-native-"$NATIVE"*.jar > /dev/null 2>&1 \
  || { echo "gpu-check: no $NATIVE build of the trainer in target/ (run without --skip-build)" >&2; exit 2; }
echo "trainer: $(basename "$JAR") with $(basename "$(ls target/lib/pytorch-native-"$NATIVE"*.jar)")"
mkdir -p "$OUT"
# the image's JVM options and allocator, as bench.sh runs the trainer
# shellcheck source=../src/main/image/usr/local/lib/distill/runtime.sh
. src/main/image/usr/local/lib/distill/runtime.sh
JAVA_OPTS=${JAVA_OPTS:-$DISTILL_JVM_OPTS}

job() { # name epochs
  cat > "$OUT/$1.json" <<JSON
{"apiVersion":"distillation.dev/stagejob/v1","chain":"gpu-check","stage":"$1","fingerprint":"gpu-check-$1-$(date +%s%N)",
 "model":{"architecture":"plain-cnn","depth":$DEPTH},
 "training":{"epochs":$2,"batchSize":128,"optimizer":"sgd","learningRate":0.05,"momentum":0.9,"weightDecay":5e-4,
  "lrSchedule":"cosine","lrStepEpochs":10,"lrGamma":0.1,"temperature":4.0,"alpha":0.9,"seed":1,"augment":false},
 "dataset":{"builtin":"fashion-mnist","format":"idx"},"outputDir":"$PWD/$OUT/$1","maxTrainSamples":$SAMPLES}
JSON
}

train() { # name device [threads] -> the trainer's exit status; its log in $OUT/name.log
  # $VISIBLE, when set, is the GPUs the trainer sees (it trains on all it sees)
  rm -rf "${OUT:?}/$1"
  # shellcheck disable=SC2086  # JAVA_OPTS holds several options on purpose
  env ${VISIBLE:+CUDA_VISIBLE_DEVICES=$VISIBLE} java $JAVA_OPTS -jar "$JAR" train --job "$OUT/$1.json" --device "$2" ${3:+--threads "$3"} > "$OUT/$1.log" 2>&1
}

metric() { # stage name -> its value in metrics.json's final metrics
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["final"][sys.argv[2]])' "$OUT/$1/metrics.json" "$2"
}

FAILED=0
check() { # ok? message
  if [ "$1" = 1 ]; then echo "PASS  $2"; else echo "FAIL  $2"; FAILED=1; fi
}

echo; echo "== 1. a stage on the GPU and on the CPU: plain-cnn-$DEPTH, $EPOCHS epochs, $SAMPLES images"
job gpu "$EPOCHS"; job cpu "$EPOCHS"
if train gpu "$DEVICE"; then GPU_OK=1; else GPU_OK=0; fi
check "$GPU_OK" "distill train --device $DEVICE exits 0 (log: $OUT/gpu.log)"
if train cpu cpu "$(nproc)"; then CPU_OK=1; else CPU_OK=0; fi
check "$CPU_OK" "distill train --device cpu exits 0 (log: $OUT/cpu.log)"
if [ "$GPU_OK" = 1 ] && [ "$CPU_OK" = 1 ]; then
  GDEV=$(metric gpu device) GACC=$(metric gpu testAccuracy) CACC=$(metric cpu testAccuracy)
  check "$([[ "$GDEV" == "$EXPECT"* && "$GDEV" != *,* ]] && echo 1 || echo 0)" "the GPU run ran on $GDEV"
  DIFF=$(echo "d = ($GACC - $CACC) * 100; if (d < 0) d = -d; d" | bc -l)
  check "$(echo "$DIFF <= 1" | bc -l)" "test accuracy GPU $GACC vs CPU $CACC: $(printf '%.2f' "$DIFF") points apart (at most 1)"
  echo "      train time: GPU $(metric gpu trainSeconds) s ($(metric gpu samplesPerSecond) img/s), CPU $(metric cpu trainSeconds) s ($(metric cpu samplesPerSecond) img/s)"
fi

echo; echo "== 2. training speed on the GPU, one epoch of $SAMPLES images, batch 128: DJL trainer vs PyTorch eager"
job speed 1
if train speed "$DEVICE"; then
  DJL_IPS=$(metric speed samplesPerSecond)
  echo "      DJL trainer:   $DJL_IPS img/s"
  if "$PY" -c 'import torch,sys; sys.exit(0 if sys.argv[1] == "cpu" or torch.cuda.is_available() else 1)' "$TORCH_DEVICE" 2> /dev/null; then
    TORCH_VERSION=$("$PY" -c 'import torch; print(torch.__version__)')
    [[ "$TORCH_VERSION" == 2.5.1* ]] || echo "      note: PyTorch $TORCH_VERSION, not the trainer's 2.5.1"
    "$PY" bench/torch_train.py --device "$TORCH_DEVICE" --depth "$DEPTH" --samples "$SAMPLES" --threads "$(nproc)" --data "$DATA" \
      > "$OUT/torch.json" 2> "$OUT/torch.err"
    TORCH_IPS=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["imagesPerSecond"])' "$OUT/torch.json")
    echo "      PyTorch $TORCH_VERSION: $TORCH_IPS img/s"
    echo "      ratio (DJL / PyTorch): $(printf '%.2f' "$(echo "$DJL_IPS / $TORCH_IPS" | bc -l)")"
  else
    echo "      PyTorch: not measured ($PY has no torch with CUDA; set PYTHON)"
  fi
else
  check 0 "distill train --device $DEVICE for the speed run (log: $OUT/speed.log)"
fi

echo; echo "== 3. data parallel on two GPUs: the stage of step 1 with gpu: 2"
if [ "$DRY" = 1 ]; then
  echo "      CPU dry run: data parallelism needs two GPUs, not checked here (the trainer's tests run the"
  echo "      data-parallel step with CPU replicas: DataParallelTest, DataParallelStageTest)"
elif [ "$GPUS" -lt 2 ]; then
  echo "      one GPU: data parallelism needs two, not checked"
else
  job dp "$EPOCHS"
  if VISIBLE=0,1 train dp gpu; then DP_OK=1; else DP_OK=0; fi
  check "$DP_OK" "distill train --device gpu with two GPUs visible exits 0 (log: $OUT/dp.log)"
  if [ "$DP_OK" = 1 ] && [ "$GPU_OK" = 1 ]; then
    DDEV=$(metric dp device) DACC=$(metric dp testAccuracy)
    check "$([ "$DDEV" = "gpu(0),gpu(1)" ] && echo 1 || echo 0)" "the data-parallel run ran on $DDEV"
    DIFF=$(echo "d = ($DACC - $GACC) * 100; if (d < 0) d = -d; d" | bc -l)
    check "$(echo "$DIFF <= 1" | bc -l)" "test accuracy two GPUs $DACC vs one GPU $GACC: $(printf '%.2f' "$DIFF") points apart (at most 1)"
    echo "      train time: two GPUs $(metric dp trainSeconds) s ($(metric dp samplesPerSecond) img/s), one GPU $(metric gpu trainSeconds) s ($(metric gpu samplesPerSecond) img/s)"
  fi
fi

echo
[ "$FAILED" = 0 ] && echo "gpu-check: every check passed" || echo "gpu-check: a check failed"
exit "$FAILED"
