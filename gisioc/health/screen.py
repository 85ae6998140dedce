"""The health system's screen (`System.screen`): what a row says of a patient, made anonymous
before anything reads or keeps it.

MA_BN becomes its keyed hash and the key's id, NGAY_SINH the age band on the admitted day,
MA_THE_BHYT whether the encounter is insured, LY_DO_VV (free text) whether it was an
emergency; the raw values go no further. XML 130's compact times (yyyymmddHHMM) are written
the way the stock readers read them. Nothing here raises, and no message holds a raw value.
"""

import datetime as dt
import re

from gisioc.geo.text import fold
from gisioc.health.models import Encounter
from gisioc.health.pseudonym import current_key, patient_key
from gisioc.ingest.values import FALSE_WORDS, TRUE_WORDS, BadValue, date_value, text_value

AgeBand = Encounter.AgeBand
BAND_VALUES = frozenset(AgeBand.values)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
MOMENTS = ("admitted_at", "discharged_at")
# MA_DOITUONG_KCB 2: admitted as an emergency (cấp cứu), in the Ministry's list of codes.
EMERGENCY_CLASS = "2"
EMERGENCY_WORDS = ("cap cuu", "emergency")
BANDS = ((5, AgeBand.UNDER_5), (15, AgeBand.CHILD), (25, AgeBand.YOUTH), (45, AgeBand.ADULT),
         (65, AgeBand.MIDDLE))  # fmt: skip


def compact_time(value: object) -> object:
    """'202410011230' (or '20241001') as '2024-10-01T12:30'; anything else as it came."""
    text = text_value(value).strip() if value is not None else ""
    match = _COMPACT.match(text)
    if match is None:
        return value
    year, month, day, hour, minute, _ = match.groups()
    moment = f"{year}-{month}-{day}"
    return f"{moment}T{hour}:{minute}" if hour else moment


def _day(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    compact = _COMPACT.match(value.strip()) if isinstance(value, str) else None
    if compact is not None:  # the usual yyyymmdd[HHMM], without the stock parser's cost
        try:
            return dt.date(*(int(part) for part in compact.groups()[:3]))
        except ValueError:
            return None
    if isinstance(value, str) and _YEAR.match(value.strip()):  # a year of birth only
        return dt.date(int(value.strip()), 7, 1)
    if isinstance(value, int) and 1900 <= value <= 2100:
        return dt.date(value, 7, 1)
    try:
        return date_value(compact_time(value))
    except (BadValue, ValueError, OverflowError):
        return None


def age_band(birth: object, on: object) -> str:
    """The age band of someone born on `birth` on the day `on` ('' when either is unknown)."""
    if isinstance(birth, str) and birth in BAND_VALUES:
        return birth  # a source that sends the band itself
    born, day = _day(birth), _day(on)
    if born is None or day is None or born > day:
        return AgeBand.UNKNOWN
    years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return next((band for limit, band in BANDS if years < limit), AgeBand.OLD)


def insured(card: object) -> bool:
    """Whether a card number (or a yes/no) says the encounter is under health insurance."""
    if isinstance(card, bool):
        return card
    word = fold(text_value(card)) if card is not None else ""
    return bool(word) and word not in FALSE_WORDS  # a card number (even masked), or a yes


def emergency(given: object, reason: object, patient_class: object) -> bool:
    """Admitted as an emergency: said so, coded so (MA_DOITUONG_KCB), or the reason says it."""
    if given not in (None, ""):
        word = fold(text_value(given))
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
    if text_value(patient_class).strip() == EMERGENCY_CLASS:
        return True
    folded = fold(text_value(reason)) if reason else ""
    return any(w in folded for w in EMERGENCY_WORDS)


def health_screen(values: dict[str, object]) -> dict[str, object]:
    """The row's values with the patient made anonymous (see the module)."""
    out = dict(values)
    for name in MOMENTS:
        if name in out:
            out[name] = compact_time(out[name])
    given = text_value(out.get("patient_key")).strip() if out.get("patient_key") else ""
    key = current_key()  # checked as the run starts (`health_start`)
    out["patient_key"] = patient_key(given, key) if given else ""
    out["key_id"] = key.id
    out["age_band"] = age_band(out.get("age_band"), out.get("admitted_at"))
    out["insured"] = insured(out.get("insured"))
    out["emergency"] = emergency(
        out.get("emergency"), out.pop("admission_reason", None), out.get("patient_class")
    )
    return out
