#!/usr/bin/env bash
# Install the Debian 12 packages gisioc needs, only those missing (root or sudo).
set -euo pipefail

packages=(
  python3 python3-venv python3-dev build-essential
  postgresql-15 postgresql-15-postgis-3
  gdal-bin libgdal32 libgeos-c1v5 libproj25
  nodejs npm
  chromium fonts-noto-core
  mosquitto ffmpeg  # the Frigate connector's broker; the camera demo's generated streams
  nginx  # in front of several app processes, with the tile cache (deploy/nginx, scripts/nginx.sh)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may already carry its own Node.js or Python outside Debian's packages.
command -v node >/dev/null && command -v npm >/dev/null && missing=("${missing[@]/nodejs}") && missing=("${missing[@]/npm}")
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0

echo "gisioc: installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
