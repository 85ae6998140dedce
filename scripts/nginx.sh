#!/usr/bin/env bash
# nginx in front of the app, as this user: the repo's config (deploy/nginx) rendered under
# var/nginx (pid, logs, temp files, the tile cache), started as a daemon or in the foreground.
#   scripts/nginx.sh start | stop | status | run (foreground) | purge (empty the tile cache)
# Where things are (defaults in brackets):
#   GISIOC_NGINX_LISTEN  where nginx listens      [$GISIOC_HOST:8080]
#   GISIOC_NGINX_APP     the app's processes      [127.0.0.1:$GISIOC_PORT], comma-separated
#   GISIOC_NGINX_LIVE    `gisioc live serve`      [127.0.0.1:<live port>]
#   GISIOC_NGINX_WORKERS nginx worker processes   [2]
# The app behind it must trust one proxy (GISIOC_PROXY_COUNT=1) and give browsers the live
# stream through it (GISIOC_LIVE_URL=/live/events). After restoring a database backup, purge:
# data versions (the tile cache's keys) may repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GISIOC_BIN:-.venv/bin}
exec "$BIN/python" -m gisioc.nginx "$@"
