#!/usr/bin/env bash
# A throw-away Kubernetes control plane on loopback for the e2e tests, no containers:
# etcd, kube-apiserver (TLS, Node+RBAC authorization), kube-controller-manager,
# kube-scheduler, and kwok simulating 3 nodes with fake nvidia.com/gpu capacity.
#
#   cluster.sh start     stop a stale cluster in CLUSTER_DIR, start a new one, wait until usable
#   cluster.sh stop      stop every process started (by its recorded PID) and remove CLUSTER_DIR
#   cluster.sh status    print what runs and whether the API server is healthy (exit 1 if not)
#   cluster.sh env       print the env file (KUBECONFIG=..., ports) of the running cluster
#   cluster.sh sa-kubeconfig NAMESPACE SERVICEACCOUNT [OUT]
#                        write a kubeconfig that authenticates as that ServiceAccount (token,
#                        1 h), for least-privilege RBAC tests; prints its path
#
# Env: CLUSTER_DIR (default ${TMPDIR:-/tmp}/distill-e2e), DISTILL_E2E_CACHE (binaries),
#      CLUSTER_START_TIMEOUT (seconds, default 120), CLUSTER_STATIC_PVS (default 40).
# Files: $CLUSTER_DIR/kubeconfig (admin, system:masters), $CLUSTER_DIR/env,
#        $CLUSTER_DIR/pids/<name>.pid, $CLUSTER_DIR/logs/<name>.log
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/distill-e2e}"
CLUSTER_DIR="${CLUSTER_DIR%/}"
MARKER="$CLUSTER_DIR/.distill-e2e-cluster"
START_TIMEOUT="${CLUSTER_START_TIMEOUT:-120}"
STATIC_PVS="${CLUSTER_STATIC_PVS:-40}"
STOP_ORDER=(pv-reclaimer kwok kube-scheduler kube-controller-manager kube-apiserver etcd)

log() { echo "[cluster] $(date +%H:%M:%S) $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------ helpers
pid_of() { # pid_of NAME -> PID recorded for NAME if that process still runs NAME's binary
  local f="$CLUSTER_DIR/pids/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  # guard against a recycled PID: the command line must still name the component
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(expected_cmd "$1")" || return 1
  echo "$pid"
}

expected_cmd() {
  case "$1" in
    pv-reclaimer) echo "cluster.sh _pv-reclaimer" ;;
    *) echo "$1" ;;
  esac
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
  rm -f "$CLUSTER_DIR"/pids/*.pid
}

do_stop() {
  [[ -d "$CLUSTER_DIR" ]] || { log "nothing to stop in $CLUSTER_DIR"; return 0; }
  stop_all
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

launch() { # launch NAME CMD...: start in its own session, log to logs/NAME.log, record PID
  local name=$1; shift
  setsid "$@" >"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$CLUSTER_DIR/pids/$name.pid"
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
    server: https://127.0.0.1:$API_PORT
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

gen_pki() {
  # EC P-256 keys (generated in milliseconds) except the admin client key, which is RSA so
  # that any client library can load the kubeconfig.
  PKI="$CLUSTER_DIR/pki"
  mkdir -p "$PKI"
  local o="$PKI"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
  openssl req -x509 "${ec[@]}" -nodes -keyout "$o/ca.key" -out "$o/ca.crt" -days 3650 \
    -subj "/CN=distill-e2e-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  cert() { # cert NAME SUBJECT EXTFILE-CONTENT [KEY-ARGS...]
    local name=$1 subj=$2 ext=$3; shift 3
    openssl req -new "$@" -nodes -keyout "$o/$name.key" -out "$o/$name.csr" -subj "$subj" 2>/dev/null
    printf '%s\n' "$ext" >"$o/$name.ext"
    openssl x509 -req -in "$o/$name.csr" -CA "$o/ca.crt" -CAkey "$o/ca.key" -CAcreateserial \
      -out "$o/$name.crt" -days 3650 -extfile "$o/$name.ext" 2>/dev/null
  }
  local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  cert apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" "${ec[@]}"
  cert admin "/O=system:masters/CN=distill-e2e-admin" "$client" -newkey rsa:2048
  cert controller-manager "/CN=system:kube-controller-manager" "$client" "${ec[@]}"
  cert scheduler "/CN=system:kube-scheduler" "$client" "${ec[@]}"
  cert kwok "/O=system:masters/CN=kwok" "$client" "${ec[@]}"
  # ServiceAccount token signing key (ES256)
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$o/sa.key"
  openssl pkey -in "$o/sa.key" -pubout -out "$o/sa.pub" 2>/dev/null
  chmod 600 "$o"/*.key
}

KUBECTL() { "$BIN/kubectl" --kubeconfig "$CLUSTER_DIR/kubeconfig" "$@"; }

# ------------------------------------------------------------------ start
do_start() {
  local t_start=$SECONDS
  command -v openssl >/dev/null || die "openssl is needed (apt-get install openssl)"
  command -v ss >/dev/null || die "ss is needed (apt-get install iproute2)"
  BIN="$("$HERE/build-binaries.sh")" || die "building the binaries failed"

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

  launch kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --endpoint-reconciler-type=none \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --anonymous-auth=false \
    --disable-admission-plugins=TaintNodesByCondition \
    --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true \
    --profiling=false --v=1
  wait_for "kube-apiserver /readyz" "$START_TIMEOUT" KUBECTL get --raw=/readyz || die "kube-apiserver did not become ready"
  log "kube-apiserver ready on https://127.0.0.1:$API_PORT"

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

  wait_for "3 Ready nodes" "$START_TIMEOUT" nodes_ready || die "nodes did not become Ready"
  wait_for "ServiceAccount default/default" "$START_TIMEOUT" KUBECTL -n default get serviceaccount default ||
    die "the default ServiceAccount was not created"
  wait_for "kube-controller-manager /healthz" 30 curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz" || true
  wait_for "kube-scheduler /healthz" 30 curl -fsSk "https://127.0.0.1:$SCHED_PORT/healthz" || true
  check_alive

  cat >"$CLUSTER_DIR/env" <<EOF
KUBECONFIG=$CLUSTER_DIR/kubeconfig
DISTILL_E2E_KUBECONFIG=$CLUSTER_DIR/kubeconfig
DISTILL_E2E_API_SERVER=https://127.0.0.1:$API_PORT
DISTILL_E2E_API_PORT=$API_PORT
DISTILL_E2E_ETCD_PORT=$ETCD_PORT
DISTILL_E2E_CA_FILE=$PKI/ca.crt
DISTILL_E2E_BIN_DIR=$BIN
DISTILL_E2E_GPU_RESOURCE=nvidia.com/gpu
DISTILL_E2E_TOTAL_GPUS=3
DISTILL_E2E_STORAGE_CLASS=standard
EOF
  trap - EXIT INT TERM
  log "cluster ready in $((SECONDS - t_start)) s; admin kubeconfig: $CLUSTER_DIR/kubeconfig"
  echo "$CLUSTER_DIR/kubeconfig"
}

nodes_ready() {
  local n
  n=$(KUBECTL get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^True$')
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
    cat <<EOF
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
reclaimPolicy: Retain
EOF
    for ((i = 1; i <= STATIC_PVS; i++)); do
      mkdir -p "$CLUSTER_DIR/pv/pv-$i"
      cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: distill-e2e-pv-$i
  labels: {distill-e2e/static-pv: "true"}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany, ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  volumeMode: Filesystem
  hostPath: {path: "$CLUSTER_DIR/pv/pv-$i", type: DirectoryOrCreate}
EOF
    done
  } >"$f"
  KUBECTL apply -f "$f" >"$CLUSTER_DIR/logs/objects.log" 2>&1 ||
    { cat "$CLUSTER_DIR/logs/objects.log" >&2; die "creating nodes, storage class and volumes failed"; }
  log "created 3 nodes (GPUs 1+2+0), StorageClass standard (default), $STATIC_PVS PersistentVolumes of 10Gi"
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
      case "$path" in "$CLUSTER_DIR"/pv/*) find "$path" -mindepth 1 -delete 2>/dev/null || true ;; esac
      KUBECTL patch pv "$name" --type=json -p='[{"op":"remove","path":"/spec/claimRef"}]' >/dev/null 2>&1 &&
        echo "$(date +%H:%M:%S) recycled $name"
    done < <(KUBECTL get pv -l distill-e2e/static-pv=true \
      -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name} {.spec.hostPath.path}{"\n"}{end}' 2>/dev/null)
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

case "${1:-}" in
  start) do_start ;;
  stop) t=$SECONDS; do_stop; log "stopped in $((SECONDS - t)) s" ;;
  status) do_status ;;
  env) cat "$CLUSTER_DIR/env" ;;
  sa-kubeconfig) shift; do_sa_kubeconfig "$@" ;;
  _pv-reclaimer) shift; pv_reclaimer "$@" ;;
  *) echo "usage: $0 start|stop|status|env|sa-kubeconfig NAMESPACE SA [OUT]" >&2; exit 2 ;;
esac
