# How the trainer's JVM runs: its options and its memory allocator. Sourced (POSIX sh) by the
# image's entry point (/usr/local/bin/distill), by ./distill in a source checkout and by
# bench/bench.sh, so that all three run the trainer the same way.
#
# DISTILL_JVM_OPTS: the serial collector with a heap that starts at 32 MiB, shrinks back when
# mostly free (after the dataset is loaded) and is capped at half the memory (the container's
# limit); C1 only (C2's compiler threads took CPU from two-core training runs and gained nothing).
# No: the trainer catches an OutOfMemoryError itself, writes what was
# full and which field to raise to the termination log, and exits 3 (an OutOfMemoryError in any
# other thread halts the JVM with the same code). In a container, distill_heap (below) sizes the
# heap for the memory limit.
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

# distill_heap: in a container with a memory limit, caps the heap at half the limit (the other
# half for libtorch, as MaxRAMPercentage=50 does) but never closer than DISTILL_JVM_RESERVE_MB
# (default 192) to the limit: the JVM's own memory outside the heap (classes, code, threads, GC)
# took about 80 MiB before libtorch was loaded. With a 160 MiB limit and the plain 50% heap, the
# heap and the JVM filled the container's memory; the kernel then kept evicting and re-reading the
# JVM's code pages instead of killing it, and the trainer hung for good after its
# OutOfMemoryError. A limit that leaves less than 64 MiB of heap is refused at once.
# Reads the cgroup (v2 memory.max, or v1 memory.limit_in_bytes, the container's own inside one).
distill_heap() {
  distill_limit=""
  if [ -r /sys/fs/cgroup/memory.max ]; then
    distill_limit=$(cat /sys/fs/cgroup/memory.max)
  elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    distill_limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
  fi
  case "$distill_limit" in ''|max|*[!0-9]*) return 0 ;; esac
  distill_limit_mb=$((distill_limit / 1048576))
  # cgroup v1 reports "no limit" as about 8 EiB
  [ "$distill_limit_mb" -lt 1073741824 ] || return 0
  distill_reserve_mb=${DISTILL_JVM_RESERVE_MB:-192}
  distill_heap_mb=$((distill_limit_mb / 2))
  if [ $((distill_limit_mb - distill_reserve_mb)) -lt "$distill_heap_mb" ]; then
    distill_heap_mb=$((distill_limit_mb - distill_reserve_mb))
  fi
  if [ "$distill_heap_mb" -lt 64 ]; then
    echo "error: the memory limit of ${distill_limit_mb}Mi is too small for the trainer, which needs at least $((64 + distill_reserve_mb))Mi; raise spec.trainer.resources.memory" >&2
    return 1
  fi
  DISTILL_JVM_OPTS="$DISTILL_JVM_OPTS -Xmx${distill_heap_mb}m"
}
