#!/usr/bin/env bash
# The test suite: unit tests of pure modules, then end-to-end runs of the real CLI against the
# real simulator (and, where present, a real InfluxDB and Chromium, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
unit=$(find engine lib sim -name '*.test.ts' | sort)
e2e=$(find test -name '*.test.ts' | sort)
case "$what" in
  unit) files="$unit" ;;
  e2e) files="$e2e" ;;
  *) bash scripts/ensure-system-deps.sh; files="$unit $e2e" ;;
esac
# TypeScript strict mode over everything (engine, lib, sim, scenarios, tests, bench)
node node_modules/typescript/bin/tsc --noEmit -p . && echo "typecheck: ok (tsc --noEmit, strict)" 
# one file at a time keeps timing-sensitive end-to-end tests off each other's CPU
# --no-memory-reducer: the test files measure timing in their main isolate (engine/gc-flags.ts);
# the runner passes its own node flags on to each test file's process
# unit tests (pure modules, no timing bounds that load can break) two files at a time; then the
# end-to-end files one at a time (~20 s less of a ~20 min run)
case "$what" in
  e2e) exec node --no-memory-reducer --import tsx --test --test-concurrency=1 --test-reporter=spec $files ;;
  unit) exec node --no-memory-reducer --import tsx --test --test-concurrency=2 --test-reporter=spec $files ;;
  *) node --no-memory-reducer --import tsx --test --test-concurrency=2 --test-reporter=spec $unit
     exec node --no-memory-reducer --import tsx --test --test-concurrency=1 --test-reporter=spec $e2e ;;
esac
