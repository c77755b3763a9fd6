#!/usr/bin/env bash
# Peregrine vs llama.cpp on benchmark-shaped random models: prefill of a 128-token prompt and decode of 64 tokens,
# 2 threads, one warm-up excluded. Runs alternate (llama.cpp, Peregrine, llama.cpp, ...) for $ROUNDS rounds because
# the host's memory bandwidth drifts; the summary quotes medians and Peregrine/llama.cpp ratios.
# Writes bench/results/<date>-llamacpp-comparison.json and bench/RESULTS.md.
#   ROUNDS=3  MODELS="tinyllama:q8_0 tinyllama:q4_0 falcon-7b:q4_0"  BENCH_MODEL_DIR=/tmp/peregrine-bench
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
MODELS="${MODELS:-tinyllama:q8_0 tinyllama:q4_0 falcon-7b:q4_0}"
DIR="${BENCH_MODEL_DIR:-/tmp/peregrine-bench}"
THREADS=2 PROMPT=128 NEW=64
DATE="$(date +%Y-%m-%d)"
RAW="$(mktemp)"

bash "$ROOT/tools/oracle/setup.sh"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl engine compile)
mkdir -p "$DIR" "$ROOT/bench/results"

source "$ROOT/bench/bench-models.sh"
for m in $MODELS; do bench_write_model "${m%%:*}" "${m##*:}" "$DIR/${m%%:*}-${m##*:}.gguf"; done
# builds the CLI once, outside the timed runs
"$ROOT/peregrine" --help >/dev/null || { echo "peregrine CLI does not build or run; not benchmarking" >&2; exit 1; }

tag() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s.trim().split("\n").pop());
  console.log(JSON.stringify({engine:process.argv[1],model:process.argv[2],round:+process.argv[3],result:r}))})' "$@"; }
for round in $(seq 1 "$ROUNDS"); do
  for m in $MODELS; do
    file="$DIR/${m%%:*}-${m##*:}.gguf"
    echo "round $round: $m llama.cpp" >&2
    node "$ROOT/tools/oracle/bench.mjs" --model "$file" --prompt-tokens $PROMPT --new-tokens $NEW --threads $THREADS --reps 1 \
      | tag llama.cpp "$m" "$round" >> "$RAW"
    echo "round $round: $m peregrine" >&2
    "$ROOT/peregrine" bench --model "$file" --prompt-tokens $PROMPT --new-tokens $NEW --threads $THREADS --reps 1 --json \
      | tag peregrine "$m" "$round" >> "$RAW"
  done
done

CMD="ROUNDS=$ROUNDS MODELS=\"$MODELS\" bench/run-llamacpp-comparison.sh"
node "$ROOT/bench/summarize-comparison.mjs" "$RAW" "$ROOT/bench/results/$DATE-llamacpp-comparison.json" "$ROOT/bench/RESULTS.md" "$CMD"
rm -f "$RAW"
