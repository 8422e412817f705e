#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests and benchmarks.
#
#   scripts/pg-tmp.sh COMMAND...   start a cluster, run COMMAND with DATABASE_URL set, stop it
#   scripts/pg-tmp.sh start        start one and print its DATABASE_URL (state in $PG_TMP_STATE)
#   scripts/pg-tmp.sh stop         stop the one started by `start`
#
# Installs Debian's postgresql when it is missing. Data lives in a temporary folder
# that is removed when the cluster stops. As root, initdb and pg_ctl run as postgres.
set -euo pipefail

STATE=${PG_TMP_STATE:-/tmp/inventory-pg-tmp.state}
PORT=${PG_TMP_PORT:-}

find_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_installed() {
  if [ -z "$(find_bindir)" ] || [ ! -x "$(find_bindir)/initdb" ]; then
    echo "pg-tmp: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  ensure_installed
  local bindir datadir port
  bindir=$(find_bindir)
  datadir=$(mktemp -d /tmp/inventory-pg.XXXXXX)
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$datadir"
  port=${PORT:-$(free_port)}
  as_pg "$bindir/initdb" -D "$datadir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  as_pg "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/log" -w -o \
    "-h 127.0.0.1 -p $port -k $datadir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" \
    start >/dev/null
  as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres inventory
  printf '%s\n%s\n%s\n' "$bindir" "$datadir" "$port" >"$STATE"
  echo "postgres://postgres@127.0.0.1:$port/inventory"
}

stop() {
  [ -f "$STATE" ] || return 0
  local bindir datadir
  bindir=$(sed -n 1p "$STATE")
  datadir=$(sed -n 2p "$STATE")
  as_pg "$bindir/pg_ctl" -D "$datadir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$datadir" "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  "") echo "usage: $0 start | stop | COMMAND..." >&2; exit 2 ;;
  *)
    export PG_TMP_STATE="$STATE.$$"
    STATE=$PG_TMP_STATE
    url=$(start)
    trap stop EXIT
    echo "pg-tmp: DATABASE_URL=$url" >&2
    export DATABASE_URL=$url
    export PGBIN=$(sed -n 1p "$STATE")
    "$@"
    ;;
esac
