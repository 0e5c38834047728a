#!/usr/bin/env bash
# HTTP load check of the sample's logged write path against a read: the TaskBoard sample serves on 127.0.0.1 (SQLite,
# synchronous=FULL, the EF Core store: each POST is the task and its record in one transaction), wrk (Debian's package)
# loads it from a second process: GET one task, then POST /tasks (a logged create), one run each.
# Results go to docs/benchmarks.md by hand.
# Usage: ./eng/write-check.sh [seconds=30] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"; connections="${2:-16}"
port=5182
work="$(mktemp -d /tmp/auditgen-write.XXXXXX)"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dotnet build -c Release -nologo -v:q samples/TaskBoard >/dev/null
dotnet samples/TaskBoard/bin/Release/net10.0/TaskBoard.dll serve --urls "http://127.0.0.1:$port" --db "$work/write.db" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

cookie=$(curl -s -o /dev/null -c - "http://127.0.0.1:$port/dev/sign-in?user=alice" | awk '$6 == "taskboard.dev" { print $6 "=" $7 }')
task=$(curl -s -H "Cookie: $cookie" -H 'Content-Type: application/json' -d '{"title":"Read me"}' "http://127.0.0.1:$port/tasks" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"Write the report"}'
LUA

# Warm up both paths (JIT tiering, page cache) before measuring.
wrk -t2 -c"$connections" -d5s -H "Cookie: $cookie" "http://127.0.0.1:$port/tasks/$task" >/dev/null
wrk -t2 -c"$connections" -d5s -H "Cookie: $cookie" -s "$work/post.lua" "http://127.0.0.1:$port/tasks" >/dev/null

echo "== GET one task"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/tasks/$task"
echo "== POST /tasks: a logged create (task + record, one transaction)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: $cookie" -s "$work/post.lua" "http://127.0.0.1:$port/tasks"
echo "== records in the log"
sqlite3 "$work/write.db" "SELECT count(*) FROM activity_records" 2>/dev/null || python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM activity_records').fetchone()[0])" "$work/write.db"
