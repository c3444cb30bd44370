#!/usr/bin/env bash
# Everything a fresh clone on a fresh machine needs before it can run or test, and nothing when it
# is already there: npm dependencies (incl. Node 24 as a devDependency), the real node's Debian packages
# (as root), the control-plane binaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { echo "bootstrap: $*" >&2; }
# shellcheck source=apt.sh
. tools/scripts/apt.sh

command -v npm >/dev/null 2>&1 || { say "error: npm is missing; install Node.js >= 20 with npm 10+ (it installs Node 24 for the workspace)"; exit 1; }
# node_modules/.iro-lock is the lock file the last install used: reinstall only when it changed.
if ! cmp -s package-lock.json node_modules/.iro-lock 2>/dev/null; then
  say "installing npm dependencies"
  # Not `npm ci`: the registry this project reaches serves only this platform's optional binaries
  # (rollup, esbuild), so the lock file cannot list the others and `npm ci` rejects it as out of sync.
  # `npm install` with the lock file present installs the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.iro-lock
fi
[ "$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]')" -ge 24 ] || { say "error: node_modules/.bin/node is not Node 24"; exit 1; }

# The real node (libs/testing/src/real-node) runs Debian's containerd, runc, CNI plugins and iptables. As root
# with apt, install what is missing (nothing when all is there); elsewhere the real-node tests say they did not run.
real_node_packages="containerd runc iptables containernetworking-plugins iproute2 util-linux"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $real_node_packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    say "installing the real node's Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt_get update -qq || { say "error: apt-get update failed; check that the Debian mirror is reachable"; exit 1; }
    # shellcheck disable=SC2086
    apt_get install -y -qq --no-install-recommends $missing || { say "error: apt-get install$missing failed (see above)"; exit 1; }
  fi
fi

# Each build's own failure ends the bootstrap (a substitution inside `say` would hide its exit status).
built=$(bash tools/control-plane/build.sh | tail -n 1) || { say "error: the control-plane build failed (see above)"; exit 1; }
say "control-plane binaries: $built"
# IRO_BOOTSTRAP_EMULATORS: which emulators to build (default all; npm start needs only the registry).
if [ -x tools/emulators/build.sh ]; then
  # shellcheck disable=SC2086
  built=$(bash tools/emulators/build.sh ${IRO_BOOTSTRAP_EMULATORS:-all} | paste -sd ' ') || { say "error: the emulator build failed (see above)"; exit 1; }
  say "emulators: $built"
fi
# IRO_BOOTSTRAP_INGRESS=0 skips Traefik (routes' real-traffic tests; npm start does not need it). Built
# here rather than on first use in a test hook, where a cold build on a busy machine outlived the hook.
if [ "${IRO_BOOTSTRAP_INGRESS:-1}" != 0 ] && [ "${IRO_TRAFFIC_TESTS:-1}" != 0 ]; then
  built=$(bash tools/ingress/build.sh | tail -n 1) || { say "error: the Traefik build failed (see above)"; exit 1; }
  say "ingress: $built"
fi
