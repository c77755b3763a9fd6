# Sourced by the bench scripts (after scripts/find-java.sh and an engine build). The benchmark models are random-weight
# files with the real shapes, written by a deterministic generator: an existing file is the same model unless the
# generator changed, and FORCE=1 rewrites it.
# bench_write_model NAME TYPE FILE   e.g. bench_write_model tinyllama q8_0 /tmp/peregrine-bench/tinyllama-q8_0.gguf
bench_write_model() {
  if [ ! -f "$3" ] || [ "${FORCE:-0}" = 1 ]; then
    mkdir -p "$(dirname "$3")"
    "$PEREGRINE_JAVA" -cp "$ROOT/engine/target/classes" ai.peregrine.engine.synthetic.WriteRandomModel "$1" "$2" "$3"
  fi
}
