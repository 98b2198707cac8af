#!/usr/bin/env bash
# Throughput of 1 gateway + 2 `datalid worker`s (NATS JetStream, embedded in the gateway)
# against in-process `datalid bench` on the same photos, back to back (bench, jobs, bench),
# and the per-photo cost of the queue. Usage: scripts/jobs-overhead.sh [N_PHOTOS] [SIDE]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100}
SIDE=${2:-800}
BIN=./bin/datalid
make -s build >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

$BIN synth --out "$work/photos" -n "$N" --width "$SIDE" --height $((SIDE * 3 / 4)) >/dev/null
rm -f "$work/photos/labels.csv"

bench() { # in-process, 2 callers (one per core), one pass over the photos
	$BIN bench "$work/photos" --concurrency 2 --warmup 4 --format json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["results"][0] if "results" in d else d; print(r["throughput_ips"])'
}

jobs() {
	local http nats
	http=$(free_port); nats=$(free_port)
	DATALID_NATS_LISTEN=127.0.0.1:$nats DATALID_NATS_STORE_DIR=$work/nats DATALID_LOG_LEVEL=warn \
		$BIN serve --gateway --addr 127.0.0.1:$http >"$work/gateway.log" 2>&1 &
	pids+=($!)
	for i in 1 2; do
		until curl -sf "http://127.0.0.1:$http/health" >/dev/null; do sleep 0.2; done
		# Two engines share this machine's cores: neither may lend "idle" cores to its reads
		# (each would count the other's busy core as idle and oversubscribe the CPU).
		DATALID_PIPELINE_WORKERS=1 DATALID_PIPELINE_LEND_IDLE_CORES=false DATALID_LOG_LEVEL=warn \
			$BIN worker --nats nats://127.0.0.1:$nats --id w$i --concurrency 1 >"$work/w$i.log" 2>&1 &
		pids+=($!)
	done
	until [ "$(curl -s "http://127.0.0.1:$http/health" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["queue"]["workers"]))')" = 2 ]; do sleep 0.5; done
	# Warm-up job (like bench's warm-up reads), then the timed one.
	$BIN submit "$work/photos" --server "http://127.0.0.1:$http" --wait --format json >/dev/null
	local t0 t1
	t0=$(date +%s.%N)
	$BIN submit "$work/photos" --server "http://127.0.0.1:$http" --wait --format json >/dev/null
	t1=$(date +%s.%N)
	# One-photo jobs, one after another: submit → queue → read → SSE end, against the read alone.
	local one
	one=$(ls "$work/photos" | head -1)
	local s0 s1
	s0=$(date +%s.%N)
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		$BIN submit "$work/photos/$one" --server "http://127.0.0.1:$http" --wait --format json >/dev/null
	done
	s1=$(date +%s.%N)
	local last
	last=$(curl -s "http://127.0.0.1:$http/metrics" | grep -E '^datalid_jobs_(queue_depth|dead_letters|workers) ' | tr '\n' ' ')
	python3 - "$t0" "$t1" "$s0" "$s1" "$N" <<'PY'
import sys
t0,t1,s0,s1,n=map(float,sys.argv[1:])
print(f"{n/(t1-t0):.3f} {(s1-s0)/10*1000:.0f}")
PY
	echo "metrics after: $last" >&2
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	pids=()
}

read_one_ms() { # the same single photo read in-process, 10 times, one caller
	local one
	one=$(ls "$work/photos" | head -1)
	mkdir -p "$work/one"; cp "$work/photos/$one" "$work/one/"
	$BIN bench "$work/one" --concurrency 1 --iterations 10 --warmup 2 --format json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["results"][0] if "results" in d else d; print(1000/r["throughput_ips"])'
}

echo "photos: $N synthetic, ${SIDE}px long side; $(nproc) cores"
a=$(bench)
read -r j single < <(jobs)
b=$(bench)
one=$(read_one_ms)
python3 - "$a" "$j" "$b" "$single" "$one" "$N" <<'PY'
import sys
a,j,b,single,one,n=map(float,sys.argv[1:])
inproc=(a+b)/2
print(f"in-process bench (2 callers):  {a:.2f} then {b:.2f} photos/s (mean {inproc:.2f})")
print(f"1 gateway + 2 workers:          {j:.2f} photos/s  = {j/inproc:.2f}x in-process")
# Two read slots in both setups: time each slot spends per photo beyond the in-process read.
print(f"queue cost per photo (2 slots): {2000/j - 2000/inproc:.1f} ms")
print(f"one-photo job, submit..result:  {single:.0f} ms; the read alone {one:.0f} ms; overhead {single-one:.0f} ms (includes the CLI starting)")
PY
