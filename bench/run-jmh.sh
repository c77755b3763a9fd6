#!/usr/bin/env bash
# JMH microbenchmarks of the engine's kernels (benchmarks module): single-thread mat-vec (decode, integer and f32
# paths) and 64-token mat-mat (prefill) on a 2048x2048 weight per type. Extra arguments go to JMH, e.g.
#   bench/run-jmh.sh -p type=Q4_0 -wi 5 -i 10
# Writes bench/results/<date>-jmh.json. Run on a quiet machine; kernel changes are compared run against run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
mkdir -p "$ROOT/bench/results"
"$PEREGRINE_JAVA" -jar "$ROOT/benchmarks/target/peregrine-benchmarks.jar" MatVecBenchmark \
  -rf json -rff "$ROOT/bench/results/$(date +%Y-%m-%d)-jmh.json" "$@"
