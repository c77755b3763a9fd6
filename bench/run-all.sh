#!/usr/bin/env bash
# Every benchmark, one after the other (about an hour here; run it on a quiet machine):
#   1. JMH kernel microbenchmarks (bench/run-jmh.sh; shortened: 2 warm-up and 3 measured iterations)
#   2. Peregrine vs llama.cpp on the same GGUF files (run-llamacpp-comparison.sh → RESULTS.md, comparison.svg)
#   3. a 512-token decode's heap allocation, GCs and resident set (run-decode-profile.sh)
#   4. served throughput at concurrency 1/4/8 with 32 and 128 new tokens (run-serve-concurrency.sh)
#   5. batched decode steps through the engine alone, batch 1/4/8 (run-batch-steps.sh)
#   6. batched decode against llama.cpp's own batching, 1 and 8 sequences (run-batched-decode-comparison.sh)
#   7. the machine's FMA and read-bandwidth ceilings as Java sees them (run-roofline.sh)
# Results land in bench/results/; environment variables of the scripts (ROUNDS, MODELS, ...) pass through.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/run-jmh.sh" -wi 2 -i 3
"$HERE/run-llamacpp-comparison.sh"
"$HERE/run-decode-profile.sh"
NEW=32 "$HERE/run-serve-concurrency.sh"
NEW=128 "$HERE/run-serve-concurrency.sh"
"$HERE/run-batch-steps.sh"
"$HERE/run-batched-decode-comparison.sh"
"$HERE/run-roofline.sh"
