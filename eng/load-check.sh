#!/usr/bin/env bash
# HTTP load check of the owner feed over a 1 M-record SQLite log: the TaskBoard sample serves /v1/audit on
# 127.0.0.1, wrk (Debian's package) loads it from a second process. Results go to docs/benchmarks.md by hand.
# Usage: ./eng/load-check.sh [records=1000000] [seconds=30] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"; seconds="${2:-30}"; connections="${3:-16}"
port=5181
alice=00000000-0000-4000-8000-00000000a11c
work="$(mktemp -d /tmp/auditgen-load.XXXXXX)"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dotnet build -c Release -nologo -v:q samples/TaskBoard >/dev/null
dotnet build -c Release -nologo -v:q tests/AuditGen.Benchmarks >/dev/null
dotnet tests/AuditGen.Benchmarks/bin/Release/net10.0/AuditGen.Benchmarks.dll seed-sqlite "$work/load.db" "$records" "$alice"

dotnet samples/TaskBoard/bin/Release/net10.0/TaskBoard.dll serve --urls "http://127.0.0.1:$port" --db "$work/load.db" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

# Sign in as alice (the development sign-in) and send her cookie with every request.
cookie=$(curl -s -o /dev/null -c - "http://127.0.0.1:$port/dev/sign-in?user=alice" | awk '$6 == "taskboard.dev" { print $6 "=" $7 }')
feed="http://127.0.0.1:$port/v1/audit/owners/$alice/activities"
deep=$(curl -s -H "Cookie: $cookie" "$feed?limit=1000&order=oldest" | python3 -c 'import json,sys; print(json.load(sys.stdin)["nextCursor"])')

# Warm up (JIT tiering, SQLite page cache) before measuring.
wrk -t2 -c"$connections" -d5s -H "Cookie: $cookie" "$feed" >/dev/null

echo "== $records records; alice owns every tenth; first page of her feed (50, newest first)"
curl -s -H "Cookie: $cookie" "$feed" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]), "items per page")'
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$feed"
echo "== a page 1,000 records in, oldest first, by cursor"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "$feed?order=oldest&cursor=$deep"
