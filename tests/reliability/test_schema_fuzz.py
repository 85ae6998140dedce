"""schemathesis over our OpenAPI schema, as an outside tester runs it: `gisioc serve` on the
test database with the demo loaded, asked by the public, a district leader and a commune
officer. No answer may be a server error; every answer must be one the schema documents, in
the shape it documents.

Bounded for the suite: a fixed seed, deterministic generation, the schema's examples then 50
generated cases per operation and identity, no shrinking, no coverage or stateful phases:
~3,900 requests, 1 min 40 s on 2 quiet cores (the demo load is 36 s of it).

The unsafe operations are asked too, on the test database only. Importing and publishing
boundaries is for GIS officers, so none of the three identities can change the boundaries the
others read (they must get 403, which the run checks like any other answer); a GIS officer
then fuzzes those two operations alone, after the others (a test function runs after the one
above it): generated files never pass validation, so no draft exists to publish, and the demo's
versions are published already (409). Pushes carry a key of the system in the path, so their
bodies are read and mostly refused; a batch that passes only adds records to the test database.
Every session signs in before any fuzzing, and nothing fuzzed signs in (the sign-in page is not
in the schema, HTTP Basic is off), so the sign-in lockout cannot shut an identity out.
"""

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from gisioc.geo.demo import users_demo_load
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.systems import adapters
from tests.processes import gisioc_serving

# The session creates the test database only for marked tests; the tests speak HTTP only.
pytestmark = pytest.mark.django_db

IDENTITIES = {"anonymous": None, "leader": "lanhdao", "commune officer": "canboxa"}
GIS_OFFICER = "gis"
CONFIG = {
    "seed": 20,
    "request-timeout": 60,
    "generation": {"max-examples": 50, "deterministic": True, "no-shrink": True},
    "phases": {
        "examples": {"enabled": True},
        "fuzzing": {"enabled": True},
        "coverage": {"enabled": False},
        "stateful": {"enabled": False},
    },
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
    },
}


@dataclass
class Served:
    url: str
    log: Path
    passwords: dict[str, str]
    push_keys: dict[str, str]  # system → its source's key


@dataclass
class Identity:
    name: str
    session: requests.Session
    headers: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def served(
    django_db_setup: None, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """`gisioc serve` on the test database with the demo, its users and a push key per
    system; the database is emptied afterwards, as a transactional test leaves it."""
    folder = tmp_path_factory.mktemp("schema-fuzz")
    with django_db_blocker.unblock():
        try:
            call_command("demo", "load", "--skip-users", stdout=io.StringIO())
            logins = users_demo_load(logins_file=folder / "logins.json")
            keys = {
                name: source_key_create(system=name, source=f"fuzz-{name}")[1]
                for name in adapters.keys()  # noqa: SIM118 (a Registry iterates its items)
            }
            with gisioc_serving(folder, threads=4, access_log=True) as (port, log, _):
                passwords = {x["username"]: x["password"] for x in logins}
                yield Served(f"http://127.0.0.1:{port}", log, passwords, keys)
        finally:
            call_command("flush", interactive=False)


def _signed_in(served: Served, username: str) -> requests.Session:
    """A browser-like session signed in on the app's page (the CSRF token as the form has it)."""
    session = requests.Session()
    page = session.get(f"{served.url}/accounts/login/", timeout=30)
    assert page.status_code == 200
    answer = session.post(
        f"{served.url}/accounts/login/",
        data={
            "username": username,
            "password": served.passwords[username],
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


@pytest.fixture(scope="module")
def sessions(served: Served) -> dict[str, Identity]:
    """A session for each identity, all signed in before any fuzzing, with the CSRF header
    unsafe requests need."""
    identities = {}
    for name, username in {**IDENTITIES, "GIS officer": GIS_OFFICER}.items():
        if username is None:
            identities[name] = Identity(name, requests.Session())
            continue
        session = _signed_in(served, username)
        me = session.get(f"{served.url}/api/me/", timeout=30).json()
        assert me["username"] == username
        identities[name] = Identity(name, session, {"X-CSRFToken": session.cookies["csrftoken"]})
    return identities


def _published_schema() -> dict:
    """The schema `/api/schema/?format=json` serves, made here so that pytest can collect one
    test per operation (the server only starts when the tests run)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


SCHEMA = _published_schema()
schema = schemathesis.openapi.from_dict(SCHEMA, config=schemathesis.Config.from_dict(CONFIG))


def test_the_server_publishes_the_schema_fuzzed(served: Served) -> None:
    assert requests.get(f"{served.url}/api/schema/?format=json", timeout=60).json() == SCHEMA


@schema.parametrize()
@pytest.mark.parametrize("identity", list(IDENTITIES))
def test_no_server_errors_and_answers_as_documented(
    case: schemathesis.Case, identity: str, sessions: dict[str, Identity], served: Served
) -> None:
    headers = dict(sessions[identity].headers)
    if case.operation.definition.raw.get("operationId") == "ingest_batch_push":
        key = served.push_keys.get(case.path_parameters.get("system", ""))
        if key:
            headers["Authorization"] = f"Api-Key {key}"
    case.call_and_validate(base_url=served.url, session=sessions[identity].session, headers=headers)


@schema.include(path_regex=r"^/api/boundary-versions/(import|\{slug\}/publish)/$").parametrize()
def test_a_gis_officer_s_boundary_uploads_and_publications_answer_as_documented(
    case: schemathesis.Case, sessions: dict[str, Identity], served: Served
) -> None:
    officer = sessions["GIS officer"]
    case.call_and_validate(base_url=served.url, session=officer.session, headers=officer.headers)


def test_the_server_logged_no_error_meanwhile(served: Served) -> None:
    """Last: what the fuzzing provoked without a 500 showing (a failure inside a streamed
    body, an error logged and swallowed) is in the server's log, with its traceback."""
    log = served.log.read_text(errors="replace")
    for sign in ("Traceback", "Internal Server Error"):
        assert sign not in log, log[max(0, log.index(sign) - 200) :][:4000]
