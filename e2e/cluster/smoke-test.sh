#!/usr/bin/env bash
# Checks that a cluster started by cluster.sh behaves as the e2e tests expect.
# Usage: CLUSTER_DIR=... e2e/cluster/smoke-test.sh   (the cluster must be running)
# Prints one line per check and, last, "N passed, N failed".
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-${TMPDIR:-/tmp}/distill-e2e}"
BIN="$("$HERE/build-binaries.sh" --print-dir)"
export KUBECONFIG="$CLUSTER_DIR/kubeconfig"
k() { "$BIN/kubectl" "$@"; }
NS=smoke-$$
passed=0 failed=0
ok() { echo "ok   - $*"; passed=$((passed + 1)); }
fail() { echo "FAIL - $*"; failed=$((failed + 1)); }
poll() { # poll SECONDS CMD...: until CMD succeeds
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do ((SECONDS >= end)) && return 1; sleep 0.5; done
}
jp() { k -n "$NS" get "$1" -o jsonpath="$2" 2>/dev/null; }
is() { [[ "$(jp "$1" "$2")" == "$3" ]]; }

k create namespace "$NS" >/dev/null
poll 30 k -n "$NS" get serviceaccount default && ok "namespace has its default ServiceAccount" ||
  fail "default ServiceAccount in a new namespace"

pod() { # pod NAME GPUS
  cat <<EOF | k -n "$NS" apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  restartPolicy: Never
  containers:
  - name: trainer
    image: example.invalid/trainer:1
    resources:
      limits: {nvidia.com/gpu: "$2"}
EOF
}

# 1. a GPU pod is scheduled onto a GPU node and kwok makes it Running
pod gpu-one 1
if poll 30 is pod/gpu-one '{.status.phase}' Running; then
  node=$(jp pod/gpu-one '{.spec.nodeName}')
  [[ "$node" == kwok-gpu-* ]] && ok "1-GPU pod Running on $node" || fail "1-GPU pod ran on $node"
else
  fail "1-GPU pod not Running: $(jp pod/gpu-one '{.status}')"
fi

# 2. the test ends the pod as a kubelet would; kwok must leave that status alone
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
k -n "$NS" patch pod gpu-one --subresource=status --type=merge -p "{\"status\":{\"phase\":\"Succeeded\",
  \"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"PodCompleted\"},
                  {\"type\":\"ContainersReady\",\"status\":\"False\",\"reason\":\"PodCompleted\"}],
  \"containerStatuses\":[{\"name\":\"trainer\",\"image\":\"example.invalid/trainer:1\",\"ready\":false,
  \"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\",
  \"message\":\"{\\\"accuracy\\\":0.91}\",\"startedAt\":\"$now\",\"finishedAt\":\"$now\"}}}]}}" >/dev/null &&
  ok "patched pod status to Succeeded via the status subresource" || fail "patching pod status"
sleep 5
if is pod/gpu-one '{.status.phase}' Succeeded &&
  is pod/gpu-one '{.status.containerStatuses[0].state.terminated.message}' '{"accuracy":0.91}'; then
  ok "pod stays Succeeded with its termination message after 5 s"
else
  fail "pod status changed after patch: $(jp pod/gpu-one '{.status.phase} {.status.containerStatuses}')"
fi

# 2b. ending a pod as Failed works the same way; pod logs fail fast (no kubelet)
pod gpu-fail 1
poll 30 is pod/gpu-fail '{.status.phase}' Running || fail "pod gpu-fail not Running"
k -n "$NS" patch pod gpu-fail --subresource=status --type=merge -p "{\"status\":{\"phase\":\"Failed\",
  \"containerStatuses\":[{\"name\":\"trainer\",\"image\":\"example.invalid/trainer:1\",\"ready\":false,
  \"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":3,\"reason\":\"Error\",
  \"message\":\"out of memory\",\"startedAt\":\"$now\",\"finishedAt\":\"$now\"}}}]}}" >/dev/null
sleep 3
is pod/gpu-fail '{.status.phase}/{.status.containerStatuses[0].state.terminated.exitCode}' 'Failed/3' &&
  ok "pod stays Failed with exit code 3" || fail "Failed pod: $(jp pod/gpu-fail '{.status.phase}')"
t0=$SECONDS
if timeout 20 "$BIN/kubectl" -n "$NS" logs gpu-fail >/dev/null 2>&1; then fail "kubectl logs succeeded?"; else
  ok "kubectl logs fails (no kubelet) after $((SECONDS - t0)) s"; fi
k -n "$NS" delete pod gpu-fail --wait=false >/dev/null

# 3. three GPUs fit on no node (1 + 2): Pending with a FailedScheduling condition
pod gpu-three 3
if poll 30 is pod/gpu-three '{.status.conditions[?(@.type=="PodScheduled")].reason}' Unschedulable; then
  ok "3-GPU pod Pending: $(jp pod/gpu-three '{.status.conditions[?(@.type=="PodScheduled")].message}')"
else
  fail "3-GPU pod: $(jp pod/gpu-three '{.status}')"
fi
poll 15 bash -c "'$BIN/kubectl' -n '$NS' get events --field-selector reason=FailedScheduling -o name | grep -q ." &&
  ok "FailedScheduling event recorded" || fail "no FailedScheduling event"

# 4. a PVC of the default class binds to a static PV
cat <<EOF | k -n "$NS" apply -f - >/dev/null
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 2Gi}}
EOF
poll 30 is pvc/data '{.status.phase}' Bound && ok "PVC bound to $(jp pvc/data '{.spec.volumeName}') (class $(jp pvc/data '{.spec.storageClassName}'))" ||
  fail "PVC not bound: $(jp pvc/data '{.status}')"
pv=$(jp pvc/data '{.spec.volumeName}')

# 5. garbage collection: deleting the owner deletes the dependent
k -n "$NS" create configmap owner >/dev/null
uid=$(jp configmap/owner '{.metadata.uid}')
cat <<EOF | k -n "$NS" apply -f - >/dev/null
apiVersion: v1
kind: ConfigMap
metadata:
  name: dependent
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: "$uid"}]
EOF
k -n "$NS" delete configmap owner --wait=false >/dev/null
poll 30 bash -c "! '$BIN/kubectl' -n '$NS' get configmap dependent" && ok "dependent garbage-collected" ||
  fail "dependent still there"

# 6. deleting a Running pod (grace period, as a controller would) removes it
pod gpu-two 2
poll 30 is pod/gpu-two '{.status.phase}' Running || fail "2-GPU pod not Running"
k -n "$NS" delete pod gpu-two --wait=false >/dev/null
poll 30 bash -c "! '$BIN/kubectl' -n '$NS' get pod gpu-two" && ok "deleted Running pod is gone" ||
  fail "deleted pod still there: $(jp pod/gpu-two '{.metadata.deletionTimestamp}')"
k -n "$NS" delete pod gpu-one --wait=false >/dev/null
poll 30 bash -c "! '$BIN/kubectl' -n '$NS' get pod gpu-one" && ok "deleted Succeeded pod is gone" ||
  fail "deleted Succeeded pod still there"

# 7. RBAC is enforced for ServiceAccount tokens
k -n "$NS" create serviceaccount limited >/dev/null
k -n "$NS" create role pod-reader --verb=get,list --resource=pods >/dev/null
k -n "$NS" create rolebinding limited-reads --role=pod-reader --serviceaccount="$NS:limited" >/dev/null
sakc=$("$HERE/cluster.sh" sa-kubeconfig "$NS" limited "$CLUSTER_DIR/smoke-sa.kubeconfig")
if KUBECONFIG=$sakc "$BIN/kubectl" -n "$NS" get pods >/dev/null 2>&1; then ok "SA may list pods (granted)"; else fail "SA cannot list pods"; fi
if KUBECONFIG=$sakc "$BIN/kubectl" -n "$NS" get configmaps >/dev/null 2>&1; then fail "SA may list configmaps (RBAC not enforced)"; else ok "SA may not list configmaps (RBAC enforced)"; fi
if KUBECONFIG=$sakc "$BIN/kubectl" get nodes >/dev/null 2>&1; then fail "SA may list nodes"; else ok "SA may not list nodes"; fi
rm -f "$sakc"

# 8. cleanup: the namespace goes away and the PV comes back for reuse
k delete namespace "$NS" --wait=false >/dev/null
poll 90 bash -c "! '$BIN/kubectl' get namespace '$NS'" && ok "namespace deleted (namespace controller)" ||
  fail "namespace still there"
if [[ -n "$pv" ]]; then
  poll 30 bash -c "[[ \$('$BIN/kubectl' get pv '$pv' -o jsonpath='{.status.phase}') == Available ]]" &&
    ok "released PV $pv is Available again" || fail "PV $pv: $(k get pv "$pv" -o jsonpath='{.status.phase}')"
fi

echo "$passed passed, $failed failed"
((failed == 0))
