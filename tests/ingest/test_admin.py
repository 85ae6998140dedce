"""Staff see push keys (by prefix only) and scheduled pulls in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gisioc.ingest.keys import source_key_create
from gisioc.ingest.pull.services import pull_source_add

pytestmark = pytest.mark.django_db


def test_keys_show_their_prefix_never_the_key_and_pulls_their_state() -> None:
    row, key = source_key_create(system="public_services", source="motcua-tinh")
    pull_source_add(
        system="public_services",
        source="motcua-tinh",
        url="http://127.0.0.1:8765/api/hoso",
        every_minutes=5,
    )
    admin = get_user_model().objects.create_superuser("root", password="x-admin-password")
    client = Client()
    client.force_login(admin)
    keys = client.get("/admin/ingest/sourcekey/")
    assert keys.status_code == 200
    assert row.prefix in keys.content.decode() and key not in keys.content.decode()
    assert client.get("/admin/ingest/sourcekey/add/").status_code == 403  # the CLI issues keys
    pulls = client.get("/admin/ingest/pullsource/").content.decode()
    assert "motcua-tinh" in pulls and "127.0.0.1:8765" in pulls
