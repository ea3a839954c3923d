#!/usr/bin/env bash
# Build one more MinIO server release, offline like build-images.sh's MinIO image, for the
# upgrade scenario's version change (base on this release, head on the run's MinIO image).
#
# Usage: build-minio-release.sh [RELEASE MODULE_VERSION]
#   RELEASE         MinIO release tag, e.g. RELEASE.2025-09-07T16-13-09Z
#   MODULE_VERSION  the Go module pseudo-version of that release's commit (MinIO has no semver
#                   tags), e.g. v0.0.0-20250907161309-07c3a429bfed
# Without arguments: MINIO_BASE_RELEASE / MINIO_BASE_VERSION from the environment, else the
# release below (the manifests' public default, about five weeks older than the pinned one).
#
# Environment:
#   MINIO_CONFORMANCE_CACHE  cache dir (default /var/cache/minio-conformance)
#   MINIO_BASE_MODULE_H1     optional h1: hash the module zip must have
# Output: the binary in $CACHE/bin/minio-<MODULE_VERSION>/ (build-go.sh), the image
# minio-conformance/minio:<RELEASE> in the engine and as a docker-archive tar in $CACHE/images/,
# and $CACHE/minio-releases.env (MINIO_BASE_IMAGE=..., MINIO_BASE_RELEASE=..., ...).
# Every step is skipped when its output exists. Exit codes: 0 ready, 1 build error, 2 bad input.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$HERE/versions.env"

DEFAULT_RELEASE=RELEASE.2025-09-07T16-13-09Z
DEFAULT_VERSION=v0.0.0-20250907161309-07c3a429bfed

if [ "$#" -ne 0 ] && [ "$#" -ne 2 ]; then
  echo "usage: build-minio-release.sh [RELEASE MODULE_VERSION]" >&2; exit 2
fi
REL="${1:-${MINIO_BASE_RELEASE:-$DEFAULT_RELEASE}}"
VER="${2:-${MINIO_BASE_VERSION:-$DEFAULT_VERSION}}"
if ! [[ "$REL" =~ ^RELEASE\.[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}Z$ ]]; then
  echo "build-minio-release: bad release '$REL' (want RELEASE.YYYY-MM-DDThh-mm-ssZ)" >&2; exit 2
fi
if ! [[ "$VER" =~ ^v0\.0\.0-[0-9]{14}-[0-9a-f]{12}$ ]]; then
  echo "build-minio-release: bad module version '$VER' (want v0.0.0-YYYYMMDDhhmmss-<12 hex>)" >&2; exit 2
fi
if [ "$REL" = "$MINIO_RELEASE" ]; then
  echo "build-minio-release: $REL is already the pinned MinIO image (build-images.sh)" >&2; exit 2
fi

export MINIO_CONFORMANCE_CACHE="${MINIO_CONFORMANCE_CACHE:-/var/cache/minio-conformance}"
CACHE="$MINIO_CONFORMANCE_CACHE"
export DOCKER_BUILDKIT=0
mkdir -p "$CACHE"/{logs,images,ctx}
T_START=$SECONDS
say() { printf '[build-minio-release %s +%4ds] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - T_START))" "$*"; }
die() { echo "build-minio-release: ERROR: $*" >&2; exit 1; }

docker info >/dev/null 2>&1 || "$HERE/setup-docker.sh" || die "no docker engine (run setup-docker.sh)"

# the image's content key: release, module version and this script's revision
REVISION=1
KEY="$(printf '%s\n' "$REL" "$VER" "REVISION=$REVISION" | sha256sum | cut -c1-12)"
LABEL="org.minio-conformance.key"
IMAGE="$IMAGE_PREFIX/minio:$REL"
ARCHIVE="$CACHE/images/$(echo "$IMAGE" | tr '/:' '__')-$KEY.tar"
has_current() { [ "$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null)" = "$KEY" ]; }

# ---------------------------------------------------------------- Go build (cached by version)
# build-go.sh's minio component with the version overridden; the zip hash is checked only
# when MINIO_BASE_MODULE_H1 is given (the pinned record belongs to the pinned version).
BIN_DIR="$(MINIO_VERSION="$VER" "$HERE/build-go.sh" --dir minio)"
if [ -f "$BIN_DIR/.done" ]; then
  say "go-minio $VER: cached ($BIN_DIR)"
else
  say "go-minio $VER: building (log: $CACHE/logs/go-minio-$VER.log)"
  t0=$SECONDS
  if ! MINIO_VERSION="$VER" MINIO_RELEASE="$REL" "$HERE/build-go.sh" minio \
       > "$CACHE/logs/go-minio-$VER.log" 2>&1; then
    tail -30 "$CACHE/logs/go-minio-$VER.log" >&2
    die "go build of minio $VER failed (log: $CACHE/logs/go-minio-$VER.log)"
  fi
  say "go-minio $VER: done in $((SECONDS - t0))s"
fi
[ -x "$BIN_DIR/minio" ] || die "no binary at $BIN_DIR/minio"
ZIPHASH="$(cat "$CACHE/go/mod/cache/download/github.com/minio/minio/@v/$VER.ziphash" 2>/dev/null || true)"
if [ -n "${MINIO_BASE_MODULE_H1:-}" ] && [ "$ZIPHASH" != "$MINIO_BASE_MODULE_H1" ]; then
  die "minio module hash mismatch: got ${ZIPHASH:-none} want $MINIO_BASE_MODULE_H1"
fi

# ---------------------------------------------------------------- image (same layout as build-images.sh)
build_image() {
  local ctx="$CACHE/ctx/minio-release-$KEY"
  rm -rf "$ctx"; mkdir -p "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/data" "$ctx/rootfs/tmp"
  chmod 1777 "$ctx/rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$ctx/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$ctx/rootfs/etc/group"
  printf 'hosts: files dns\n' > "$ctx/rootfs/etc/nsswitch.conf"
  printf 'minio:x:1000:1000:minio:/tmp:/sbin/nologin\n' >> "$ctx/rootfs/etc/passwd"
  printf 'minio:x:1000:\n' >> "$ctx/rootfs/etc/group"
  chown 1000:1000 "$ctx/rootfs/data"
  cp "$BIN_DIR/minio" "$ctx/rootfs/usr/bin/minio"
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
  docker build -q --label "$LABEL=$KEY" -t "$IMAGE" "$ctx"
  rm -rf "$ctx"
  # smoke: the server starts as uid 1000 and answers its liveness probe
  local c ip ok=0 i
  c="$(docker run -d --rm -e MINIO_ROOT_USER=smoke -e MINIO_ROOT_PASSWORD=smokesmoke "$IMAGE")"
  ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$c")"
  for i in $(seq 1 30); do
    if curl -fsS -m 3 -o /dev/null "http://$ip:9000/minio/health/live"; then ok=1; break; fi
    [ "$(docker inspect -f '{{.State.Running}}' "$c" 2>/dev/null)" = true ] || break
    sleep 1
  done
  docker exec "$c" /usr/bin/minio --version | head -1 || true
  docker rm -f "$c" >/dev/null
  [ "$ok" = 1 ] || { echo "minio image: /minio/health/live did not answer"; return 1; }
  echo "minio image: /minio/health/live OK"
}

if has_current; then
  say "image $IMAGE: cached"
elif [ -f "$ARCHIVE" ] && docker load -i "$ARCHIVE" >/dev/null && has_current; then
  say "image $IMAGE: loaded from $ARCHIVE"
else
  say "image $IMAGE: building (log: $CACHE/logs/image-minio-$REL.log)"
  if ! ( set -euo pipefail; build_image ) > "$CACHE/logs/image-minio-$REL.log" 2>&1; then
    tail -30 "$CACHE/logs/image-minio-$REL.log" >&2
    die "image $IMAGE failed (log: $CACHE/logs/image-minio-$REL.log)"
  fi
fi
if [ ! -f "$ARCHIVE" ]; then
  say "saving $IMAGE to $ARCHIVE"
  docker save -o "$ARCHIVE.tmp" "$IMAGE" && mv "$ARCHIVE.tmp" "$ARCHIVE"
fi

# ---------------------------------------------------------------- minio-releases.env
OUT="$CACHE/minio-releases.env"
{
  echo "# written by toolchain/build-minio-release.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "MINIO_BASE_IMAGE=$IMAGE"
  echo "MINIO_BASE_RELEASE=$REL"
  echo "MINIO_BASE_MODULE_VERSION=$VER"
  echo "MINIO_BASE_IMAGE_ID=$(docker image inspect -f '{{.Id}}' "$IMAGE")"
  echo "MINIO_BASE_IMAGE_ARCHIVE=$ARCHIVE"
  echo "MINIO_HEAD_IMAGE=$IMAGE_PREFIX/minio:$MINIO_RELEASE"
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
say "release READY in $((SECONDS - T_START))s; wrote $OUT"
cat "$OUT"
