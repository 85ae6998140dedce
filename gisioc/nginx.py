"""nginx in front of the app: the repo's config rendered for one instance, run as this user.

`deploy/nginx/gisioc.conf.template` is the one config; `render` fills it in, and `Nginx`
runs an nginx on it under its own directory (pid, temp, logs, cache), in the foreground
(`daemon off`), so `stop` ends it and nothing else. `scripts/nginx.sh`, `bench/nginx.py` and
the tests use it. Needs Debian's `nginx` package (scripts/system-deps.sh).
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from gisioc.config import BASE_DIR
from gisioc.errors import Unavailable

TEMPLATE = BASE_DIR / "deploy" / "nginx" / "gisioc.conf.template"
MIME_TYPES = Path("/etc/nginx/mime.types")
NGINX_BIN = ("/usr/sbin/nginx", "nginx")
SESSION_COOKIE = "sessionid"  # Django's default name (settings do not change it)


def nginx_binary() -> str:
    """The nginx executable, or Unavailable naming the package to install."""
    for candidate in NGINX_BIN:
        found = shutil.which(candidate)
        if found:
            return found
    raise Unavailable(
        "Chưa cài nginx: chạy scripts/system-deps.sh (gói nginx của Debian).",
        "nginx is not installed: run scripts/system-deps.sh (Debian's nginx package).",
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Site:
    """What the config needs to know: where nginx listens, where the app is, its files."""

    directory: Path  # nginx's own: pid, temp, logs, cache
    app: tuple[str, ...]  # host:port of each app process
    live: tuple[str, ...] = ()  # host:port of `gisioc live serve` (none: /live/ answers 502)
    listen: str = "127.0.0.1:8080"
    static_root: Path = BASE_DIR / "var" / "static"
    worker_processes: int = 2
    cache_max: str = "1g"
    cache_zone: str = "32m"
    max_body: str = "2g"
    access_log: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        """The rendered config's path."""
        return self.directory / "nginx.conf"

    @property
    def cache_dir(self) -> Path:
        """nginx's tile cache."""
        return self.directory / "cache"


def _servers(addresses: tuple[str, ...]) -> str:
    # `down` keeps an upstream block valid when there is nothing to send to.
    lines = [f"        server {a};" for a in addresses] or ["        server 127.0.0.1:9 down;"]
    return "\n".join(lines)


def _user_line() -> str:
    # Started by root (CI, a container), nginx would run its workers as `nobody`, who may not
    # read a checkout under /root nor write the cache: they run as root too. Otherwise they
    # are the user who started nginx, whatever the config says.
    return "user root;" if os.geteuid() == 0 else "# workers: the user who starts nginx"


def render(site: Site) -> str:
    """The template filled in for `site`; every placeholder must be known."""
    run_dir, log_dir = site.directory / "run", site.directory / "log"
    values = {
        "user": _user_line(),
        "worker_processes": str(site.worker_processes),
        "run_dir": str(run_dir),
        "log_dir": str(log_dir),
        "mime_types": str(MIME_TYPES),
        "max_body": site.max_body,
        "access_log": f"{log_dir}/access.log gisioc" if site.access_log else "off",
        "cache_dir": str(site.cache_dir),
        "cache_zone": site.cache_zone,
        "cache_max": site.cache_max,
        "app_servers": _servers(site.app),
        "live_servers": _servers(site.live),
        "session_cookie": SESSION_COOKIE,
        "listen": site.listen,
        "static_root": str(site.static_root).rstrip("/"),
        **site.extra,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        start = text.index("{{")
        raise ValueError(f"unknown placeholder in {TEMPLATE.name}: {text[start : start + 40]}")
    return text


def write(site: Site) -> Path:
    """Render the config into the site's directory with the directories it names."""
    for sub in ("run", "log", "cache"):
        (site.directory / sub).mkdir(parents=True, exist_ok=True)
    site.conf.write_text(render(site))
    return site.conf


def check(site: Site) -> None:
    """`nginx -t` on the rendered config; ValueError with nginx's words when it is refused."""
    done = subprocess.run(
        [nginx_binary(), "-t", "-q", "-p", str(site.directory), "-c", str(site.conf)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise ValueError(f"nginx refused {site.conf}: {done.stderr.strip()}")


class Nginx:
    """One nginx on a rendered config, in the foreground of its own process group."""

    def __init__(self, site: Site, *, temporary: bool = False) -> None:
        self.site = site
        self.temporary = temporary  # its directory is removed when it stops
        self.proc: subprocess.Popen | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.site.listen.rsplit(":", 1)[1])

    @property
    def url(self) -> str:
        """Its base URL (no trailing slash)."""
        host = self.site.listen.rsplit(":", 1)[0]
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '*') else host}:{self.port}"

    def start(self, *, seconds: float = 10.0) -> "Nginx":
        """Render, check and start; return once it accepts connections."""
        write(self.site)
        check(self.site)
        log = (self.site.directory / "log" / "nginx.out").open("ab")
        argv = [nginx_binary(), "-p", str(self.site.directory), "-c", str(self.site.conf)]
        self.proc = subprocess.Popen(
            [*argv, "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on {self.port}: {self.error_log_tail()}")

    def reload(self) -> None:
        """Re-render the config and have the running nginx read it (SIGHUP)."""
        write(self.site)
        check(self.site)
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGHUP)

    def error_log_tail(self) -> str:
        """The end of nginx's error log and output."""
        out = []
        for name in ("error.log", "nginx.out"):
            path = self.site.directory / "log" / name
            if path.exists():
                out.append(path.read_text(errors="replace")[-2000:])
        return "\n".join(out)

    def stop(self, *, remove: bool | None = None) -> None:
        """Stop nginx (its workers with it); `remove` (default: when temporary) its directory
        too: cache, logs."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
        if self.temporary if remove is None else remove:
            shutil.rmtree(self.site.directory, ignore_errors=True)

    def __enter__(self) -> "Nginx":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _site_from_env() -> Site:
    """The site `scripts/nginx.sh` runs: under var/nginx, in front of this checkout's app."""
    from gisioc.config import Config

    config = Config()
    env = os.environ.get
    app = env("GISIOC_NGINX_APP") or f"127.0.0.1:{config.port}"
    live = env("GISIOC_NGINX_LIVE") or f"127.0.0.1:{config.live_port}"
    return Site(
        directory=config.var_dir / "nginx",
        app=tuple(app.split(",")),
        live=tuple(live.split(",")),
        listen=env("GISIOC_NGINX_LISTEN") or f"{config.host}:8080",
        static_root=config.var_dir / "static",
        worker_processes=int(env("GISIOC_NGINX_WORKERS") or 2),
    )


def _pid(site: Site) -> int | None:
    try:
        pid = int((site.directory / "run" / "nginx.pid").read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def main(argv: list[str]) -> int:
    """start | stop | status | run (in the foreground) | purge (empty the tile cache)."""
    command = argv[0] if argv else "status"
    site = _site_from_env()
    nginx = [nginx_binary(), "-p", str(site.directory), "-c", str(site.conf)]
    if command in ("start", "run"):
        if _pid(site):
            print(f"nginx: already running ({site.directory})")
            return 1
        write(site)
        check(site)
        print(f"nginx: http://{site.listen} → app {', '.join(site.app)}; cache {site.cache_dir}")
        if command == "run":
            os.execv(nginx[0], [*nginx, "-g", "daemon off;"])
        return subprocess.run(nginx).returncode
    if command == "stop":
        pid = _pid(site)
        if pid:
            os.kill(pid, signal.SIGQUIT)
        print("nginx: stopped" if pid else "nginx: not running")
        return 0
    if command == "purge":  # after restoring a database backup: versions may repeat
        shutil.rmtree(site.cache_dir, ignore_errors=True)
        site.cache_dir.mkdir(parents=True, exist_ok=True)
        print(f"nginx: tile cache emptied ({site.cache_dir}); restart nginx")
        return 0
    if command == "status":
        pid = _pid(site)
        print(f"nginx: running (pid {pid}) at http://{site.listen}" if pid else "nginx: stopped")
        return 0 if pid else 3
    print("usage: scripts/nginx.sh start|stop|status|run|purge")
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
