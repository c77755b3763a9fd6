# Sourced by ./peregrine and .ci/run: sets PEREGRINE_JAVA to a java of version 25 or newer.
# Order: $JAVA_HOME, java on PATH, then JDKs under /usr/lib/jvm (Temurin 25 lives there on our machines).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
PEREGRINE_JAVA=""
for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$cand" ] && [ -x "$cand" ] || continue
  v="$(java_major "$cand")"
  if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then PEREGRINE_JAVA="$cand"; break; fi
done
if [ -z "$PEREGRINE_JAVA" ]; then
  echo "peregrine: needs JDK 25 or newer (none found in JAVA_HOME, PATH or /usr/lib/jvm). Install Temurin 25 and set JAVA_HOME." >&2
  exit 1
fi
export PEREGRINE_JAVA
