#!/usr/bin/env bash
# The one "run it" command (README): bootstrap, then a local control plane with the CRDs and every
# implemented app running against it as plain processes, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/bootstrap.sh
exec node_modules/.bin/node tools/scripts/run-local.ts "$@"
