#!/usr/bin/env bash
# Makes sure Fashion-MNIST (Debian's dataset-fashion-mnist: IDX files) is where the trainer looks:
# $DISTILL_DATA/fashion-mnist, else /usr/share/datasets/fashion-mnist. Installs the package with
# apt-get when running as root on Debian/Ubuntu; otherwise prints what to do and exits 2.
set -euo pipefail

files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

present() {
  local dir=$1
  for f in "${files[@]}"; do
    [ -s "$dir/$f" ] || [ -s "$dir/${f%.gz}" ] || return 1
  done
}

if [ -n "${DISTILL_DATA:-}" ] && present "$DISTILL_DATA/fashion-mnist"; then exit 0; fi
if present /usr/share/datasets/fashion-mnist; then exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Fashion-MNIST is missing: installing Debian's dataset-fashion-mnist package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq dataset-fashion-mnist >&2
  present /usr/share/datasets/fashion-mnist && exit 0
  echo "dataset-fashion-mnist installed, but /usr/share/datasets/fashion-mnist lacks ${files[*]}" >&2
  exit 2
fi

cat >&2 <<MSG
Fashion-MNIST was not found in \$DISTILL_DATA/fashion-mnist or /usr/share/datasets/fashion-mnist.
Install it with one of:
  sudo apt-get install dataset-fashion-mnist          # Debian/Ubuntu
  or put ${files[*]} into a folder DIR/fashion-mnist and export DISTILL_DATA=DIR
MSG
exit 2
