#!/usr/bin/env bash
# Regenerates two goldens from llama.cpp's own code, as built in node-llama-cpp's prebuilt binary (the same build
# that makes the reference goldens); small C programs link against its libraries (needs gcc):
# - engine/src/test/resources/golden/quantizers.json: sha256s of what ggml makes of QuantizerGoldenInputs (its
#   reference K-quant and q5_0/q5_1 quantizers, its dequantizers, its q8_K activation quantizer; ggml_quant_ref.c). Checked by
#   GgmlQuantizerGoldenTest.
# - engine/src/test/resources/golden/quantize-mixes.json: each tensor's type and sha256 in the files llama.cpp's
#   llama_model_quantize (what llama-quantize runs) makes of MixGoldenModels' F32 models as Q4_K_M, Q5_K_M, ...
#   (llama_quantize.c, compiled against llama.h from the llama.cpp source bundled with node-llama-cpp). Checked by
#   QuantizationMixTest.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tools/oracle"
OUT="$ROOT/engine/src/test/resources/golden/quantizers.json"
MIXES="$ROOT/engine/src/test/resources/golden/quantize-mixes.json"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

bash "$HERE/setup.sh"
LIB="$(dirname "$(find -L "$HERE/node_modules/@node-llama-cpp/linux-x64" -name libggml-base.so -print -quit)")"
gcc -O2 -o "$WORK/ggml_quant_ref" "$HERE/ggml_quant_ref.c" -L"$LIB" -lggml-base -Wl,-rpath,"$LIB"
source "$ROOT/scripts/find-java.sh"
(cd "$ROOT" && ./mvnw -q -B -pl engine test-compile)
"$PEREGRINE_JAVA" -cp "$ROOT/engine/target/test-classes:$ROOT/engine/target/classes" \
  ai.peregrine.engine.tensor.QuantizerGoldenInputs "$WORK"

sha() { sha256sum "$1" | cut -d" " -f1; }
q="" d="" r=""
for t in q4_K q5_K q6_K q5_0 q5_1; do
  "$WORK/ggml_quant_ref" quantize "$t" "$WORK/values.f32" "$WORK/$t.bin"
  "$WORK/ggml_quant_ref" dequantize "$t" "$WORK/$t.bin" "$WORK/$t.f32"
  "$WORK/ggml_quant_ref" dequantize "$t" "$WORK/random-$t.bin" "$WORK/random-$t.f32"
  q+="${q:+, }\"$t\": \"$(sha "$WORK/$t.bin")\""
  d+="${d:+, }\"$t\": \"$(sha "$WORK/$t.f32")\""
  r+="${r:+, }\"$t\": \"$(sha "$WORK/random-$t.f32")\""
done
"$WORK/ggml_quant_ref" quantize q8_K "$WORK/values.f32" "$WORK/q8_K.bin"
release="$(node -e 'const i = require(process.argv[1]); process.stdout.write(i.llamaCppGithubRepo + " " + i.tag)' \
  "$HERE/node_modules/node-llama-cpp/llama/llama.cpp.info.json")"
cat > "$OUT" <<JSON
{
  "ggml": "$release (libggml-base.so of node-llama-cpp's prebuilt linux-x64 CPU build)",
  "values_sha256": "$(sha "$WORK/values.f32")",
  "quantized": {$q},
  "dequantized": {$d},
  "random_dequantized": {$r},
  "q8_K": "$(sha "$WORK/q8_K.bin")"
}
JSON
echo "wrote $OUT" >&2

# llama.h and the ggml headers of exactly this build, from the source bundle node-llama-cpp ships
git clone -q --no-checkout "$HERE/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$WORK/llama.cpp"
git -C "$WORK/llama.cpp" checkout -q HEAD -- include ggml/include
gcc -O1 -o "$WORK/llama_quantize" "$HERE/llama_quantize.c" -I"$WORK/llama.cpp/include" -I"$WORK/llama.cpp/ggml/include" \
  -L"$LIB" "$(ls "$LIB"/libllama.v*.so)" "$(ls "$LIB"/libggml.v*.so)" -lggml-base -Wl,-rpath,"$LIB"
CP="$ROOT/engine/target/test-classes:$ROOT/engine/target/classes"
"$PEREGRINE_JAVA" -cp "$CP" ai.peregrine.engine.synthetic.MixGoldenModels write "$WORK/mix" > "$WORK/mix.list"
models=""
while read -r name ftype kind; do
  "$WORK/llama_quantize" "$WORK/mix/$name.f32.gguf" "$WORK/mix/$name.gguf" "$ftype" "$kind" > "$WORK/mix/$name.log" 2>&1 \
    || { cat "$WORK/mix/$name.log" >&2; exit 1; }
  models+="${models:+,
    }$("$PEREGRINE_JAVA" -cp "$CP" ai.peregrine.engine.synthetic.MixGoldenModels describe "$name" "$WORK/mix/$name.gguf")"
done < "$WORK/mix.list"
cat > "$MIXES" <<JSON
{
  "llama_cpp": "$release (llama_model_quantize of node-llama-cpp's prebuilt linux-x64 CPU build)",
  "models": {
    $models
  }
}
JSON
echo "wrote $MIXES" >&2
