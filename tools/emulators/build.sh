#!/usr/bin/env bash
# Builds the test emulators into a cache outside the clone and prints where each one is, one
# `<name>=<path>` line per component on stdout (progress goes to stderr). Skips what the cache holds.
#   usage: build.sh [minio|fake-gcs|registry|skopeo|all]...   (default: all)
#   IRO_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator)
# MinIO, fake-gcs-server and the CNCF distribution registry are compiled from the Go module proxy
# (one module per emulator under this folder, pinned by go.mod/go.sum); skopeo comes from apt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
# shellcheck source=versions.env
. ./versions.env
# shellcheck source=../scripts/apt.sh
. ../scripts/apt.sh

log() { echo "emulators: $*" >&2; }
die() { echo "emulators: error: $*" >&2; exit 1; }

cache_root="${IRO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator}"

go_ready=""
require_go() {
  [ -n "$go_ready" ] && return 0
  command -v go >/dev/null 2>&1 || die "Go is not installed; install Go >= 1.25.8 (the emulators are compiled from the Go module proxy)."
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath -buildvcs=false"
  go_ready=1
}

# build_go <name> <module dir> <version label> <main package> <binary> <ldflags>
build_go() {
  local name=$1 dir=$2 version=$3 pkg=$4 binary=$5 ldflags=$6 key out tmp need have total start
  require_go
  # build.sh itself is not hashed: bump BUILD_REVISION in versions.env when its output changes.
  # Comments in versions.env are not hashed either, so editing them rebuilds nothing.
  key=$({ grep -v '^#' versions.env; cat "$dir/go.mod" "$dir/go.sum"; } | sha256sum | cut -c1-12)
  out="$cache_root/$name/$version-$key"
  if [ ! -f "$out/.complete" ]; then
    mkdir -p "$cache_root/$name"
    # Two test runs starting together wait for one build instead of compiling twice.
    exec 9>"$cache_root/$name/.lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
  fi
  if [ -f "$out/.complete" ]; then
    echo "$name=$out/bin/$binary"
    exec 9>&-
    return 0
  fi

  need=$(sed -nE 's/^go ([0-9.]+)$/\1/p' "$dir/go.mod")
  have=$(go env GOVERSION | sed -E 's/^go//; s/[^0-9.].*$//')
  [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" = "$need" ] \
    || die "Go $have is too old for $name; it needs Go >= $need."

  log "building $name $version into $out"
  start=$(date +%s)
  (cd "$dir" && go mod download) >/dev/null 2>&1 \
    || die "cannot download Go modules for $name; check that the Go module proxy (GOPROXY=$(go env GOPROXY)) is reachable."
  log "$name: modules ready in $(( $(date +%s) - start )) s"

  tmp="$out.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp/bin"
  trap 'rm -rf "$tmp"' EXIT
  total=$(cd "$dir" && go list -deps "$pkg" | wc -l)
  start=$(date +%s)
  # -v prints each package as it is compiled: turn that into a progress line every 30 s.
  (cd "$dir" && go build -v -ldflags "$ldflags" -o "$tmp/bin/$binary" "$pkg") 2>&1 | awk -v total="$total" -v start="$start" -v name="$name" '
    / / { print > "/dev/stderr"; next }  # package paths have no spaces; diagnostics do
    { n++; now = systime(); if (now - last >= 30) { last = now; printf "emulators: %s: compiled %d/%d packages (%ds)\n", name, n, total, now - start > "/dev/stderr" } }
  ' || true
  [ -x "$tmp/bin/$binary" ] || die "go build of $name failed (see the lines above)."
  echo "$(( $(date +%s) - start ))" > "$tmp/build-seconds"
  rm -rf "$out" && mv "$tmp" "$out" && touch "$out/.complete"
  trap - EXIT
  exec 9>&-
  log "$name built in $(cat "$out/build-seconds") s"
  echo "$name=$out/bin/$binary"
}

build_minio() {
  local commit=${MINIO_VERSION##*-} stamp=${MINIO_VERSION#v0.0.0-} when
  stamp=${stamp%%-*}
  when="${stamp:0:4}-${stamp:4:2}-${stamp:6:2}T${stamp:8:2}:${stamp:10:2}:${stamp:12:2}Z"
  # `minio --version` names the commit. Version stays DEVELOPMENT.GOGET: a source build, which
  # never checks dl.min.io for updates.
  local m=github.com/minio/minio/cmd
  build_go minio minio "$MINIO_VERSION" github.com/minio/minio minio \
    "-s -w -X $m.ReleaseTag=DEVELOPMENT.${when//:/-} -X $m.CommitID=$commit -X $m.ShortCommitID=$commit -X $m.CopyrightYear=${stamp:0:4}"
}

build_fake_gcs() {
  build_go fake-gcs fake-gcs "$FAKE_GCS_VERSION" github.com/fsouza/fake-gcs-server fake-gcs-server "-s -w"
}

build_registry() {
  local v=github.com/distribution/distribution/v3/version
  build_go registry registry "$DISTRIBUTION_VERSION" github.com/distribution/distribution/v3/cmd/registry registry \
    "-s -w -X $v.version=$DISTRIBUTION_VERSION -X $v.mainpkg=github.com/distribution/distribution/v3"
}

install_skopeo() {
  local path
  if ! path=$(command -v skopeo); then
    command -v apt-get >/dev/null 2>&1 || die "skopeo is not installed and there is no apt-get; install skopeo >= 1.9 with the system's package manager."
    [ "$(id -u)" = 0 ] || die "skopeo is not installed; run: sudo apt-get install -y skopeo"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache policy skopeo 2>/dev/null | grep -qE 'Candidate: [0-9]'; then
      log "refreshing the apt package lists"
      apt_get update -qq || die "apt-get update failed; check that the Debian mirror is reachable."
    fi
    log "installing skopeo from apt"
    apt_get install -y -qq --no-install-recommends skopeo || die "apt-get install skopeo failed (see the lines above)."
    path=$(command -v skopeo) || die "skopeo is still not on PATH after apt-get install."
  fi
  echo "skopeo=$path"
}

[ $# -gt 0 ] || set -- all
for target in "$@"; do
  case "$target" in
    minio) build_minio ;;
    fake-gcs) build_fake_gcs ;;
    registry) build_registry ;;
    skopeo) install_skopeo ;;
    all) build_fake_gcs; build_registry; build_minio; install_skopeo ;;
    *) die "unknown component '$target'; expected minio, fake-gcs, registry, skopeo or all." ;;
  esac
done
