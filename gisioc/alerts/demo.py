"""The demo's alert rules: the issue's four examples (idempotent, deterministic)."""

from typing import Any

from gisioc.alerts.kinds import params_check
from gisioc.alerts.models import Rule

RULES: list[dict[str, Any]] = [
    {
        "name_vi": "Hồ sơ quá hạn trong xã > 10",
        "name_en": "Overdue dossiers in a commune > 10",
        "kind": "kpi",
        "params": {"record": "dossier", "figure": "in_progress_past_due", "period": "year"},
        "comparison": "gt",
        "threshold": 10,
        "level": "warning",
        "roles": ["leader", "commune_officer"],
    },
    {
        "name_vi": "Sốt xuất huyết tuần này ≥ 2 lần trung bình 4 tuần",
        "name_en": "Dengue cases this week ≥ 2× the 4-week mean",
        "kind": "indicator_trend",
        "params": {"disease": "dengue", "weeks": 4, "factor": 2},
        "comparison": "ge",
        "threshold": 3,
        "level": "warning",
        "roles": ["leader", "planner"],
    },
    {
        "name_vi": "3 sự kiện ngập trong 1 km trong 1 giờ",
        "name_en": "3 flooding events within 1 km in an hour",
        "kind": "event_cluster",
        "params": {"event_kind": "flooding", "radius_m": 1000, "minutes": 60},
        "comparison": "ge",
        "threshold": 3,
        "level": "critical",
        "roles": ["leader", "field_staff", "commune_officer"],
    },
    {
        "name_vi": "Camera mất kết nối quá 30 phút",
        "name_en": "Camera offline for more than 30 minutes",
        "kind": "camera_offline",
        "params": {},
        "comparison": "gt",
        "threshold": 30,
        "level": "info",
        "roles": ["leader", "gis_officer"],
    },
]


def alerts_demo_load() -> list[Rule]:
    """Create the demo's rules, or set them back to the demo's values (by English name)."""
    rules = []
    for values in RULES:
        values = {
            **values,
            "params": params_check(values["kind"], values["params"]),
            "enabled": True,
        }
        rule, _ = Rule.objects.update_or_create(name_en=values["name_en"], defaults=values)
        rules.append(rule)
    return rules
