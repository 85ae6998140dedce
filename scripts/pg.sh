#!/usr/bin/env bash
# The project-local PostgreSQL + PostGIS cluster under var/: start | stop | status | psql.
# Socket only (no TCP), so two checkouts on one machine never collide. PostgreSQL refuses to
# run as root, so as root the cluster runs as the unprivileged "postgres" user.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bindir/pg_ctl" ] || { echo "gisioc: PostgreSQL is not installed (run 'make deps')" >&2; exit 1; }
data="$root/var/pg/data"
sock="${GISIOC_DB_HOST:-$root/var/run}"
port="${GISIOC_DB_PORT:-5432}"
dbname="${GISIOC_DB_NAME:-gisioc}"
dbuser="${GISIOC_DB_USER:-gisioc}"
log="$root/var/pg/postgresql.log"

if [ ${#sock} -gt 90 ]; then
  echo "gisioc: the socket path $sock is too long for a Unix socket; set GISIOC_DB_HOST to a shorter directory" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

prepare_dirs() {
  mkdir -p "$root/var"
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$root/var/pg" ] && ! runuser -u postgres -- test -x "$root/var"; then
    # The checkout sits where "postgres" cannot reach (e.g. under /root): keep the cluster in
    # /var/tmp, one folder per checkout, linked from var/ so paths stay the same.
    alt="/var/tmp/gisioc-$(printf '%s' "$root" | sha1sum | cut -c1-12)"
    mkdir -p "$alt/pg" "$alt/run"
    ln -sfn "$alt/pg" "$root/var/pg"
    [ -n "${GISIOC_DB_HOST:-}" ] || ln -sfn "$alt/run" "$root/var/run"
  fi
  mkdir -p "$root/var/pg" "$sock"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$(readlink -f "$root/var/pg")" "$(readlink -f "$sock")"
    touch "$log" && chown postgres: "$(readlink -f "$log")"
  fi
  chmod 700 "$(readlink -f "$sock")"
}

init_cluster() {
  echo "gisioc: creating the PostGIS cluster in var/pg/data"
  as_owner "$bindir/initdb" -D "$(readlink -f "$root/var/pg")/data" -U "$dbuser" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$(readlink -f "$sock")'
port = $port
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
synchronous_commit = off
max_connections = 100
timezone = 'UTC'
log_min_messages = warning
# Streaming replicas (scripts/replica.sh) copy and follow this cluster: PostgreSQL's defaults,
# said here so they stay (initdb --auth=trust also trusts 'local replication' in pg_hba.conf).
wal_level = replica
max_wal_senders = 10
CONF
}

running() { as_owner "$bindir/pg_ctl" -D "$(readlink -f "$data")" status >/dev/null 2>&1; }

case "${1:-start}" in
  start)
    prepare_dirs
    [ -f "$data/PG_VERSION" ] || init_cluster
    if ! running; then
      as_owner "$bindir/pg_ctl" -D "$(readlink -f "$data")" -l "$(readlink -f "$log")" -w -t 60 \
        -o "-k $(readlink -f "$sock") -p $port" start >/dev/null \
        || { echo "gisioc: PostgreSQL did not start; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
    fi
    psql=("$bindir/psql" -h "$sock" -p "$port" -U "$dbuser" -X -q)
    if ! "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
      "${psql[@]}" -d postgres -c "CREATE DATABASE \"$dbname\""
    fi
    "${psql[@]}" -d "$dbname" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
    "${psql[@]}" -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ] && running; then
      as_owner "$bindir/pg_ctl" -D "$(readlink -f "$data")" -m fast -w stop >/dev/null && echo "gisioc: PostgreSQL stopped"
    fi
    ;;
  status)
    if [ -f "$data/PG_VERSION" ] && running; then echo "running (socket $sock, port $port)"; else echo "stopped"; exit 3; fi
    ;;
  psql)
    shift; exec "$bindir/psql" -h "$sock" -p "$port" -U "$dbuser" -d "$dbname" "$@"
    ;;
  *) echo "usage: $0 start|stop|status|psql" >&2; exit 2 ;;
esac
