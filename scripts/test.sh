#!/usr/bin/env bash
# Builds kfuncdb and runs every test: once in a normal build, once under
# AddressSanitizer + UndefinedBehaviorSanitizer (skip with --no-sanitize).
# With --fuzz-smoke, also a short libFuzzer run of every fuzz target
# (scripts/fuzz.sh all 20; clang build in build-fuzz/); a finding fails the
# run and its input is kept under fuzz/regressions/.
# Usage: scripts/test.sh [--no-deps] [--no-sanitize] [--fuzz-smoke]
set -euo pipefail
cd "$(dirname "$0")/.."

deps=1 sanitize=1 fuzz_smoke=0
for arg in "$@"; do
  case "$arg" in
    --no-deps) deps=0 ;;
    --no-sanitize) sanitize=0 ;;
    --fuzz-smoke) fuzz_smoke=1 ;;
    *) echo "usage: $0 [--no-deps] [--no-sanitize] [--fuzz-smoke]" >&2; exit 2 ;;
  esac
done

((deps)) && scripts/install-deps.sh
jobs=$(nproc)

run_suite() {  # build-dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DKFUNCDB_BUILD_BENCHMARKS=ON "$@"
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 900
}

run_suite build
if ((sanitize)); then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-sanitize -DCMAKE_BUILD_TYPE=Debug -DKFUNCDB_SANITIZE=ON -DKFUNCDB_BUILD_BENCHMARKS=OFF
fi
if ((fuzz_smoke)); then
  FUZZ_JOBS=$jobs scripts/fuzz.sh all 20
fi
