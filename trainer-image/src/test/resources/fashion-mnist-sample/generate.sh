#!/usr/bin/env bash
# Writes the trainer tests' Fashion-MNIST sample into this folder: the first 800 training and the
# first 300 test images of Fashion-MNIST with their labels, as gzip'd IDX files (the layout of the
# full dataset, about 480 KB in all). Run it again only to change the sample; the files are committed
# so that the tests need no dataset package. Reads $DISTILL_DATA/fashion-mnist, else
# /usr/share/datasets/fashion-mnist (scripts/ensure-fashion-mnist.sh installs it when missing).
set -euo pipefail

train=${1:-800}
test=${2:-300}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
"$root/scripts/ensure-fashion-mnist.sh"
src=/usr/share/datasets/fashion-mnist
if [ -n "${DISTILL_DATA:-}" ] && [ -d "$DISTILL_DATA/fashion-mnist" ]; then src=$DISTILL_DATA/fashion-mnist; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# big-endian 32-bit integer, as IDX headers hold them
be32() {
  printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)))"
}

# sample NAME N ITEM_BYTES HEADER_BYTES: the first N items of NAME with a header that says N
sample() {
  local name=$1 n=$2 item=$3 header=$4 raw=$tmp/$1
  if [ -f "$src/$name.gz" ]; then gzip -dc "$src/$name.gz" > "$raw"; else cp "$src/$name" "$raw"; fi
  {
    dd if="$raw" bs=4 count=1 status=none                      # magic number
    be32 "$n"                                                   # item count
    dd if="$raw" iflag=skip_bytes,count_bytes skip=8 count=$((header - 8 + n * item)) bs=64K status=none
  } | gzip -n -9 > "$here/$name.gz"
}

sample train-images-idx3-ubyte "$train" 784 16
sample train-labels-idx1-ubyte "$train" 1 8
sample t10k-images-idx3-ubyte "$test" 784 16
sample t10k-labels-idx1-ubyte "$test" 1 8
du -cb "$here"/*.gz | tail -1
