#!/usr/bin/env bash
# Issue #16's levels on a machine with spare cores, as a user measures: the closed loop
# (test/scenarios/closed-loop.ts: each VU streams one chat completion after another; the
# simulator sends 100 tokens 10 ms apart after a 100 ms first token) at 1,000–5,000 streams,
# the simulator (`--processes`) and the client pinned to separate cores with taskset, `times`
# on the CLI (every thread and the esbuild child), TTFT error per request against the
# simulator's ground truth (bench/device/analyze.mjs). Runs from the pack of
# bench/device/pack.sh alone: the machine needs no node of its own.
#
#   make device-pack, then with the device tool (carry [".device"]):
#   bash bench/device/levels.sh
#
# Settings (environment): LEVELS="1000:1,2,4,8 2000:2,4,8 5000:4,8" (streams:workers,…),
# SECS=20, SIM_CPUS=0-5, CLI_CPUS=6-15, SIM_PROCS=6, PACK=.device/llmload-device.tar.xz,
# OUT=$OUT or /tmp/llmload-levels (levels.md is written there, row by row).
set -euo pipefail
cd "$(dirname "$0")/../.."
PACK=${PACK:-.device/llmload-device.tar.xz}
LEVELS=${LEVELS:-"1000:1,2,4,8 2000:2,4,8 5000:4,8"}
SECS=${SECS:-20}
SIM_CPUS=${SIM_CPUS:-0-5}
CLI_CPUS=${CLI_CPUS:-6-15}
SIM_PROCS=${SIM_PROCS:-6}
OUT=${OUT:-/tmp/llmload-levels}
PORT=${PORT:-18731}
[ -f "$PACK" ] || { echo "levels: $PACK is missing: run make device-pack here and carry .device" >&2; exit 2; }
mkdir -p "$OUT"
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
tar -xJf "$PACK" -C "$W"
NODE="$W/node"
CLI="$W/bin/llmload.js"
SCEN="$PWD/test/scenarios/closed-loop.ts"
MD="$OUT/levels.md"
{
  echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); node $("$NODE" --version); simulator on CPUs $SIM_CPUS ($SIM_PROCS processes), client on CPUs $CLI_CPUS; $SECS s per run; $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo '| streams | workers | requests | joined | events | CPU (user+sys) | µs CPU / event | TTFT error p50 / p90 / p99 | p99 after 2 s | timing-error bound | verdict |'
  echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
} > "$MD"
cat "$MD"

wait_port() { for _ in $(seq 1 100); do "$NODE" -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" && return 0; sleep 0.1; done; echo "levels: the simulator did not listen on $1" >&2; return 1; }
loop() { # streams workers seconds results-dir
  echo "taskset -c $CLI_CPUS \"$NODE\" \"$CLI\" run \"$SCEN\" -q --no-summary --no-typecheck --workers $2 --results-dir \"$4\" -e VUS=$1 -e DURATION=$3s -e BASE_URL=http://127.0.0.1:$PORT > \"$4.log\" 2>&1"
}

for level in $LEVELS; do
  streams=${level%%:*}
  gt="$W/gt-$streams.jsonl"
  taskset -c "$SIM_CPUS" "$NODE" "$CLI" sim --processes "$SIM_PROCS" --port "$PORT" --ttft-ms 100 --itl-ms 10 --output-tokens 100 --ground-truth "$gt" > "$W/sim-$streams.log" 2>&1 &
  sim=$!
  wait_port "$PORT"
  # a warm simulator: its JIT and first connections are not what is measured
  bash -c "$(loop "$streams" 1 3 "$W/warm-$streams")" || true
  for workers in ${level#*:}; do
    workers=${workers//,/ }
    for w in $workers; do
      run="$W/run-$streams-$w"
      cpu=$(bash -c "$(loop "$streams" "$w" "$SECS" "$run"); times" | tail -1 | awk '{ split($1,a,/[ms]/); split($2,b,/[ms]/); printf "%.2f", a[1]*60+a[2]+b[1]*60+b[2] }')
      if [ -f "$run/summary.json" ]; then "$NODE" bench/device/analyze.mjs "$gt" "$run" "$cpu" "$streams" "$w" | tee -a "$MD"
      else echo "| $streams | $w | run failed: $(tail -1 "$run.log") |" | tee -a "$MD"; fi
    done
  done
  kill "$sim"; wait "$sim" 2>/dev/null || true
  PORT=$((PORT + 1))
done
