#!/usr/bin/env bash
# Builds Peregrine's container image as an OCI/Docker tarball without a Docker daemon:
#   1. a jlink-ed JDK 25 runtime in cli/target/image-root/opt/java, plus the C libraries it links against
#      (the image starts FROM scratch, so the dynamic loader and libc come from this machine)
#   2. ./mvnw -pl cli -am -Pimage package: the CLI and its modules, then jib:buildTar → cli/target/peregrine-image.tar
# Load it with `docker load -i cli/target/peregrine-image.tar`; push to ECR as the README describes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/find-java.sh"
JDK="$(cd "$(dirname "$PEREGRINE_JAVA")/.." && pwd)"
IMG="$ROOT/cli/target/image-root"
cd "$ROOT"

rm -rf "$IMG" && mkdir -p "$IMG/opt" "$IMG/tmp"
"$JDK/bin/jlink" --output "$IMG/opt/java" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.xml,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.incubator.vector,jdk.unsupported,jdk.zipfs

# the shared libraries the runtime links against, and the ones glibc loads by name for DNS and users
libs="$( { ldd "$IMG/opt/java/bin/java"; find "$IMG/opt/java/lib" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
  | grep -o '/[^ ]*\.so[^ ]*' | grep -v "^$IMG" | sort -u)"
for extra in libnss_dns.so.2 libnss_files.so.2 libresolv.so.2; do
  # awk reads to the end (no early exit): an early exit would SIGPIPE ldconfig and fail the pipeline under pipefail
  found="$(ldconfig -p | awk -v n="$extra" '!done && $1 == n && /x86-64|x86_64|aarch64/ { print $NF; done = 1 }')"
  [ -n "$found" ] && libs="$libs"$'\n'"$found"
done
for lib in $libs; do
  mkdir -p "$IMG$(dirname "$lib")"
  cp -L "$lib" "$IMG$lib"
done
mkdir -p "$IMG/etc" && printf 'hosts: files dns\n' > "$IMG/etc/nsswitch.conf"

./mvnw -q -B -pl cli -am -Pimage package -DskipTests -Djib.console=plain
ls -l "$ROOT/cli/target/peregrine-image.tar"
