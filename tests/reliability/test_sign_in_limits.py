"""Sign-in limits: lockout per account and per address, the audit, and no second way in.

The limits are the defaults (gisioc.config): 5 failures of a username from one address, 20 from
one address across usernames, 15 minutes of cool-off counted from the last try.
"""

import base64
import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from gisioc.geo.models import Role, UserAccess
from gisioc.proxy import client_ip

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-dai-1022"
COOLOFF = 15 * 60


@pytest.fixture
def leader() -> str:
    user = get_user_model().objects.create_user("lanhdao", password=PASSWORD)  # not staff
    UserAccess.objects.create(user=user, role=Role.LEADER)
    return user.username


def _sign_in(client: Client, username: str, password: str, path: str = "/accounts/login/"):
    return client.post(path, {"username": username, "password": password, "next": "/"})


def _signed_in_as(client: Client) -> str | None:
    return client.get("/api/me/").json()["username"]


def _cool_off_passes() -> None:
    """As if the cool-off had passed since the last try (axes counts tries newer than it)."""
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))


def test_thirty_wrong_passwords_lock_the_account_until_the_cool_off_has_passed(
    leader: str,
) -> None:
    client = Client()
    answers = [_sign_in(client, leader, f"sai-{i}") for i in range(30)]
    assert [a.status_code for a in answers[:4]] == [200] * 4  # "not right", try again
    assert "không đúng" in answers[3].content.decode()
    assert {a.status_code for a in answers[4:]} == {429}  # the fifth failure locks
    locked = answers[-1]
    text = locked.content.decode()
    assert "tạm bị khóa" in text and "thử lại sau 15 phút" in text  # Vietnamese first
    assert "locked for now" in text and "Try again in 15 minutes" in text
    assert f'value="{leader}"' in text and locked["Retry-After"] == str(COOLOFF)

    right = _sign_in(client, leader, PASSWORD)  # the right password during the lockout
    assert right.status_code == 429 and _signed_in_as(client) is None

    _cool_off_passes()
    after = _sign_in(client, leader, PASSWORD)
    assert (after.status_code, after["Location"]) == (302, "/")
    assert _signed_in_as(client) == leader
    assert not AccessAttempt.objects.exists()  # the success cleared the count


def test_a_success_before_the_limit_starts_the_count_again(leader: str) -> None:
    client = Client()
    for _ in range(4):
        assert _sign_in(client, leader, "sai").status_code == 200
    assert _sign_in(client, leader, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert _sign_in(client, leader, "sai").status_code == 200
    assert _sign_in(client, leader, PASSWORD).status_code == 302


def test_the_lock_holds_for_that_address_only(leader: str) -> None:
    for _ in range(5):
        _sign_in(Client(REMOTE_ADDR="203.0.113.7"), leader, "sai")
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.7"), leader, PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")  # the leader at the office
    assert _sign_in(elsewhere, leader, PASSWORD).status_code == 302


def test_an_address_trying_many_usernames_is_locked_for_every_one(leader: str) -> None:
    spray = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(20):  # 4 tries on each of 5 names: no name reaches its own limit of 5
        answer = _sign_in(spray, f"canbo{i % 5}", "Mat-khau-2025")
    assert answer.status_code == 429
    assert _sign_in(spray, leader, PASSWORD).status_code == 429
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.9"), leader, PASSWORD).status_code == 302


def test_a_sign_in_of_ones_own_does_not_clear_the_address_count(leader: str) -> None:
    spray = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(19):
        _sign_in(spray, f"canbo{i % 5}", "Mat-khau-2025")
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.8"), leader, PASSWORD).status_code == 302
    assert _sign_in(spray, "canbo0", "Mat-khau-2025").status_code == 429


def test_the_admin_login_is_locked_by_the_same_count() -> None:
    get_user_model().objects.create_superuser("quantri", password=PASSWORD)
    client = Client()
    for _ in range(3):
        _sign_in(client, "quantri", "sai")
    for _ in range(2):
        answer = _sign_in(client, "quantri", "sai", path="/admin/login/?next=/admin/")
    assert answer.status_code == 429 and "tạm bị khóa" in answer.content.decode()
    assert _sign_in(client, "quantri", PASSWORD, path="/admin/login/").status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out: to the login


def test_an_api_client_reads_the_lockout_as_json(leader: str) -> None:
    client = Client(HTTP_ACCEPT="application/json")
    answers = [_sign_in(client, leader, "sai") for _ in range(5)]
    assert answers[-1].status_code == 429 and answers[-1]["Retry-After"] == str(COOLOFF)
    body = answers[-1].json()
    assert body["error"] == "sign_in_locked"
    assert "15 phút" in body["message"]  # the active language, Vietnamese by default
    assert (
        "15 minutes"
        in Client(HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
        .post("/accounts/login/", {"username": leader, "password": "sai"})
        .json()["message"]
    )


def test_forwarded_for_counts_only_behind_a_trusted_proxy(
    leader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Directly reachable (GISIOC_PROXY_COUNT=0): a client writing its own X-Forwarded-For
    # gains nothing.
    for i in range(5):
        _sign_in(Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"), leader, "sai")
    assert _sign_in(Client(HTTP_X_FORWARDED_FOR="192.0.2.99"), leader, PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}

    # One proxy in front: the address it appended is the client's; what the client wrote is not.
    AccessAttempt.objects.all().delete()
    monkeypatch.setattr(settings.CONFIG, "proxy_count", 1)
    for _ in range(5):
        _sign_in(Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7"), leader, "sai")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert _sign_in(Client(HTTP_X_FORWARDED_FOR="203.0.113.7"), leader, PASSWORD).status_code == 429
    office = Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.9")
    assert _sign_in(office, leader, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "192.0.2.1", "127.0.0.1"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
        (2, "192.0.2.1", "127.0.0.1"),  # fewer hops than proxies: not through them all
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip(
    proxies: int, forwarded: str, address: str, rf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings.CONFIG, "proxy_count", proxies)
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR=forwarded)) == address


def test_sign_ins_are_audited_for_the_admin_without_passwords(
    leader: str, caplog: pytest.LogCaptureFixture
) -> None:
    admin = get_user_model().objects.create_superuser("quantri", password=PASSWORD + "-admin")
    wrong = "sai-mat-khau-bi-mat"
    client = Client()
    for _ in range(5):
        _sign_in(client, leader, wrong)
    _cool_off_passes()
    _sign_in(client, leader, PASSWORD)

    failures = AccessFailureLog.objects.filter(username=leader)
    assert failures.count() == 5 and failures.filter(locked_out=True).count() == 1
    assert AccessLog.objects.filter(username=leader, ip_address="127.0.0.1").count() == 1
    stored = " ".join(
        str(value)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
        for row in model.objects.values()
        for value in row.values()
    )
    assert "lanhdao" in stored and wrong not in stored and PASSWORD not in stored
    assert wrong not in caplog.text and PASSWORD not in caplog.text
    assert "Locking out" in caplog.text  # the server's log says so too

    staff = Client()
    staff.force_login(admin)
    for page in ("accessattempt", "accessfailurelog", "accesslog"):
        answer = staff.get(f"/admin/axes/{page}/")
        assert answer.status_code == 200 and wrong not in answer.content.decode()
    assert leader in staff.get("/admin/axes/accesslog/").content.decode()


def test_http_basic_credentials_are_ignored_on_the_api() -> None:
    get_user_model().objects.create_superuser("quantri", password=PASSWORD)
    token = base64.b64encode(f"quantri:{PASSWORD}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=f"Basic {token}")
    assert client.get("/api/me/").json()["username"] is None  # anonymous
    runs = client.get("/api/ingest/runs/")  # staff only
    assert runs.status_code in (401, 403)
    assert "basic" not in runs.get("WWW-Authenticate", "").lower()
    assert not AccessLog.objects.exists()  # no sign-in happened


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("ngan-qua-9", "password_too_short"),  # under 12 characters
        ("lanhdao12345", "password_too_similar"),  # to the username
        ("password12345", "password_too_common"),
        ("123456789012345", "password_entirely_numeric"),
    ],
)
def test_passwords_follow_djangos_full_set_of_rules(leader: str, password: str, rule: str) -> None:
    user = get_user_model().objects.get(username=leader)
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert rule in [e.code for e in refused.value.error_list]
    validate_password("trung-tam-dieu-hanh", user)
