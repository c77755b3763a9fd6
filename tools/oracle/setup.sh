#!/usr/bin/env bash
# Installs llama.cpp (node-llama-cpp 3.21.1 with its prebuilt linux-x64 CPU binary, from the npm
# registry) into $ORACLE_NODE_DIR (default: tools/oracle/node_modules next to this script).
# Used only to regenerate reference files and to run side-by-side benchmarks; the test suite does not need it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DIR="${ORACLE_NODE_DIR:-$HERE}"
if [ -f "$DIR/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node" ]; then exit 0; fi
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"peregrine-oracle","private":true,"type":"module"}' > package.json
# No GitHub download or source build: the prebuilt CPU binary comes from npm; GPU variants are skipped.
NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm i -E --omit=optional --ignore-scripts --no-audit --no-fund \
  node-llama-cpp@3.21.1 @node-llama-cpp/linux-x64@3.21.1 >&2
