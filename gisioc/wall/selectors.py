"""Reading wall screens: the one by its kiosk token."""

import hashlib
import hmac

from gisioc.wall.models import WallScreen

# Compared against when no screen has the hash, so a miss costs what a hit does.
_NO_HASH = hashlib.sha256(b"no such wall").hexdigest()


def token_digest(token: str) -> str:
    """SHA-256 of a kiosk token, hex: what is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def wall_by_token(token: str | None) -> WallScreen | None:
    """The enabled wall screen whose kiosk token this is, or None (unknown, empty, disabled)."""
    if not token or len(token) > 200:
        return None
    digest = token_digest(token)
    wall = WallScreen.objects.filter(token_hash=digest).first()
    if not hmac.compare_digest(wall.token_hash if wall else _NO_HASH, digest):
        return None
    if wall is None or not wall.enabled:
        return None
    return wall


def wall_by_token_any(token: str | None) -> WallScreen | None:
    """The wall screen of this token, enabled or not (the kiosk page tells a disabled one)."""
    if not token or len(token) > 200:
        return None
    return WallScreen.objects.filter(token_hash=token_digest(token)).first()


def walls_list() -> list[WallScreen]:
    """Every wall screen, by name."""
    return list(WallScreen.objects.select_related("created_by"))
