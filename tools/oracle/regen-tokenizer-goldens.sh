#!/usr/bin/env bash
# Regenerates engine/src/test/resources/golden/tokenizer/*.json: llama.cpp's token ids for the tokenizer test
# vocabularies (written deterministically by the engine's test code) over the golden corpus.
# Needs the oracle (tools/oracle/setup.sh) and node; the tests themselves only read the committed files.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/engine/src/test/resources/golden/tokenizer"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

JAVA="${JAVA:-}"
if [ -z "$JAVA" ]; then
  for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*25*/bin/java; do
    if [ -x "$j" ]; then JAVA="$j"; break; fi
  done
fi
: "${JAVA:=java}"

(cd "$ROOT" && ./mvnw -q -B -pl engine test-compile)
"$JAVA" -cp "$ROOT/engine/target/classes:$ROOT/engine/target/test-classes" \
  ai.peregrine.engine.tokenizer.WriteTokenizerFixtures "$WORK"
mkdir -p "$OUT"
for gguf in "$WORK"/*.gguf; do
  name="$(basename "$gguf" .gguf)"
  node "$HERE/tokenize.mjs" "$gguf" "$WORK/strings.json" > "$OUT/$name.json"
  echo "wrote $OUT/$name.json" >&2
done
