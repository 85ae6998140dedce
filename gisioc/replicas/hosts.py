"""The replicas' Django databases from GISIOC_REPLICAS (host[:port] or a socket folder)."""

from typing import Any

PREFIX = "replica"
CONNECT_SECONDS = 2  # a replica that does not answer in this is skipped, not waited for


def host_port(spec: str, default_port: int) -> tuple[str, int]:
    """'host', 'host:port', '/socket/folder' or '/socket/folder:port' as (host, port)."""
    host, sep, port = spec.strip().rpartition(":")
    if not sep or not port.isdigit():
        host, port = spec.strip(), str(default_port)
    if not host or not 0 < int(port) < 65536:
        raise ValueError(
            f"GISIOC_REPLICAS: '{spec}' không phải host[:port] hay thư mục socket[:port] / "
            f"is not host[:port] or a socket folder[:port]"
        )
    return host, int(port)


def databases(default: dict[str, Any], specs: list[str]) -> dict[str, dict[str, Any]]:
    """One database per replica, as the primary but for its host and port. Tests never create
    one (MIRROR: the test database), and migrations never run there (the router)."""
    return {
        f"{PREFIX}{i}": {
            **default,
            "HOST": host,
            "PORT": port,
            "OPTIONS": {**default.get("OPTIONS", {}), "connect_timeout": CONNECT_SECONDS},
            "TEST": {"MIRROR": "default"},
        }
        for i, (host, port) in enumerate(
            (host_port(spec, int(default["PORT"])) for spec in specs), start=1
        )
    }
