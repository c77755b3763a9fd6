#!/usr/bin/env bash
# A 512-token greedy decode after a warm-up one, per model: heap bytes allocated per token (all threads), GCs during
# the measured decode, and resident set against file + KV cache (benchmarks module, DecodeProfile). The JVM's GC log
# for the whole run goes next to the results, so any pause is there to see.
#   MODELS="tinyllama:q8_0 tinyllama:q4_0"  TOKENS=512  BENCH_MODEL_DIR=/tmp/peregrine-bench
#   PEREGRINE_CACHE=~/.cache/peregrine (repacked q4_0 weights mapped from $PEREGRINE_CACHE/repacked, as the CLI does)
# Writes bench/results/<date>-decode-profile.json (one line per model) and <date>-decode-profile-<model>-gc.log.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODELS="${MODELS:-tinyllama:q8_0 tinyllama:q4_0}"
TOKENS="${TOKENS:-512}"
DIR="${BENCH_MODEL_DIR:-/tmp/peregrine-bench}"
DATE="$(date +%Y-%m-%d)"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
mkdir -p "$DIR" "$ROOT/bench/results"
OUT="$ROOT/bench/results/$DATE-decode-profile.json"
: > "$OUT"
source "$ROOT/bench/bench-models.sh"
for m in $MODELS; do
  file="$DIR/${m%%:*}-${m##*:}.gguf"
  bench_write_model "${m%%:*}" "${m##*:}" "$file"
  "$PEREGRINE_JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000 -Xmn64m \
    -Xlog:gc*:file="$ROOT/bench/results/$DATE-decode-profile-${m/:/-}-gc.log"::filecount=0 \
    -cp "$ROOT/benchmarks/target/peregrine-benchmarks.jar" ai.peregrine.benchmarks.DecodeProfile "$file" "$TOKENS" 2 \
    "${PEREGRINE_CACHE:-$HOME/.cache/peregrine}/repacked" \
    2> >(grep -v "^WARNING" >&2) | tee -a "$OUT"
done
