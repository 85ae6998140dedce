"""The patient pseudonym: a hospital's patient code (MA_BN) as its keyed hash, HMAC-SHA256.

Keys come from the setting GISIOC_PATIENT_KEYS, "id:secret,id:secret", the first in use. A
record keeps the id of the key that made its pseudonym, so a new key can take over (put it
first) while the records hashed before keep theirs. The secret never leaves this module, and
no message here holds a key or a patient's code.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from gisioc.errors import ServerError

MIN_SECRET = 32  # characters
KEY_IDS = range(1, 32_768)  # a SmallIntegerField
SETTING = "GISIOC_PATIENT_KEYS"


@dataclass(frozen=True)
class PatientKey:
    """One key: its id (kept with each record) and its secret (never shown)."""

    id: int
    secret: bytes = field(repr=False)


def _refused(vi: str, en: str) -> ServerError:
    return ServerError(
        f"Khóa mã hóa bệnh nhân ({SETTING}) {vi}; hệ thống Y tế không nhận dữ liệu khi chưa có "
        "khóa hợp lệ. Báo quản trị.",
        f"The patient pseudonym keys ({SETTING}) {en}; the health system takes no data without "
        "a valid key. Tell the administrator.",
    )


@lru_cache(maxsize=4)
def _parsed(text: str) -> tuple[PatientKey, ...]:
    keys: list[PatientKey] = []
    for number, part in enumerate(filter(None, (p.strip() for p in text.split(","))), start=1):
        given_id, colon, secret = part.partition(":")
        if not colon or not given_id.strip().isdigit() or int(given_id) not in KEY_IDS:
            raise _refused(
                f"khóa thứ {number}: thiếu mã số khóa (1–32767) trước dấu ':'",
                f"key {number}: no key id (1–32767) before ':'",
            )
        if len(secret.strip()) < MIN_SECRET:
            raise _refused(
                f"khóa số {int(given_id)}: bí mật ngắn hơn {MIN_SECRET} ký tự",
                f"key {int(given_id)}: secret shorter than {MIN_SECRET} characters",
            )
        if any(k.id == int(given_id) for k in keys):
            raise _refused(f"mã số khóa {int(given_id)} lặp", f"key id {int(given_id)} repeats")
        keys.append(PatientKey(int(given_id), secret.strip().encode()))
    if not keys:
        raise _refused("chưa được đặt", "are not set")
    return tuple(keys)


def patient_keys() -> tuple[PatientKey, ...]:
    """Every configured key, the one in use first; ServerError when the setting is unusable."""
    return _parsed(str(getattr(settings, SETTING, "") or ""))


def current_key() -> PatientKey:
    """The key new records are hashed with."""
    return patient_keys()[0]


def patient_key(patient_id: str, key: PatientKey) -> str:
    """The pseudonym of a patient code under a key: 64 hex characters."""
    return hmac.new(key.secret, patient_id.strip().encode(), hashlib.sha256).hexdigest()
