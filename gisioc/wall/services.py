"""Wall screens' changes: create one (its token shown once), check its views, disable it."""

import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gisioc.errors import Conflict, InvalidInput, NotFound
from gisioc.periods import period_parse
from gisioc.wall.models import WallScreen
from gisioc.wall.selectors import token_digest

MAX_VIEWS = 12
MAX_LAYERS = 12
ROTATE_MIN, ROTATE_MAX = 5, 3600
# "zoom/lat/lon" with an optional bearing, as the map app's address shows a place.
MAP = re.compile(
    r"(?P<z>\d{1,2}(?:\.\d+)?)/(?P<lat>-?\d{1,2}(?:\.\d+)?)/(?P<lon>-?\d{1,3}(?:\.\d+)?)"
    r"(?:/(?P<bearing>-?\d{1,3}(?:\.\d+)?))?"
)

# The district's operations room: the whole district, the town centre, the coast and the
# flood-prone Thu Bồn valley (the demo's wall, and a new wall's views when none are given).
DEFAULT_VIEWS: list[dict[str, Any]] = [
    {
        "title": {"vi": "Toàn huyện Duy Xuyên", "en": "Duy Xuyên district"},
        "map": "11.4/15.797/108.24",
        "layers": ["cameras-status", "feedback-reports"],
    },
    {
        "title": {"vi": "Trung tâm Nam Phước", "en": "Nam Phước town centre"},
        "map": "14.6/15.8366/108.264",
        "layers": ["cameras-status", "feedback-reports", "one-stop-offices"],
    },
    {
        "title": {
            "vi": "Vùng ven biển Duy Hải – Duy Nghĩa",
            "en": "The coast (Duy Hải – Duy Nghĩa)",
        },
        "map": "12.8/15.85/108.375/-15",
        "layers": ["cameras-status", "feedback-reports"],
    },
    {
        "title": {
            "vi": "Thung lũng sông Thu Bồn (vùng ngập lụt)",
            "en": "Thu Bồn valley (flood-prone)",
        },
        "map": "12.6/15.795/108.135",
        "layers": ["cameras-status", "schools", "health-facilities"],
    },
]


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _bad(index: int, vi: str, en: str) -> InvalidInput:
    return InvalidInput(f"Khung nhìn {index + 1}: {vi}", f"View {index + 1}: {en}", field="views")


def _title(index: int, title: Any) -> dict[str, str]:
    if isinstance(title, str):
        title = {"vi": title, "en": title}
    if not isinstance(title, dict) or set(title) - {"vi", "en"} or "vi" not in title:
        raise _bad(index, "tiêu đề phải có 'vi' (và 'en').", "title needs 'vi' (and 'en').")
    texts = {lang: title.get(lang, title["vi"]) for lang in ("vi", "en")}
    for text in texts.values():
        if not isinstance(text, str) or not text.strip() or len(text) > 80 or CONTROL.search(text):
            raise _bad(index, "tiêu đề 1–80 ký tự.", "a title has 1–80 characters.")
    return {lang: text.strip() for lang, text in texts.items()}


def _map(index: int, value: Any) -> str:
    found = MAP.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise _bad(index, "bản đồ dạng 'z/vĩ độ/kinh độ[/hướng]'.", "map is 'z/lat/lon[/bearing]'.")
    z, lat, lon = float(found["z"]), float(found["lat"]), float(found["lon"])
    bearing = float(found["bearing"]) if found["bearing"] else None
    if not (0 <= z <= 22 and -85 <= lat <= 85 and -180 <= lon <= 180):
        raise _bad(index, "mức phóng hoặc tọa độ ngoài phạm vi.", "zoom or place out of range.")
    if bearing is not None and not -360 <= bearing <= 360:
        raise _bad(index, "hướng từ -360 đến 360.", "bearing is between -360 and 360.")
    return value


def _layers(index: int, value: Any) -> list[str]:
    from layers.registry import registry

    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_LAYERS:
        raise _bad(index, f"lớp là danh sách tối đa {MAX_LAYERS}.", f"layers: up to {MAX_LAYERS}.")
    for layer_id in value:
        layer = registry.get(layer_id) if isinstance(layer_id, str) else None
        if layer is None or not layer.public:
            raise _bad(  # the kiosk reads tiles as the public does
                index,
                f"lớp '{layer_id}' không có hoặc không công khai.",
                f"layer '{layer_id}' is unknown or not public.",
            )
    return list(dict.fromkeys(value))


def _period_ok(period: str) -> bool:
    try:
        return period_parse(period) is not None
    except InvalidInput:
        return False


def views_clean(views: Any) -> list[dict[str, Any]]:
    """The views checked and normalised; InvalidInput (vi + en) naming the first bad one."""
    if not isinstance(views, list) or not 1 <= len(views) <= MAX_VIEWS:
        raise InvalidInput(
            f"Cần 1–{MAX_VIEWS} khung nhìn.",
            f"A wall needs 1–{MAX_VIEWS} views.",
            field="views",
        )
    cleaned = []
    for index, view in enumerate(views):
        if not isinstance(view, dict):
            raise _bad(index, "phải là một đối tượng.", "must be an object.")
        unknown = set(view) - {"title", "map", "layers", "period"}
        if unknown:
            raise _bad(index, f"không biết {sorted(unknown)}.", f"unknown {sorted(unknown)}.")
        one = {
            "title": _title(index, view.get("title")),
            "map": _map(index, view.get("map")),
            "layers": _layers(index, view.get("layers")),
        }
        period = view.get("period")
        if period not in (None, ""):
            if not isinstance(period, str) or not _period_ok(period):
                raise _bad(index, f"kỳ '{period}' không hợp lệ.", f"period '{period}' is invalid.")
            one["period"] = period
        cleaned.append(one)
    return cleaned


def rotate_clean(rotate_s: Any) -> int:
    """Seconds per view, within bounds."""
    if isinstance(rotate_s, bool) or not isinstance(rotate_s, int):
        raise InvalidInput("Số giây phải là số nguyên.", "rotate_s must be a whole number.")
    if not ROTATE_MIN <= rotate_s <= ROTATE_MAX:
        raise InvalidInput(
            f"Số giây mỗi khung nhìn từ {ROTATE_MIN} đến {ROTATE_MAX}.",
            f"rotate_s is between {ROTATE_MIN} and {ROTATE_MAX}.",
            field="rotate_s",
        )
    return rotate_s


def demo_token(name: str) -> str:
    """The demo wall's token: the same on every demo load (demo mode only)."""
    if not settings.CONFIG.demo:
        raise InvalidInput(
            "Khóa cố định chỉ dùng khi minh họa.", "Fixed tokens are for demo mode only."
        )
    return "demo-" + hashlib.sha256(f"gisioc demo wall {name}".encode()).hexdigest()[:24]


def wall_create(
    *,
    name: str,
    views: Any = None,
    rotate_s: Any = 30,
    actor: Any = None,
    token: str | None = None,
) -> tuple[WallScreen, str]:
    """A new wall screen and its kiosk token (returned here only; its hash is stored)."""
    name = (name or "").strip()
    too_long = len(name) > WallScreen._meta.get_field("name").max_length
    if not name or too_long or CONTROL.search(name):
        raise InvalidInput("Tên màn hình 1–80 ký tự.", "A wall's name has 1–80 characters.")
    cleaned = views_clean(DEFAULT_VIEWS if views is None else views)
    rotate = rotate_clean(rotate_s)
    token = token or secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            wall = WallScreen.objects.create(
                name=name,
                token_hash=token_digest(token),
                created_by=actor if getattr(actor, "pk", None) else None,
                views=cleaned,
                rotate_s=rotate,
            )
    except IntegrityError as exc:
        raise Conflict(
            f"Đã có màn hình tên '{name}'.", f"A wall named '{name}' already exists."
        ) from exc
    return wall, token


def wall_enable(*, wall_id: int, enabled: bool) -> WallScreen:
    """Turn a wall on or off; a disabled wall's kiosk and live stream are refused."""
    if not 0 < wall_id < 2**31:
        raise NotFound(f"Không có màn hình {wall_id}.", f"No wall {wall_id}.")
    with transaction.atomic():
        wall = WallScreen.objects.select_for_update().filter(pk=wall_id).first()
        if wall is None:
            raise NotFound(f"Không có màn hình {wall_id}.", f"No wall {wall_id}.")
        if wall.enabled != enabled:
            wall.enabled = enabled
            wall.save(update_fields=["enabled"])
    return wall


def wall_seen(wall: WallScreen) -> None:
    """Record that the wall asked for its setup now (at most once a minute is written)."""
    now = timezone.now()
    if wall.last_seen_at is None or (now - wall.last_seen_at).total_seconds() > 60:
        WallScreen.objects.filter(pk=wall.pk).update(last_seen_at=now)
        wall.last_seen_at = now
