"""Who listens: the signed, expiring token a live stream is opened with, and the rule of which
events it admits (roles and scope, as gisioc.geo.access reads them)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing

from gisioc.geo.models import Role

SALT = "gisioc.live.token"
MAX_AGE_S = 12 * 3600  # a page open longer fetches a fresh token when the stream is refused


@dataclass(frozen=True)
class Listener:
    """What a token says: the role (None: the public), the unit ids a scoped role may hear of
    (None: no restriction), and whether it is a wall screen's (read-only)."""

    role: str | None = None
    scope: frozenset[int] | None = None
    wall: bool = False

    def admits(self, roles: Iterable[str] | None, unit_id: int | None) -> bool:
        """Whether an event for `roles` (None: everyone) about `unit_id` may reach this listener.

        A scoped listener (a commune officer) hears nothing about a unit outside its scope,
        public events included: its stream carries only its communes' news (and what is about
        no unit and public)."""
        if self.scope is not None and unit_id is not None and unit_id not in self.scope:
            return False
        if roles is None:
            return True
        if self.role is None:
            return False
        if self.role != Role.ADMIN and self.role not in roles:
            return False
        return self.scope is None or unit_id in self.scope


def token_make(listener: Listener) -> str:
    """The signed token of a listener (timestamped: it expires after MAX_AGE_S)."""
    scope = None if listener.scope is None else sorted(listener.scope)
    return signing.dumps(
        {"r": listener.role, "s": scope, "w": listener.wall}, salt=SALT, compress=True
    )


def token_read(token: str, *, max_age: float = MAX_AGE_S) -> Listener | None:
    """The listener of a token, or None when it is forged, damaged or expired."""
    if not token or len(token) > 20_000:
        return None
    try:
        body = signing.loads(token, salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(body, dict):
        return None
    scope = body.get("s")
    return Listener(
        role=body.get("r"),
        scope=None if scope is None else frozenset(int(u) for u in scope),
        wall=bool(body.get("w")),
    )
