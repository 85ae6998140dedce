"""API keys of push sources: issued once, stored as a hash, checked in constant time."""

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from gisioc.errors import Conflict, GisiocError, InvalidInput, NotFound, Unauthorized
from gisioc.ingest.models import IngestRun, PullSource, SourceKey
from gisioc.ingest.systems import system_get

SCHEME = "Api-Key"
_SEPARATOR = "."
# Compared against when no key has the prefix, so a miss costs the same as a wrong key.
_NO_HASH = hashlib.sha256(b"no such key").hexdigest()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def source_name_check(*, system: str, source: str) -> str:
    """The cleaned source name; refused when empty, too long, or already another system's.

    Idempotency keys are unique per source, so a source name must stay with one system.
    """
    source = source.strip()
    if not source or len(source) > SourceKey._meta.get_field("source").max_length:
        raise InvalidInput(
            f"Tên nguồn không hợp lệ: '{source}'.", f"Invalid source name '{source}'."
        )
    for model in (SourceKey, PullSource, IngestRun):
        other = model.objects.filter(source=source).exclude(system=system).first()
        if other is not None:
            raise Conflict(
                f"Nguồn {source} đã thuộc hệ thống {other.system}.",
                f"Source {source} already belongs to system {other.system}.",
            )
    return source


def source_key_create(*, system: str, source: str) -> tuple[SourceKey, str]:
    """A new key for one source of a system; the key itself is returned here and never again."""
    name = system_get(system).name
    source = source_name_check(system=name, source=source)
    for _ in range(3):  # a prefix clash is astronomically rare; try a new one if it happens
        prefix = secrets.token_hex(4)
        key = f"{prefix}{_SEPARATOR}{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                row = SourceKey.objects.create(
                    system=name, source=source, prefix=prefix, key_hash=_digest(key)
                )
        except IntegrityError:
            continue
        return row, key
    raise GisiocError("Không tạo được khóa, hãy thử lại.", "Could not create a key; try again.")


def source_key_revoke(*, prefix: str) -> SourceKey:
    """Revoke the key with this prefix; pushes with it are refused from now on."""
    row = SourceKey.objects.filter(prefix=prefix.strip().rstrip("…")).first()
    if row is None:
        raise NotFound(f"Không có khóa {prefix}.", f"No key {prefix}.")
    if row.active:
        row.active, row.revoked_at = False, timezone.now()
        row.save(update_fields=["active", "revoked_at"])
    return row


def source_key_check(*, key: str) -> SourceKey:
    """The active key row matching `key`, its use recorded; Unauthorized otherwise."""
    prefix = key.split(_SEPARATOR, 1)[0] if _SEPARATOR in key else ""
    row = SourceKey.objects.filter(prefix=prefix).first() if prefix else None
    matches = hmac.compare_digest(row.key_hash if row else _NO_HASH, _digest(key))
    if row is None or not matches or not row.active:
        raise Unauthorized(
            "Khóa API không hợp lệ hoặc đã bị thu hồi.", "The API key is invalid or revoked."
        )
    row.last_used_at = timezone.now()
    SourceKey.objects.filter(pk=row.pk).update(last_used_at=row.last_used_at)
    return row


def source_keys_list() -> list[SourceKey]:
    """Every key (prefixes only), by system and source."""
    return list(SourceKey.objects.all())
