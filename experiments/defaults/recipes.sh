# The recipes of the defaults measurement, as `distill run` training fields and torch_minimal.py flags.
# Sourced by run.sh. Every recipe is SGD (momentum 0.9, weight decay 5e-4), batch 128, cosine schedule,
# T = 4, alpha = 0.9: the built-in defaults but for the three settings below.
#   name            learningRate warmupEpochs gradientClipNorm
RECIPES="
old-default     0.1   0     0
lr005           0.05  0     0
warmup1         0.1   1     0
clip5           0.1   0     5
lr005-warmup1   0.05  1     0
warmup1-clip5   0.1   1     5
default         0.1   0.25  5
"
recipe() { # name -> "lr warmup clip", or fails
  echo "$RECIPES" | awk -v n="$1" '$1 == n {print $2, $3, $4; found=1} END {exit !found}'
}
