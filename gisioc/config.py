"""Typed settings read from GISIOC_* environment variables (and an optional .env file)."""

import os
import secrets
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent


class Config(BaseSettings):
    """Everything an operator may set; names are GISIOC_<FIELD> in the environment."""

    model_config = SettingsConfigDict(
        env_prefix="GISIOC_", env_file=BASE_DIR / ".env", extra="ignore"
    )

    demo: bool = Field(True, description="Demo mode: generated secret allowed, demo data loaded.")
    debug: bool = False
    secret_key: SecretStr | None = None
    # Keys of the patient pseudonym (gisioc/health/pseudonym.py): "id:secret,id:secret", the
    # first current; a demo checkout generates one under var/ as it does its secret key.
    patient_keys: SecretStr | None = Field(
        None, description="Keys hashing patient ids: 'id:secret,…', the first in use."
    )
    allowed_hosts: list[str] = ["127.0.0.1", "localhost"]
    host: str = "127.0.0.1"
    port: int = 8000
    # One process with a few threads: every kept-alive connection shares one queue, so a quick
    # tile never waits behind a slow one in a busy process (bench/README.md, "How we serve").
    workers: int = Field(1, ge=1, description="Server processes (granian workers).")
    threads: int = Field(4, ge=1, description="Threads per server process.")
    # Live updates (gisioc/live): `gisioc live serve` sends the bus's events as Server-Sent
    # Events on its own port, so open streams never hold the app's threads.
    live: bool = Field(True, description="Open maps receive live updates (gisioc live serve).")
    live_port: int | None = Field(None, description="Port of the live server (default: port + 1).")
    live_url: str = Field(
        "",
        description="The live stream's URL as browsers reach it (absolute, or a path behind "
        "a proxy); default: this host at live_port, /events.",
    )
    db_host: str = str(BASE_DIR / "var" / "run")
    db_port: int = 5432
    db_name: str = "gisioc"
    db_user: str = "gisioc"
    db_password: SecretStr = SecretStr("")
    # Tile queries are many, short and concurrent: JIT compilation and parallel workers only
    # slowed them (bench/README.md), and misled plans into scanning a million points.
    db_options: str = "-c jit=off -c max_parallel_workers_per_gather=0"
    # Streaming replicas (gisioc/replicas): requests that only read read one of them; writes,
    # transactions and migrations stay on the primary (db_*). Empty: the primary alone.
    replicas: list[str] = Field(
        [], description='Replicas as ["host[:port]" or "/socket/folder[:port]", …]; same db/user.'
    )
    replica_max_lag: float = Field(
        10, ge=0, description="Seconds a replica may lag behind the primary and still be read."
    )
    replica_check_seconds: float = Field(
        1, gt=0, description="Seconds a replica's health (up, lag) is trusted before a new check."
    )
    read_own_writes: float = Field(
        5, ge=0, description="Seconds a browser that just wrote reads the primary (0: off)."
    )
    # Off: every KPI reads the records (the benchmark's peer server, or an operator who doubts a
    # rollup until `gisioc kpi-rollups check` says it is right).
    kpi_rollups: bool = Field(True, description="KPIs answer from their rollups where they can.")
    var_dir: Path = BASE_DIR / "var"
    # Citizens' photos and videos: outside the static root, served only by the feedback app.
    media_dir: Path | None = Field(None, description="Uploaded media (default: var/media).")
    language: str = "vi"
    # The other way to a basemap: the operator's own tile server's style (drawn under the
    # thematic layers); a basemap archive added with `gisioc basemap add` comes first.
    basemap_style_url: str = Field("", description="A MapLibre style URL for the basemap.")
    extra_apps: list[str] = Field([], description="More Django apps, e.g. the benchmark's.")
    tile_cache: bool = Field(True, description="Keep rendered tiles under var/cache/tiles.")
    # Raw rows keep columns that feed no field, and free text may name a citizen.
    raw_days: int = Field(180, ge=1, description="Days raw ingest rows are kept (prune-raw).")
    # Profiles and KPI answers are cached per data version (gisioc/answers.py); figures "as of
    # now" (in progress, overdue) are at most this old. 0: every answer computed.
    answer_cache_seconds: int = Field(60, ge=0, description="Longest a cached answer is kept.")
    answer_cache_entries: int = Field(2000, ge=1, description="Cached answers per process.")
    # Expensive public endpoints (profiles, KPIs, search, geocode: gisioc/limits.py) answer
    # 429 or 503 at once instead of queueing. An office behind one NAT address is many users.
    limit_rate: float = Field(20, gt=0, description="Requests per second per address and group.")
    limit_burst: int = Field(200, ge=1, description="Requests at once per address and group.")
    limit_concurrency: int = Field(2, ge=1, description="Computed at once per group.")
    limit_threads: int | None = Field(
        None, ge=1, description="Threads all groups may hold at once (default: half of them)."
    )
    # Proxies in front (nginx, a load balancer) that append to X-Forwarded-For and set
    # X-Forwarded-Proto. With 0 those headers are ignored: any client could write them.
    proxy_count: int = Field(0, ge=0, description="Trusted reverse proxies in front of the app.")
    https: bool | None = Field(
        None,
        description="Served over HTTPS (by the app or its proxy): secure cookies, HSTS and a "
        "redirect from http. Default: on outside the demo, off in it (plain http on 127.0.0.1).",
    )
    hsts_seconds: int = Field(31_536_000, ge=0, description="HSTS max-age when https is on.")
    hsts_subdomains: bool = True
    hsts_preload: bool = True
    # Sign-in lockout (django-axes): failures within the cool-off lock a username from one
    # address, or an address across usernames, until the cool-off has passed.
    signin_failures: int = Field(5, ge=1, description="Failures of one username from one address.")
    signin_address_failures: int = Field(
        20, ge=1, description="Failures from one address across usernames."
    )
    signin_cooloff_minutes: float = Field(15, gt=0, description="Minutes a lockout lasts.")
    camera_silence_s: int = Field(
        120, ge=10, description="Seconds without a heartbeat before a camera is offline."
    )
    # Alerts (gisioc/alerts): e-mail through this SMTP server (no host: no e-mail, logged once),
    # links in e-mails and webhooks to the map at `site_url`.
    smtp_host: str = Field("", description="SMTP server for alert e-mails (empty: none sent).")
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_tls: bool = Field(False, description="STARTTLS after connecting.")
    smtp_ssl: bool = Field(False, description="TLS from the start (port 465).")
    smtp_from: str = Field("gisioc@localhost", description="The alert e-mails' sender.")
    smtp_timeout: float = Field(10, gt=0, description="Seconds an SMTP exchange may take.")
    site_url: str = Field("", description="The app's address in links (default: host:port).")
    webhook_timeout: float = Field(3, gt=0, description="Seconds an alert webhook may take.")
    webhook_tries: int = Field(3, ge=1, le=10, description="Tries of an alert webhook.")
    # The Frigate connector (gisioc/cameras/frigate*.py, `gisioc frigate listen`): Frigate's MQTT
    # broker as mqtt[s]://[user:password@]host[:port][/topic prefix] (prefix default "frigate").
    # Unset: `make run` serves the demo's own broker; empty: off.
    frigate_mqtt: str | None = Field(None, description="Frigate's MQTT broker URL; empty: off.")
    frigate_url: str = Field(
        "", description="Frigate's HTTP base (snapshots of its events); empty: none fetched."
    )
    frigate_source: str = Field("frigate", description="Ingest source of Frigate's events.")
    frigate_frames: dict[str, tuple[int, int]] = Field(
        {}, description='Frame size per Frigate camera, {"name" or "*": [width, height]} px.'
    )
    frigate_labels: dict[str, str] = Field(
        {}, description='More Frigate labels for event kinds, {"label" or "label@zone": kind}.'
    )
    frigate_crowd: int = Field(
        0, ge=0, description="People a Frigate camera counts at once that make a crowd; 0: off."
    )

    @model_validator(mode="after")
    def _secrets_outside_demo(self) -> "Config":
        if not self.demo and self.secret_key is None:
            raise ValueError("GISIOC_SECRET_KEY is required when GISIOC_DEMO is false")
        if not self.demo and self.debug:
            raise ValueError("GISIOC_DEBUG must be off outside the demo")
        key = self.secret_key.get_secret_value() if self.secret_key else ""
        weak = len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")
        if not self.demo and weak:  # Django's own bar (check --deploy, security.W009)
            raise ValueError(
                "GISIOC_SECRET_KEY must be 50 characters or more, of 5 different ones at least, "
                "and random (python -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )
        return self

    @model_validator(mode="after")
    def _live_port_next(self) -> "Config":
        if self.live_port is None:
            self.live_port = self.port + 1
        return self

    @model_validator(mode="after")
    def _https_outside_demo(self) -> "Config":
        if self.https is None:
            self.https = not self.demo
        return self


def private_file_write(path: Path, text: str, *, replace: bool = True) -> bool:
    """Write `text` to `path` readable by its owner only (mode 600) from its first byte.

    The text goes to a new file created with mode 600 beside `path`, which then takes the
    name in one step: no reader ever sees a world-readable or half-written file. With
    `replace=False` an existing `path` is kept (the first of racing writers wins); returns
    whether `path` now holds `text`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def demo_patient_keys(var_dir: Path) -> str:
    """A random patient-pseudonym key (id 1) generated once per checkout under var/ (demo)."""
    path = var_dir / "patient_keys"
    if not path.exists():
        private_file_write(path, f"1:{secrets.token_urlsafe(32)}", replace=False)
    return path.read_text().strip()


def demo_secret_key(var_dir: Path) -> str:
    """A random key generated once per checkout and kept under var/ (demo mode only)."""
    path = var_dir / "secret_key"
    if not path.exists():
        private_file_write(path, secrets.token_urlsafe(50), replace=False)
    return path.read_text().strip()
