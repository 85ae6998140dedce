"""Fixtures of the alert tests: the demo geography and three cameras, staff of each role with
e-mail addresses, a real SMTP server (aiosmtpd) and a real HTTP server for webhooks."""

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from gisioc.alerts.models import Rule
from gisioc.cameras.models import Camera
from gisioc.geo.models import Facility, Role, UserAccess


def free_port(start: int = 8162) -> int:
    """A free port from `start` on (this helper's range)."""
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


@dataclass
class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    port: int
    mails: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free port, which the app's settings name."""
    inbox = Inbox(free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.CONFIG = settings.CONFIG.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": inbox.port, "smtp_from": "ioc@duyxuyen.vn"}
    )
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Hook:
    """A webhook receiver: what it got, what it answers, and a gate that can hold answers."""

    url: str
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200
    gate: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A real HTTP server recording each POST (answers `status` once `gate` is open)."""
    server: ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
            state.gate.wait(30)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"ok": state.status < 300}).encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Hook(f"http://127.0.0.1:{server.server_address[1]}/hooks/ioc")
    state.gate.set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.gate.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def cameras(geo: None) -> list[Camera]:
    """Three cameras of the demo facilities, online."""
    facilities = Facility.objects.filter(kind=Facility.Kind.CAMERA).order_by("code")[:3]
    made = [Camera.objects.create(facility=f, road="Quốc lộ 1A") for f in facilities]
    assert len(made) == 3
    return made


@pytest.fixture
def staff(cameras: list[Camera]) -> dict[str, User]:
    """A user of each role with an e-mail address; the commune officer's scope is the first
    camera's commune."""
    users = {}
    for role in Role:
        user = User.objects.create_user(
            f"a-{role.value}", email=f"{role.value}@duyxuyen.vn", password="x"
        )
        UserAccess.objects.create(user=user, role=role)
        users[role.value] = user
    users["commune_officer"].access.units.set([cameras[0].facility.unit_id])
    return users


def rule_make(**fields: Any) -> Rule:
    """A rule with the test's defaults (camera offline > 30 min, leaders and officers)."""
    values = {
        "name_vi": "Camera mất kết nối",
        "name_en": "Camera offline",
        "kind": "camera_offline",
        "params": {},
        "comparison": "gt",
        "threshold": 30,
        "roles": ["leader", "commune_officer"],
        "email_roles": False,
        **fields,
    }
    return Rule.objects.create(**values)
