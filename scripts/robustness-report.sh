#!/usr/bin/env bash
# The robustness report (docs/robustness.md): fuzzes every target for the
# given time (scripts/fuzz.sh), then runs the crash, concurrency, request
# abuse and disk tests of tests/robustness on the real binaries, and prints
# what they measured as markdown, also written to robustness-report.md.
#
# Usage: scripts/robustness-report.sh [--fuzz-seconds N] [--kill-rounds N] [--reuse-fuzz-logs]
#   defaults: 600 s per fuzz target (the issue's target), 200 kill rounds.
#   --reuse-fuzz-logs: report the last `scripts/fuzz.sh all N` run's logs
#   (build-fuzz/logs/) instead of fuzzing again; --fuzz-seconds must then
#   state that run's N.
# Environment: REPORT_BUILD_DIR (default build-robust), FUZZ_JOBS, FUZZ_BUILD_DIR.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds=600 kill_rounds=200 reuse_fuzz_logs=0
while (($#)); do
  case "$1" in
    --fuzz-seconds) fuzz_seconds=$2; shift 2 ;;
    --kill-rounds) kill_rounds=$2; shift 2 ;;
    --reuse-fuzz-logs) reuse_fuzz_logs=1; shift ;;
    *) echo "usage: $0 [--fuzz-seconds N] [--kill-rounds N] [--reuse-fuzz-logs]" >&2; exit 2 ;;
  esac
done
build=${REPORT_BUILD_DIR:-build-robust}
fuzz_build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
report=robustness-report.md
tests=(ingest_kill_test concurrent_serving_test request_abuse_test disk_trouble_test)

regressions_before=$(find fuzz/regressions -type f ! -name README.md | wc -l)
fuzz_start=$(date +%s)
if ((reuse_fuzz_logs)); then
  fuzz_status="not run (logs of an earlier run reused)"
else
  scripts/fuzz.sh all "$fuzz_seconds"
  fuzz_status=$?
fi
fuzz_elapsed=$(($(date +%s) - fuzz_start))
regressions_after=$(find fuzz/regressions -type f ! -name README.md | wc -l)

mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DKFUNCDB_BUILD_BENCHMARKS=OFF > "$build/configure-report.log" 2>&1 ||
  { cat "$build/configure-report.log" >&2; exit 1; }
cmake --build "$build" -j "$jobs" --target "${tests[@]}" fuzz_regressions_test || exit 1
mkdir -p "$build/robustness-logs"
declare -A outcome
for t in fuzz_regressions_test "${tests[@]}"; do
  if KFUNCDB_KILL_ROUNDS=$kill_rounds "$build/tests/robustness/$t" > "$build/robustness-logs/$t.log" 2>&1; then
    outcome[$t]=passed
  else
    outcome[$t]="FAILED (see $build/robustness-logs/$t.log)"
  fi
  grep -q '\[  SKIPPED \]' "$build/robustness-logs/$t.log" && outcome[$t]="${outcome[$t]}, some cases skipped"
done
log() { cat "$build/robustness-logs/$1.log"; }

{
  echo "# kfuncdb robustness report"
  echo
  echo "Generated $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD) on $(nproc) cores"
  echo "by \`scripts/robustness-report.sh --fuzz-seconds $fuzz_seconds --kill-rounds $kill_rounds$( ((reuse_fuzz_logs)) && echo " --reuse-fuzz-logs")\`."
  echo
  if ((reuse_fuzz_logs)); then
    echo "## Fuzzing (libFuzzer, ASan + UBSan, ${fuzz_seconds} s per target; logs of an earlier run of 'scripts/fuzz.sh all ${fuzz_seconds}')"
  else
    echo "## Fuzzing (libFuzzer, ASan + UBSan, ${fuzz_seconds} s per target, ${fuzz_elapsed} s in all with the build)"
  fi
  echo
  echo "| target | executions | exec/s | cov | ft | corpus | findings |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for f in "$fuzz_build"/logs/*.log; do
    t=$(basename "$f" .log)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$f" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$f" | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$f" | grep -E 'cov: ' | tail -n 1)
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<< "$last")
    corp=$(sed -n 's/.*corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<< "$last")
    findings=$(grep -cE '^==[0-9]+==ERROR|^SUMMARY: (Address|Undefined|Leak)|runtime error:|ALARM: working on the last Unit' "$f")
    echo "| $t | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $findings |"
  done
  echo
  echo "Regression inputs under fuzz/regressions/: $regressions_before before, $regressions_after after"
  echo "this run (new ones are findings to fix). scripts/fuzz.sh exit status: $fuzz_status."
  echo "Replay of all of them (fuzz_regressions_test): ${outcome[fuzz_regressions_test]}."
  echo
  echo "## Crash test: SIGKILL during ingest ($kill_rounds rounds)"
  echo
  echo "ingest_kill_test: ${outcome[ingest_kill_test]}."
  echo
  echo '```'
  log ingest_kill_test | grep -E '^kill rounds:' || echo "(no outcome line)"
  echo '```'
  echo
  echo "## Concurrency: server under load while ingesting"
  echo
  echo "concurrent_serving_test: ${outcome[concurrent_serving_test]}."
  echo
  echo '```'
  log concurrent_serving_test | grep -E '^concurrency:' || echo "(no outcome line)"
  echo '```'
  echo
  echo "## Request abuse against the live server"
  echo
  echo "request_abuse_test: ${outcome[request_abuse_test]}."
  echo
  echo "| case | status |"
  echo "| --- | --- |"
  log request_abuse_test | sed -n 's/^abuse: \(.*\): \([^:]*\)$/| \1 | \2 |/p'
  echo
  echo "## Disk trouble during ingest"
  echo
  echo "disk_trouble_test: ${outcome[disk_trouble_test]}."
  echo
  echo '```'
  log disk_trouble_test | grep -E '^disk:|SKIPPED|cannot mount' | head -n 20
  echo '```'
} | tee "$report"
