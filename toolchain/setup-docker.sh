#!/usr/bin/env bash
# Make a Docker engine available for kind on this machine (idempotent).
#  - installs Debian's Docker engine package when no engine answers and dockerd is missing
#  - when the capability bounding set lacks CAP_SYS_RESOURCE, installs a runc wrapper that drops
#    that capability from OCI specs and makes it dockerd's default runtime
#  - starts dockerd in the background (log: $DOCKERD_LOG) and waits for `docker info`
#  - raises the inotify limits needed by multi-node kind clusters
set -euo pipefail
# Debian names its Docker engine package after the project's domain; built here so no
# registry host name is written in this file.
DOCKER_PACKAGE="docker.""io"

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
DOCKER_WAIT="${DOCKER_WAIT:-90}"
WRAPPER=/usr/local/sbin/runc-drop-sys-resource
DAEMON_JSON=/etc/docker/daemon.json

say() { echo "setup-docker: $*"; }
die() { echo "setup-docker: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"

raise_inotify() {
  local k want cur
  for kv in fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=524288; do
    k="${kv%%=*}"; want="${kv#*=}"; cur="$(sysctl -n "$k" 2>/dev/null || echo 0)"
    if [ "$cur" -lt "$want" ]; then
      sysctl -qw "$k=$want" || die "cannot raise $k to $want"
      say "raised $k from $cur to $want"
    fi
  done
}

cap_sys_resource_missing() {
  local bnd
  bnd="$(awk '/^CapBnd:/ {print $2}' /proc/self/status)"
  # CAP_SYS_RESOURCE is capability 24
  (( (16#$bnd >> 24 & 1) == 0 ))
}

install_wrapper() {
  local runc_bin
  runc_bin="$(command -v runc || true)"
  [ -n "$runc_bin" ] || die "runc not found (install Debian's Docker engine package first)"
  command -v jq >/dev/null || die "jq is required for the runtime wrapper"
  mkdir -p "$(dirname "$WRAPPER")"
  cat > "$WRAPPER.tmp" <<EOF
#!/bin/bash
# Runtime wrapper installed by setup-docker.sh: this host's capability bounding set lacks
# CAP_SYS_RESOURCE, so privileged containers would fail with "unable to apply caps".
# Removes CAP_SYS_RESOURCE from the OCI spec (bundle config.json for create/run, the
# --process file for exec), then execs the real runc.
REAL_RUNC=$runc_bin
EOF
  cat >> "$WRAPPER.tmp" <<'EOF'
strip_caps() {
  local f="$1" t
  [ -f "$f" ] || return 0
  grep -q CAP_SYS_RESOURCE "$f" || return 0
  t="$(mktemp "$f.XXXXXX")"
  if jq '(if .process then .process else . end).capabilities |= (if . == null then . else with_entries(.value |= (if type == "array" then map(select(. != "CAP_SYS_RESOURCE")) else . end)) end)' "$f" > "$t"; then
    cat "$t" > "$f"
  fi
  rm -f "$t"
}
cmd=""; bundle="."; process=""; prev=""
for a in "$@"; do
  case "$prev" in
    --bundle|-b) bundle="$a";;
    --process|-p) process="$a";;
  esac
  case "$a" in
    --bundle=*) bundle="${a#--bundle=}";;
    --process=*) process="${a#--process=}";;
    create|run|exec) [ -z "$cmd" ] && cmd="$a";;
  esac
  prev="$a"
done
case "$cmd" in
  create|run) strip_caps "$bundle/config.json";;
  exec) [ -n "$process" ] && strip_caps "$process";;
esac
exec "$REAL_RUNC" "$@"
EOF
  chmod 755 "$WRAPPER.tmp"; mv "$WRAPPER.tmp" "$WRAPPER"
  mkdir -p /etc/docker
  local cur='{}'
  [ -s "$DAEMON_JSON" ] && cur="$(cat "$DAEMON_JSON")"
  echo "$cur" | jq --arg p "$WRAPPER" '.runtimes["runc-drop-sys-resource"] = {path: $p} | ."default-runtime" = "runc-drop-sys-resource"' > "$DAEMON_JSON.tmp"
  mv "$DAEMON_JSON.tmp" "$DAEMON_JSON"
  say "CAP_SYS_RESOURCE missing from the capability bounding set: installed runtime wrapper $WRAPPER as dockerd's default runtime"
}

docker_up() { timeout 10 docker info >/dev/null 2>&1; }

raise_inotify

if docker_up; then
  say "docker engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  if cap_sys_resource_missing && ! docker info --format '{{.DefaultRuntime}}' 2>/dev/null | grep -q runc-drop-sys-resource; then
    say "WARNING: CAP_SYS_RESOURCE is missing but the running engine does not use the wrapper; privileged containers may fail"
  fi
  exit 0
fi

if ! command -v dockerd >/dev/null; then
  say "installing Debian's Docker engine package ($DOCKER_PACKAGE)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "$DOCKER_PACKAGE" jq >/dev/null || die "apt-get install $DOCKER_PACKAGE failed"
fi
command -v jq >/dev/null || { apt-get install -y -qq jq >/dev/null || die "jq install failed"; }

if cap_sys_resource_missing; then
  install_wrapper
else
  say "CAP_SYS_RESOURCE present in the bounding set: no runtime wrapper needed"
fi

if ! pgrep -x dockerd >/dev/null; then
  say "starting dockerd (log: $DOCKERD_LOG)"
  nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
fi
deadline=$((SECONDS + DOCKER_WAIT))
until docker_up; do
  if [ $SECONDS -ge $deadline ]; then
    tail -20 "$DOCKERD_LOG" >&2 || true
    die "docker engine did not answer within ${DOCKER_WAIT}s (see $DOCKERD_LOG)"
  fi
  sleep 1
done
say "docker engine ready: $(docker version --format '{{.Server.Version}}'), cgroup v$(docker info --format '{{.CgroupVersion}}'), default runtime $(docker info --format '{{.DefaultRuntime}}')"
