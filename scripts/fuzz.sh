#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and runs
# each for SECONDS. Seeds are cut at run time (fuzz/make-seeds.sh); the
# growing corpus stays in build-fuzz/corpus/<target>/. Any crash, leak,
# timeout or out-of-memory input is copied to fuzz/regressions/<target>/,
# where tests/robustness/fuzz_regressions_test replays it in every build,
# and the script exits 1.
#
# Usage: scripts/fuzz.sh TARGET|all SECONDS
# Each run's log is build-fuzz/logs/<target>.log (libFuzzer's final stats:
# executions, cov:, ft:); scripts/robustness-report.sh reads them.
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_JOBS (build jobs,
# default 2), FIXTURE_GEN (the fixture generator that makes seeds; default:
# the one of the normal build in build/, built there when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

targets_all=(elf_image extract_raw_btf extract_elf_vmlinux btf_ids_scan bzimage arm64_image
             decompress deb_package bpf_object)
if (($# != 2)); then
  echo "usage: $0 TARGET|all SECONDS   (targets: ${targets_all[*]})" >&2
  exit 2
fi
if [[ $1 == all ]]; then
  targets=("${targets_all[@]}")
else
  targets=("$1")
fi
seconds=$2
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-2}

# The whole tree is instrumented for coverage (fuzzer-no-link) and checked by
# ASan + UBSan; only the fuzz binaries link libFuzzer's main.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKFUNCDB_BUILD_FUZZERS=ON -DKFUNCDB_BUILD_TESTS=OFF -DKFUNCDB_BUILD_BENCHMARKS=OFF \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" > "$build/configure-fuzz.log" ||
  { cat "$build/configure-fuzz.log" >&2; exit 1; }
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/kfuncdb-fuzz-}"

seeds=$build/seeds
if [[ ! -d $seeds ]]; then
  gen=${FIXTURE_GEN:-build/tests/fixtures/kfuncdb-fixture-gen}
  if [[ ! -x $gen ]]; then
    cmake -S . -B build -G Ninja > /dev/null && cmake --build build -j "$jobs" --target kfuncdb-fixture-gen
  fi
  fuzz/make-seeds.sh "$seeds.tmp" "$gen" 2> "$build/seeds.log" ||
    { cat "$build/seeds.log" >&2; exit 1; }
  mv "$seeds.tmp" "$seeds"
fi

mkdir -p "$build/logs"
found=0
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target artifacts=$build/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $target for ${seconds}s" >&2
  # libFuzzer adds new inputs to the first folder; the others are read only.
  status=0
  "$build/fuzz/kfuncdb-fuzz-$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds/$target" \
    > "$build/logs/$target.log" 2>&1 || status=$?
  shopt -s nullglob
  kept=("$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*)
  shopt -u nullglob
  if ((${#kept[@]})); then
    mkdir -p "fuzz/regressions/$target"
    cp "${kept[@]}" "fuzz/regressions/$target/"
    echo "fuzz: $target: ${#kept[@]} finding(s) kept in fuzz/regressions/$target/ (see $build/logs/$target.log)" >&2
    rm -f "${kept[@]}"
    found=1
  elif ((status != 0)); then
    echo "fuzz: $target exited $status without an artifact; see $build/logs/$target.log" >&2
    found=1
  fi
  grep -E '^#[0-9]+\s+DONE' "$build/logs/$target.log" | tail -n 1 | sed "s/^/fuzz: $target: /" >&2 || true
done
exit "$found"
