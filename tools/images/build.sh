#!/usr/bin/env bash
# One command for every image: see build.ts. Runs with the workspace's Node 24.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
exec node_modules/.bin/node tools/images/build.ts "$@"
