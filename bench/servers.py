"""The servers under test, on 127.0.0.1 and free ports, and their clean-up.

Each server runs in its own process group (start_new_session), so stopping it ends its workers
too; `Servers` stops every server it started on exit, on an exception and on Ctrl-C.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench import db

ROOT = db.ROOT
TIPG_VENV = ROOT / "var" / "bench" / "tipg-venv"
TIPG_REQUIREMENTS = ("tipg==1.6.1", "uvicorn[standard]==0.54.0")
LOOPBACK = "127.0.0.1"
# One benchmark client asking fast is not a flood: the per-address limits (gisioc/limits.py)
# lifted, so every request is answered and measured, none refused.
NO_LIMITS = {
    "GISIOC_LIMIT_RATE": "100000",
    "GISIOC_LIMIT_BURST": "100000",
    "GISIOC_LIMIT_CONCURRENCY": "16",
    "GISIOC_LIMIT_THREADS": "4",
}


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Server:
    """One server process group with its log file."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], cwd: Path, log: Path):
        self.name, self.cmd, self.env, self.cwd, self.log = name, cmd, env, cwd, log
        self.port = int(cmd[cmd.index("--port") + 1]) if "--port" in cmd else 0
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the process (returns at once; see wait_ready)."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("wb")  # one run's log per server
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        out.close()

    def get(self, path: str) -> int:
        """The status of one GET (0 when nothing answers)."""
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=30)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            return resp.status
        except OSError:
            return 0
        finally:
            conn.close()

    def wait_ready(self, path: str, seconds: float = 90.0) -> None:
        """Block until path answers 200; fail with the log's tail if the server dies or hangs."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                break
            if self.get(path) == 200:
                return
            time.sleep(0.3)
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        raise RuntimeError(f"{self.name} did not become ready on {path}:\n{tail}")

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after 15 s."""
        if not self.proc or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # its own session: the group id is its pid
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass


class Servers:
    """Starts servers and stops all of them when the `with` block ends, however it ends."""

    def __init__(self) -> None:
        self.servers: list[Server] = []
        self.proxies: list[Any] = []  # nginx in front of some (bench/nginx.py), stopped first

    def __enter__(self) -> "Servers":
        signal.signal(signal.SIGTERM, _raise_exit)
        # Ctrl-C raises KeyboardInterrupt even when started with SIGINT ignored (`cmd &`).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        return self

    def add(self, server: Server) -> Server:
        """Start a server and keep it for clean-up."""
        self.servers.append(server)
        server.start()
        return server

    def add_nginx(self, proxy: Any) -> Any:
        """Keep a started nginx (bench.nginx.nginx_start) for clean-up."""
        self.proxies.append(proxy)
        return proxy

    def __exit__(self, *exc: object) -> None:
        for proxy in reversed(self.proxies):
            proxy.stop()
        for server in reversed(self.servers):
            server.stop()


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def gisioc(
    name: str,
    *,
    cache: bool,
    var_dir: Path,
    logs: Path,
    workers: int | None = None,
    threads: int | None = None,
    pg_settings: dict[str, str] | None = None,
    extra_apps: str = '["bench"]',
) -> Server:
    """Our server as `make run` serves it (`gisioc serve`: granian), on the benchmark DB with
    the bench layer installed (unless `extra_apps` says otherwise); processes and threads as
    configured unless given."""
    port = free_port()
    env = db.db_env(
        **db_options_env(pg_settings or {}),
        GISIOC_EXTRA_APPS=extra_apps,
        GISIOC_TILE_CACHE="true" if cache else "false",
        GISIOC_VAR_DIR=str(var_dir),
        GISIOC_ALLOWED_HOSTS='["127.0.0.1"]',
        PYTHONPATH=str(ROOT),  # the bench app is not installed; the checkout is its home
    )
    if workers:
        env["GISIOC_WORKERS"] = str(workers)
    if threads:
        env["GISIOC_THREADS"] = str(threads)
    cmd = [str(ROOT / ".venv" / "bin" / "gisioc"), "serve", "--host", LOOPBACK, "--port", str(port)]
    return Server(name, cmd, env, ROOT, logs / f"{name}.log")


def bare(
    name: str,
    *,
    spec: Path,
    logs: Path,
    workers: int | None = None,
    threads: int | None = None,
) -> Server:
    """The bound (bench/bare.py) under granian as `gisioc serve` runs ours: same processes,
    threads and options, another WSGI app."""
    from gisioc.web.management.commands.serve import serve_argv

    workers, threads = shape(workers, threads)
    cmd = serve_argv(
        host=LOOPBACK,
        port=free_port(),
        workers=workers,
        threads=threads,
        access_log=False,
        app="bench.bare:application",
    )
    env = db.db_env(GISIOC_BENCH_BARE=str(spec), PYTHONPATH=str(ROOT))
    return Server(name, cmd, env, ROOT, logs / f"{name}.log")


def shape(workers: int | None, threads: int | None) -> tuple[int, int]:
    """Processes and threads per process of a server: as given, else as configured."""
    from gisioc.config import Config

    config = Config()
    return workers or config.workers, threads or config.threads


def described(workers: int | None, threads: int | None) -> str:
    """How our server runs, for the record: granian P process(es) × T thread(s)."""
    workers, threads = shape(workers, threads)
    return f"granian {workers} process(es) × {threads} thread(s)"


def ensure_tipg(log=print) -> Path:
    """tipg and uvicorn in their own venv (never the project's); its uvicorn."""
    uvicorn = TIPG_VENV / "bin" / "uvicorn"
    marker = TIPG_VENV / "requirements.txt"
    wanted = "\n".join(TIPG_REQUIREMENTS) + "\n"
    if uvicorn.exists() and marker.exists() and marker.read_text() == wanted:
        return uvicorn
    log(f"installing {', '.join(TIPG_REQUIREMENTS)} into {TIPG_VENV.relative_to(ROOT)}")
    if not (TIPG_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(TIPG_VENV)], check=True)
    pip = [str(TIPG_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *TIPG_REQUIREMENTS], check=True)
    marker.write_text(wanted)
    return uvicorn


def pg_options(settings: dict[str, str]) -> str:
    """PostgreSQL session settings as libpq `-c name=value` options."""
    return " ".join(f"-c {k}={v}" for k, v in settings.items())


def db_options_env(settings: dict[str, str]) -> dict[str, str]:
    """The app's connection options plus extra settings, as GISIOC_DB_OPTIONS."""
    # libpq's `options` parameter wins over PGOPTIONS, so extra settings must join it.
    from gisioc.config import Config

    return {"GISIOC_DB_OPTIONS": f"{Config().db_options} {pg_options(settings)}".strip()}


def tipg(
    name: str,
    *,
    workers: int,
    max_features: int,
    buffer: int,
    cwd: Path,
    logs: Path,
    pg_settings: dict[str, str] | None = None,
) -> Server:
    """tipg under uvicorn, serving bench_communes and bench_points from the same database."""
    port = free_port()
    host = db.socket_dir().replace("/", "%2F")  # a Unix socket directory as the DSN's host
    # asyncpg ignores PGOPTIONS but takes unknown DSN query parameters as session settings.
    query = "?" + urllib.parse.urlencode(pg_settings) if pg_settings else ""
    props = '["code","name","short_name","unit_type","level","version","area_km2","approximate"]'
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"postgresql://gisioc@{host}:5432/{db.DB_NAME}{query}",
        "TIPG_DB_TABLES": '["public.bench_communes","public.bench_points"]',
        "TIPG_DB_EXCLUDE_FUNCTION_SCHEMAS": '["public"]',
        "TIPG_DB_SPATIAL_EXTENT": "false",
        "TIPG_DB_DATETIME_EXTENT": "false",
        "TIPG_TABLE_CONFIG__public_bench_communes__PK": "id",
        "TIPG_TABLE_CONFIG__public_bench_communes__PROPERTIES": props,
        "TIPG_TABLE_CONFIG__public_bench_points__PROPERTIES": '["kind"]',
        "TIPG_MAX_FEATURES_PER_TILE": str(max_features),  # as our layers' max_features
        "TIPG_TILE_BUFFER": str(buffer),  # as tiles.sql.BUFFER
        "TIPG_CATALOG_TTL": "0",  # no catalog refresh in the middle of a measurement
    }
    cmd = [
        str(ensure_tipg()),
        "tipg.main:app",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    cwd.mkdir(parents=True, exist_ok=True)  # tipg reads a .env from its cwd: an empty dir
    return Server(name, cmd, env, cwd, logs / f"{name}.log")
