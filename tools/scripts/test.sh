#!/usr/bin/env bash
# The one test command (README, .ci/run): bootstrap, then lint, typecheck and every vitest project
# (unit and integration against real control planes), then one closing line with the totals.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/scripts/bootstrap.sh
export PATH="$PWD/node_modules/.bin:$PATH"
rm -rf tmp/test-results
status=0
nx run-many -t lint typecheck test --outputStyle=static "$@" || status=$?
node tools/scripts/test-summary.ts tmp/test-results || status=1
exit "$status"
