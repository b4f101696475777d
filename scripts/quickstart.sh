#!/usr/bin/env bash
# kfuncdb quick start on a fresh Debian machine, from a clean clone:
#   1. installs the build dependencies (scripts/install-deps.sh),
#   2. builds kfuncdb, kfuncdb-server, kfuncdb-ingest and kfuncdb-fixture-gen
#      (Release, Ninja; no tests),
#   3. creates the database and ingests the running kernel's
#      /sys/kernel/btf/vmlinux (lineage mainline; raw BTF, so presence only)
#      and the generated example data (lineage "example", labelled as such),
#   4. starts kfuncdb-server, in the foreground (Ctrl-C stops it) or with
#      --background (pid file written, the script returns once it answers).
#
# Usage: scripts/quickstart.sh [--background] [--no-deps] [--no-build]
#   --no-build  reuse the binaries already in the build directory (a rerun)
# Environment (defaults in brackets):
#   KFUNCDB_DB         database file                      [kfuncdb.db]
#   KFUNCDB_BUILD_DIR  build directory                    [build-release]
#   KFUNCDB_LISTEN     address the server listens on      [127.0.0.1:50051]
#   KFUNCDB_PID_FILE   --background: server pid file      [kfuncdb-server.pid]
#   KFUNCDB_LOG        --background: server log file      [kfuncdb-server.log]
# Safe to run again: builds already in the database are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

background=0 deps=1 build_step=1
for arg in "$@"; do
  case "$arg" in
    --background) background=1 ;;
    --no-deps) deps=0 ;;
    --no-build) build_step=0 ;;
    *) echo "usage: $0 [--background] [--no-deps] [--no-build]" >&2; exit 2 ;;
  esac
done

db=${KFUNCDB_DB:-kfuncdb.db}
build=${KFUNCDB_BUILD_DIR:-build-release}
listen=${KFUNCDB_LISTEN:-127.0.0.1:50051}
pid_file=${KFUNCDB_PID_FILE:-kfuncdb-server.pid}
log_file=${KFUNCDB_LOG:-kfuncdb-server.log}

step() { printf '\n== %s\n' "$*"; }

if ((deps)); then
  step "installing build dependencies"
  scripts/install-deps.sh
fi

if ((build_step)); then
  step "building into $build"
  # The fixture generator lives with the tests' sources, so the tests stay
  # configured; only the four binaries are built.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKFUNCDB_BUILD_BENCHMARKS=OFF
  cmake --build "$build" -j "$(nproc)" \
    --target kfuncdb kfuncdb-server kfuncdb-ingest kfuncdb-fixture-gen
fi
kfuncdb=$build/client/kfuncdb
server=$build/server/kfuncdb-server
ingest=$build/ingest/cli/kfuncdb-ingest
fixture_gen=$build/tests/fixtures/kfuncdb-fixture-gen

step "ingesting into $db"
if [[ -r /sys/kernel/btf/vmlinux ]]; then
  # Raw BTF says neither its release nor its architecture.
  "$ingest" --db "$db" --release "$(uname -r)" --arch "$(dpkg --print-architecture)" \
    /sys/kernel/btf/vmlinux
else
  echo "no readable /sys/kernel/btf/vmlinux (kernel without CONFIG_DEBUG_INFO_BTF?):" \
       "skipping the running kernel; the example data still works"
fi
example_dir=$build/example-data
rm -rf "$example_dir"
"$fixture_gen" example --out "$example_dir"
"$ingest" --db "$db" --lineage example "$example_dir"

# As the user would type it from the repository root.
shown=$kfuncdb
[[ $shown == /* ]] || shown=./$shown
ask="$shown --server $listen kfunc bpf_task_acquire"
ask_example="$shown --server $listen --lineage example kfunc bpf_example_lookup_old"

if ((background)); then
  step "starting kfuncdb-server in the background on $listen"
  "$server" --db "$db" --listen "$listen" >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  # Ready when it answers a call (at most 30 s).
  for _ in $(seq 150); do
    if "$kfuncdb" --server "$listen" --timeout 1 lineages >/dev/null 2>&1; then
      echo "kfuncdb-server is running (pid $(cat "$pid_file"), log $log_file); ask it:"
      echo "  $ask"
      echo "  $ask_example"
      echo "stop it with: kill \$(cat $pid_file)"
      exit 0
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "kfuncdb-server exited; its log:" >&2
      cat "$log_file" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "kfuncdb-server did not answer on $listen within 30 s; see $log_file" >&2
  exit 1
fi

step "starting kfuncdb-server on $listen (Ctrl-C stops it)"
echo "in another terminal, ask it:"
echo "  $ask"
echo "  $ask_example"
exec "$server" --db "$db" --listen "$listen"
