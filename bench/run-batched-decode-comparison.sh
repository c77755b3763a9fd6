#!/usr/bin/env bash
# Batched decode, Peregrine vs llama.cpp: aggregate tokens/s with 1 and with N sequences decoding at once, 2 threads,
# on benchmark-shaped random models. llama.cpp: tools/oracle/batched.mjs (one context, N sequences, one llama_decode
# per step); Peregrine: the engine's BatchSteps (one BatchDecoder step for N sessions). Both count steady-state steps
# only (32 new tokens, the first excluded), each after its own warm-up. Runs alternate (llama.cpp, Peregrine, ...) for
# $ROUNDS rounds; the summary quotes medians, each engine's N-vs-1 scaling and Peregrine/llama.cpp at each count.
# Writes bench/results/<date>-batched-decode-comparison.{json,md}.
#   ROUNDS=3  MODELS="tinyllama:q8_0 tinyllama:q4_0"  SEQUENCES=1,8  BENCH_MODEL_DIR=/tmp/peregrine-bench
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
MODELS="${MODELS:-tinyllama:q8_0 tinyllama:q4_0}"
SEQUENCES="${SEQUENCES:-1,8}"
DIR="${BENCH_MODEL_DIR:-/tmp/peregrine-bench}"
THREADS=2 NEW=32
DATE="$(date +%Y-%m-%d)"
RAW="$(mktemp)"

bash "$ROOT/tools/oracle/setup.sh"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
mkdir -p "$DIR" "$ROOT/bench/results"
source "$ROOT/bench/bench-models.sh"
for m in $MODELS; do bench_write_model "${m%%:*}" "${m##*:}" "$DIR/${m%%:*}-${m##*:}.gguf"; done

for round in $(seq 1 "$ROUNDS"); do
  for m in $MODELS; do
    file="$DIR/${m%%:*}-${m##*:}.gguf"
    echo "round $round: $m llama.cpp" >&2
    node "$ROOT/tools/oracle/batched.mjs" --model "$file" --sequences "$SEQUENCES" --new-tokens $NEW --threads $THREADS \
      --reps 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);
        for (const x of r.sequences) console.log(JSON.stringify({engine:"llama.cpp",model:process.argv[1],round:+process.argv[2],
          sequences:x.sequences,tok_s:x.aggregate_tok_s}))})' "$m" "$round" >> "$RAW"
    echo "round $round: $m peregrine" >&2
    # the launcher's flags (see ./peregrine)
    "$PEREGRINE_JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
      -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000 -Xmn64m \
      -cp "$ROOT/benchmarks/target/peregrine-benchmarks.jar" ai.peregrine.benchmarks.BatchSteps "$file" $THREADS "$SEQUENCES" $NEW 1 \
      2> >(grep -v "^WARNING" >&2) | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);
        for (const x of r.batches) console.log(JSON.stringify({engine:"peregrine",model:process.argv[1],round:+process.argv[2],
          sequences:x.batch,tok_s:x.tokens_per_s}))})' "$m" "$round" >> "$RAW"
  done
done
node "$ROOT/bench/summarize-batched-comparison.mjs" "$RAW" "$ROOT/bench/results/$DATE-batched-decode-comparison.json" \
  "$ROOT/bench/results/$DATE-batched-decode-comparison.md" \
  "ROUNDS=$ROUNDS MODELS=\"$MODELS\" SEQUENCES=$SEQUENCES bench/run-batched-decode-comparison.sh"
cat "$ROOT/bench/results/$DATE-batched-decode-comparison.md"
rm -f "$RAW"
