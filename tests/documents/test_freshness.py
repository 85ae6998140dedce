"""Every profile section says how new its system's newest record is, and warns when the feed
seems to have stopped: "overdue as of today" means little on data that stopped weeks ago."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from gisioc.documents import demo
from gisioc.documents.models import Document
from gisioc.geo.models import AdminUnit
from gisioc.profiles.registry import STALE_DAYS


def _section(client: Client, url: str, id: str) -> dict:
    return next(s for s in client.get(url).json()["sections"] if s["id"] == id)


def test_a_system_that_stopped_feeding_says_so_until_a_new_record_comes(
    documents: None, client: Client
) -> None:
    today = timezone.localdate()
    fresh = _section(client, "/api/profiles/district/", "documents")["freshness"]
    newest = max(d.received_at for d in Document.objects.all())
    assert fresh["newest"] == timezone.localdate(newest).isoformat() <= demo.LAST_DAY.isoformat()
    assert fresh["days"] == (today - timezone.localdate(newest)).days
    assert fresh["stale"] is (fresh["days"] > STALE_DAYS)
    if today > demo.LAST_DAY + dt.timedelta(days=STALE_DAYS):
        assert fresh["stale"]  # the demo's documents stop on 31/10/2026
    # Whatever the scope: a commune's profile tells how its system is fed, not the commune.
    thu_bon = AdminUnit.objects.get(code="20611", version__slug="danang-2025")
    assert _section(client, f"/api/profiles/units/{thu_bon.pk}/", "documents")["freshness"] == fresh

    one = Document.objects.order_by("pk").first()
    Document.objects.filter(pk=one.pk).update(received_at=timezone.now())
    again = _section(client, "/api/profiles/district/", "documents")["freshness"]
    assert again == {"newest": today.isoformat(), "days": 0, "stale": False}


def test_a_system_with_no_records_says_nothing_of_freshness(
    documents: None, client: Client
) -> None:
    assert _section(client, "/api/profiles/district/", "public_services")["freshness"] is None
