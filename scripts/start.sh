#!/usr/bin/env bash
# The entry point of `make run` and of the Docker image. Migrates and collects static files, then
# serves: in demo mode (GISIOC_DEMO: on by default, off in the image) with the demo data, the
# fakes and their pulls (scripts/serve.sh); outside it, the app alone, with no demo data and no
# demo logins.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GISIOC_BIN:-.venv/bin}
"$BIN/gisioc" migrate --no-input
"$BIN/gisioc" collectstatic --no-input -v 0
demo=$("$BIN/python" -c 'from gisioc.config import Config; print(Config().demo)')
if [ "$demo" = True ]; then
  "$BIN/gisioc" demo load
  exec bash scripts/serve.sh
fi
# The live server beside the app; it gets a SIGTERM when the app (exec'd below) ends.
setpriv --pdeathsig TERM "$BIN/gisioc" live serve --host "${GISIOC_HOST:-127.0.0.1}" &
exec "$BIN/gisioc" serve --host "${GISIOC_HOST:-127.0.0.1}" --port "${GISIOC_PORT:-8000}" --access-log
