#!/usr/bin/env bash
# Builds Nightshift's sandbox images without any container registry:
#   1. nightshift/base:bookworm: a minimal Debian root filesystem made by debootstrap from a Debian mirror,
#      turned into an image with `docker import`;
#   2. nightshift/sandbox-<stack>:<tag> for each stack directory beside this script, FROM that base. The tag
#      is the first 12 hex digits of the Dockerfile's SHA-256, the name src/engine/sandbox/docker/
#      sandboxImageName.ts computes, so editing a Dockerfile yields a new image instead of a stale one.
# Idempotent: an image that already exists is skipped. Needs a reachable Docker daemon; step 1 also needs
# root and debootstrap (apt-get install debootstrap).
# Environment: NIGHTSHIFT_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
base=nightshift/base:bookworm
suite=bookworm
mirror="${NIGHTSHIFT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The classic builder ships with every daemon; BuildKit needs the buildx plugin, which Debian's docker.io lacks.
export DOCKER_BUILDKIT=0

log() { echo "sandbox-build: $*"; }
fail() {
  echo "sandbox-build: error: $*" >&2
  exit 1
}
seconds_since() { echo $(($(date +%s) - $1)); }

command -v docker >/dev/null 2>&1 || fail "the docker command is missing (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || fail "no Docker daemon answers (start dockerd, or set DOCKER_HOST)"

if docker image inspect "$base" >/dev/null 2>&1; then
  log "skip $base: already present"
else
  command -v debootstrap >/dev/null 2>&1 || fail "debootstrap is missing (apt-get install debootstrap)"
  [ "$(id -u)" = 0 ] || fail "debootstrap must run as root to build $base"
  # /var/tmp rather than /tmp: /tmp is often mounted nodev, and the root filesystem holds device nodes.
  rootfs="$(mktemp -d /var/tmp/nightshift-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs" "$rootfs.log"' EXIT
  started=$(date +%s)
  log "debootstrap --variant=minbase $suite from $mirror into $rootfs (log: $rootfs.log)"
  if ! debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
    tail -n 20 "$rootfs.log" >&2
    fail "debootstrap failed; is $mirror reachable?"
  fi
  # Package lists and downloaded .debs are not needed in the image.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  log "docker import of the root filesystem as $base"
  tar -C "$rootfs" --numeric-owner -c . | docker import --change 'CMD ["/bin/sh"]' - "$base" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  trap - EXIT
  log "built $base in $(seconds_since "$started") s"
fi

for dir in "$here"/*/; do
  stack="$(basename "$dir")"
  [ -f "$dir/Dockerfile" ] || continue
  tag="$(sha256sum "$dir/Dockerfile" | cut -c1-12)"
  image="nightshift/sandbox-$stack:$tag"
  if docker image inspect "$image" >/dev/null 2>&1; then
    log "skip $image: already present"
    continue
  fi
  started=$(date +%s)
  log "docker build $image from $dir"
  # Host networking for the build only: apt inside it must reach the Debian mirror even where the daemon's
  # bridge network cannot (no iptables). Containers made from the image run with no network at all.
  buildlog="$(mktemp /var/tmp/nightshift-build.XXXXXX)"
  if ! docker build --network host --label nightshift.kind=sandbox-image --label "nightshift.stack=$stack" \
    -t "$image" "$dir" >"$buildlog" 2>&1; then
    tail -n 30 "$buildlog" >&2
    rm -f "$buildlog"
    fail "docker build of $image failed"
  fi
  rm -f "$buildlog"
  log "built $image in $(seconds_since "$started") s"
done
log "done"
