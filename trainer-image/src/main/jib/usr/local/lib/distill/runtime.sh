# How the trainer's JVM runs: its options and its memory allocator. Sourced (POSIX sh) by the
# image's entry point (/usr/local/bin/distill), by ./distill in a source checkout and by
# bench/bench.sh, so that all three run the trainer the same way.
#
# DISTILL_JVM_OPTS: the serial collector with a heap that starts at 32 MiB, shrinks back when
# mostly free (after the dataset is loaded) and is capped at half the memory (the container's
# limit); C1 only (C2's compiler threads took CPU from two-core training runs and gained nothing).
DISTILL_JVM_OPTS="-Xms32m -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -Dai.djl.offline=true"
#
# libtorch allocates and frees several multi-megabyte activation and gradient buffers at every
# training step. tcmalloc serves them from its own caches: on the 2-core build machine a
# plain-cnn-2 epoch ran ~20% faster than with glibc's malloc at its best settings (below), peak RSS
# unchanged. Without tcmalloc, glibc's mmap and trim thresholds are raised: by default glibc would
# hand those buffers back to the kernel after every step and fault them in again on the next
# (4-8x PyTorch's system CPU time, and a third slower steps).
#
# DISTILL_MALLOC: auto (default: tcmalloc when its library is installed, else glibc), tcmalloc, glibc.
# Afterwards DISTILL_MALLOC_USED says which one the JVM will get.

distill_find_tcmalloc() {
  for f in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4 \
           /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4; do
    if [ -f "$f" ]; then
      echo "$f"
      return 0
    fi
  done
  return 1
}

distill_malloc() {
  distill_tcmalloc=""
  case "${DISTILL_MALLOC:-auto}" in
    glibc) ;;
    auto) distill_tcmalloc=$(distill_find_tcmalloc) || distill_tcmalloc="" ;;
    tcmalloc)
      distill_tcmalloc=$(distill_find_tcmalloc) \
        || echo "distill: DISTILL_MALLOC=tcmalloc but libtcmalloc_minimal.so.4 is not installed (Debian/Ubuntu: apt-get install libtcmalloc-minimal4); using glibc malloc" >&2 ;;
    *) echo "distill: DISTILL_MALLOC must be auto, tcmalloc or glibc, not '${DISTILL_MALLOC}'; using auto" >&2
       distill_tcmalloc=$(distill_find_tcmalloc) || distill_tcmalloc="" ;;
  esac
  if [ -n "$distill_tcmalloc" ]; then
    export LD_PRELOAD="$distill_tcmalloc${LD_PRELOAD:+:$LD_PRELOAD}"
    DISTILL_MALLOC_USED=tcmalloc
  else
    export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-536870912}"
    export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-536870912}"
    export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-67108864}"
    DISTILL_MALLOC_USED=glibc
  fi
}
