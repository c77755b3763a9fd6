#!/usr/bin/env bash
# Regenerates llama.cpp goldens: its tokenization, teacher-forced top-K log-probabilities and greedy continuations
#   regen-reference.sh [gguf] [NAME...]  engine/src/test/resources/golden/reference/*.json, for each tiny random GGUF
#                              model (ReferenceModels.java), or only the named ones
#   regen-reference.sh hf      engine/src/test/resources/golden/hf-reference/*.json, for each tiny Hugging Face
#                              checkpoint (HfFixtures.java) as Peregrine converts it to an F32 GGUF
#   KV=f16 regen-reference.sh [gguf] NAME...  llama.cpp with its default f16 KV cache, into golden/reference-kv-f16
#                              (what Peregrine's --kv-cache-type f16 is checked against)
# Models go to a scratch directory ($REFERENCE_MODEL_DIR, default /tmp/peregrine-reference-models), never into git.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tools/oracle"
MODE=gguf
if [ "${1:-}" = gguf ] || [ "${1:-}" = hf ]; then MODE="$1"; shift; fi
case "$MODE" in
  gguf) WRITER=ai.peregrine.engine.reference.WriteReferenceModels; OUT="$ROOT/engine/src/test/resources/golden/reference" ;;
  hf) WRITER=ai.peregrine.engine.reference.WriteHfReferenceModels; OUT="$ROOT/engine/src/test/resources/golden/hf-reference"
      if [ $# -gt 0 ]; then echo "usage: regen-reference.sh [gguf] [NAME...] | regen-reference.sh hf" >&2; exit 2; fi ;;
esac
MODELS="${REFERENCE_MODEL_DIR:-/tmp/peregrine-reference-models}"
KV="${KV:-f32}"   # Peregrine's default f32 KV cache; llama.cpp's default f16 one adds ~3e-3 of its own rounding
if [ "$KV" = f16 ]; then
  [ "$MODE" = gguf ] || { echo "KV=f16 goldens are made for GGUF reference models only" >&2; exit 2; }
  OUT="$OUT-kv-f16"
fi
PROMPTS=(
  "Hello, world! The quick brown fox jumps over the lazy dog."
  "Once upon a time, in a small village near the mountains, there lived"
  $'<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n'
  "for (int i = 0; i < n; i++) { total += values[i]; } // 42 café 🚀"
)

bash "$HERE/setup.sh"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl engine test-compile)
mkdir -p "$MODELS" "$OUT"
(cd "$ROOT" && ./mvnw -q -B -pl engine dependency:build-classpath -Dmdep.outputFile="$MODELS/classpath.txt" >&2)
names=$("$PEREGRINE_JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/engine/target/test-classes:$ROOT/engine/target/classes:$(cat "$MODELS/classpath.txt")" "$WRITER" "$MODELS" "$@" \
  2> >(grep -v "^WARNING: Using incubator modules" >&2))

for name in $names; do
  model="$MODELS/$name.gguf"
  cases=()
  for prompt in "${PROMPTS[@]}"; do
    cases+=("$(node "$HERE/reference.mjs" --model "$model" --prompt "$prompt" --kv "$KV" --top 8 --n 16 --threads 2)")
  done
  printf '%s\n' "${cases[@]}" | node -e '
    const [name, file, sha] = process.argv.slice(1);
    const cases = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
    const first = cases[0];
    // 1e-9 is far below any comparison tolerance and halves the file size
    const round = top => top.map(([id, lp]) => [id, Math.round(lp * 1e9) / 1e9]);
    for (const c of cases) { c.positions = c.positions.map(round); c.steps = c.steps.map(round); }
    const golden = { model: name, sha256: sha, llama_cpp: first.llama_cpp, kv: first.kv, top: first.top,
      cases: cases.map(c => ({ prompt: c.prompt, prompt_tokens: c.prompt_tokens, positions: c.positions, generated: c.generated, steps: c.steps })) };
    process.stdout.write(JSON.stringify(golden) + "\n");
  ' "$name" "$model" "$(sha256sum "$model" | cut -d" " -f1)" > "$OUT/$name.json"
  echo "wrote $OUT/$name.json" >&2
done
