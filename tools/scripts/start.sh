#!/usr/bin/env bash
# The one "run it" command (README): bootstrap what the run needs, then a local control plane with the CRDs
# and every app running against it as its own process (own ServiceAccount, shipped RBAC), until Ctrl-C.
#   npm start [-- --real-node] [-- --bootstrap] [-- --once] [-- --control-plane-only]
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="${IRO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/image-registry-operator}"
# The storage emulators (MinIO, fake-gcs, Azurite) are for tests: an emptyDir start needs only the
# registry binary that registry-auth fronts locally.
first=""
[ -d node_modules ] || first="$first npm dependencies (~2 min),"
compgen -G "$cache/control-plane/*/.complete" >/dev/null || first="$first control-plane binaries from the Go module proxy (~5-10 min),"
compgen -G "$cache/registry/*/.complete" >/dev/null || first="$first the registry binary (~2 min),"
if [ -n "$first" ]; then
  echo "start: first run, building:${first%,} — later runs start in seconds" >&2
fi
IRO_BOOTSTRAP_EMULATORS=registry IRO_BOOTSTRAP_INGRESS=0 bash tools/scripts/bootstrap.sh
if [[ " $* " == *" --real-node "* ]]; then
  echo "start: --real-node builds every image once (tools/images/build.sh, several minutes)" >&2
fi
exec node_modules/.bin/node tools/scripts/run-local.ts "$@"
