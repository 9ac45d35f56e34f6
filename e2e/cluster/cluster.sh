#!/usr/bin/env bash
# A throw-away Kubernetes cluster on this machine for the e2e tests: etcd, kube-apiserver (TLS,
# Node+RBAC authorization), kube-controller-manager, kube-scheduler, kwok simulating 3 nodes
# with fake nvidia.com/gpu capacity, and optionally one real node (containerd, runc, kubelet;
# node.sh) that runs the images built by images.sh.
#
#   cluster.sh start [--real-node]
#                        stop a stale cluster in CLUSTER_DIR, start a new one, wait until usable;
#                        --real-node (or CLUSTER_REAL_NODE=1, needs root) adds the real node
#   cluster.sh stop      stop every process started (by its recorded PID), undo what the real
#                        node did to the machine, and remove CLUSTER_DIR
#   cluster.sh status    print what runs and whether the API server is healthy (exit 1 if not)
#   cluster.sh env       print the env file (KUBECONFIG=..., ports) of the running cluster
#   cluster.sh sa-kubeconfig NAMESPACE SERVICEACCOUNT [OUT]
#                        write a kubeconfig that authenticates as that ServiceAccount (token,
#                        1 h), for least-privilege RBAC tests; prints its path
#
# Env: CLUSTER_DIR (default ${TMPDIR:-/tmp}/distill-e2e), DISTILL_CACHE (binaries, images),
#      CLUSTER_START_TIMEOUT (seconds, default 120), CLUSTER_STATIC_PVS (default 40),
#      CLUSTER_REAL_NODE, CLUSTER_IMAGE_TAG (images the real node gets; default the chart's
#      appVersion), CLUSTER_NODE_SUBNET_PREFIX (default 10.241.0), CLUSTER_NODE_PVS (default 24).
# Files: $CLUSTER_DIR/kubeconfig (admin, system:masters), $CLUSTER_DIR/env,
#        $CLUSTER_DIR/pids/<name>.pid, $CLUSTER_DIR/logs/<name>.log
set -euo pipefail
LOG_PREFIX=cluster
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/../../scripts/lib/common.sh"
CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/distill-e2e}"
CLUSTER_DIR="${CLUSTER_DIR%/}"
MARKER="$CLUSTER_DIR/.distill-e2e-cluster"
START_TIMEOUT="${CLUSTER_START_TIMEOUT:-120}"
STATIC_PVS="${CLUSTER_STATIC_PVS:-40}"
STOP_ORDER=(pv-reclaimer kwok kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd)
IMAGE_TAG="${CLUSTER_IMAGE_TAG:-$("$HERE/images.sh" names | sed -n 's#.*/distillation-trainer:##p')}"
# shellcheck source=node.sh
. "$HERE/node.sh"

# ------------------------------------------------------------------ helpers
pid_of() { # pid_of NAME -> PID recorded for NAME if that process still runs NAME's command
  local f="$CLUSTER_DIR/pids/$1.pid" argv="$CLUSTER_DIR/pids/$1.argv" pid
  [[ -f "$f" && -f "$argv" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  # guard against a recycled PID: the process's first arguments must be exactly the ones it was
  # started with (recorded NUL-separated, terminator included, so "etcd" never matches the
  # "--etcd-servers" of kube-apiserver, nor /usr/bin/bash another bash script)
  # (through a pipe: cmp -s takes /proc's size of 0 for a difference)
  head -c "$(stat -c %s "$argv")" "/proc/$pid/cmdline" 2>/dev/null | cmp -s - "$argv" || return 1
  echo "$pid"
}

stop_all() { # TERM every recorded process (in STOP_ORDER), wait up to 10 s, then KILL
  local n pid i alive
  local -A pids=()
  for n in "${STOP_ORDER[@]}"; do
    if pid="$(pid_of "$n")"; then
      log "stopping $n (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      pids[$n]=$pid
    fi
  done
  for ((i = 0; i < 100; i++)); do
    alive=0
    for n in "${!pids[@]}"; do pid_of "$n" >/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for n in "${!pids[@]}"; do
    if pid="$(pid_of "$n")"; then
      log "$n (pid $pid) did not stop after 10 s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < 50; i++)); do
    alive=0
    for n in "${!pids[@]}"; do pid_of "$n" >/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  rm -f "$CLUSTER_DIR"/pids/*.pid "$CLUSTER_DIR"/pids/*.argv
}

do_stop() {
  [[ -d "$CLUSTER_DIR" ]] || { log "nothing to stop in $CLUSTER_DIR"; return 0; }
  node_drain
  stop_all
  if [[ -d "$NODE_DIR" ]]; then
    node_cleanup || die "the real node could not be cleaned up completely (see above); $CLUSTER_DIR is kept"
  fi
  if [[ -f "$MARKER" ]]; then
    rm -rf "$CLUSTER_DIR"
    log "removed $CLUSTER_DIR"
  elif [[ -n "$(ls -A "$CLUSTER_DIR" 2>/dev/null)" ]]; then
    log "not removing $CLUSTER_DIR: it has no $MARKER, so this script did not create it"
  fi
}

free_port() { # a TCP port nobody listens on, below the ephemeral range, not handed out before
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ " ${USED_PORTS:-} " == *" $p "* ]] && continue
    if [[ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]]; then
      USED_PORTS="${USED_PORTS:-} $p"
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

launch() { # launch NAME CMD...: start in its own session, log to logs/NAME.log, record PID and command
  local name=$1; shift
  setsid "$@" >"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  local pid=$!
  # the program and up to two arguments identify the process for pid_of
  printf '%s\0' "${@:1:3}" >"$CLUSTER_DIR/pids/$name.argv"
  echo "$pid" >"$CLUSTER_DIR/pids/$name.pid"
  # setsid execs the command: until then the PID runs setsid's command line, not NAME's
  local i
  for ((i = 0; i < 100; i++)); do
    pid_of "$name" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  log "started $name (pid $pid), log $CLUSTER_DIR/logs/$name.log"
}

wait_for() { # wait_for WHAT SECONDS CMD...: retry CMD until it succeeds
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${secs}s waiting for $what"
      return 1
    fi
    check_alive
    sleep 0.3
  done
}

check_alive() { # fail fast when a started component died
  local f n
  for f in "$CLUSTER_DIR"/pids/*.pid; do
    [[ -e "$f" ]] || continue
    n="$(basename "$f" .pid)"
    if ! pid_of "$n" >/dev/null; then
      log "$n exited; last lines of its log:"
      tail -n 30 "$CLUSTER_DIR/logs/$n.log" >&2 || true
      die "$n is not running"
    fi
  done
}

b64() { base64 -w0 <"$1"; }

write_kubeconfig() { # write_kubeconfig FILE USER CERT KEY
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: distill-e2e
  cluster:
    server: https://$API_HOST:$API_PORT
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(b64 "$3")
    client-key-data: $(b64 "$4")
contexts:
- name: distill-e2e
  context: {cluster: distill-e2e, user: $2, namespace: default}
current-context: distill-e2e
EOF
  chmod 600 "$1"
}

EC=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
CLIENT_EXT="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

cert() { # cert NAME SUBJECT EXTFILE-CONTENT [KEY-ARGS...]: a key and a certificate signed by the CA
  local name=$1 subj=$2 ext=$3; shift 3
  openssl req -new "$@" -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "$subj" 2>/dev/null
  printf '%s\n' "$ext" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -out "$PKI/$name.crt" -days 3650 -extfile "$PKI/$name.ext" 2>/dev/null
}

gen_pki() {
  # EC P-256 keys (generated in milliseconds) except the admin client key, which is RSA so
  # that any client library can load the kubeconfig.
  PKI="$CLUSTER_DIR/pki"
  mkdir -p "$PKI"
  openssl req -x509 "${EC[@]}" -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 3650 \
    -subj "/CN=distill-e2e-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  local node_san=""
  ((REAL_NODE)) && node_san=",IP:$NODE_IP"
  cert apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1$node_san,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" "${EC[@]}"
  cert admin "/O=system:masters/CN=distill-e2e-admin" "$CLIENT_EXT" -newkey rsa:2048
  cert controller-manager "/CN=system:kube-controller-manager" "$CLIENT_EXT" "${EC[@]}"
  cert scheduler "/CN=system:kube-scheduler" "$CLIENT_EXT" "${EC[@]}"
  cert kwok "/O=system:masters/CN=kwok" "$CLIENT_EXT" "${EC[@]}"
  ((REAL_NODE)) && node_pki
  # ServiceAccount token signing key (ES256)
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$PKI/sa.key"
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  chmod 600 "$PKI"/*.key
}

KUBECTL() { "$BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" "$@"; }

# ------------------------------------------------------------------ start
do_start() {
  local t_start=$SECONDS
  command -v openssl >/dev/null || die "openssl is needed (apt-get install openssl)"
  command -v ss >/dev/null || die "ss is needed (apt-get install iproute2)"
  if ((REAL_NODE)); then
    BIN="$("$HERE/build-binaries.sh" --node | tail -1)" || die "building the binaries failed"
  else
    BIN="$("$HERE/build-binaries.sh" | tail -1)" || die "building the binaries failed"
  fi

  if [[ -d "$CLUSTER_DIR" ]]; then
    log "stopping a previous cluster in $CLUSTER_DIR"
    do_stop
  fi
  [[ -e "$CLUSTER_DIR" && -n "$(ls -A "$CLUSTER_DIR")" ]] && die "$CLUSTER_DIR exists and is not ours"
  mkdir -p "$CLUSTER_DIR"/{pids,logs,etcd,pv}
  touch "$MARKER"
  # from here on, a failure stops whatever was started
  trap 'rc=$?; if ((rc != 0)); then log "start failed (exit $rc), stopping what was started"; do_stop; fi' EXIT
  trap 'exit 130' INT TERM

  # The API server listens on loopback, or with a real node on the node's bridge address only,
  # where its Pods (the operator) reach it.
  API_HOST=127.0.0.1
  if ((REAL_NODE)); then
    node_prepare
    API_HOST=$NODE_IP
  fi
  gen_pki
  ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port)
  KCM_PORT=$(free_port); SCHED_PORT=$(free_port)

  write_kubeconfig "$CLUSTER_DIR/kubeconfig" distill-e2e-admin "$PKI/admin.crt" "$PKI/admin.key"
  write_kubeconfig "$CLUSTER_DIR/controller-manager.kubeconfig" system:kube-controller-manager \
    "$PKI/controller-manager.crt" "$PKI/controller-manager.key"
  write_kubeconfig "$CLUSTER_DIR/scheduler.kubeconfig" system:kube-scheduler \
    "$PKI/scheduler.crt" "$PKI/scheduler.key"
  write_kubeconfig "$CLUSTER_DIR/kwok.kubeconfig" kwok "$PKI/kwok.crt" "$PKI/kwok.key"

  launch etcd "$BIN/etcd" --name=distill-e2e --data-dir="$CLUSTER_DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="distill-e2e=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state=new \
    --unsafe-no-fsync=true --quota-backend-bytes=2147483648 --log-level=warn
  wait_for "etcd" 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health" || die "etcd did not become healthy"

  local kubelet_flags=()
  # towards the real kubelet (logs, exec): a client certificate, its serving CA, its node IP
  ((REAL_NODE)) && kubelet_flags=(--kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt"
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key" --kubelet-certificate-authority="$PKI/ca.crt"
    --kubelet-preferred-address-types=InternalIP)
  launch kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address="$API_HOST" --advertise-address="$API_HOST" --secure-port="$API_PORT" \
    --endpoint-reconciler-type=none \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --anonymous-auth=false \
    --disable-admission-plugins=TaintNodesByCondition \
    --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true \
    --profiling=false --v=1 "${kubelet_flags[@]}"
  wait_for "kube-apiserver /readyz" "$START_TIMEOUT" KUBECTL get --raw=/readyz || die "kube-apiserver did not become ready"
  log "kube-apiserver ready on https://$API_HOST:$API_PORT"

  launch kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$CLUSTER_DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$CLUSTER_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$CLUSTER_DIR/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --controllers='*,-node-lifecycle-controller,-node-ipam-controller,-persistentvolume-attach-detach-controller' \
    --profiling=false --v=1
  launch kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$CLUSTER_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig="$CLUSTER_DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig="$CLUSTER_DIR/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --leader-elect=false \
    --profiling=false --v=1
  launch kwok "$BIN/kwok" --kubeconfig="$CLUSTER_DIR/kwok.kubeconfig" \
    --config="$HERE/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake

  create_objects
  launch pv-reclaimer bash "$HERE/cluster.sh" _pv-reclaimer "$CLUSTER_DIR" "$BIN"

  wait_for "3 Ready kwok nodes" "$START_TIMEOUT" nodes_ready || die "nodes did not become Ready"
  wait_for "ServiceAccount default/default" "$START_TIMEOUT" KUBECTL -n default get serviceaccount default ||
    die "the default ServiceAccount was not created"
  wait_for "kube-controller-manager /healthz" 60 curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz" ||
    die "kube-controller-manager did not answer /healthz"
  wait_for "kube-scheduler /healthz" 60 curl -fsSk "https://127.0.0.1:$SCHED_PORT/healthz" ||
    die "kube-scheduler did not answer /healthz"
  ((REAL_NODE)) && node_start
  check_alive

  cat >"$CLUSTER_DIR/env" <<EOF
KUBECONFIG=$CLUSTER_DIR/kubeconfig
DISTILL_E2E_KUBECONFIG=$CLUSTER_DIR/kubeconfig
DISTILL_E2E_API_SERVER=https://$API_HOST:$API_PORT
DISTILL_E2E_API_HOST=$API_HOST
DISTILL_E2E_API_PORT=$API_PORT
DISTILL_E2E_ETCD_PORT=$ETCD_PORT
DISTILL_E2E_CA_FILE=$PKI/ca.crt
DISTILL_E2E_BIN_DIR=$BIN
DISTILL_E2E_GPU_RESOURCE=nvidia.com/gpu
DISTILL_E2E_TOTAL_GPUS=3
DISTILL_E2E_STORAGE_CLASS=standard
DISTILL_E2E_REAL_NODE=$( ((REAL_NODE)) && echo true || echo false)
EOF
  ((REAL_NODE)) && node_env >>"$CLUSTER_DIR/env"
  trap - EXIT INT TERM
  log "cluster ready in $((SECONDS - t_start)) s; admin kubeconfig: $CLUSTER_DIR/kubeconfig"
  echo "$CLUSTER_DIR/kubeconfig"
}

nodes_ready() {
  local n
  n=$(KUBECTL get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')
  ((n == 3))
}

node_yaml() { # node_yaml NAME GPUS
  local gpu_label=""
  (($2 > 0)) && gpu_label='nvidia.com/gpu.present: "true"'
  cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: $1
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    distill-e2e/gpus: "$2"
    ${gpu_label}
spec: {}
status:
  capacity: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti, nvidia.com/gpu: "$2"}
  allocatable: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti, nvidia.com/gpu: "$2"}
EOF
}

create_objects() {
  local i f="$CLUSTER_DIR/objects.yaml"
  {
    node_yaml kwok-gpu-1 1
    node_yaml kwok-gpu-2 2
    node_yaml kwok-cpu 0
    storage_class_yaml standard Immediate true
    for ((i = 1; i <= STATIC_PVS; i++)); do
      mkdir -p "$CLUSTER_DIR/pv/pv-$i"
      pv_yaml "distill-e2e-pv-$i" standard "[ReadWriteOnce, ReadOnlyMany, ReadWriteMany]" \
        "hostPath: {path: \"$CLUSTER_DIR/pv/pv-$i\", type: DirectoryOrCreate}"
    done
  } >"$f"
  KUBECTL apply -f "$f" >"$CLUSTER_DIR/logs/objects.log" 2>&1 ||
    { cat "$CLUSTER_DIR/logs/objects.log" >&2; die "creating nodes, storage class and volumes failed"; }
  log "created 3 nodes (GPUs 1+2+0), StorageClass standard (default), $STATIC_PVS PersistentVolumes of 10Gi"
}

storage_class_yaml() { # storage_class_yaml NAME BINDING-MODE DEFAULT: a class of static volumes
  cat <<EOF
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $1
  annotations:
    storageclass.kubernetes.io/is-default-class: "$3"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: $2
reclaimPolicy: Retain
EOF
}

pv_yaml() { # pv_yaml NAME CLASS ACCESS-MODES SOURCE [EXTRA-SPEC]: a static 10Gi volume the pv-reclaimer recycles
  cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $1
  labels: {distill-e2e/static-pv: "true"}
spec:
  capacity: {storage: 10Gi}
  accessModes: $3
  persistentVolumeReclaimPolicy: Retain
  storageClassName: $2
  volumeMode: Filesystem
  $4
${5:-}
EOF
}

# Released static PVs (their PVC was deleted; policy Retain) are wiped and made Available
# again, so the pool of PVs does not run dry over a long test run.
pv_reclaimer() {
  CLUSTER_DIR=$1 BIN=$2
  trap 'exit 0' TERM INT
  local line name path
  while true; do
    while read -r line; do
      [[ -n "$line" ]] || continue
      name=${line%% *} path=${line#* }
      case "$path" in "$CLUSTER_DIR"/pv/* | "$CLUSTER_DIR"/node/pv/*) find "$path" -mindepth 1 -delete 2>/dev/null || true ;; esac
      KUBECTL patch pv "$name" --type=json -p='[{"op":"remove","path":"/spec/claimRef"}]' >/dev/null 2>&1 &&
        echo "$(date +%H:%M:%S) recycled $name"
    done < <(KUBECTL get pv -l distill-e2e/static-pv=true \
      -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name} {.spec.hostPath.path}{.spec.local.path}{"\n"}{end}' 2>/dev/null)
    sleep 3 &
    wait $! || true
  done
}

do_status() {
  [[ -f "$MARKER" ]] || { echo "no cluster in $CLUSTER_DIR"; return 1; }
  local n pid ok=0
  for n in etcd kube-apiserver kube-controller-manager kube-scheduler kwok pv-reclaimer; do
    if pid="$(pid_of "$n")"; then echo "$n: running (pid $pid)"; else echo "$n: NOT running"; ok=1; fi
  done
  node_status || ok=1
  BIN="$("$HERE/build-binaries.sh" --print-dir)"
  if KUBECTL get --raw=/readyz >/dev/null 2>&1; then
    echo "kube-apiserver: ready"
    KUBECTL get nodes -o custom-columns='NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,GPU:.status.allocatable.nvidia\.com/gpu'
  else
    echo "kube-apiserver: NOT ready"; ok=1
  fi
  echo "kubeconfig: $CLUSTER_DIR/kubeconfig"
  return $ok
}

do_sa_kubeconfig() {
  local ns=${1:?namespace} sa=${2:?serviceaccount} out=${3:-$CLUSTER_DIR/sa-$1-$2.kubeconfig} token server
  [[ -f "$MARKER" ]] || die "no cluster in $CLUSTER_DIR"
  BIN="$("$HERE/build-binaries.sh" --print-dir)"
  token="$(KUBECTL -n "$ns" create token "$sa" --duration=1h)"
  server="$(sed -n 's/^DISTILL_E2E_API_SERVER=//p' "$CLUSTER_DIR/env")"
  cat >"$out" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: distill-e2e
  cluster:
    server: $server
    certificate-authority-data: $(b64 "$CLUSTER_DIR/pki/ca.crt")
users:
- name: $ns-$sa
  user:
    token: $token
contexts:
- name: distill-e2e
  context: {cluster: distill-e2e, user: $ns-$sa, namespace: $ns}
current-context: distill-e2e
EOF
  chmod 600 "$out"
  echo "$out"
}

REAL_NODE=0
[[ "${CLUSTER_REAL_NODE:-0}" =~ ^(1|true|yes)$ ]] && REAL_NODE=1
case "${1:-}" in
  start)
    [[ "${2:-}" == --real-node ]] && REAL_NODE=1
    do_start ;;
  stop) t=$SECONDS; do_stop; log "stopped in $((SECONDS - t)) s" ;;
  status) do_status ;;
  env) cat "$CLUSTER_DIR/env" ;;
  sa-kubeconfig) shift; do_sa_kubeconfig "$@" ;;
  _pv-reclaimer) shift; pv_reclaimer "$@" ;;
  *) echo "usage: $0 start [--real-node]|stop|status|env|sa-kubeconfig NAMESPACE SA [OUT]" >&2; exit 2 ;;
esac
