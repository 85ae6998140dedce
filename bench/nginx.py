"""nginx in front of servers under test, with the repo's config and its own tile cache.

    from bench.nginx import nginx_start
    proxy = nginx_start([app_port])        # or ["127.0.0.1:8000", ...]
    proxy.url, proxy.port                  # http://127.0.0.1:<free port>
    ...                                    # GET proxy.url + "/tiles/…?v=<version>"
    proxy.stop()                           # ends nginx and removes its directory
    with nginx_start([app_port]) as proxy: ...   # the same, stopped on exit

It runs as the current user (no root): pid, temp files, logs and cache in a fresh temporary
directory, in the foreground of its own process group. `X-Cache-Status` on a tile says HIT or
MISS (`$upstream_cache_status`). Only tiles whose URL carries the layer's current data version
(`?v=`, as style.json and TileJSON give it) are stored: see deploy/nginx/gisioc.conf.template.
"""

import tempfile
from collections.abc import Iterable
from pathlib import Path

from gisioc.nginx import Nginx, Site, free_port


def _address(upstream: int | str) -> str:
    return f"127.0.0.1:{upstream}" if isinstance(upstream, int) else upstream


def nginx_start(
    upstreams: Iterable[int | str],
    *,
    port: int | None = None,
    workers: int = 1,
    access_log: bool = False,
    static_root: Path | None = None,
    live: Iterable[int | str] = (),
) -> Nginx:
    """A running nginx in front of the app at `upstreams` (ports on 127.0.0.1, or host:port)."""
    directory = Path(tempfile.mkdtemp(prefix="gisioc-nginx-"))
    site = Site(
        directory=directory,
        app=tuple(_address(u) for u in upstreams),
        live=tuple(_address(u) for u in live),
        listen=f"127.0.0.1:{port or free_port()}",
        worker_processes=workers,
        access_log=access_log,
        **({"static_root": static_root} if static_root else {}),
    )
    proxy = Nginx(site, temporary=True)
    try:
        return proxy.start()
    except BaseException:
        proxy.stop()
        raise
