#!/usr/bin/env bash
# Catches flaky tests before they land: runs the unit-test projects N times, several runs at once, beside a busy loop on
# every core, and lists every test that failed at least once (with how often). CI keeps running eng/test.sh; run this
# before submitting a change to timing, threads, clocks or process-wide listeners.
#
# Usage: ./eng/stress.sh [N] [-- extra dotnet test arguments]
#   N                   how many runs (default 5)
#   STRESS_PROJECTS     the test projects (default: the unit-test projects, which need no database server)
#   STRESS_PARALLEL     runs at the same time (default 2)
#   STRESS_LOAD=0       no CPU load beside the runs (default: one busy loop per core)
# Example: ./eng/stress.sh 20 -- --filter 'FullyQualifiedName~Telemetry|FullyQualifiedName~Metrics'
# Ends with "stress: N runs, M tests failed at least once"; exits 1 when any did.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=5
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  runs=$1
  shift
fi
[ "${1:-}" = "--" ] && shift
extra=("$@")
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: eng/stress.sh [N] [-- dotnet test arguments]  (N: a positive number of runs, not '$runs')" >&2
  exit 2
fi

projects=(${STRESS_PROJECTS:-tests/AuditGen.Tests/AuditGen.Tests.csproj tests/AuditGen.Generated.Tests/AuditGen.Generated.Tests.csproj})
parallel=${STRESS_PARALLEL:-2}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=$(mktemp -d "${TMPDIR:-/tmp}/auditgen-stress.XXXXXX")
load_pids=()
stop_load() {
  for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null; done
}
trap stop_load EXIT

for project in "${projects[@]}"; do
  if ! dotnet build "$project" -c Release -nologo -v:q >/dev/null; then
    echo "build failed: $project" >&2
    exit 1
  fi
done

if [ "${STRESS_LOAD:-1}" != "0" ]; then
  for _ in $(seq "$(nproc)"); do
    (while :; do :; done) &
    load_pids+=($!)
  done
fi

echo "stress: $runs runs of ${projects[*]}, $parallel at a time, results in $results"
run_one() {
  local run=$1 project name
  for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build -nologo -v:q "${extra[@]}" \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results/run$run/$name" >/dev/null 2>&1
  done
  echo "  run $run done"
}

for run in $(seq "$runs"); do
  run_one "$run" &
  while [ "$(jobs -rp | wc -l)" -gt $((parallel + ${#load_pids[@]} - 1)) ]; do
    sleep 1
  done
done
# Wait for the runs (not the load loops).
while [ "$(jobs -rp | wc -l)" -gt "${#load_pids[@]}" ]; do
  sleep 1
done
stop_load

# Every failed test (outcome="Failed" in a TRX result), counted over the runs.
shopt -s nullglob
trx_files=("$results"/run*/*/*.trx)
executed=0
for trx in "${trx_files[@]}"; do
  n=$(grep -o '<Counters [^>]*>' "$trx" | head -1 | sed -n 's/.* executed="\([0-9]*\)".*/\1/p')
  executed=$((executed + ${n:-0}))
done
failures=$(grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "${trx_files[@]}" 2>/dev/null |
  sed -n 's/.* testName="\([^"]*\)".*/\1/p' | sort | uniq -c | sort -rn)
missing=$((runs * ${#projects[@]} - ${#trx_files[@]}))

if [ -n "$failures" ]; then
  echo "failed at least once (count, test):"
  echo "$failures"
fi
if [ "$missing" -gt 0 ]; then
  echo "$missing project runs left no results (crash or hang): see $results"
fi
count=$(printf '%s' "$failures" | grep -c . || true)
echo "stress: $runs runs, $executed test executions, $count tests failed at least once"
[ -z "$failures" ] && [ "$missing" -eq 0 ]
