#!/usr/bin/env bash
# One bench run (direct, direct-external, portmap, rewrite-cap-v15; short latency phase) with sample.py beside it.
cd "$(dirname "$0")/../.."
OUT=$1
BENCH_SKIP_BUILD=1 bash bench/run.sh --targets portmap,rewrite-cap-v15 --latency-records 30000 --idle-connections 0 \
  --out $OUT > $OUT.out 2>&1 &
BENCH=$!
pid=""
while [ -z "$pid" ] && kill -0 $BENCH 2>/dev/null; do pid=$(pgrep -f 'io.brokerlink.bench.BenchMain' | head -1); sleep 0.5; done
sleep 25
python3 "$(dirname "$0")/sample.py" $pid $OUT.samples &
wait $BENCH
