#!/bin/sh
# nginx's container (docker-compose.yml, profile scale): the repo's template filled in for the
# compose network (gisioc/nginx.py does the same outside Docker), then nginx in the foreground.
set -e
run=/var/cache/nginx/gisioc
mkdir -p "$run/run" "$run/cache"
chown -R nginx "$run"
sed -e "s|{{user}}|user nginx;|" \
    -e "s|{{worker_processes}}|auto|" \
    -e "s|{{run_dir}}|$run/run|g" \
    -e "s|{{log_dir}}|/var/log/nginx|g" \
    -e "s|{{mime_types}}|/etc/nginx/mime.types|" \
    -e "s|{{max_body}}|2g|" \
    -e "s|{{access_log}}|/var/log/nginx/access.log gisioc|" \
    -e "s|{{cache_dir}}|$run/cache|" \
    -e "s|{{cache_zone}}|32m|" \
    -e "s|{{cache_max}}|${GISIOC_NGINX_CACHE_MAX:-4g}|" \
    -e "s|{{app_servers}}|        server app:8000;|" \
    -e "s|{{live_servers}}|        server app:8001;|" \
    -e "s|{{session_cookie}}|sessionid|" \
    -e "s|{{listen}}|80|" \
    -e "s|{{static_root}}|/srv/var/static|" \
    /etc/gisioc/gisioc.conf.template > /etc/nginx/nginx.conf
if grep -n '{{' /etc/nginx/nginx.conf; then
  echo "gisioc: a placeholder of the template is not filled in above" >&2
  exit 1
fi
exec nginx -g 'daemon off;'
