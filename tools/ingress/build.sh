#!/usr/bin/env bash
# Builds the ingress controller of the real-traffic tests (Traefik, Kubernetes Ingress provider) into
# a cache outside the clone and prints `traefik=<path>` on stdout (progress goes to stderr). Skips
# what the cache holds. Source: the Traefik module from the Go module proxy at TRAEFIK_VERSION, built
# as its own main module (so its go.sum pins every dependency), with the two unserved forks swapped
# for the originals and the ACME DNS providers left out (see versions.env).
#   IRO_CACHE_DIR   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
# shellcheck source=versions.env
. ./versions.env

log() { echo "ingress: $*" >&2; }
die() { echo "ingress: error: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not installed; install Go >= 1.26 (Traefik is compiled from the Go module proxy)."
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"

cache_root="${IRO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator}"
key=$({ grep -v '^#' versions.env; cat traefik/*; } | sha256sum | cut -c1-12)
out="$cache_root/traefik/$TRAEFIK_VERSION-$key"
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$cache_root/traefik"
  exec 9>"$cache_root/traefik/.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
fi
if [ -f "$out/.complete" ]; then
  echo "traefik=$out/bin/traefik"
  exit 0
fi

module_dir() { # <module@version> → its folder in the module cache (downloaded and verified)
  go mod download -json "$1" | sed -nE 's/^\t"Dir": "(.*)",?$/\1/p'
}

log "building Traefik $TRAEFIK_VERSION into $out"
start=$(date +%s)
tmp="$out.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp/bin"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
traefik_dir=$(module_dir "github.com/traefik/traefik/v3@$TRAEFIK_VERSION") && [ -n "$traefik_dir" ] \
  || die "cannot download github.com/traefik/traefik/v3@$TRAEFIK_VERSION; check that the Go module proxy (GOPROXY=$(go env GOPROXY)) is reachable."
auth_dir=$(module_dir "github.com/abbot/go-http-auth@$GO_HTTP_AUTH_VERSION") && [ -n "$auth_dir" ] \
  || die "cannot download github.com/abbot/go-http-auth@$GO_HTTP_AUTH_VERSION."
mux_dir=$(module_dir "github.com/gorilla/mux@$GORILLA_MUX_VERSION") && [ -n "$mux_dir" ] \
  || die "cannot download github.com/gorilla/mux@$GORILLA_MUX_VERSION."
lego_version=$(sed -nE 's/^\tgithub.com\/go-acme\/lego\/v5 (v[^ ]+).*$/\1/p' "$traefik_dir/go.mod")
lego_dir=$(module_dir "github.com/go-acme/lego/v5@$lego_version") && [ -n "$lego_dir" ] \
  || die "cannot download github.com/go-acme/lego/v5@$lego_version."
cp -r "$traefik_dir" "$tmp/src" && cp -r "$auth_dir" "$tmp/go-http-auth" && cp -r "$mux_dir" "$tmp/mux" && cp -r "$lego_dir" "$tmp/lego"
chmod -R u+w "$tmp"
# go-http-auth: the original plus what the fork added.
cp traefik/go-http-auth-compat.go "$tmp/go-http-auth/"
printf 'module github.com/abbot/go-http-auth\n\ngo 1.21\n' > "$tmp/go-http-auth/go.mod"
# gorilla/mux: the original plus what the fork added.
cp traefik/gorilla-mux-compat.go "$tmp/mux/"
# lego: no ACME DNS providers (their SDKs are most of the build; some are not served).
rm -f "$tmp/lego/providers/dns/zz_gen_dns_providers.go" "$tmp/lego/providers/dns/dns_providers_test.go"
cp traefik/lego-dns-providers.go "$tmp/lego/providers/dns/"
# The nested dynamic/ext module the module zip leaves out.
mkdir -p "$tmp/src/pkg/config/dynamic/ext"
cp traefik/dynamic-ext.go "$tmp/src/pkg/config/dynamic/ext/ext.go"
printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.21\n' > "$tmp/src/pkg/config/dynamic/ext/go.mod"
cd "$tmp/src"
go mod edit \
  -replace "github.com/abbot/go-http-auth=../go-http-auth" \
  -replace "github.com/go-acme/lego/v5=../lego" \
  -replace "github.com/gorilla/mux=../mux"
log "modules ready in $(( $(date +%s) - start )) s"

pkg=./cmd/traefik
total=$(go list -mod=readonly -deps "$pkg" | wc -l)
start=$(date +%s)
v=github.com/traefik/traefik/v3/pkg/version
(go build -mod=readonly -v -ldflags "-s -w -X $v.Version=$TRAEFIK_VERSION -X $v.Codename=iro-test" -o "$tmp/bin/traefik" "$pkg") 2>&1 | awk -v total="$total" -v start="$start" '
  / / { print > "/dev/stderr"; next }
  { n++; now = systime(); if (now - last >= 30) { last = now; printf "ingress: traefik: compiled %d/%d packages (%ds)\n", n, total, now - start > "/dev/stderr" } }
' || true
[ -x "$tmp/bin/traefik" ] || die "go build of Traefik failed (see the lines above)."
echo "$(( $(date +%s) - start ))" > "$tmp/build-seconds"
cd "$here"
mkdir -p "$out.new" && mv "$tmp/bin" "$tmp/build-seconds" "$out.new/"
rm -rf "$out" && mv "$out.new" "$out" && touch "$out/.complete"
log "traefik built in $(cat "$out/build-seconds") s"
echo "traefik=$out/bin/traefik"
