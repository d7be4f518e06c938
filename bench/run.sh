#!/usr/bin/env bash
# The benchmark harness, one command from a fresh clone:  bash bench/run.sh [options]   (--help lists them)
# Builds the bench module (Maven profile -Pbench, never part of the default build), then runs io.brokerlink.bench.BenchMain:
# a 3-node sandbox on 127.0.50.x, each gateway target of bench/targets.conf in its own JVM, Kafka's
# ProducerPerformance/ConsumerPerformance and the LatencyProbe in child JVMs, interleaved rounds; prints medians and
# ratios to direct.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'bench: %s\n' "$*" >&2; }

java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}') || true
  v=${v#1.}
  echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

# A JDK >= 17 with jcmd (the heap measurement uses it): JAVA_HOME if it qualifies, else the newest in /usr/lib/jvm.
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/jcmd" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 17 ]; then
  best="" best_v=0
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/jcmd" ] && [ ! -L "$d" ] || continue
    v=$(java_major "$d/bin/java")
    if [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ "$best_v" -ge 17 ] || { say "no JDK 17 or newer with jcmd found; install openjdk-17-jdk-headless or set JAVA_HOME"; exit 1; }
  export JAVA_HOME="$best"
fi
command -v mvn >/dev/null 2>&1 || { say "mvn not found; install maven (apt-get install maven)"; exit 1; }

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  say "building the bench module and what it depends on (mvn -Pbench package -pl bench -am, tests skipped).."
  (cd "$ROOT" && mvn -B -q -Pbench package -DskipTests -pl bench -am) >&2
fi

LIB="$ROOT/bench/target/lib"
[ -f "$ROOT/bench/target/brokerlink-bench.jar" ] || { say "bench/target/brokerlink-bench.jar is missing after the build"; exit 1; }
# The sandbox brokers run in this JVM; the tools and the gateways in child JVMs on the same class path.
# ZGC: its pauses stay under a millisecond. Under G1 the three brokers paused 9-30 ms every few seconds, and a 2 s
# latency slice with such a pause in it had a p99 of about the pause's length, whichever target it measured (run 12,
# BENCHMARKS.md): noise common to every target that decided which one's p99 came out higher.
# BENCH_BROKERS_GC=-XX:+UseG1GC measures with the brokers on G1 (runs 1-12).
# BENCH_HARNESS_OPTS: more options for this JVM, e.g. -Djava.io.tmpdir=/dev/shm to keep the brokers' logs in memory.
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" -Xmx3g "${BENCH_BROKERS_GC:--XX:+UseZGC}" ${BENCH_HARNESS_OPTS:-} -Dbrokerlink.root="$ROOT" \
  -cp "$ROOT/bench/target/brokerlink-bench.jar:$LIB/*" io.brokerlink.bench.BenchMain "$@"
