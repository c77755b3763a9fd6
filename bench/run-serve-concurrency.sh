#!/usr/bin/env bash
# Served throughput with continuous batching: starts `peregrine serve` on the TinyLlama-shape q8_0 model and runs
# `peregrine bench-serve` at concurrency 1, 4 and 8 (requests = 2 x concurrency, streamed, greedy).
# Writes bench/results/<date>-serve-concurrency-<NEW>.json and a markdown table next to it (bench/SERVE.md quotes both runs).
#   NEW=32  THREADS=2  MODEL=/tmp/peregrine-bench/tinyllama-q8_0.gguf
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL="${MODEL:-/tmp/peregrine-bench/tinyllama-q8_0.gguf}"
NEW="${NEW:-32}" THREADS="${THREADS:-2}" PORT="${PORT:-18090}"
DATE="$(date +%Y-%m-%d)"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl engine compile)
source "$ROOT/bench/bench-models.sh"
bench_write_model tinyllama q8_0 "$MODEL"
"$ROOT/peregrine" --help > /dev/null
"$ROOT/peregrine" serve --model "$MODEL" --threads "$THREADS" --port "$PORT" --gateway-port 0 > /tmp/peregrine-bench-serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/ping" > /dev/null; do kill -0 $PID || exit 1; sleep 1; done
# warm-up: JIT and page cache
"$ROOT/peregrine" bench-serve --url "http://127.0.0.1:$PORT" --concurrency 2 --requests 2 --max-new-tokens 8 > /dev/null
OUT="$ROOT/bench/results/$DATE-serve-concurrency-$NEW.json"
echo "[" > "$OUT"
for c in 1 4 8; do
  r=$("$ROOT/peregrine" bench-serve --url "http://127.0.0.1:$PORT" --concurrency $c --requests $((2 * c)) --max-new-tokens "$NEW" --json)
  echo "$r" >&2
  [ $c = 1 ] || echo "," >> "$OUT"
  echo "$r" >> "$OUT"
done
echo "]" >> "$OUT"
node - "$OUT" "${OUT%.json}.md" "$MODEL" "$NEW" "$THREADS" <<'JS'
const fs = require("fs");
const [out, md, model, n, threads] = process.argv.slice(2);
const rs = JSON.parse(fs.readFileSync(out, "utf8"));
const base = rs[0].output_tokens_per_s;
const rows = rs.map(r => `| ${r.concurrency} | ${r.requests} | ${r.output_tokens_per_s} | ${(r.output_tokens_per_s / base).toFixed(2)}× | ${r.ttft_ms.p50} / ${r.ttft_ms.p99} | ${r.itl_ms.p50} / ${r.itl_ms.p99} |`);
fs.writeFileSync(md, [
  "# Served throughput (continuous batching)", "",
  `${new Date().toISOString().slice(0, 10)}: \`peregrine serve\` on ${model.split("/").pop()} (random weights, TinyLlama shape), ${threads} threads;`,
  `\`peregrine bench-serve\` streaming ${n} new tokens per request, 2 requests per client.`, "",
  "| concurrency | requests | output tokens/s | vs c=1 | TTFT ms p50 / p99 | ITL ms p50 / p99 |",
  "| --- | --- | --- | --- | --- | --- |", ...rows, "",
  "Command: `bench/run-serve-concurrency.sh`; raw results: `bench/results/" + out.split("/").pop() + "`.", ""].join("\n"));
JS
cat "${OUT%.json}.md"
