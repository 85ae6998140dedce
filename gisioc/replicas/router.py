"""The database router: a request that only reads reads one replica; everything else the primary.

Reads go to a replica only inside a request `wsgi.routed` marked as reading (a safe method, its
browser not writing in the last GISIOC_READ_OWN_WRITES seconds) and outside any transaction:
commands, workers, writes, `transaction.atomic` (ATOMIC_REQUESTS too), select_for_update and
get_or_create (Django routes those as writes) all use the primary. One replica per request, so
a data version and what it keys are read from the same database (or the data from the primary,
which is never older).
"""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.connection import ConnectionProxy

from gisioc.replicas import health
from gisioc.replicas.hosts import PREFIX


@dataclass
class Reads:
    """Where this request reads: the primary, or the replica chosen on its first read."""

    primary: bool
    alias: str | None = None


_reads: ContextVar[Reads | None] = ContextVar("gisioc_reads", default=None)


def replica_aliases() -> list[str]:
    """The configured replicas' database aliases."""
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


def begin(*, primary: bool) -> Reads:
    """A request starts: it reads the primary, or a replica once it first reads."""
    reads = Reads(primary=primary)
    _reads.set(reads)
    return reads


def read_alias() -> str:
    """The database this code's reads go to now."""
    reads = _reads.get()
    if reads is None or reads.primary:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        if reads.alias is None:  # its first read on the primary: later ones never older
            reads.alias = DEFAULT_DB_ALIAS
        return DEFAULT_DB_ALIAS
    if reads.alias is None:
        reads.alias = health.pick(replica_aliases()) or DEFAULT_DB_ALIAS
    return reads.alias


class ReplicaRouter:
    """Django's router (DATABASE_ROUTERS, set when GISIOC_REPLICAS names replicas)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on every database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema


class RoutedConnection(ConnectionProxy):
    """`django.db.connection` following `read_alias()`: raw SQL reads (KPIs, profiles, tile
    versions) go where the request's ORM reads go. A raw write in a reading request fails on
    the replica (read-only) and `wsgi.routed` answers it again from the primary."""

    @property
    def _alias(self) -> str:  # type: ignore[override]  # a property wins over the instance's
        return read_alias()


def install() -> None:
    """Route `django.db.connection` too (once the replicas are configured)."""
    import django.db

    if replica_aliases():  # past ConnectionProxy.__setattr__, which sets the connection's
        object.__setattr__(django.db.connection, "__class__", RoutedConnection)
