#!/usr/bin/env bash
# Regenerates engine/src/test/resources/golden/tokenizer/*.json: llama.cpp's token ids for the tokenizer test
# vocabularies (written deterministically by the engine's test code) over the golden corpus, and
# engine/src/test/resources/golden/hf-tokenizer/*.json: the same for GGUF files holding the tokenizer metadata that
# HfTokenizerFiles makes of each synthetic tokenizer.json flavour (what the model converter writes).
# Needs the oracle (tools/oracle/setup.sh) and node; the tests themselves only read the committed files.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
GOLDEN="$ROOT/engine/src/test/resources/golden"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

JAVA="${JAVA:-}"
if [ -z "$JAVA" ]; then
  for j in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*25*/bin/java; do
    if [ -x "$j" ]; then JAVA="$j"; break; fi
  done
fi
: "${JAVA:=java}"

(cd "$ROOT" && ./mvnw -q -B -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt")
CP="$ROOT/engine/target/classes:$ROOT/engine/target/test-classes:$(cat "$WORK/cp.txt")"
regen() { # WRITER-CLASS OUTPUT-DIR
  local work="$WORK/$2"
  "$JAVA" -cp "$CP" "ai.peregrine.engine.tokenizer.$1" "$work"
  mkdir -p "$GOLDEN/$2"
  for gguf in "$work"/*.gguf; do
    name="$(basename "$gguf" .gguf)"
    node "$HERE/tokenize.mjs" "$gguf" "$work/strings.json" > "$GOLDEN/$2/$name.json"
    echo "wrote $GOLDEN/$2/$name.json" >&2
  done
}
regen WriteTokenizerFixtures tokenizer
regen WriteHfTokenizerFixtures hf-tokenizer
