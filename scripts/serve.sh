#!/usr/bin/env bash
# Serve the demo: the app (`gisioc serve`: granian), local fakes of the source systems (every
# system's `fake` module), and the scheduled pulls from them (`gisioc pull loop`).
# Ctrl-C, or a SIGTERM to this script (the Makefile asks for one when `make` dies), stops all
# three. Logs of the fakes and of the pulls go to var/log/ (under GISIOC_VAR_DIR when set).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GISIOC_BIN:-.venv/bin}  # where `gisioc` is: the venv here, /usr/local/bin in Docker
HOST=${GISIOC_HOST:-127.0.0.1}
PORT=${GISIOC_PORT:-8000}
FAKE_PORT=${GISIOC_FAKE_PORT:-8765}
LOG=${GISIOC_VAR_DIR:-var}/log
mkdir -p "$LOG"

"$BIN/gisioc" fake-source pulls --port "$FAKE_PORT" --every 1 >/dev/null
"$BIN/gisioc" fake-source serve --port "$FAKE_PORT" >"$LOG/fake-source.log" 2>&1 &
fake=$!
loop=
app=
cams=
frigate=
live=
broker=
nginx=
trap 'kill $fake $loop $app $cams $frigate $live $nginx 2>/dev/null || true; wait 2>/dev/null || true
      [ -z "$broker" ] || bash scripts/mosquitto.sh stop >/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in $(seq 50); do  # the fake builds its first records before it listens (~2 s)
  (echo >"/dev/tcp/127.0.0.1/$FAKE_PORT") 2>/dev/null && break
  sleep 0.2
done
"$BIN/gisioc" pull loop >"$LOG/pull-loop.log" 2>&1 &
loop=$!
# The demo's fake cameras: their streams at :FAKE_PORT+1, events and heartbeats pushed to the app.
"$BIN/gisioc" camera-fake serve --host "$HOST" --port "$((FAKE_PORT + 1))" >"$LOG/camera-fake.log" 2>&1 &
cams=$!
# Frigate's events over MQTT (GISIOC_FRIGATE_MQTT; unset: the demo's own broker where mosquitto
# is installed, empty: none). A broker on this host's loopback is ours: scripts/mosquitto.sh
# starts it (and stops it at exit).
FRIGATE=$("$BIN/python" -c 'from gisioc.config import Config; u = Config().frigate_mqtt
print("-" if u is None else u)')
if [ "$FRIGATE" = - ]; then
  FRIGATE=
  [ ! -x /usr/sbin/mosquitto ] || FRIGATE="mqtt://127.0.0.1:${GISIOC_MQTT_PORT:-1883}/frigate"
fi
if [ -n "$FRIGATE" ]; then
  shown=${FRIGATE#*://}
  shown=${shown#*@}  # never the password on the terminal
  hostport=${FRIGATE#*://}
  hostport=${hostport%%/*}
  case "$hostport" in
    127.0.0.1 | localhost) GISIOC_MQTT_PORT=1883 bash scripts/mosquitto.sh start && broker=1 ;;
    127.0.0.1:* | localhost:*)
      GISIOC_MQTT_PORT=${hostport##*:} bash scripts/mosquitto.sh start && broker=1 ;;
  esac
  GISIOC_FRIGATE_MQTT=$FRIGATE "$BIN/gisioc" frigate listen >"$LOG/frigate.log" 2>&1 &
  frigate=$!
fi

# Live updates (Server-Sent Events) and the periodic jobs (camera heartbeats, alerts, overdue).
"$BIN/gisioc" live serve --host "$HOST" >"$LOG/live.log" 2>&1 &
live=$!

# `make run-scale` (GISIOC_NGINX=1): nginx at PORT (static files, the tile cache, /live/) in
# front of the app's GISIOC_WORKERS processes at PORT+10 (scripts/nginx.sh, deploy/nginx).
if [ -n "${GISIOC_NGINX:-}" ]; then
  GISIOC_NGINX_LISTEN="$HOST:$PORT" GISIOC_NGINX_APP="127.0.0.1:$((PORT + 10))" \
    bash scripts/nginx.sh run >"$LOG/nginx.log" 2>&1 &
  nginx=$!
  PORT=$((PORT + 10))
  echo "gisioc: nginx at http://$HOST:$((PORT - 10)) in front of the app at :$PORT ($LOG/nginx.log)"
fi
echo "gisioc: serving http://$HOST:$PORT  (Ctrl-C to stop; 'make stop' stops the database)"
echo "        pulls every minute from the fake source systems at :$FAKE_PORT ($LOG/)"
echo "        live updates from 'gisioc live serve' ($LOG/live.log)"
[ -z "$frigate" ] || echo "        Frigate events from ${FRIGATE%%://*}://$shown ($LOG/frigate.log)"
# In the background, so a signal reaches this script's traps at once (bash runs traps only
# after a foreground child ends).
"$BIN/gisioc" serve --host "$HOST" --port "$PORT" --access-log &
app=$!
wait $app
