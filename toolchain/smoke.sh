#!/usr/bin/env bash
# Smoke test of the offline kind toolchain: a 1-node cluster, then 1 control-plane + 4 workers,
# both from the built node image. Checks nodes/pods, pod networking across workers, a NodePort
# Service reached from the host via every node's container IP, DNS, and that nothing was pulled.
# Deletes only the clusters it created (named mc-smoke-*), also on INT/TERM.
# Env: MINIO_CONFORMANCE_CACHE, SMOKE_ONLY=1node|5node, SMOKE_KEEP=1 (keep clusters for debugging)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${MINIO_CONFORMANCE_CACHE:-/var/cache/minio-conformance}"
[ -f "$CACHE/images.env" ] || { echo "smoke: no $CACHE/images.env (run build-images.sh)"; exit 1; }
# shellcheck disable=SC1091
. "$CACHE/images.env"
WORK="$(mktemp -d /tmp/mc-smoke.XXXXXX)"
CREATED=()
T0=$SECONDS
say() { printf '[smoke %s +%4ds] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - T0))" "$*"; }
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

cleanup() {
  local rc=$? n
  if [ "${SMOKE_KEEP:-0}" != 1 ]; then
    for n in "${CREATED[@]}"; do
      case "$n" in mc-smoke-*) say "deleting cluster $n"; "$KIND" delete cluster --name "$n" >/dev/null 2>&1 || true;; esac
    done
  else
    say "SMOKE_KEEP=1: keeping clusters ${CREATED[*]:-}"
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$HERE/setup-docker.sh"
for img in "$NODE_IMAGE" "$HELPER_IMAGE"; do
  docker image inspect "$img" >/dev/null 2>&1 || fail "image $img missing (run build-images.sh)"
done

k() { "$KUBECTL" --kubeconfig "$WORK/kubeconfig-$CL" "$@"; }

create() { # name workers
  CL="$1"; local workers="$2" i t
  {
    echo "kind: Cluster"
    echo "apiVersion: kind.x-k8s.io/v1alpha4"
    echo "networking:"
    echo "  kubeProxyMode: iptables"
    echo "nodes:"
    echo "- role: control-plane"
    for i in $(seq 1 "$workers"); do echo "- role: worker"; done
  } > "$WORK/$CL.yaml"
  "$KIND" delete cluster --name "$CL" >/dev/null 2>&1 || true
  CREATED+=("$CL")
  t=$SECONDS
  say "creating cluster $CL (1 control-plane + $workers workers) from $NODE_IMAGE"
  if ! "$KIND" create cluster --name "$CL" --image "$NODE_IMAGE" --config "$WORK/$CL.yaml" \
        --kubeconfig "$WORK/kubeconfig-$CL" --wait 5m > "$WORK/create-$CL.log" 2>&1; then
    cat "$WORK/create-$CL.log"
    docker logs "$CL-control-plane" 2>&1 | tail -30 || true
    fail "kind create cluster $CL failed"
  fi
  say "cluster $CL created in $((SECONDS - t))s"
}

check_nodes() { # expected count
  local n
  k wait --for=condition=Ready nodes --all --timeout=180s >/dev/null || { k get nodes -o wide; fail "nodes not Ready"; }
  n="$(k get nodes --no-headers | wc -l)"
  [ "$n" = "$1" ] || fail "expected $1 nodes, got $n"
  k get nodes -o wide
  say "all $n nodes Ready ($(k get nodes -o jsonpath='{.items[0].status.nodeInfo.kubeletVersion} {.items[0].status.nodeInfo.containerRuntimeVersion}'))"
  k -n kube-system wait --for=condition=Ready pods --all --timeout=180s >/dev/null || { k -n kube-system get pods -o wide; fail "kube-system pods not Ready"; }
  say "kube-system pods Ready: $(k -n kube-system get pods --no-headers | wc -l)"
}

check_no_pulls() {
  local pulls
  pulls="$(k get events -A --field-selector reason=Pulling --no-headers 2>/dev/null || true)"
  if [ -n "$pulls" ]; then echo "$pulls"; fail "images were pulled"; fi
  say "no image pulls (events with reason=Pulling: 0; 'already present': $(k get events -A --field-selector reason=Pulled --no-headers 2>/dev/null | grep -c 'already present' || true))"
}

check_dns() {
  k run dnscheck --image="$HELPER_IMAGE" --restart=Never --image-pull-policy=Never --command -- \
    sh -c 'nslookup kubernetes.default.svc.cluster.local && echo DNS-OK' >/dev/null
  k wait --for=jsonpath='{.status.phase}'=Succeeded pod/dnscheck --timeout=90s >/dev/null || { k logs dnscheck || true; fail "in-cluster DNS lookup failed"; }
  say "in-cluster DNS: $(k logs dnscheck | grep -A1 'Name:' | tr '\n' ' ' | tr -s ' ')"
  k delete pod dnscheck --wait=false >/dev/null
}

# MinIO from the built image as uid 1000 on a worker, reached from the host through a NodePort
check_minio() {
  cat > "$WORK/minio.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: minio
  labels: {app: minio}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000}
  nodeSelector: {kubernetes.io/hostname: mc-smoke-5n-worker}
  containers:
  - name: minio
    image: $MINIO_IMAGE
    imagePullPolicy: IfNotPresent
    args: ["server", "/data"]
    env:
    - {name: MINIO_ROOT_USER, value: smoke}
    - {name: MINIO_ROOT_PASSWORD, value: smoke-secret}
    volumeMounts: [{name: data, mountPath: /data}]
    readinessProbe:
      httpGet: {path: /minio/health/live, port: 9000}
      periodSeconds: 2
  volumes: [{name: data, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata:
  name: minio
spec:
  type: NodePort
  selector: {app: minio}
  ports: [{port: 9000, nodePort: 30090}]
EOF
  k apply -f "$WORK/minio.yaml" >/dev/null
  k wait --for=condition=Ready pod/minio --timeout=120s >/dev/null || { k describe pod minio; k logs minio || true; fail "MinIO pod not Ready"; }
  local nip code
  nip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' mc-smoke-5n-control-plane)"
  for _ in $(seq 1 15); do  # kube-proxy may need a moment to program the new Service
    code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$nip:30090/minio/health/live" || true)"
    [ "$code" = 200 ] && break; sleep 2
  done
  [ "$code" = 200 ] || fail "MinIO /minio/health/live via NodePort answered '$code'"
  say "MinIO pod Ready on mc-smoke-5n-worker as uid $(k get pod minio -o jsonpath='{.spec.securityContext.runAsUser}') ($(k logs minio 2>/dev/null | grep -m1 -o 'RELEASE[^ ]*' || echo release?)); /minio/health/live via NodePort $nip:30090 -> $code"
}

# ------------------------------------------------------------------------------- 1 node
smoke_1node() {
  create mc-smoke-1n 0
  check_nodes 1
  local t=$SECONDS
  "$KIND" load docker-image --name mc-smoke-1n "$HELPER_IMAGE" >/dev/null || fail "kind load docker-image failed"
  say "kind load docker-image $HELPER_IMAGE: ok in $((SECONDS - t))s"
  k run hello --image="$HELPER_IMAGE" --restart=Never --command -- sh -c 'id; mkdir -p /tmp/x && chmod 700 /tmp/x && stat -c %a /tmp/x; sleep 3600' >/dev/null
  k wait --for=condition=Ready pod/hello --timeout=120s >/dev/null || { k describe pod hello; fail "helper pod not Ready"; }
  say "helper pod Running on $(k get pod hello -o jsonpath='{.spec.nodeName}'): $(k logs hello | tr '\n' ' ')"
  check_dns
  check_no_pulls
  say "1-node smoke: PASS"
  "$KIND" delete cluster --name mc-smoke-1n >/dev/null; CREATED=("${CREATED[@]/mc-smoke-1n}")
}

# ------------------------------------------------------------------------------- 5 nodes
smoke_5node() {
  create mc-smoke-5n 4
  check_nodes 5
  cat > "$WORK/web.yaml" <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: httpd
        image: $HELPER_IMAGE
        imagePullPolicy: IfNotPresent
        env:
        - name: NODE
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        command: ["sh", "-c", "mkdir -p /tmp/www && echo node=\$NODE > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /, port: 8080}
          periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30080
EOF
  k apply -f "$WORK/web.yaml" >/dev/null
  k rollout status ds/web --timeout=180s >/dev/null || { k get pods -o wide; fail "DaemonSet web not ready"; }
  local ready workers
  ready="$(k get ds web -o jsonpath='{.status.numberReady}')"
  workers="$(k get nodes --no-headers -l '!node-role.kubernetes.io/control-plane' | wc -l)"
  [ "$ready" = "$workers" ] && [ "$workers" = 4 ] || fail "web pods ready: $ready, workers: $workers"
  k get pods -l app=web -o wide
  say "web DaemonSet: $ready/$workers pods Ready, one per worker"
  # pod-to-pod across nodes: from the first web pod fetch every pod IP
  # (busybox 1.35 wget segfaults with -T: use the timeout applet instead)
  local first ip ok=0 total=0
  first="$(k get pods -l app=web -o jsonpath='{.items[0].metadata.name}')"
  for ip in $(k get pods -l app=web -o jsonpath='{.items[*].status.podIP}'); do
    total=$((total + 1))
    k exec "$first" -- timeout 5 wget -q -O - "http://$ip:8080/" >/dev/null 2>&1 && ok=$((ok + 1))
  done
  [ "$ok" = "$total" ] || fail "pod-to-pod: $ok/$total pod IPs reachable from $first"
  say "pod-to-pod across nodes: $ok/$total pod IPs reachable"
  # NodePort from the host via every node container IP
  local node nip body seen=""
  for node in $(docker ps --filter label=io.x-k8s.kind.cluster=mc-smoke-5n --format '{{.Names}}' | sort); do
    nip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$node")"
    body=""
    for _ in 1 2 3 4 5; do body="$(curl -fsS -m 5 "http://$nip:30080/" 2>/dev/null)" && break; sleep 2; done
    [ -n "$body" ] || fail "NodePort 30080 not reachable via $node ($nip)"
    say "NodePort via $node ($nip): $body"
    seen="$seen $body"
  done
  check_minio
  check_dns
  check_no_pulls
  say "5-node smoke: PASS"
}

case "${SMOKE_ONLY:-all}" in
  1node) smoke_1node;;
  5node) smoke_5node;;
  *) smoke_1node; smoke_5node;;
esac
say "smoke: ALL PASS in $((SECONDS - T0))s"
