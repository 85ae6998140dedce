#!/usr/bin/env bash
# A real PostgreSQL streaming replica on this machine: a second cluster copied from the primary
# by pg_basebackup, under var/pg-replica, on its own socket directory and port.
#
#   scripts/replica.sh start     make the replica if missing (pg_basebackup), then start it
#   scripts/replica.sh stop      stop it (fast; "kill" stops it at once, as a crash would)
#   scripts/replica.sh status    running or not, in recovery or not, its replay position
#   scripts/replica.sh promote   make it a primary of its own (it stops following)
#   scripts/replica.sh remove    stop it and delete its cluster
#   scripts/replica.sh primary-start | primary-stop   a SMALL primary of its own (tests, below)
#
# The app reads from it with GISIOC_REPLICAS=<replica dir>/run:<port> (gisioc/replicas).
#
# Environment (defaults in brackets):
#   GISIOC_REPLICA_DIR   the replica's folder: data/, run/ (socket), replica.log  [var/pg-replica]
#   GISIOC_REPLICA_PORT  the replica's port                                        [5433]
#   GISIOC_DB_HOST, GISIOC_DB_PORT, GISIOC_DB_USER, GISIOC_DB_NAME: the primary, as
#   scripts/pg.sh reaches it [var/run, 5432, gisioc, gisioc]. The primary needs wal_level=replica,
#   max_wal_senders > 0 and a "local replication" line in pg_hba.conf: a cluster made by
#   scripts/pg.sh has all three (PostgreSQL's defaults with --auth=trust).
#   GISIOC_PRIMARY_DIR   with primary-start/-stop: the folder of that small primary (data/, run/).
#
# The project's own cluster can hold gigabytes (the benchmarks' databases) and pg_basebackup
# copies all of it. Tests make a small pair under a temporary folder instead:
#   GISIOC_PRIMARY_DIR=$t/p GISIOC_DB_HOST=$t/p/run GISIOC_DB_PORT=5491 scripts/replica.sh primary-start
#   GISIOC_DB_HOST=$t/p/run GISIOC_DB_PORT=5491 GISIOC_REPLICA_DIR=$t/r GISIOC_REPLICA_PORT=5492 \
#     scripts/replica.sh start
# As root the clusters run as the unprivileged "postgres" user (as scripts/pg.sh does): the
# folders must be reachable by it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bindir/pg_ctl" ] || { echo "gisioc: PostgreSQL is not installed (run 'make deps')" >&2; exit 1; }
psock="${GISIOC_DB_HOST:-$root/var/run}"
pport="${GISIOC_DB_PORT:-5432}"
dbuser="${GISIOC_DB_USER:-gisioc}"
dbname="${GISIOC_DB_NAME:-gisioc}"
rdir="${GISIOC_REPLICA_DIR:-$root/var/pg-replica}"
rport="${GISIOC_REPLICA_PORT:-5433}"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

own_dir() {  # a folder the cluster's owner can use; the socket folder closed to others
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$1"
    runuser -u postgres -- test -x "$1" \
      || { echo "gisioc: the user postgres cannot reach $1; use a folder it can" >&2; exit 1; }
  fi
}

running() { [ -f "$1/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start_cluster() {  # data dir, socket dir, port, log
  running "$1" && return 0
  as_owner "$bindir/pg_ctl" -D "$1" -l "$4" -w -t 60 -o "-k $2 -p $3" start >/dev/null \
    || { echo "gisioc: PostgreSQL did not start; see $4" >&2; tail -n 20 "$4" >&2; exit 1; }
}

stop_cluster() {  # data dir, mode
  if running "$1"; then as_owner "$bindir/pg_ctl" -D "$1" -m "$2" -w stop >/dev/null; fi
}

primary_start() {
  local dir="${GISIOC_PRIMARY_DIR:?set GISIOC_PRIMARY_DIR to the folder of the small primary}"
  own_dir "$dir"
  own_dir "$psock"
  chmod 700 "$psock"
  touch "$dir/primary.log"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/primary.log"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U "$dbuser" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$psock'
port = $pport
shared_buffers = 32MB
max_connections = 40
wal_level = replica
max_wal_senders = 4
fsync = off
synchronous_commit = off
timezone = 'UTC'
log_min_messages = warning
CONF
  fi
  start_cluster "$dir/data" "$psock" "$pport" "$dir/primary.log"
  local psql=("$bindir/psql" -h "$psock" -p "$pport" -U "$dbuser" -X -q)
  if ! "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE \"$dbname\""
  fi
  "${psql[@]}" -d "$dbname" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
}

check_primary() {
  local q="SELECT current_setting('wal_level') <> 'minimal' AND current_setting('max_wal_senders')::int > 0"
  [ "$("$bindir/psql" -h "$psock" -p "$pport" -U "$dbuser" -X -d postgres -tAc "$q")" = t ] \
    || { echo "gisioc: the primary cannot stream: it needs wal_level=replica and max_wal_senders > 0" >&2; exit 1; }
}

replica_make() {
  check_primary
  own_dir "$rdir"
  own_dir "$rdir/run"
  chmod 700 "$rdir/run"
  touch "$rdir/replica.log"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$rdir/replica.log"
  echo "gisioc: copying the primary into $rdir/data (pg_basebackup)"
  as_owner "$bindir/pg_basebackup" -D "$rdir/data.new" -X stream -c fast -R \
    -d "host=$psock port=$pport user=$dbuser application_name=gisioc_replica" \
    || { rm -rf "$rdir/data.new"; echo "gisioc: pg_basebackup failed (a 'local replication' line in the primary's pg_hba.conf?)" >&2; exit 1; }
  # Later lines win: the replica's own socket and port; long reads are not cancelled by the
  # primary's vacuum (hot_standby_feedback).
  cat >>"$rdir/data.new/postgresql.conf" <<CONF
# gisioc replica (scripts/replica.sh)
listen_addresses = ''
unix_socket_directories = '$rdir/run'
port = $rport
hot_standby = on
hot_standby_feedback = on
CONF
  mv "$rdir/data.new" "$rdir/data"
}

rpsql() { "$bindir/psql" -h "$rdir/run" -p "$rport" -U "$dbuser" -X -d postgres -tA "$@"; }

case "${1:-start}" in
  start)
    [ -f "$rdir/data/PG_VERSION" ] || replica_make
    start_cluster "$rdir/data" "$rdir/run" "$rport" "$rdir/replica.log"
    echo "gisioc: replica running: GISIOC_REPLICAS=$rdir/run:$rport"
    ;;
  stop) stop_cluster "$rdir/data" fast ;;
  kill) stop_cluster "$rdir/data" immediate ;;
  status)
    if running "$rdir/data"; then
      rpsql -c "SELECT 'running (socket $rdir/run, port $rport), in recovery: ' || pg_is_in_recovery()
                || ', replayed up to ' || coalesce(pg_last_wal_replay_lsn()::text, '-')"
    else echo "stopped"; exit 3; fi
    ;;
  promote) as_owner "$bindir/pg_ctl" -D "$rdir/data" -w promote >/dev/null && echo "gisioc: replica promoted" ;;
  remove) stop_cluster "$rdir/data" fast; rm -rf "$rdir/data" "$rdir/data.new" ;;
  primary-start) primary_start ;;
  primary-stop) stop_cluster "${GISIOC_PRIMARY_DIR:?set GISIOC_PRIMARY_DIR}/data" fast ;;
  *) echo "usage: $0 start|stop|kill|status|promote|remove|primary-start|primary-stop" >&2; exit 2 ;;
esac
