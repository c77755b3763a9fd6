#!/usr/bin/env bash
# Batched decode steps through the engine alone (no HTTP, no scheduler): milliseconds per step and tokens/s at batch
# sizes 1, 4 and 8, rounds interleaved, medians (benchmarks module, BatchSteps). The most continuous batching can give.
#   MODEL=/tmp/peregrine-bench/tinyllama-q8_0.gguf  BATCHES=1,4,8  STEPS=32  ROUNDS=5  THREADS=2
# Writes bench/results/<date>-batch-steps-<model>.json.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL="${MODEL:-/tmp/peregrine-bench/tinyllama-q8_0.gguf}"
BATCHES="${BATCHES:-1,4,8}" STEPS="${STEPS:-32}" ROUNDS="${ROUNDS:-5}" THREADS="${THREADS:-2}"
DATE="$(date +%Y-%m-%d)"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
source "$ROOT/bench/bench-models.sh"
name="$(basename "$MODEL" .gguf)"
bench_write_model "${name%-*}" "${name##*-}" "$MODEL"
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$DATE-batch-steps-$(basename "$MODEL" .gguf).json"
# the launcher's flags (see ./peregrine): loop strip mining for the prefill tiles
"$PEREGRINE_JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:+UseCountedLoopSafepoints \
  -XX:LoopStripMiningIter=1000 -Xmn64m -cp "$ROOT/benchmarks/target/peregrine-benchmarks.jar" ai.peregrine.benchmarks.BatchSteps \
  "$MODEL" "$THREADS" "$BATCHES" "$STEPS" "$ROUNDS" 2> >(grep -v "^WARNING" >&2) | tee "$OUT"
