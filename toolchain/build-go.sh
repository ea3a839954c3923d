#!/usr/bin/env bash
# Build the Go binaries of the offline kind toolchain from the Go module proxy.
# Usage: build-go.sh COMPONENT...   (k8s kind etcd coredns crictl cni containerd runc pause minio mc)
# Each component installs into $CACHE/bin/<component>-<version>/ and is skipped when its
# ".done" marker exists. Go module and build caches live inside the cache dir too.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$HERE/versions.env"
CACHE="${MINIO_CONFORMANCE_CACHE:-/var/cache/minio-conformance}"
export PATH="/usr/local/go/bin:$PATH"
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS="-buildvcs=false"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
# Modules whose versions the module proxy serves but the checksum database answers 404 for
# (see versions.env); their hashes are recorded in the wrapper go.sum / checked below instead.
export GONOSUMDB="${GO_NOSUMDB:-}"
SRC="$CACHE/src"; BIN="$CACHE/bin"
mkdir -p "$SRC" "$BIN"

log() { printf '[build-go %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# bin_dir COMPONENT VERSION -> prints the output dir
bin_dir() { echo "$BIN/$1-$2"; }

# wrapper_module DIR MODULE_LINE... : create a throwaway module dir with the given go.mod body
wrapper_module() {
  local dir="$1"; shift
  rm -rf "$dir"; mkdir -p "$dir"
  printf '%s\n' "$@" > "$dir/go.mod"
  printf 'package main\n' > /dev/null
}

run_step() { # NAME VERSION FUNCTION
  local name="$1" ver="$2" fn="$3" out
  out="$(bin_dir "$name" "$ver")"
  if [ -f "$out/.done" ]; then log "$name $ver: cached ($out)"; return 0; fi
  # one builder per component at a time (a second caller waits, then finds it cached)
  exec 9>"$BIN/.$name-$ver.lock"
  flock 9
  if [ -f "$out/.done" ]; then log "$name $ver: cached ($out)"; exec 9>&-; return 0; fi
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  local t0=$SECONDS
  log "$name $ver: building"
  "$fn" "$out.tmp"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
  exec 9>&-
  log "$name $ver: done in $((SECONDS - t0))s -> $out"
}

build_k8s() {
  local out="$1" dir="$SRC/k8sbuild-$K8S_VERSION" gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | jq -r .GoMod)"
  [ -f "$gomod" ] || { echo "cannot download k8s.io/kubernetes@$K8S_VERSION go.mod" >&2; return 1; }
  rm -rf "$dir"; mkdir -p "$dir"
  {
    echo "module local/k8sbuild"
    echo
    grep -E '^go [0-9]' "$gomod" | sed -n 1p
    grep -E '^godebug ' "$gomod" || true
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    # every staging module replaced by its published v0.x.y counterpart
    sed -n '/^replace (/,/^)/p' "$gomod" | awk '$2=="=>" && $3 ~ /^\.\/staging\// {print "\t" $1 " => " $1 " '"$K8S_STAGING_VERSION"'"}'
    echo ")"
  } > "$dir/go.mod"
  local now; now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local x="" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    x="$x -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    x="$x -X $p.gitTreeState=clean -X $p.buildDate=$now -X $p.gitCommit=${K8S_GIT_COMMIT:-unknown}"
  done
  (cd "$dir" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "-s -w $x" -o "$out/" \
     k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
     k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy \
     k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubectl)
  "$out/kubeadm" version -o short
}

build_kind() {
  CGO_ENABLED=0 GOBIN="$1" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION"
  "$1/kind" version
}

build_etcd() {
  local out="$1" dir="$SRC/etcdbuild-$ETCD_VERSION"
  rm -rf "$dir"; mkdir -p "$dir"
  printf 'module local/etcdbuild\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$dir/go.mod"
  (cd "$dir" && CGO_ENABLED=0 go build -mod=mod -trimpath \
     -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_VERSION}" \
     -o "$out/etcd" go.etcd.io/etcd/server/v3)
  "$out/etcd" --version | sed -n 1p
}

build_coredns() {
  CGO_ENABLED=0 GOBIN="$1" go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
  "$1/coredns" -version | sed -n 1p
}

# wrapper_build OUTFILE MODULE VERSION PACKAGE [go build args...]: build PACKAGE of MODULE@VERSION
# through a throwaway module. Unlike `go install pkg@ver` this needs neither the version's .info
# nor the module's version list, which the module proxy refuses for some modules (403).
wrapper_build() {
  local outfile="$1" mod="$2" ver="$3" pkg="$4"; shift 4
  local dir="$SRC/wrap-$(echo "$mod" | tr '/' '_')-$ver"
  rm -rf "$dir"; mkdir -p "$dir"
  printf 'module local/wrap\n\ngo 1.24\n\nrequire %s %s\n' "$mod" "$ver" > "$dir/go.mod"
  # WRAP_REQUIRE="mod ver;mod ver": raise dependencies (minimum version selection picks these)
  local r
  if [ -n "${WRAP_REQUIRE:-}" ]; then
    IFS=';' read -ra reqs <<<"$WRAP_REQUIRE"
    for r in "${reqs[@]}"; do echo "require $r" >> "$dir/go.mod"; done
  fi
  (cd "$dir" && go build -mod=mod -trimpath "$@" -o "$outfile" "$pkg")
}

build_crictl() {
  # cri-tools v1.34.0 requires the k8s.io v0.34.0-rc.2 staging modules, which the checksum DB
  # behind the module proxy does not answer for: raise them to the Kubernetes patch we build.
  local m req=""
  for m in api apimachinery client-go cri-api cri-client kubectl kubelet cli-runtime component-base; do
    req="$req;k8s.io/$m $K8S_STAGING_VERSION"
  done
  WRAP_REQUIRE="${req#;}" CGO_ENABLED=0 wrapper_build "$1/crictl" sigs.k8s.io/cri-tools "$CRICTL_VERSION" sigs.k8s.io/cri-tools/cmd/crictl \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION"
  "$1/crictl" --version
}

build_cni() {
  CGO_ENABLED=0 GOBIN="$1" go install -trimpath -ldflags "-s -w" \
    "github.com/containernetworking/plugins/plugins/main/ptp@$CNI_PLUGINS_VERSION" \
    "github.com/containernetworking/plugins/plugins/main/loopback@$CNI_PLUGINS_VERSION" \
    "github.com/containernetworking/plugins/plugins/ipam/host-local@$CNI_PLUGINS_VERSION" \
    "github.com/containernetworking/plugins/plugins/meta/portmap@$CNI_PLUGINS_VERSION"
}

build_containerd() {
  CGO_ENABLED=0 GOBIN="$1" go install -trimpath -tags "no_btrfs no_devmapper no_zfs" \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
    "github.com/containerd/containerd/v2/cmd/containerd@$CONTAINERD_VERSION" \
    "github.com/containerd/containerd/v2/cmd/ctr@$CONTAINERD_VERSION" \
    "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
  "$1/containerd" --version
}

build_runc() {
  CGO_ENABLED=1 GOBIN="$1" go install -trimpath -tags seccomp \
    -ldflags "-s -w -X main.version=${RUNC_VERSION#v}" \
    "github.com/opencontainers/runc@$RUNC_VERSION"
  "$1/runc" --version | sed -n 1p
}

build_pause() {
  local out="$1" dir="$SRC/pause"
  rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/pause.c" <<'EOF'
/* Minimal sandbox "pause" process: sleeps forever, reaps children, exits on INT/TERM. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) { (void)sig; _exit(0); }
static void on_child(int sig) { (void)sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }

int main(int argc, char **argv) {
  if (argc > 1 && argv[1][0] == '-' && argv[1][1] == 'v') { printf("pause (minio-conformance)\n"); return 0; }
  struct sigaction sa = {0};
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sa.sa_handler = on_child;
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  for (;;) pause();
  return 1;
}
EOF
  gcc -Os -static -o "$out/pause" "$dir/pause.c"
  strip "$out/pause"
}

build_minio() {
  local p=github.com/minio/minio/cmd commit="${MINIO_VERSION##*-}"
  CGO_ENABLED=0 wrapper_build "$1/minio" github.com/minio/minio "$MINIO_VERSION" github.com/minio/minio -tags kqueue \
    -ldflags "-s -w -X $p.Version=$(echo "${MINIO_RELEASE#RELEASE.}" | sed -E 's/T([0-9]+)-([0-9]+)-([0-9]+)Z/T\1:\2:\3Z/') -X $p.ReleaseTag=$MINIO_RELEASE -X $p.CommitID=$commit -X $p.ShortCommitID=$commit -X $p.CopyrightYear=2025"
  local h; h="$(cat "$GOMODCACHE/cache/download/github.com/minio/minio/@v/$MINIO_VERSION.ziphash")"
  if [ "$MINIO_VERSION" = "${MINIO_MODULE_H1_VERSION:-}" ] && [ "$h" != "$MINIO_MODULE_H1" ]; then
    echo "minio module hash mismatch: got $h want $MINIO_MODULE_H1" >&2; return 1
  fi
  if [ "$MINIO_VERSION" = "${MINIO_MODULE_H1_VERSION:-}" ]; then
    echo "minio module hash $h (matches pinned record)"
  else
    echo "minio module hash $h (no pinned record for $MINIO_VERSION: taken from the module proxy)"
  fi
  "$1/minio" --version | sed -n 1p
}

build_mc() {
  local p=github.com/minio/mc/cmd commit="${MC_VERSION##*-}"
  CGO_ENABLED=0 wrapper_build "$1/mc" github.com/minio/mc "$MC_VERSION" github.com/minio/mc \
    -ldflags "-s -w -X $p.Version=$(echo "${MC_RELEASE#RELEASE.}" | sed -E 's/T([0-9]+)-([0-9]+)-([0-9]+)Z/T\1:\2:\3Z/') -X $p.ReleaseTag=$MC_RELEASE -X $p.CommitID=$commit -X $p.ShortCommitID=$commit"
  "$1/mc" --version | sed -n 1p
}

version_of() {
  case "$1" in
    k8s) echo "$K8S_VERSION";; kind) echo "$KIND_VERSION";; etcd) echo "$ETCD_VERSION";;
    coredns) echo "$COREDNS_VERSION";; crictl) echo "$CRICTL_VERSION";;
    cni) echo "$CNI_PLUGINS_VERSION";; containerd) echo "$CONTAINERD_VERSION";; runc) echo "$RUNC_VERSION";;
    pause) echo "v1";; minio) echo "$MINIO_VERSION";; mc) echo "$MC_VERSION";;
    *) echo "unknown component $1" >&2; return 1;;
  esac
}

if [ "${1:-}" = "--dir" ]; then bin_dir "$2" "$(version_of "$2")"; exit 0; fi
for c in "$@"; do
  run_step "$c" "$(version_of "$c")" "build_$c"
done
