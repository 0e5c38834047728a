#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and exports AUDITGEN_POSTGRES; source it, then call
# start_test_postgres. The cluster lives in a temp folder, listens on 127.0.0.1 only, and is stopped and deleted
# by stop_test_postgres (eng/test.sh calls it on exit, also when tests fail). synchronous_commit=off only speeds the
# throwaway server up (the server's own durability is not under test; AuditGen's SQL and behaviour are).

find_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin
  bin="$(find_pg_bin)"
  if [ -z "$bin" ]; then
    echo "PostgreSQL not found; installing it (Debian package postgresql)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin="$(find_pg_bin)"
  fi

  AUDITGEN_PG_DIR="$(mktemp -d /tmp/auditgen-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$AUDITGEN_PG_DIR"
  local port="${AUDITGEN_PG_PORT:-54329}"
  as_postgres "$bin/initdb" -D "$AUDITGEN_PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  as_postgres "$bin/pg_ctl" -D "$AUDITGEN_PG_DIR/data" -l "$AUDITGEN_PG_DIR/server.log" -w \
    -o "-p $port -k $AUDITGEN_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c synchronous_commit=off" start >/dev/null
  export AUDITGEN_PG_BIN="$bin"
  export AUDITGEN_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=50"
  echo "PostgreSQL test cluster on 127.0.0.1:$port ($AUDITGEN_PG_DIR)"
}

stop_test_postgres() {
  if [ -n "${AUDITGEN_PG_DIR:-}" ] && [ -d "$AUDITGEN_PG_DIR/data" ]; then
    as_postgres "$AUDITGEN_PG_BIN/pg_ctl" -D "$AUDITGEN_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$AUDITGEN_PG_DIR"
  fi
}
