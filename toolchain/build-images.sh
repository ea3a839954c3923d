#!/usr/bin/env bash
# Build everything the conformance suite needs to run kind clusters with no container registry:
# Go binaries (from the Go module proxy), Debian rootfs (debootstrap), component images,
# the kind node image, the MinIO and helper images. Writes $CACHE/images.env at the end.
#
# Every step is skipped when its output exists. Images are also kept as docker-archive tars in
# the cache and re-loaded when missing from the engine.
#
# Environment:
#   MINIO_CONFORMANCE_CACHE         cache dir (default /var/cache/minio-conformance)
#   MINIO_CONFORMANCE_BUILD_BUDGET  seconds; when the next step would not fit, stop (exit 3)
#   MINIO_CONFORMANCE_BUILD_MC      1 to also build the mc client (default: only if cached)
# Exit codes: 0 ready, 1 error, 3 budget exhausted (images not ready).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$HERE/versions.env"
export MINIO_CONFORMANCE_CACHE="${MINIO_CONFORMANCE_CACHE:-/var/cache/minio-conformance}"
CACHE="$MINIO_CONFORMANCE_CACHE"
BUDGET="${MINIO_CONFORMANCE_BUILD_BUDGET:-0}"
BUILD_MC="${MINIO_CONFORMANCE_BUILD_MC:-0}"
export DOCKER_BUILDKIT=0
mkdir -p "$CACHE"/{logs,rootfs,images,state,ctx}
LOGDIR="$CACHE/logs"

T_START=$SECONDS
LAST_STEP="(none)"

say() { printf '[build-images %s +%4ds] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - T_START))" "$*"; }
die() { echo "build-images: ERROR: $*" >&2; exit 1; }

# rough cold-build cost of each step (seconds, 2 cores), used only for the budget check
# (measured on the 2-core build machine, cold module and build caches, plus a margin)
declare -A EST=([prereqs]=120 [go-k8s]=720 [go-kind]=60 [go-etcd]=90 [go-containerd]=150 [go-runc]=60
  [go-cni]=40 [go-crictl]=90 [go-coredns]=240 [go-pause]=5 [go-minio]=360 [go-mc]=120
  [rootfs-node]=150 [rootfs-netutils]=150 [images-components]=90 [image-node-base]=60
  [image-node]=90 [image-minio]=30 [image-helper]=15 [kubeadm-images]=5)

# step NAME DONE_CHECK_FN RUN_FN
step() {
  local name="$1" check="$2" run="$3" t0
  if "$check"; then say "step $name: cached"; LAST_STEP="$name"; return 0; fi
  local est="${EST[$name]:-60}"
  if [ "$BUDGET" -gt 0 ] && [ $((SECONDS - T_START + est)) -gt "$BUDGET" ]; then
    echo "images: NOT READY: budget exhausted after step $LAST_STEP (next: $name needs ~${est}s, ${BUDGET}s budget, $((SECONDS - T_START))s used); live tier cannot run"
    exit 3
  fi
  t0=$SECONDS
  say "step $name: running (log: $LOGDIR/$name.log)"
  # run in a subshell outside any condition so that `set -e` applies inside the step
  local rc
  set +e
  ( set -euo pipefail; "$run" ) > "$LOGDIR/$name.log" 2>&1
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    tail -30 "$LOGDIR/$name.log" >&2
    die "step $name failed after $((SECONDS - t0))s (log: $LOGDIR/$name.log)"
  fi
  say "step $name: done in $((SECONDS - t0))s"
  LAST_STEP="$name"
}

# ---------------------------------------------------------------- Go builds
GO_BUILD="$HERE/build-go.sh"
gdir() { "$GO_BUILD" --dir "$1"; }
go_step() {
  local c="$1"
  eval "chk_go_$c() { [ -f \"\$(gdir $c)/.done\" ]; }; run_go_$c() { \"\$GO_BUILD\" $c; }"
  step "go-$c" "chk_go_$c" "run_go_$c"
}

# ---------------------------------------------------------------- host prerequisites
PREREQ_PKGS="debootstrap busybox-static libseccomp-dev pkg-config gcc libc6-dev jq curl file"
chk_prereqs() {
  local p
  [ -x /usr/local/go/bin/go ] || command -v go >/dev/null || die "Go toolchain not found (/usr/local/go/bin/go)"
  for p in $PREREQ_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || return 1; done
}
run_prereqs() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $PREREQ_PKGS
}
step prereqs chk_prereqs run_prereqs

# ---------------------------------------------------------------- docker
docker info >/dev/null 2>&1 || "$HERE/setup-docker.sh" || die "no docker engine (run setup-docker.sh)"

# Content key of the images: the resolved versions, the node/ files and IMAGES_REVISION.
# Bump IMAGES_REVISION whenever this script changes what goes into an image.
IMAGES_REVISION=1
KEY="$( { for v in $(grep -oE '^[A-Z0-9_]+=' "$HERE/versions.env" | tr -d =); do echo "$v=${!v}"; done
          echo "IMAGES_REVISION=$IMAGES_REVISION"
          (cd "$HERE" && find node -type f | sort | xargs sha256sum); } | sha256sum | cut -c1-12)"
LABEL="org.minio-conformance.key"

archive_of() { echo "$CACHE/images/$(echo "$1" | tr '/:' '__')-$KEY.tar"; }
has_current() { # ref -> the engine has it, built with our key
  [ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null)" = "$KEY" ]
}
image_current() { # ref -> engine has it with our key (archive written if missing), or load the archive
  local ref="$1" a
  a="$(archive_of "$ref")"
  if has_current "$ref"; then
    [ -f "$a" ] || { say "saving $ref to $a"; save_image "$ref"; }
    return 0
  fi
  if [ -f "$a" ]; then
    say "loading $ref from $a"
    docker load -i "$a" >/dev/null && has_current "$ref" && return 0
  fi
  return 1
}
save_image() { # ref [extra refs...]
  save_archive "$1" "$@"
}
save_archive() { # archive-name refs...
  local a; a="$(archive_of "$1")"; shift
  docker save -o "$a.tmp" "$@" && mv "$a.tmp" "$a"
}
dbuild() { # ctxdir ref [extra tags...]
  local ctx="$1" ref="$2"; shift 2
  local t=(-t "$ref") x
  for x in "$@"; do t+=(-t "$x"); done
  docker build -q --label "$LABEL=$KEY" "${t[@]}" "$ctx"
}
fresh_ctx() { rm -rf "$CACHE/ctx/$1"; mkdir -p "$CACHE/ctx/$1"; echo "$CACHE/ctx/$1"; }

# ---------------------------------------------------------------- rootfs (debootstrap)
debian_mirror() {
  # the mirror the host's apt uses for the main suite (read at run time, never hard-coded)
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$DEBIAN_SUITE" 'BEGIN{RS=""; FS="\n"}
      { uris=""; ok=0
        for (i=1;i<=NF;i++) {
          if ($i ~ /^URIs:/) { split($i,a,/[ \t]+/); uris=a[2] }
          if ($i ~ /^Suites:/) { n=split($i,s,/[ \t]+/); for (j=2;j<=n;j++) if (s[j]==suite) ok=1 }
        }
        if (ok && uris!="") { print uris; exit } }' "$f"
  done | head -1 | grep . && return 0
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$DEBIAN_SUITE" '$1=="deb" && $3==suite {print $2; exit}' "$f"
  done | head -1 | grep .
}

NODE_PKGS="systemd,dbus,conntrack,iptables,nftables,iproute2,ethtool,mount,kmod,libseccomp2,pigz,bash,ca-certificates,curl,jq,procps,util-linux"
NETUTILS_PKGS="iptables,nftables,conntrack,iproute2,bash,ca-certificates,procps"
ROOTFS_NODE="$CACHE/rootfs/node-$DEBIAN_SUITE-$(echo "$NODE_PKGS" | sha256sum | cut -c1-8).tar"
ROOTFS_NET="$CACHE/rootfs/netutils-$DEBIAN_SUITE-$(echo "$NETUTILS_PKGS" | sha256sum | cut -c1-8).tar"

make_rootfs() { # pkgs out.tar
  local pkgs="$1" out="$2" dir mirror
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
  mirror="$(debian_mirror)" || die "cannot find a Debian $DEBIAN_SUITE mirror in the apt sources"
  dir="$(mktemp -d "$CACHE/rootfs/build.XXXXXX")"
  debootstrap --variant=minbase --include="$pkgs" --components=main "$DEBIAN_SUITE" "$dir" "$mirror"
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
         "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/var/log/*
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  # the build host's apt sources and resolver must not leak into images
  rm -f "$dir"/etc/apt/sources.list "$dir"/etc/apt/sources.list.d/* "$dir"/etc/resolv.conf "$dir"/etc/hostname
  tar -C "$dir" --numeric-owner -cf "$out.tmp" . && mv "$out.tmp" "$out"
  rm -rf "$dir"
  ls -la "$out"
}
chk_rootfs_node() { [ -f "$ROOTFS_NODE" ]; }
run_rootfs_node() { make_rootfs "$NODE_PKGS" "$ROOTFS_NODE"; }
chk_rootfs_net() { [ -f "$ROOTFS_NET" ]; }
run_rootfs_net() { make_rootfs "$NETUTILS_PKGS" "$ROOTFS_NET"; }

# ---------------------------------------------------------------- kubeadm image list
KUBEADM_LIST="$CACHE/state/kubeadm-images-$K8S_VERSION.txt"
chk_kubeadm_images() { [ -s "$KUBEADM_LIST" ]; }
run_kubeadm_images() {
  "$(gdir k8s)/kubeadm" config images list --kubernetes-version "$K8S_VERSION" > "$KUBEADM_LIST.tmp"
  cat "$KUBEADM_LIST.tmp"; mv "$KUBEADM_LIST.tmp" "$KUBEADM_LIST"
}
kref() { grep -E "/$1:" "$KUBEADM_LIST" | head -1; } # e.g. kref etcd

check_kubeadm_pins() {
  local etcd_tag coredns_tag pause_tag
  etcd_tag="$(kref etcd)"; etcd_tag="${etcd_tag##*:}"
  coredns_tag="$(kref coredns)"; coredns_tag="${coredns_tag##*:}"
  pause_tag="$(kref pause)"; pause_tag="${pause_tag##*:}"
  [ "${etcd_tag%-*}" = "${ETCD_VERSION#v}" ] || die "kubeadm wants etcd $etcd_tag but versions.env pins $ETCD_VERSION"
  [ "$coredns_tag" = "$COREDNS_VERSION" ] || die "kubeadm wants coredns $coredns_tag but versions.env pins $COREDNS_VERSION"
  [ "$pause_tag" = "$PAUSE_TAG" ] || die "kubeadm wants pause $pause_tag but versions.env pins $PAUSE_TAG"
}

# ---------------------------------------------------------------- component images
P="$IMAGE_PREFIX"
NETUTILS_IMAGE="$P/netutils:$DEBIAN_SUITE-$KEY"
NETD_IMAGE="$P/netd:$NETD_TAG"
HELPER_IMAGE="$P/busybox:$BUSYBOX_TAG"
MINIO_IMAGE="$P/minio:$MINIO_RELEASE"
NODE_BASE_IMAGE="$P/kind-node-base:$K8S_VERSION"
NODE_IMAGE="$P/kind-node:$K8S_VERSION"

minimal_etc() { # dir: passwd/group/nsswitch/tmp for static-binary images
  mkdir -p "$1/etc" "$1/tmp"; chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$1/etc/group"
  printf 'hosts: files dns\n' > "$1/etc/nsswitch.conf"
}

static_image() { # ref bin-path-in-image src [entrypoint-json]
  local ref="$1" dst="$2" src="$3" ep="${4:-}" ctx
  ctx="$(fresh_ctx "$(echo "$ref" | tr '/:' '__')")"
  mkdir -p "$ctx/rootfs$(dirname "$dst")"
  minimal_etc "$ctx/rootfs"
  cp "$src" "$ctx/rootfs$dst"; chmod 755 "$ctx/rootfs$dst"
  {
    echo "FROM scratch"
    echo "COPY rootfs/ /"
    echo "ENV PATH=/usr/local/bin:/usr/bin:/bin"
    [ -n "$ep" ] && echo "ENTRYPOINT $ep"
  } > "$ctx/Dockerfile"
  dbuild "$ctx" "$ref"
}

COMPONENT_REFS=()
component_refs() {
  COMPONENT_REFS=("$(kref kube-apiserver)" "$(kref kube-controller-manager)" "$(kref kube-scheduler)"
    "$(kref kube-proxy)" "$(kref etcd)" "$(kref coredns)" "$(kref pause)" "$NETD_IMAGE")
}
chk_components() {
  # the component images are only an input of the node image
  if has_current "$NODE_IMAGE" || [ -f "$(archive_of "$NODE_IMAGE")" ]; then return 0; fi
  component_refs
  local r a missing=0
  a="$(archive_of "$P/components:$K8S_VERSION")"
  for r in "${COMPONENT_REFS[@]}" "$NETUTILS_IMAGE"; do has_current "$r" || missing=1; done
  if [ "$missing" = 1 ]; then
    [ -f "$a" ] || return 1
    say "loading component images from $a"; docker load -i "$a" >/dev/null || return 1
    for r in "${COMPONENT_REFS[@]}" "$NETUTILS_IMAGE"; do has_current "$r" || return 1; done
  fi
  [ -f "$a" ] || save_archive "$P/components:$K8S_VERSION" "${COMPONENT_REFS[@]}" "$NETUTILS_IMAGE" "$P/pause:$PAUSE_TAG"
}
run_components() {
  check_kubeadm_pins
  component_refs
  local k8s; k8s="$(gdir k8s)"
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    static_image "$(kref $b)" "/usr/local/bin/$b" "$k8s/$b"
  done
  static_image "$(kref etcd)" /usr/local/bin/etcd "$(gdir etcd)/etcd"
  static_image "$(kref coredns)" /coredns "$(gdir coredns)/coredns" '["/coredns"]'
  static_image "$(kref pause)" /pause "$(gdir pause)/pause" '["/pause"]'
  docker tag "$(kref pause)" "$P/pause:$PAUSE_TAG"

  # Debian userland for kube-proxy (iptables/nft) and netd
  local ctx; ctx="$(fresh_ctx netutils)"
  cp "$ROOTFS_NET" "$ctx/rootfs.tar"
  printf 'FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' > "$ctx/Dockerfile"
  dbuild "$ctx" "$NETUTILS_IMAGE"

  ctx="$(fresh_ctx kube-proxy)"
  cp "$k8s/kube-proxy" "$ctx/"
  printf 'FROM %s\nCOPY kube-proxy /usr/local/bin/kube-proxy\n' "$NETUTILS_IMAGE" > "$ctx/Dockerfile"
  dbuild "$ctx" "$(kref kube-proxy)"

  ctx="$(fresh_ctx netd)"
  cp "$k8s/kubectl" "$HERE/node/netd" "$ctx/"
  printf 'FROM %s\nCOPY kubectl netd /usr/local/bin/\nENTRYPOINT ["/usr/local/bin/netd"]\n' "$NETUTILS_IMAGE" > "$ctx/Dockerfile"
  dbuild "$ctx" "$NETD_IMAGE"

  save_archive "$P/components:$K8S_VERSION" "${COMPONENT_REFS[@]}" "$NETUTILS_IMAGE" "$P/pause:$PAUSE_TAG"
  docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -F -e "$K8S_VERSION" -e "$P/" || true
}

# ---------------------------------------------------------------- helper (busybox)
chk_helper() { image_current "$HELPER_IMAGE"; }
run_helper() {
  local bb ctx a
  bb="$(command -v busybox || true)"
  [ -n "$bb" ] && file -L "$bb" 2>/dev/null | grep -q 'statically linked' || bb=/bin/busybox
  [ -x "$bb" ] || { apt-get install -y -qq busybox-static; bb=/bin/busybox; }
  ctx="$(fresh_ctx helper)"
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/sbin" "$ctx/rootfs/usr/bin" "$ctx/rootfs/usr/sbin" "$ctx/rootfs/root"
  minimal_etc "$ctx/rootfs"
  printf 'user:x:1000:1000:user:/tmp:/bin/sh\n' >> "$ctx/rootfs/etc/passwd"
  printf 'user:x:1000:\n' >> "$ctx/rootfs/etc/group"
  cp "$bb" "$ctx/rootfs/bin/busybox"
  for a in $("$bb" --list-full); do
    [ "$a" = bin/busybox ] && continue
    ln -sf /bin/busybox "$ctx/rootfs/$a"
  done
  printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["sh"]\n' > "$ctx/Dockerfile"
  dbuild "$ctx" "$HELPER_IMAGE"
  docker run --rm "$HELPER_IMAGE" sh -c 'for a in sh mkdir chmod chown sleep stat wget nc httpd; do command -v $a >/dev/null || { echo missing $a; exit 1; }; done; echo applets ok'
  save_image "$HELPER_IMAGE"
}

# ---------------------------------------------------------------- MinIO
chk_minio() { image_current "$MINIO_IMAGE"; }
run_minio() {
  local ctx; ctx="$(fresh_ctx minio)"
  mkdir -p "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/data"
  minimal_etc "$ctx/rootfs"
  printf 'minio:x:1000:1000:minio:/tmp:/sbin/nologin\n' >> "$ctx/rootfs/etc/passwd"
  printf 'minio:x:1000:\n' >> "$ctx/rootfs/etc/group"
  chown 1000:1000 "$ctx/rootfs/data"
  cp "$(gdir minio)/minio" "$ctx/rootfs/usr/bin/minio"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/rootfs/etc/ssl/certs/"
  # a tar keeps ownership (COPY would make /data root-owned)
  tar -C "$ctx/rootfs" --numeric-owner -cf "$ctx/rootfs.tar" .
  cat > "$ctx/Dockerfile" <<EOF
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/bin:/bin
USER 1000:1000
EXPOSE 9000 9001
ENTRYPOINT ["/usr/bin/minio"]
CMD ["server", "/data"]
EOF
  dbuild "$ctx" "$MINIO_IMAGE"
  # smoke: the server starts as uid 1000 and answers its liveness probe
  local c ip ok=0 i
  c="$(docker run -d --rm -e MINIO_ROOT_USER=smoke -e MINIO_ROOT_PASSWORD=smokesmoke "$MINIO_IMAGE")"
  ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$c")"
  for i in $(seq 1 30); do
    if curl -fsS -m 3 -o /dev/null "http://$ip:9000/minio/health/live"; then ok=1; break; fi
    [ "$(docker inspect -f '{{.State.Running}}' "$c" 2>/dev/null)" = true ] || break
    sleep 1
  done
  docker exec "$c" id 2>/dev/null || true
  docker exec "$c" /usr/bin/minio --version | head -2 || true
  docker logs "$c" 2>&1 | head -5
  docker rm -f "$c" >/dev/null
  [ "$ok" = 1 ] || { echo "minio image: /minio/health/live did not answer"; return 1; }
  echo "minio image: /minio/health/live OK"
  save_image "$MINIO_IMAGE"
}

# ---------------------------------------------------------------- node base image
chk_node_base() { has_current "$NODE_BASE_IMAGE" || has_current "$NODE_IMAGE" || [ -f "$(archive_of "$NODE_IMAGE")" ]; }
run_node_base() {
  local ctx; ctx="$(fresh_ctx node-base)"
  cp "$ROOTFS_NODE" "$ctx/rootfs.tar"
  mkdir -p "$ctx/files/usr/local/bin" "$ctx/files/usr/local/sbin" "$ctx/files/opt/cni/bin" \
           "$ctx/files/etc/containerd" "$ctx/files/etc/systemd/system" "$ctx/files/etc/default" \
           "$ctx/files/etc/sysctl.d" "$ctx/files/kind/manifests" "$ctx/files/etc/kubernetes/manifests"
  local cd; cd="$(gdir containerd)"
  cp "$cd/containerd" "$cd/ctr" "$cd/containerd-shim-runc-v2" "$(gdir crictl)/crictl" "$ctx/files/usr/local/bin/"
  cp "$(gdir runc)/runc" "$ctx/files/usr/local/sbin/runc"
  cp "$(gdir cni)"/{ptp,loopback,host-local,portmap} "$ctx/files/opt/cni/bin/"
  cp "$HERE/node/entrypoint" "$HERE/node/kubelet-cgroup-root" "$ctx/files/usr/local/bin/"
  sed "s|@SANDBOX_IMAGE@|$(kref pause)|" "$HERE/node/containerd/config.toml.in" > "$ctx/files/etc/containerd/config.toml"
  cp "$HERE/node/crictl.yaml" "$ctx/files/etc/crictl.yaml"
  cp "$HERE/node/default-kubelet" "$ctx/files/etc/default/kubelet"
  cp "$HERE/node/10-network.conf" "$ctx/files/etc/sysctl.d/10-network.conf"
  cp -r "$HERE/node/systemd/." "$ctx/files/etc/systemd/system/"
  sed "s|@NETD_IMAGE@|$NETD_IMAGE|" "$HERE/node/default-cni.yaml.in" > "$ctx/files/kind/manifests/default-cni.yaml"
  chmod -R u+rwX,go+rX "$ctx/files"
  cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
ADD rootfs.tar /
COPY files/ /
RUN set -e; \
    rm -f /lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service \
          /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
          /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
          /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*; \
    echo "ReadKMsg=no" >> /etc/systemd/journald.conf; \
    ln -sf /lib/systemd/systemd /sbin/init; \
    systemctl enable containerd.service kubelet.service; \
    systemctl mask systemd-binfmt.service getty@tty1.service console-getty.service serial-getty@ttyS0.service; \
    systemctl set-default multi-user.target; \
    ctr oci spec | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json; \
    update-alternatives --set iptables /usr/sbin/iptables-nft; update-alternatives --set ip6tables /usr/sbin/ip6tables-nft; \
    mkdir -p /var/lib/kubelet /etc/cni/net.d /var/lib/containerd; \
    containerd --version; runc --version; crictl --version; \
    echo 'root:x:0:0' > /dev/null
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
EOF
  dbuild "$ctx" "$NODE_BASE_IMAGE"
}

# ---------------------------------------------------------------- node image (preloaded)
chk_node() { image_current "$NODE_IMAGE"; }
run_node() {
  component_refs
  # normally built by the earlier steps; rebuilt here if they were skipped for a node archive
  # that then failed to load
  local r
  for r in "${COMPONENT_REFS[@]}"; do has_current "$r" || { run_components; break; }; done
  has_current "$NODE_BASE_IMAGE" || run_node_base
  local preload="$CACHE/ctx/node-preload.tar" c k8s
  k8s="$(gdir k8s)"
  docker save -o "$preload" "${COMPONENT_REFS[@]}" "$MINIO_IMAGE" "$HELPER_IMAGE"
  c="$(docker run -d --privileged --tmpfs /run --tmpfs /tmp --entrypoint sleep "$NODE_BASE_IMAGE" infinity)"
  # run_node runs in the step subshell: remove the build container however it ends
  trap "docker rm -f $c >/dev/null 2>&1 || true" EXIT
  docker cp "$k8s/kubeadm" "$c:/usr/bin/kubeadm"
  docker cp "$k8s/kubelet" "$c:/usr/bin/kubelet"
  docker cp "$k8s/kubectl" "$c:/usr/bin/kubectl"
  docker exec "$c" sh -c "chown root:root /usr/bin/kube* && chmod 755 /usr/bin/kube* && mkdir -p /kind && printf '%s' '$K8S_VERSION' > /kind/version"
  docker cp "$preload" "$c:/preload.tar"
  docker exec "$c" bash -euc '
    containerd >/tmp/containerd.log 2>&1 &
    for i in $(seq 1 60); do ctr version >/dev/null 2>&1 && break; sleep 1; done
    ctr -n k8s.io images import --label io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests /preload.tar
    ctr -n k8s.io images ls -q | sort
    rm -f /preload.tar
    pkill containerd; for i in $(seq 1 30); do pgrep -x containerd >/dev/null || break; sleep 1; done
    rm -rf /var/lib/containerd/tmpmounts/* /var/log/* 2>/dev/null || true'
  rm -f "$preload"
  docker commit --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'CMD []' \
    --change "LABEL $LABEL=$KEY" "$c" "$NODE_IMAGE"
  docker run --rm --entrypoint sh "$NODE_IMAGE" -c 'kubeadm version -o short; kubelet --version; cat /kind/version; echo'
  save_image "$NODE_IMAGE"
}

# ---------------------------------------------------------------- run
say "cache $CACHE, key $KEY, budget ${BUDGET}s"
if [ "${1:-}" = rootfs ]; then # only the Debian rootfs steps (useful while Go builds run)
  step rootfs-node chk_rootfs_node run_rootfs_node
  step rootfs-netutils chk_rootfs_net run_rootfs_net
  exit 0
fi
for c in k8s pause kind etcd containerd runc cni crictl coredns; do go_step "$c"; done
step kubeadm-images chk_kubeadm_images run_kubeadm_images
check_kubeadm_pins
step rootfs-node chk_rootfs_node run_rootfs_node
step rootfs-netutils chk_rootfs_net run_rootfs_net
step images-components chk_components run_components
step image-helper chk_helper run_helper
step image-node-base chk_node_base run_node_base
go_step minio
step image-minio chk_minio run_minio
step image-node chk_node run_node
if [ "$BUILD_MC" = 1 ] || [ -f "$(gdir mc)/.done" ]; then go_step mc; fi

# ---------------------------------------------------------------- images.env
id_of() { docker image inspect -f '{{.Id}}' "$1"; }
ENV_OUT="$CACHE/images.env"
{
  echo "# written by toolchain/build-images.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "KIND=$(gdir kind)/kind"
  echo "KUBECTL=$(gdir k8s)/kubectl"
  echo "NODE_IMAGE=$NODE_IMAGE"
  echo "MINIO_IMAGE=$MINIO_IMAGE"
  echo "HELPER_IMAGE=$HELPER_IMAGE"
  [ -f "$(gdir mc)/.done" ] && echo "MC=$(gdir mc)/mc"
  echo "K8S_VERSION=$K8S_VERSION"
  echo "KIND_VERSION=$KIND_VERSION"
  echo "MINIO_RELEASE=$MINIO_RELEASE"
  echo "NODE_IMAGE_ID=$(id_of "$NODE_IMAGE")"
  echo "MINIO_IMAGE_ID=$(id_of "$MINIO_IMAGE")"
  echo "HELPER_IMAGE_ID=$(id_of "$HELPER_IMAGE")"
  echo "NODE_IMAGE_ARCHIVE=$(archive_of "$NODE_IMAGE")"
  echo "MINIO_IMAGE_ARCHIVE=$(archive_of "$MINIO_IMAGE")"
  echo "HELPER_IMAGE_ARCHIVE=$(archive_of "$HELPER_IMAGE")"
  echo "IMAGES_KEY=$KEY"
} > "$ENV_OUT.tmp"
mv "$ENV_OUT.tmp" "$ENV_OUT"
rm -rf "$CACHE/ctx"  # transient docker build contexts
say "images: READY in $((SECONDS - T_START))s; wrote $ENV_OUT"
cat "$ENV_OUT"
