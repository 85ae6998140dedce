"""`gisioc layers list`: print the thematic layer registry."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from layers.registry import registry


class Command(BaseCommand):
    help = "Liệt kê các lớp bản đồ chuyên đề — list the thematic map layers."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list"])
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        rows = [
            {
                "id": layer.id,
                "system": layer.system,
                "title": layer.title.as_dict(),
                "source": layer.source,
                "geometry": layer.geometry,
                "zoom": [layer.minzoom, layer.maxzoom],
                "filters": [f.name for f in layer.filters],
                "properties": list(layer.properties),
                "access": "public" if layer.public else sorted(layer.roles),
                "choropleth": layer.classification.indicator if layer.classification else None,
            }
            for layer in registry
        ]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        wide = {k: max((len(r[k]) for r in rows), default=0) for k in ("id", "system")}
        for r in rows:
            access = r["access"] if r["access"] == "public" else ",".join(r["access"])
            if len(access) > 14:
                access = f"{len(r['access'])} vai trò/roles"
            self.stdout.write(
                f"{r['id']:<{wide['id']}}  {r['system']:<{wide['system']}}  {r['geometry']:<8} "
                f"z{r['zoom'][0]}–{r['zoom'][1]:<3} "
                f"{access:<14} {r['title']['vi']} / {r['title']['en']}"
                + (f"  [lọc/filters: {', '.join(r['filters'])}]" if r["filters"] else "")
            )
        self.stdout.write(f"{len(rows)} lớp / layers")
