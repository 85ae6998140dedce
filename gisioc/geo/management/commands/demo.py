"""`gisioc demo load`: load every system's deterministic demo data (idempotent)."""

import time
from argparse import ArgumentParser
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gisioc.geo.demo import users_demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa Duy Xuyên — load the Duy Xuyên demo (safe to run again)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--skip-users", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.CONFIG.demo:  # demo records and logins have no place in a real database
            raise CommandError(
                "Không nạp dữ liệu minh họa khi GISIOC_DEMO=false — "
                "the demo is not loaded outside demo mode (GISIOC_DEMO=false)."
            )
        started = time.perf_counter()
        for config in apps.get_app_configs():
            # Every system's app (a folder with a system.py), wherever it lives, in app order.
            if find_spec(f"{config.name}.system") and find_spec(f"{config.name}.demo"):
                import_module(f"{config.name}.demo").load(progress=self.stdout.write)
        from gisioc.alerts.demo import alerts_demo_load  # alert rules: not a system (no records)

        alerts_demo_load()
        from gisioc.incidents.demo import incidents_demo_load  # likewise an app, not a system

        incidents_demo_load()
        from gisioc.rasters.demo import rasters_demo_load  # raster layers: rows, not a system

        rasters_demo_load(progress=self.stdout.write)
        self.stdout.write(
            f"Dữ liệu minh họa sẵn sàng sau {time.perf_counter() - started:.1f} s — demo data ready"
        )
        if opts["skip_users"]:
            return
        logins_file = settings.CONFIG.var_dir / "demo-logins.json"
        logins = users_demo_load(logins_file=logins_file)
        host = settings.CONFIG.host.replace("0.0.0.0", "127.0.0.1")  # listening everywhere
        site = f"http://{host}:{settings.CONFIG.port}"
        sign_in = f"mọi vai trò / every role: {site}/accounts/login/"
        self.stdout.write(f"\nĐăng nhập minh họa / demo logins ({sign_in}):")
        for login in logins:
            self.stdout.write(f"  {login['username']:<12} {login['password']:<22} {login['role']}")
        self.stdout.write(f"(lưu tại / kept in {logins_file}; quản trị / admin: {site}/admin/)")
        from gisioc.wall.demo import wall_demo_load  # the operations room's kiosk (no login)

        self.stdout.write(f"Màn hình điều hành / wall: {site}/wall/?token={wall_demo_load()}")
