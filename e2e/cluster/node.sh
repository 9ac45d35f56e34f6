# The real node of the e2e cluster: containerd (runc) and a kubelet on this machine, joined to
# the control plane of cluster.sh beside the kwok nodes. Sourced by cluster.sh (it uses its
# log/die/launch/wait_for/pid_of/KUBECTL); `cluster.sh start --real-node` runs it.
#
# Everything the node writes goes under $CLUSTER_DIR/node, except containerd's images (kept in
# the cache, <cache>/node/containerd, so that a warm start imports only what changed) and what
# kubelet and containerd write to fixed places whatever their configuration says; stop undoes all
# of it:
#   - the bridge $NODE_BRIDGE with $NODE_IP (the Pods' network, and where the API server and
#     the kubelet listen, so nothing listens on an outside interface)
#   - cgroups /sys/fs/cgroup/<controller>/$NODE_CGROUP (the kubelet's cgroupRoot)
#   - /var/log/containers (links to the Pods' logs), /var/lib/kubelet/device-plugins,
#     /var/lib/cni/results (the CNI plugins' cache), /run/containerd/s (shim sockets)
#   - the Pods' containers in containerd's store
#   - mounts: container root filesystems, volumes, Pod network namespaces
# Only one real node runs on a machine at a time (the claim file $NODE_CLAIM says whose).

NODE_DIR="$CLUSTER_DIR/node"
NODE_BRIDGE=distill-e2e0
NODE_SUBNET_PREFIX="${CLUSTER_NODE_SUBNET_PREFIX:-10.241.0}"   # a /24 only this node uses
NODE_IP="$NODE_SUBNET_PREFIX.1"
NODE_CGROUP=distill-e2e
NODE_CLAIM=/run/distill-e2e-node
NODE_LABEL=distill-e2e/real-node
NODE_STORAGE_CLASS=distill-e2e-local
NODE_PVS="${CLUSTER_NODE_PVS:-24}"
NODE_NAME="${CLUSTER_NODE_NAME:-$(hostname | tr '[:upper:]' '[:lower:]')}"
# fixed host paths kubelet, containerd and the CNI plugins write to (see above)
NODE_HOST_PATHS=(/var/log/containers /var/lib/kubelet /var/lib/cni /run/containerd /run/netns)
CONTAINERD_ADDRESS="$NODE_DIR/containerd/containerd.sock"
CONTAINERD_ROOT="$DISTILL_CACHE_ROOT/node/containerd"

# ------------------------------------------------------------------ before the control plane
node_prepare() {
  [[ "$(id -u)" == 0 ]] || die "the real node needs root (containerd, kubelet, mounts, a network bridge)"
  apt_ensure containerd runc containernetworking-plugins
  node_claim
  mkdir -p "$NODE_DIR"
  local p
  for p in "${NODE_HOST_PATHS[@]}"; do [[ -e "$p" ]] && echo "$p"; done >"$NODE_DIR/host-paths-before"
  if ip route show | grep -q "^$NODE_SUBNET_PREFIX\."; then
    die "$NODE_SUBNET_PREFIX.0/24 is already routed on this machine; set CLUSTER_NODE_SUBNET_PREFIX to a free /24"
  fi
  ip link add "$NODE_BRIDGE" type bridge
  touch "$NODE_DIR/bridge-created"
  ip addr add "$NODE_IP/24" dev "$NODE_BRIDGE"
  ip link set "$NODE_BRIDGE" up
  log "bridge $NODE_BRIDGE $NODE_IP/24 (the Pods' network; the API server listens here)"
}

# The machine-wide claim: refuse while another cluster's real node runs; clean up after one
# that was killed without stopping.
node_claim() {
  if [[ -f "$NODE_CLAIM" ]]; then
    local other
    other="$(cat "$NODE_CLAIM")"
    if [[ "$other" != "$CLUSTER_DIR" ]]; then
      if (CLUSTER_DIR=$other; pid_of kubelet >/dev/null || pid_of containerd >/dev/null); then
        die "a real e2e node of the cluster in $other runs on this machine; stop it first (CLUSTER_DIR=$other $HERE/cluster.sh stop)"
      fi
      log "cleaning up the real node a killed run left in $other"
      (CLUSTER_DIR=$other NODE_DIR=$other/node CONTAINERD_ADDRESS=$other/node/containerd/containerd.sock; node_cleanup) ||
        die "could not clean up the real node left in $other"
    fi
  fi
  echo "$CLUSTER_DIR" >"$NODE_CLAIM"
}

# ------------------------------------------------------------------ after the control plane
node_pki() {
  local name=$NODE_NAME
  cert kubelet "/O=system:nodes/CN=system:node:$name" "$CLIENT_EXT" "${EC[@]}"
  cert kubelet-serving "/CN=$name" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$NODE_IP,DNS:$name" "${EC[@]}"
  # the API server's client certificate towards kubelets (logs, exec); kubelet authorizes
  # system:masters through a SubjectAccessReview
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$CLIENT_EXT" "${EC[@]}"
  chmod 600 "$PKI"/*.key
}

node_start() {
  local t0=$SECONDS
  mkdir -p "$NODE_DIR"/{containerd/state,containerd/runc,cni/net.d,cni/ipam,kubelet,pod-logs,pv,volume-plugins} "$CONTAINERD_ROOT"
  node_cgroups_create
  node_write_containerd_config
  launch containerd /usr/bin/containerd --config "$NODE_DIR/containerd/config.toml"
  wait_for "containerd" 60 ctr --address "$CONTAINERD_ADDRESS" version || die "containerd did not start"
  "$HERE/images.sh" load "$CONTAINERD_ADDRESS" "$IMAGE_TAG" || die "loading the images into containerd failed"
  node_write_cni_config
  node_write_kubelet_config
  launch kubelet "$BIN/kubelet" --config="$NODE_DIR/kubelet-config.yaml" --kubeconfig="$CLUSTER_DIR/kubelet.kubeconfig" \
    --root-dir="$NODE_DIR/kubelet" --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" \
    --node-labels="$NODE_LABEL=true,type=real" --v=1
  wait_for "node $NODE_NAME Ready" "$START_TIMEOUT" node_ready || die "the real node did not become Ready"
  node_create_volumes
  log "real node $NODE_NAME ready in $((SECONDS - t0)) s (kubelet on https://$NODE_IP:$KUBELET_PORT)"
}

node_ready() {
  [[ "$(KUBECTL get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

# cgroup v1 hierarchies: the kubelet's cgroupRoot must exist in each; cpuset needs its CPUs and
# memory nodes copied from the parent before anything can join it
node_cgroups_create() {
  local d
  for d in /sys/fs/cgroup/*/; do
    [[ -f "$d/cgroup.procs" ]] || continue
    mkdir -p "$d$NODE_CGROUP"
    if [[ -f "$d/cpuset.cpus" ]]; then
      cat "$d/cpuset.cpus" >"$d$NODE_CGROUP/cpuset.cpus"
      cat "$d/cpuset.mems" >"$d$NODE_CGROUP/cpuset.mems"
    fi
  done
}

node_write_containerd_config() {
  cat >"$NODE_DIR/containerd/config.toml" <<EOF
version = 2
root = "$CONTAINERD_ROOT"
state = "$NODE_DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$CONTAINERD_ADDRESS"
[ttrpc]
  address = "$CONTAINERD_ADDRESS.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE_DIR/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$(node_image pause)"
  # this machine cannot lower oom_score_adj: without it every sandbox fails to start
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$NODE_DIR/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE_DIR/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    # images come only from this machine: the registries image names usually point at are
    # this closed loopback port, so a pull fails at once and nothing leaves the machine
    config_path = "$NODE_DIR/containerd/certs.d"
EOF
  local r
  for r in docker.io registry.k8s.io ghcr.io quay.io gcr.io localhost; do
    mkdir -p "$NODE_DIR/containerd/certs.d/$r"
    printf 'server = "http://127.0.0.1:9"\n[host."http://127.0.0.1:9"]\n  capabilities = ["pull", "resolve"]\n' \
      >"$NODE_DIR/containerd/certs.d/$r/hosts.toml"
  done
}

# The Pods' network: a bridge on this machine, no default route and no masquerading, so a Pod
# reaches only this node's own address (the API server) and its fellow Pods.
node_write_cni_config() {
  cat >"$NODE_DIR/cni/net.d/10-distill-e2e.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "distill-e2e",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$NODE_BRIDGE",
      "isGateway": false,
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$NODE_SUBNET_PREFIX.0/24", "rangeStart": "$NODE_SUBNET_PREFIX.10", "rangeEnd": "$NODE_SUBNET_PREFIX.250"}]],
        "dataDir": "$NODE_DIR/cni/ipam"
      }
    }
  ]
}
EOF
}

node_write_kubelet_config() {
  KUBELET_PORT=$(free_port)
  KUBELET_HEALTHZ_PORT=$(free_port)
  write_kubeconfig "$CLUSTER_DIR/kubelet.kubeconfig" "system:node:$NODE_NAME" "$PKI/kubelet.crt" "$PKI/kubelet.key"
  cat >"$NODE_DIR/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$CONTAINERD_ADDRESS
# cgroup v1 machine, no systemd: kubelet manages cgroupfs paths under its own root
cgroupDriver: cgroupfs
cgroupRoot: /$NODE_CGROUP
failCgroupV1: false
failSwapOn: false
makeIPTablesUtilChains: false
podLogsDir: $NODE_DIR/pod-logs
volumePluginDir: $NODE_DIR/volume-plugins
registerWithTaints:
- {key: $NODE_LABEL, value: "true", effect: NoSchedule}
maxPods: 40
# the images were imported, not pulled: never garbage-collect them, never evict for disk
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, nodefs.inodesFree: 1%, imagefs.available: 1%}
serializeImagePulls: false
EOF
}

# Local volumes on this node, for the chains that run here (StorageClass $NODE_STORAGE_CLASS).
# Unlike hostPath, a local volume gets the Pod's fsGroup.
node_create_volumes() {
  local i f="$NODE_DIR/volumes.yaml"
  {
    storage_class_yaml "$NODE_STORAGE_CLASS" WaitForFirstConsumer false
    for ((i = 1; i <= NODE_PVS; i++)); do
      mkdir -p "$NODE_DIR/pv/pv-$i"
      pv_yaml "distill-e2e-local-$i" "$NODE_STORAGE_CLASS" "[ReadWriteOnce]" "local: {path: \"$NODE_DIR/pv/pv-$i\"}" \
"  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [\"$NODE_NAME\"]}"
    done
  } >"$f"
  KUBECTL apply -f "$f" >>"$CLUSTER_DIR/logs/objects.log" 2>&1 ||
    { tail -20 "$CLUSTER_DIR/logs/objects.log" >&2; die "creating the real node's volumes failed"; }
  log "StorageClass $NODE_STORAGE_CLASS with $NODE_PVS local PersistentVolumes of 10Gi on $NODE_NAME"
}

node_image() { "$HERE/images.sh" names "$IMAGE_TAG" | grep "/$1:"; }

node_env() {
  cat <<EOF
DISTILL_E2E_NODE_NAME=$NODE_NAME
DISTILL_E2E_NODE_IP=$NODE_IP
DISTILL_E2E_NODE_LABEL=$NODE_LABEL
DISTILL_E2E_NODE_STORAGE_CLASS=$NODE_STORAGE_CLASS
DISTILL_E2E_CONTAINERD_ADDRESS=$CONTAINERD_ADDRESS
DISTILL_E2E_TRAINER_IMAGE=$(node_image distillation-trainer)
DISTILL_E2E_OPERATOR_IMAGE=$(node_image distillation-operator)
EOF
}

# ------------------------------------------------------------------ stop
# Before the processes stop: no new Pods on the node, and its Pods deleted, so that the kubelet
# tears their sandboxes down (network, mounts) the normal way. Best effort: the cleanup after
# the processes are gone catches whatever is left.
node_drain() {
  [[ -f "$NODE_DIR/kubelet-config.yaml" ]] || return 0
  pid_of kube-apiserver >/dev/null && pid_of kubelet >/dev/null && pid_of containerd >/dev/null || return 0
  BIN="$("$HERE/build-binaries.sh" --print-dir)"
  KUBECTL cordon "$NODE_NAME" >/dev/null 2>&1 || return 0
  KUBECTL delete pods --all-namespaces --field-selector "spec.nodeName=$NODE_NAME" --grace-period=1 --wait=false >/dev/null 2>&1 || true
  local i gone=0 pid
  for ((i = 0; i < 150; i++)); do
    [[ -z "$(ctr --address "$CONTAINERD_ADDRESS" -n k8s.io tasks ls -q 2>/dev/null)" ]] && { gone=1; break; }
    sleep 0.2
  done
  ((gone)) || { log "the real node's Pods did not all stop in 30 s; killing what is left"; return 0; }
  # the kubelet first, so that it starts nothing more, then its Pods' stopped containers and
  # sandboxes, which containerd's store (kept in the cache) would otherwise carry to the next run
  if pid="$(pid_of kubelet)"; then
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do pid_of kubelet >/dev/null || break; sleep 0.1; done
  fi
  local ids
  ids="$(ctr --address "$CONTAINERD_ADDRESS" -n k8s.io containers ls -q 2>/dev/null)"
  [[ -z "$ids" ]] || ctr --address "$CONTAINERD_ADDRESS" -n k8s.io containers rm $ids >/dev/null 2>&1 || true
  log "the real node's Pods are gone"
}

# After kubelet and containerd stopped (or died): end every process they left, unmount, and
# remove what they created. Safe to run again, and on what a killed run left.
node_cleanup() {
  [[ -d "$NODE_DIR" ]] || { node_release_claim; return 0; }
  local ok=0
  node_kill_leftovers
  node_unmount_all || ok=1
  node_remove_cgroups || ok=1
  if [[ -f "$NODE_DIR/bridge-created" ]] && ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link delete "$NODE_BRIDGE" && rm -f "$NODE_DIR/bridge-created" || ok=1
  fi
  node_remove_host_paths || ok=1
  ((ok == 0)) && node_release_claim
  return $ok
}

node_release_claim() {
  [[ -f "$NODE_CLAIM" && "$(cat "$NODE_CLAIM")" == "$CLUSTER_DIR" ]] && rm -f "$NODE_CLAIM"
  return 0
}

# containerd shims of this node (they outlive containerd) and every process in its cgroups
node_kill_leftovers() {
  local pid round pids
  for ((round = 0; round < 50; round++)); do
    pids=()
    for pid in $(pgrep -x containerd-shim-runc-v2 2>/dev/null); do
      tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$CONTAINERD_ADDRESS" && pids+=("$pid")
    done
    local procs
    for procs in /sys/fs/cgroup/*/"$NODE_CGROUP"; do
      [[ -d "$procs" ]] || continue
      while read -r pid; do [[ -n "$pid" ]] && pids+=("$pid"); done < <(find "$procs" -name cgroup.procs -exec cat {} + 2>/dev/null)
    done
    ((${#pids[@]} == 0)) && return 0
    ((round == 0)) && log "killing ${#pids[@]} processes the real node left (shims, containers)"
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.2
  done
  log "processes of the real node are still alive: ${pids[*]}"
}

# every mount point under the node's folder and the host paths it used, deepest first
node_mounts() {
  local roots=("$NODE_DIR" "${NODE_HOST_PATHS[@]}")
  awk '{print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' | while read -r m; do
    local r
    for r in "${roots[@]}"; do
      [[ "$m" == "$r" || "$m" == "$r"/* ]] && { echo "$m"; break; }
    done
  done | sort -r | uniq
}

node_unmount_all() {
  local m left
  for m in $(node_mounts); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"
  done
  left="$(node_mounts)"
  [[ -z "$left" ]] || { log "still mounted: $left"; return 1; }
}

node_remove_cgroups() {
  local root d ok=0
  for root in /sys/fs/cgroup/*/"$NODE_CGROUP"; do
    [[ -d "$root" ]] || continue
    # children before parents
    while read -r d; do rmdir "$d" 2>/dev/null || { log "cannot remove cgroup $d"; ok=1; }; done < <(find "$root" -depth -type d)
  done
  return $ok
}

# The fixed host paths: those that did not exist before the node started are removed (nothing
# is mounted there any more); in those that did, only the node's own entries.
node_remove_host_paths() {
  local p ok=0
  for p in "${NODE_HOST_PATHS[@]}"; do
    [[ -e "$p" ]] || continue
    if ! grep -qxF "$p" "$NODE_DIR/host-paths-before" 2>/dev/null; then
      rm -rf "$p" || ok=1
    elif [[ "$p" == /var/log/containers ]]; then
      find "$p" -maxdepth 1 -type l -lname "$NODE_DIR/*" -delete || ok=1
    elif [[ "$p" == /var/lib/cni ]]; then
      rm -f "$p"/results/distill-e2e-* || ok=1
    fi
  done
  return $ok
}

node_status() {
  [[ -f "$NODE_DIR/kubelet-config.yaml" ]] || return 0
  local n pid ok=0
  for n in containerd kubelet; do
    if pid="$(pid_of "$n")"; then echo "$n: running (pid $pid)"; else echo "$n: NOT running"; ok=1; fi
  done
  return $ok
}
