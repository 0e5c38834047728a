#!/usr/bin/env bash
# Builds everything and runs every test; ends with one line: "tests: N passed, N failed[, N skipped]".
# Usage: ./eng/test.sh            (the README's test command; .ci/run calls it)
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="$(pwd)/TestResults"
rm -rf "$results"

source eng/postgres.sh

# Debian packages the tests need and a fresh machine lacks: PostgreSQL (the adapter's tests), Chromium (the sample
# page's browser test), clang and lld (the Native AOT publish test). Installing needs root, as .ci/run has.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
# clang and lld: the native toolchain of the Native AOT publish test.
command -v clang >/dev/null || missing+=(clang)
command -v ld.lld >/dev/null || missing+=(lld)
[ -z "$(find_pg_bin)" ] && [ -z "${AUDITGEN_POSTGRES:-}" ] && missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A throwaway PostgreSQL cluster for the PostgreSQL adapter's tests, stopped on exit whatever happens.
trap stop_test_postgres EXIT
if [ -z "${AUDITGEN_POSTGRES:-}" ]; then
  start_test_postgres
fi

if ! dotnet build AuditGen.sln -c Release -nologo -v:q; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

# The team's style (.editorconfig): `dotnet format` must find nothing to change. It loads projects in Debug, so the
# generator and analyzers are built in Debug first (without them it cannot see generated code and misreads usings).
status=0
format_failed=0
dotnet build generators/AuditGen.Generators -c Debug -nologo -v:q >/dev/null &&
  dotnet build analyzers/AuditGen.Analyzers -c Debug -nologo -v:q >/dev/null
if ! dotnet format AuditGen.sln --verify-no-changes -v:q; then
  echo "dotnet format found changes to make: run 'dotnet format AuditGen.sln' and commit the result"
  format_failed=1
fi

# Each test project gets its own results folder, so no two TRX files can collide.
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  timeout 1800 dotnet test "$project" -c Release --no-build -nologo -v:q \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results/$name" --blame-hang-timeout 5m || status=1
done

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${p:-0} - ${f:-0} - ${e:-0} - ${t:-0} - ${a:-0}))
done

failed=$((failed + format_failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without a counted test failure (crash, hang, no results)
fi

summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
