"""`gisioc wall create NAME [--views JSON|FILE] [--rotate S]`: a wall screen and its kiosk URL
(the token is shown once); `gisioc wall list`; `gisioc wall disable|enable NAME`."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from gisioc.commands import GisiocCommand
from gisioc.errors import InvalidInput, NotFound
from gisioc.wall.models import WallScreen
from gisioc.wall.services import wall_create, wall_enable


def site() -> str:
    """The app's own address, as `make run` serves it."""
    host = settings.CONFIG.host.replace("0.0.0.0", "127.0.0.1")  # listening everywhere
    return f"http://{host}:{settings.CONFIG.port}"


def kiosk_url(token: str) -> str:
    """The page to open on the wall."""
    return f"{site()}/wall/?token={token}"


def _views(value: str | None) -> Any:
    if value is None:
        return None
    text = Path(value).read_text() if not value.lstrip().startswith("[") else value
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput(
            "--views phải là JSON (danh sách khung nhìn) hoặc tệp JSON.",
            "--views must be JSON (a list of views) or a JSON file.",
        ) from exc


class Command(GisiocCommand):
    help = "Màn hình điều hành (wall mode) — the operations room's wall screens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo màn hình, in địa chỉ kiosk — create, print URL")
        create.add_argument("name")
        create.add_argument(
            "--views",
            help='JSON list or a JSON file: [{"title": {"vi": …, "en": …}, '
            '"map": "z/lat/lon[/bearing]", "layers": [...], "period": "2026"}]',
        )
        create.add_argument("--rotate", type=int, default=30, help="Giây mỗi khung nhìn — s/view")
        sub.add_parser("list", help="Các màn hình — wall screens")
        for action in ("disable", "enable"):
            one = sub.add_parser(action, help=f"{action} a wall screen")
            one.add_argument("name")

    def _create(self, opts: dict[str, Any]) -> None:
        wall, token = wall_create(
            name=opts["name"], views=_views(opts["views"]), rotate_s=opts["rotate"]
        )
        self.stdout.write(f"Màn hình / wall '{wall.name}' ({len(wall.views)} khung nhìn / views)")
        self.stdout.write(kiosk_url(token))
        self.stdout.write(
            "Chỉ hiện một lần; chỉ lưu mã băm — shown once only; only its hash is stored."
        )

    def _list(self, opts: dict[str, Any]) -> None:
        for wall in WallScreen.objects.all():
            seen = (
                timezone.localtime(wall.last_seen_at).strftime("%d/%m/%Y %H:%M")
                if wall.last_seen_at
                else "—"
            )
            state = "bật / on" if wall.enabled else "tắt / off"
            self.stdout.write(
                f"{wall.name:<30} {state:<10} {wall.rotate_s:>4}s {len(wall.views)} views, {seen}"
            )

    def _switch(self, name: str, enabled: bool) -> None:
        wall = WallScreen.objects.filter(name=name).first()
        if wall is None:
            raise NotFound(f"Không có màn hình '{name}'.", f"No wall named '{name}'.")
        wall_enable(wall_id=wall.pk, enabled=enabled)
        self.stdout.write(f"{name}: {'bật / enabled' if enabled else 'tắt / disabled'}")

    def _disable(self, opts: dict[str, Any]) -> None:
        self._switch(opts["name"], False)

    def _enable(self, opts: dict[str, Any]) -> None:
        self._switch(opts["name"], True)
