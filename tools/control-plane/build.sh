#!/usr/bin/env bash
# Builds the control-plane multi-call binary into a cache outside the clone and prints
# that folder as the last line of stdout. Skips the build when the cache already holds it.
#   IRO_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
# shellcheck source=versions.env
. ./versions.env

log() { echo "control-plane: $*" >&2; }
die() { echo "control-plane: error: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not installed; install Go >= 1.26 (the build needs it and the Go module proxy)."
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath -buildvcs=false"
go_minor=$(go env GOVERSION | sed -nE 's/^go1\.([0-9]+).*/\1/p')
[ "${go_minor:-0}" -ge 26 ] || die "Go $(go env GOVERSION) is too old; Kubernetes ${KUBERNETES_VERSION} needs Go >= 1.26."

# build.sh itself is not hashed: bump BUILD_REVISION in versions.env when its output changes.
key=$(cat versions.env go.mod go.sum ./*.go | sha256sum | cut -c1-12)
cache_root="${IRO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator}"
out="$cache_root/control-plane/${KUBERNETES_VERSION}-${key}"
# One symlink per component of the multi-call binary. Also run on a cached folder, so a component
# added here (not to the binary) needs no rebuild.
components="etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kubelet kube-proxy"
link_components() {
  for c in $components; do
    [ -e "$1/bin/$c" ] || ln -s kube "$1/bin/$c" 2>/dev/null || [ -e "$1/bin/$c" ]
  done
}
if [ ! -f "$out/.complete" ]; then
  # Two runs starting together on a cold machine wait for one build instead of compiling twice.
  mkdir -p "$cache_root/control-plane"
  exec 9>"$cache_root/control-plane/.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
fi
if [ -f "$out/.complete" ]; then
  link_components "$out"
  echo "$out"
  exit 0
fi

log "building Kubernetes ${KUBERNETES_VERSION}, etcd ${ETCD_VERSION}, kwok ${KWOK_VERSION} into $out"
log "a cold build takes 20-40 minutes on 2 cores; later runs reuse the cache"
go mod download >/dev/null 2>&1 || die "cannot download Go modules; check that the Go module proxy (GOPROXY=$(go env GOPROXY)) is reachable."

tmp="$out.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp/bin"
trap 'rm -rf "$tmp"' EXIT

major=${KUBERNETES_VERSION#v}; minor=${major#*.}; major=${major%%.*}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=${KUBERNETES_VERSION} -X $pkg.gitMajor=${major} -X $pkg.gitMinor=${minor}"
  ldflags+=" -X $pkg.gitCommit=0000000000000000000000000000000000000000 -X $pkg.gitTreeState=clean"
  ldflags+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

total=$(go list -deps . | wc -l)
start=$(date +%s)
# -v prints each package as it is compiled: turn that into a progress line every 30 s.
go build -v -ldflags "$ldflags" -o "$tmp/bin/kube" . 2>&1 | awk -v total="$total" -v start="$start" '
  / / { print > "/dev/stderr"; next }  # package paths have no spaces; diagnostics do
  { n++; now = systime(); if (now - last >= 30) { last = now; printf "control-plane: compiled %d/%d packages (%ds)\n", n, total, now - start > "/dev/stderr" } }
' || true
[ -x "$tmp/bin/kube" ] || die "go build failed (see the lines above)."
link_components "$tmp"

# kwok v0.8 ships no default stages: assemble the "fast" set from its module.
kwok_dir=$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
         pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
  [ -f "$kwok_dir/kustomize/stage/$f" ] || die "kwok stage $f not found in $kwok_dir"
  echo "---"; cat "$kwok_dir/kustomize/stage/$f"
done > "$tmp/stages.yaml"

"$tmp/bin/kube-apiserver" --version >&2
echo "$(( $(date +%s) - start ))" > "$tmp/build-seconds"
rm -rf "$out" && mv "$tmp" "$out" && touch "$out/.complete"
trap - EXIT
log "built in $(cat "$out/build-seconds") s"
echo "$out"
