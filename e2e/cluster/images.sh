#!/usr/bin/env bash
# The container images the real e2e node runs, built on this machine without a registry:
#
#   base      Debian bookworm + Java 17 JRE, made with mmdebstrap from this machine's own apt
#             sources; cached, keyed by its package list (BASE_PACKAGES below)
#   trainer   trainer-image/Dockerfile             -> distillation-trainer:TAG
#   operator  operator/src/main/docker/Dockerfile.jvm -> distillation-operator:TAG
#   pause     the Pod sandbox image: the static pause binary of build-binaries.sh --node
#
# The trainer and operator images are built from the same Dockerfiles users build, from the
# Maven build's output (trainer-image/target, operator/target/quarkus-app), with the base image
# given as their BASE_IMAGE (and DATA_IMAGE) build arguments. They are built with podman into
# its own store under the cache (<cache>/images/), so the machine's container store is not
# touched; the layers that did not change (libraries, JRE, dataset) are reused.
#
#   images.sh build [TAG]   build all four (TAG default: the chart's appVersion); prints the names
#   images.sh load ADDRESS [TAG]
#                           import them into the containerd listening on ADDRESS (namespace k8s.io)
#   images.sh names [TAG]   print the image names
#
# Needs root (mmdebstrap, podman), and podman, buildah, mmdebstrap (installed when missing).
set -euo pipefail
LOG_PREFIX=images
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/scripts/lib/common.sh"

SUITE=bookworm
# The base image's packages; the cache key. Java 17 for both images (the trainer's Dockerfile
# installs tcmalloc and copies Fashion-MNIST itself).
BASE_PACKAGES=(openjdk-17-jre-headless ca-certificates)

STORE="$DISTILL_CACHE_ROOT/images"
# podman's run state (mount counts, locks) lives only while this script runs; podman refuses a
# run folder path over 50 characters, so it is not under the cache
RUNROOT=/run/distill-e2e-podman

default_tag() { sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$ROOT/charts/distillation-operator/Chart.yaml"; }

base_key() { printf '%s\n' "$SUITE" minbase "${BASE_PACKAGES[@]}" | sha256sum | cut -c1-16; }

names() { # names TAG: pause trainer operator
  echo "localhost/distill-e2e/pause:$("$HERE/build-binaries.sh" --print-version)"
  echo "docker.io/library/distillation-trainer:$1"
  echo "docker.io/library/distillation-operator:$1"
}

# podman and buildah with their own configuration and store: the machine's container store,
# configuration and CNI networks are not used (podman still writes a blob-info cache to
# /var/lib/containers/cache), and short names never resolve to a registry
setup_engine() {
  mkdir -p "$STORE"/{storage,tmp,net,conf}
  cat >"$STORE/conf/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$STORE/storage"
runroot = "$RUNROOT"
EOF
  cat >"$STORE/conf/containers.conf" <<EOF
[engine]
# runc: podman would take crun when it is installed, and crun refuses this cgroup layout (v1
# hierarchies beside a v2 mount: "cgroups in hybrid mode not supported")
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "$RUNROOT/libpod"
[network]
network_config_dir = "$STORE/net"
EOF
  cat >"$STORE/conf/registries.conf" <<EOF
unqualified-search-registries = []
EOF
  export CONTAINERS_STORAGE_CONF="$STORE/conf/storage.conf"
  export CONTAINERS_CONF="$STORE/conf/containers.conf"
  export CONTAINERS_REGISTRIES_CONF="$STORE/conf/registries.conf"
  PODMAN=(podman --root "$STORE/storage" --runroot "$RUNROOT" --tmpdir "$RUNROOT/libpod")
  BUILDAH=(buildah --root "$STORE/storage" --runroot "$RUNROOT")
}

# one podman user of the store at a time; its run state is made now and removed on exit
lock_store() {
  lock_or_wait "$STORE/.lock"
  mkdir -p "$RUNROOT"
  trap 'rm -rf "$RUNROOT"' EXIT
  # libpod's own database (containers, pods: none are kept here) records the run folder it was
  # made with; the images are in the storage beside it and stay
  rm -f "$STORE/storage/libpod/bolt_state.db"
}

need_root_tools() {
  [[ "$(id -u)" == 0 ]] || die "building the images needs root (mmdebstrap, podman)"
  # runc first: podman needs "crun | runc", and runc is the one that works here
  apt_ensure runc podman buildah mmdebstrap
}

# the apt sources this machine uses, read now (never written into the repository)
host_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && grep -qE '^[[:space:]]*(deb[[:space:]]|Types:)' "$f" && echo "$f"
  done
  return 0
}

build_base() {
  local key image tar
  key="$(base_key)"
  image="localhost/distill-e2e/base:$key"
  if "${PODMAN[@]}" image exists "$image"; then
    log "base image $image present"
    BASE_IMAGE=$image
    return
  fi
  local sources
  mapfile -t sources < <(host_sources)
  ((${#sources[@]} > 0)) || die "no apt sources found in /etc/apt (mmdebstrap needs this machine's)"
  tar="$(mktemp "$STORE/tmp/base.XXXXXX.tar")"
  log "building the base image ($SUITE, ${BASE_PACKAGES[*]}) with mmdebstrap from ${sources[*]} (about a minute)"
  local t0=$SECONDS
  # openjdk's postinst writes a man page link into /usr/share/man/man1, which minbase lacks
  mmdebstrap --quiet --variant=minbase --include="$(IFS=,; echo "${BASE_PACKAGES[*]}")" \
    --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
    --format=tar "$SUITE" "$tar" "${sources[@]}" >&2 || { rm -f "$tar"; die "mmdebstrap failed"; }
  "${PODMAN[@]}" import --change 'CMD ["/bin/bash"]' "$tar" "$image" >/dev/null || { rm -f "$tar"; die "podman import failed"; }
  rm -f "$tar"
  log "base image $image built in $((SECONDS - t0)) s"
  BASE_IMAGE=$image
}

build_pause() {
  local image=$1 bin c
  "${PODMAN[@]}" image exists "$image" && return
  bin="$("$HERE/build-binaries.sh" --node | tail -1)/pause"
  [[ -x "$bin" ]] || die "no pause binary at $bin"
  c="$("${BUILDAH[@]}" from scratch)"
  "${BUILDAH[@]}" copy "$c" "$bin" /pause >/dev/null
  "${BUILDAH[@]}" config --entrypoint '["/pause"]' --user 65535:65535 "$c"
  "${BUILDAH[@]}" commit --quiet "$c" "$image" >/dev/null
  "${BUILDAH[@]}" rm "$c" >/dev/null
  log "pause image $image built"
}

build_project_image() { # build_project_image IMAGE CONTEXT DOCKERFILE
  local image=$1 context=$2 dockerfile=$3 t0=$SECONDS
  log "podman build $image from ${dockerfile#"$ROOT"/}"
  # --network host: the Dockerfiles' apt-get steps (run only when their layer is not cached yet)
  "${PODMAN[@]}" build --quiet --network host --pull=never --layers \
    --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg DATA_IMAGE="$BASE_IMAGE" \
    -f "$dockerfile" -t "$image" "$context" >/dev/null || die "podman build of $image failed"
  log "built $image in $((SECONDS - t0)) s"
}

do_build() {
  local tag=$1 pause trainer operator jar
  mapfile -t n < <(names "$tag")
  pause=${n[0]} trainer=${n[1]} operator=${n[2]}
  shopt -s nullglob
  jar=("$ROOT"/trainer-image/target/distillation-trainer-*.jar)
  ((${#jar[@]} > 0)) && [[ -d "$ROOT/trainer-image/target/lib" ]] ||
    die "the trainer is not built: ./mvnw -B -pl trainer-image -am package -DskipTests"
  [[ -f "$ROOT/operator/target/quarkus-app/quarkus-run.jar" ]] ||
    die "the operator is not built: ./mvnw -B -pl operator -am package -DskipTests"
  need_root_tools
  setup_engine
  lock_store
  # a build killed earlier may have left its run state; nothing else uses this store
  "${BUILDAH[@]}" rm --all >/dev/null 2>&1 || true
  build_base
  build_project_image "$trainer" "$ROOT/trainer-image" "$ROOT/trainer-image/Dockerfile"
  build_project_image "$operator" "$ROOT/operator" "$ROOT/operator/src/main/docker/Dockerfile.jvm"
  build_pause "$pause"
  "${PODMAN[@]}" image prune --force >/dev/null 2>&1 || true
  printf '%s\n' "${n[@]}"
}

# the image's configuration digest (its ID) as containerd holds it under NAME, if it does
containerd_image_id() {
  local ctr=(ctr --address "$1" -n k8s.io) manifest
  manifest="$("${ctr[@]}" images ls "name==$2" 2>/dev/null | awk 'NR == 2 {print $3}')"
  [[ -n "$manifest" ]] || return 0
  "${ctr[@]}" content get "$manifest" 2>/dev/null | jq -r '.config.digest // empty'
}

do_load() {
  local address=$1 tag=$2 image id t0 keep=()
  local ctr=(ctr --address "$address" -n k8s.io)
  need_cmd ctr "apt-get install containerd"
  need_jq
  setup_engine
  lock_store
  while read -r image; do
    "${PODMAN[@]}" image exists "$image" || die "image $image is not built (e2e/cluster/images.sh build)"
    id="sha256:$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$image")"
    keep+=("$image" "$id")
    if [[ "$(containerd_image_id "$address" "$image")" == "$id" ]]; then
      log "$image is in containerd already"
      continue
    fi
    t0=$SECONDS
    # containerd 1.6 can garbage-collect a layer's snapshot that an import has just committed and
    # not yet referenced ("parent snapshot ... does not exist"), above all right after earlier
    # images or containers were removed: a second import finds the content and unpacks again
    local attempt
    for attempt in 1 2 3; do
      "${PODMAN[@]}" save --format docker-archive "$image" | "${ctr[@]}" images import - >/dev/null && break
      ((attempt < 3)) || die "importing $image into containerd at $address failed (3 attempts)"
      log "importing $image into containerd failed (attempt $attempt); trying again"
    done
    log "loaded $image into containerd in $((SECONDS - t0)) s"
  done < <(names "$tag")
  # earlier builds' images: removed, so that containerd's store (kept in the cache) does not grow
  local ref old=()
  while read -r ref; do
    [[ -n "$ref" && " ${keep[*]} " != *" $ref "* ]] && old+=("$ref")
  done < <("${ctr[@]}" images ls -q)
  if ((${#old[@]} > 0)); then
    "${ctr[@]}" images rm "${old[@]}" >/dev/null
    log "removed ${#old[@]} earlier images from containerd"
  fi
}

case "${1:-}" in
  build) do_build "${2:-$(default_tag)}" ;;
  load) [[ -n "${2:-}" ]] || die "usage: $0 load CONTAINERD-ADDRESS [TAG]"; do_load "$2" "${3:-$(default_tag)}" ;;
  names) names "${2:-$(default_tag)}" ;;
  *) echo "usage: $0 build [TAG] | load CONTAINERD-ADDRESS [TAG] | names [TAG]" >&2; exit 2 ;;
esac
