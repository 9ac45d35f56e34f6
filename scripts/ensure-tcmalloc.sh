#!/usr/bin/env bash
# Installs tcmalloc (Debian's libtcmalloc-minimal4), the memory allocator the trainer runs fastest
# with, when it is missing and this runs as root with apt-get. It is optional: without it the
# trainer uses glibc malloc (about a fifth slower per training step) and this says so once per run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../trainer-image/src/main/image/usr/local/lib/distill/runtime.sh
. "$here/../trainer-image/src/main/image/usr/local/lib/distill/runtime.sh"
distill_find_tcmalloc >/dev/null && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "distill: installing libtcmalloc-minimal4 (a faster memory allocator for libtorch; once)" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y -qq libtcmalloc-minimal4 >/dev/null 2>&1 \
     || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq libtcmalloc-minimal4 >/dev/null 2>&1; }; then
    distill_find_tcmalloc >/dev/null && exit 0
  fi
  echo "distill: could not install libtcmalloc-minimal4; training with glibc malloc" >&2
  exit 1
fi
echo "distill: tcmalloc is not installed: training with glibc malloc, about a fifth slower" \
  "(Debian/Ubuntu: sudo apt-get install libtcmalloc-minimal4; DISTILL_MALLOC=glibc hides this line)" >&2
exit 1
