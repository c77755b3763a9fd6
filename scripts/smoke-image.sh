#!/usr/bin/env bash
# Unpacks cli/target/peregrine-image.tar's layers into a directory and runs the image's entrypoint under chroot
# (needs root), then checks SageMaker's contract on port 8080: GET /ping is 200, POST /invocations answers.
# Exits non-zero when the image does not start or does not answer.
# No model in the image: the built-in demo model is served.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAR="${1:-$ROOT/cli/target/peregrine-image.tar}"
WORK="$(mktemp -d)"
PID=""
cleanup() {
  local rc=$?  # the server's SIGTERM status from `wait` must not become the script's
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  umount "$WORK/rootfs/proc" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
mkdir -p "$WORK/image" "$WORK/rootfs"
tar -xf "$TAR" -C "$WORK/image" 2>/dev/null
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$WORK/image/manifest.json"); do
  tar -xzf "$WORK/image/$layer" -C "$WORK/rootfs" 2>/dev/null  # (Jib writes libarchive headers GNU tar ignores)
done
mkdir -p "$WORK/rootfs/proc" "$WORK/rootfs/dev"
mount -t proc proc "$WORK/rootfs/proc" # glibc resolves the java launcher's $ORIGIN rpath through /proc/self/exe
ENTRY="$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[0]; c=json.load(open(sys.argv[1].rsplit("/",1)[0]+"/"+m["Config"]))["config"]; print(" ".join(c["Entrypoint"]+c["Cmd"]))' "$WORK/image/manifest.json")"
echo "entrypoint: $ENTRY"
# shellcheck disable=SC2086 — the entrypoint is a word list
env -i PORT=8080 "$(command -v chroot)" "$WORK/rootfs" $ENTRY > "$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null localhost:8080/ping && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 1
done
fail() { echo "smoke-image: $1; server log:"; tail -20 "$WORK/serve.log"; exit 1; }
kill -0 "$PID" 2>/dev/null || fail "the image's server exited"
code="$(curl -s -o /dev/null -w '%{http_code}' localhost:8080/ping || true)"
echo "GET /ping -> $code"
[ "$code" = 200 ] || fail "GET /ping did not answer 200"
answer="$(curl -s localhost:8080/invocations -H 'Content-Type: application/json' \
  -d '{"inputs": "Where is Munich?", "parameters": {"max_new_tokens": 8}}' || true)"
echo "POST /invocations -> $answer"
grep -q '"generated_text"' <<< "$answer" || fail "POST /invocations gave no generated_text"
