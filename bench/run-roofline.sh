#!/usr/bin/env bash
# This machine's ceilings as Java sees them (benchmarks module, Roofline): the Vector API's f32 FMA rate per thread
# and the read bandwidth of 1 and 2 threads over a buffer far larger than the caches. See README.md, "The roof".
#   MIB=1024
# Appends one JSON line to bench/results/<date>-roofline.json.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATE="$(date +%Y-%m-%d)"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
mkdir -p "$ROOT/bench/results"
"$PEREGRINE_JAVA" --add-modules jdk.incubator.vector -cp "$ROOT/benchmarks/target/peregrine-benchmarks.jar" \
  ai.peregrine.benchmarks.Roofline "${MIB:-1024}" 2> >(grep -v "^WARNING" >&2) | tee -a "$ROOT/bench/results/$DATE-roofline.json"
