"""Typed settings read from GISIOC_* environment variables (and an optional .env file)."""

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
    allowed_hosts: list[str] = ["127.0.0.1", "localhost"]
    host: str = "127.0.0.1"
    port: int = 8000
    # One process with a few threads: every kept-alive connection shares one queue, so a quick
    # tile never waits behind a slow one in a busy process (bench/README.md, "How we serve").
    workers: int = Field(1, ge=1, description="Server processes (granian workers).")
    threads: int = Field(4, ge=1, description="Threads per server process.")
    db_host: str = str(BASE_DIR / "var" / "run")
    db_port: int = 5432
    db_name: str = "gisioc"
    db_user: str = "gisioc"
    db_password: SecretStr = SecretStr("")
    # Tile queries are many, short and concurrent: JIT compilation and parallel workers only
    # slowed them (bench/README.md), and misled plans into scanning a million points.
    db_options: str = "-c jit=off -c max_parallel_workers_per_gather=0"
    var_dir: Path = BASE_DIR / "var"
    language: str = "vi"
    extra_apps: list[str] = Field([], description="More Django apps, e.g. the benchmark's.")
    tile_cache: bool = Field(True, description="Keep rendered tiles under var/cache/tiles.")
    # Raw rows keep columns that feed no field, and free text may name a citizen.
    raw_days: int = Field(180, ge=1, description="Days raw ingest rows are kept (prune-raw).")

    @model_validator(mode="after")
    def _secrets_outside_demo(self) -> "Config":
        if not self.demo and self.secret_key is None:
            raise ValueError("GISIOC_SECRET_KEY is required when GISIOC_DEMO is false")
        if not self.demo and self.debug:
            raise ValueError("GISIOC_DEBUG must be off outside the demo")
        return self


def demo_secret_key(var_dir: Path) -> str:
    """A random key generated once per checkout and kept under var/ (demo mode only)."""
    import secrets

    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
