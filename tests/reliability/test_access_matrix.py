"""The access matrix: every endpoint of the URL resolver × every role × a record or unit inside
and outside a commune officer's scope, asked over the demo geography, users and records.

Nothing here lists endpoints: the resolver does, and a path parameter's values come from what
it names (the view's model for an id, every layer for a layer id, a tile over each place for
z/x/y), so a new endpoint is in the matrix the day it is routed; one with a parameter of a new
name fails until SAMPLES knows it. What each role must get follows gisioc.geo.access's rule:

- what the public reads (anonymous 200) every role reads too, an answer covering the public's
  (a commune officer's included, in scope or out of it);
- what only staff read (anonymous 403) every unscoped role reads, in scope or out (200), unless
  the endpoint refuses the role itself (403 both ways); a commune officer reads it in scope
  (200) and finds nothing outside it (404), unless refused as a role (403 both ways);
- the administrator is refused nothing (never 401/403); writes are refused to the public and
  to commune officers (401/403), answered by the others without a 5xx; where commune
  officers act on their communes' records (OFFICER_WRITES: citizens' reports), an empty write
  is answered them as to the others;
- no anonymous answer carries a field a model lists in `personal_fields`, nor a stored value
  of one, unless the row publishes that value as its public copy (`public_copies`: a
  report's description that needed no masking or moderation is its public text);
- a KPI set's small counts (`KpiSet.small`: health) are null for the public and exact for
  the roles of its records, so a `suppressed` marker is where the public's answer says more
  (which nulls are held back) than a reader of exact figures' answer;
- a record API naming its roles (`KpiSet.roles`: health's encounters for leaders, planners
  and administrators) refuses every other role: 403 both sides of the scope.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from gisioc.alerts.demo import alerts_demo_load
from gisioc.geo import access
from gisioc.geo.demo import DEMO_USERS, users_demo_load
from gisioc.geo.models import AdminUnit, Role
from gisioc.incidents.services import incident_open
from gisioc.ingest.fake_feed import fakes
from gisioc.ingest.records import records_rows
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.systems import adapters
from gisioc.kpis import kpi_sets
from gisioc.systems import record_type_get
from layers.registry import registry
from tests.bodies import json_body
from tests.cameras.helpers import cameras_matrix_load
from tests.rasters.helpers import rasters_matrix_load
from tests.test_systems_contract import _fake
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
SKIPPED = re.compile(r"^(admin/|accounts/)")  # Django's admin and the sign-in pages
OFFICER = "canboxa"  # the demo's commune officer: Thu Bồn and its predecessors
WRITES = frozenset({"post", "put", "patch", "delete"})
ROLES = [None, *(username for username, _, _, _ in DEMO_USERS)]  # None: the public
ZOOM = 14
RECORDS = 400  # of each fake feed, its latest: some in the officer's commune, most outside


@dataclass(frozen=True)
class Ask:
    """One URL of an endpoint: `where` is 'in' or 'out' of the officer's scope, or 'any'."""

    route: str
    url: str
    where: str
    methods: frozenset[str]


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _kwargs(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters or pattern.pattern.regex.groupindex)


def _methods(pattern: URLPattern) -> frozenset[str]:
    view = getattr(pattern.callback, "cls", None)
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return frozenset(actions)
    if view is not None:
        return frozenset(m for m in view.http_method_names if hasattr(view, m)) - {"options"}
    return frozenset({"get"})


def _model(pattern: URLPattern, name: str) -> type[Model]:
    """The model an id of the endpoint names: its viewset's queryset's or serializer's."""
    view = getattr(pattern.callback, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    if serializer is not None:
        return serializer.Meta.model
    assert name == "unit_id", f"no model known for {name} of {pattern.pattern}"
    return AdminUnit


def _rows(model: type[Model], scope: frozenset[int]) -> dict[str, Model]:
    """A row inside and one outside the officer's scope; one row of a model without units."""
    if model is AdminUnit:
        communes = AdminUnit.objects.filter(level="commune", version__slug="danang-2025")
        return {
            "in": communes.filter(pk__in=scope).first(),
            "out": communes.exclude(pk__in=scope).first(),
        }
    if not any(f.name == "unit" for f in model._meta.get_fields()):
        return {"any": model.objects.order_by("pk").first()}
    officer = User.objects.get(username=OFFICER)
    inside = access.scope_filter(model.objects.all(), officer)
    return {"in": inside.first(), "out": model.objects.exclude(pk__in=inside).first()}


def _tiles(scope: frozenset[int]) -> dict[str, dict[str, int]]:
    """z/x/y of a tile over a commune in the scope and over one outside it."""
    rows = _rows(AdminUnit, scope)
    tiles = {}
    for where, unit in rows.items():
        point = unit.geom.point_on_surface
        x, y = tile_for(point.x, point.y, ZOOM)
        tiles[where] = {"z": ZOOM, "x": x, "y": y}
    return tiles


# Path parameters other than ids: values to ask with, by the parameter's name.
SAMPLES: dict[str, list[Any]] = {
    "slug": ["danang-2025"],
    "layer_id": [layer.id for layer in registry],
    "system": sorted(adapters.keys()),
    "fontstack": ["Noto Sans Regular"],
    "start": [0],
    "end": [255],
    "name": ["sprite.json"],
    "code": ["population"],  # an indicator
    "extension": ["csv", "xlsx"],  # a ranking's download
    "action": ["reject"],  # a report's workflow step (an empty body lacks the reason)
    "media_id": [0],  # a report's photo (none has 0: not found)
    "op": ["hide"],
    "raster": ["ngap", "ngap-noi-bo"],  # a public raster layer, a staff-only one (tests/rasters)
}
# Path parameters naming a row by another column than its id: the model and the column.
KEYS: dict[str, tuple[str, str]] = {"ticket": ("feedback.Report", "ticket")}
# Writes commune officers may make, on records in their scope.
OFFICER_WRITES = re.compile(
    r"^api/feedback/(reports/<ticket:ticket>/|hotline/)|^api/incidents/"  # their communes'
    r"|^api/alerts/notifications/read/"  # their own notifications
    r"|^api/cameras/events/"  # their communes' camera events
)


def _incidents_open() -> None:
    """An open incident inside the officer's commune and one outside (gisioc.incidents)."""
    rows = _rows(AdminUnit, access.scope_unit_ids(User.objects.get(username=OFFICER)))
    for where, unit in rows.items():
        point = unit.geom.point_on_surface
        incident_open(actor=None, kind="flood", severity=2, point=point, title=f"Ngập ({where})")


def _asks() -> list[Ask]:
    """Every endpoint, with each sample of its path parameters."""
    scope = access.scope_unit_ids(User.objects.get(username=OFFICER))
    asks = []
    for route, pattern in _routes(get_resolver().url_patterns):
        names = _kwargs(pattern)
        if SKIPPED.match(route) or "format" in names or not pattern.name:
            continue
        ids = [n for n in names if n in ("pk", "id", "unit_id", *KEYS)]
        tile = {"z", "x", "y"} <= set(names)
        places: dict[str, dict[str, Any]] = {"any": {}}
        if ids:
            model, column = KEYS.get(ids[0], (None, "pk"))
            model = apps.get_model(model) if model else _model(pattern, ids[0])
            rows = _rows(model, scope)
            assert all(rows.values()), f"no sample row for {route}: {rows}"
            places = {where: {ids[0]: getattr(row, column)} for where, row in rows.items()}
        elif tile:
            places = _tiles(scope)
        others = [n for n in names if n not in ids and not (tile and n in "zxy")]
        unknown = [n for n in others if n not in SAMPLES]
        assert not unknown, f"{route}: add samples for the path parameter(s) {unknown}"
        combos: list[dict[str, Any]] = [{}]
        for name in others:
            combos = [{**c, name: value} for c in combos for value in SAMPLES[name]]
        for where, place in places.items():
            for combo in combos:
                url = reverse(pattern.name, kwargs={**place, **combo})
                asks.append(Ask(route, url, where, _methods(pattern)))
    return asks


# Query parameters an endpoint needs to answer at all (by name, any endpoint).
NEEDS = {"lon": 108.25, "lat": 15.82, "address": "xa Duy Vinh"}
QUERY = {
    "/api/search/": {"q": "nam phuoc", "limit": 50},
    "/api/geocode/": NEEDS,
    "/api/nearby/": NEEDS,
    "/api/feedback/near/": {"lon": 108.25, "lat": 15.82},
    "/api/feedback/nearby/": {"category": "thoat_nuoc", "lon": 108.25, "lat": 15.82},
    **{f"/tiles/{name}/point": {"lon": 108.25, "lat": 15.82} for name in SAMPLES["raster"]},
}
# Answers new at every ask (a fresh check question, a live token signed for the reader): only
# their statuses are compared.
FRESH = frozenset({"/api/feedback/challenge/", "/api/live/"})


def _query(ask: Ask) -> dict[str, Any]:
    return QUERY.get(ask.url, {})


@pytest.fixture
def matrix(geo: None, tmp_path, private_var) -> dict[str | None, APIClient]:
    """The demo geography and users, every fake system's latest records; a client per role."""
    users_demo_load(logins_file=tmp_path / "logins.json")
    assert {role for _, role, _, _ in DEMO_USERS} == set(Role), "a role without a demo user"
    for system in sorted(fakes.keys()):
        rows = records_rows(_fake(system).records()[-RECORDS:])
        ingest_rows(system=system, rows=rows, source="matrix", progress=lambda _: None)
    alerts_demo_load()  # rules for the rules' pages (gisioc.alerts)
    cameras_matrix_load(OFFICER)  # cameras and their events in and out of scope
    _incidents_open()
    rasters_matrix_load(tmp_path)  # raster layers' files in the test's own var/
    clients: dict[str | None, APIClient] = {None: APIClient()}
    for username in ROLES[1:]:
        clients[username] = APIClient()
        clients[username].force_login(User.objects.get(username=username))
    return clients


def _body(response: Any) -> Any:
    kind = response.get("Content-Type", "")
    return json_body(response) if "json" in kind and response.status_code == 200 else None


SUPPRESSED = "suppressed"  # small counts held back from the public (gisioc.kpi_small)
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T")  # when an answer was made ('as_of'), not data


def _covers(mine: Any, public: Any) -> bool:
    """Whether an answer holds at least the public's: keys, items (by type and id where those
    are unique), values; a null or empty value of the public's is covered by any."""
    if public is None or public == [] or public == {}:
        return True
    if isinstance(public, dict):
        return isinstance(mine, dict) and all(
            k == SUPPRESSED or (k in mine and _covers(mine[k], v)) for k, v in public.items()
        )
    if isinstance(public, list):
        if not isinstance(mine, list):
            return False
        keys = [(x.get("type"), x["id"]) if isinstance(x, dict) and "id" in x else None
                for x in mine]  # fmt: skip
        if None not in keys and len(set(keys)) == len(keys):
            by_key = dict(zip(keys, mine, strict=True))
            return all(
                isinstance(x, dict) and _covers(by_key.get((x.get("type"), x.get("id"))), x)
                for x in public
            )
        return len(mine) >= len(public) and all(map(_covers, mine, public))
    if isinstance(public, str) and MOMENT.match(public):
        return isinstance(mine, str) and bool(MOMENT.match(mine))
    return mine == public


def _personal(body: Any, values: frozenset[str]) -> set[str]:
    """Personal fields of records (features' properties) in an answer, and personal values
    stored in the database (a document's summary naming a citizen) anywhere in it."""
    names = {f for m in apps.get_models() for f in getattr(m, "personal_fields", ())}
    found = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            found.update(names & set(value.get("properties") or {}))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body)
    text = json.dumps(body, ensure_ascii=False)
    return found | {v for v in values if v in text}


def _personal_values() -> frozenset[str]:
    """Every stored value of a personal field (long enough to be telling), but those a row
    publishes as the field's public copy."""
    values = set()
    for model in apps.get_models():
        copies = getattr(model, "public_copies", {})
        for field in getattr(model, "personal_fields", ()):
            copy = copies.get(field, field)
            stored = model.objects.exclude(**{field: ""}).values_list(field, copy)
            values.update(
                v
                for v, c in stored
                if isinstance(v, str) and len(v) >= 12 and (copy == field or v != c)
            )
    return frozenset(values)


def test_every_endpoint_answers_every_role_by_the_one_rule(
    matrix: dict[str | None, APIClient],
) -> None:
    asks = _asks()
    personal = _personal_values()
    assert personal, "no personal values to look for: the check would be vacuous"
    assert {a.route for a in asks} >= {"api/profiles/units/<int:unit_id>/", "api/search/"}
    problems: list[str] = []
    unscoped = [u for u, role, _, _ in DEMO_USERS if role in access.UNSCOPED_ROLES]
    by_route: dict[str, dict[tuple[str | None, str], int]] = {}
    for ask in asks:
        if "get" in ask.methods:
            answers = {who: c.get(ask.url, _query(ask)) for who, c in matrix.items()}
            status = {who: a.status_code for who, a in answers.items()}
            by_route.setdefault(ask.route, {}).update(
                {(who, ask.where): s for who, s in status.items()}
            )
            problems += _judge_read(ask, answers, status, unscoped, personal)
        for method in ask.methods & WRITES:
            for who, client in matrix.items():
                got = getattr(client, method)(ask.url, {}, format="json").status_code
                refused = who is None or (who == OFFICER and not OFFICER_WRITES.match(ask.route))
                if got >= 500 or (refused and got not in (401, 403)) or (not refused and got < 300):
                    problems.append(f"{method.upper()} {ask.url} as {who}: {got}")
    problems += _judge_scope(by_route, unscoped)
    assert not problems, "\n".join(problems)


def _judge_read(
    ask: Ask, answers: dict, status: dict, unscoped: list[str], personal: frozenset[str]
) -> list[str]:
    """What one URL's answers break of the rule."""
    problems = []
    where = f"GET {ask.url} ({ask.where})"
    if any(s >= 500 for s in status.values()) or status[None] not in (200, 204, 403, 404):
        problems.append(f"{where}: {status}")
    if status["quantri"] in (401, 403):
        problems.append(f"{where}: the administrator got {status['quantri']}")
    if status[None] in (200, 204):
        bodies = {who: _body(answer) for who, answer in answers.items()}  # read streams once
        leaked = _personal(bodies[None], personal)
        if leaked:
            problems.append(f"{where}: personal data in a public answer: {sorted(leaked)[:3]}")
        for who, body in bodies.items():
            if status[who] != status[None]:
                problems.append(f"{where}: {who} got {status[who]}, the public {status[None]}")
            elif ask.url not in FRESH and not _covers(body, bodies[None]):
                problems.append(f"{where}: {who} reads less than the public")
    elif status[None] == 403:
        for who in unscoped:
            if status[who] not in (200, 204, 403):
                problems.append(f"{where}: {who} got {status[who]} on staff data")
    return problems


def _read(status: int) -> int:
    """A tile with nothing in it (204) is read as well as one with features."""
    return 200 if status == 204 else status


def _judge_scope(by_route: dict, unscoped: list[str]) -> list[str]:
    """Across in- and out-of-scope samples of a route: unscoped roles read both alike; a
    commune officer reads staff data in scope and finds nothing outside it (404, or an empty
    tile: 204)."""
    problems = []
    for route, got in by_route.items():
        if ("quantri", "in") not in got:
            continue
        for who in [*unscoped, None]:
            if _read(got[(who, "in")]) != _read(got[(who, "out")]):
                problems.append(
                    f"{route}: {who} got {got[(who, 'in')]} in, {got[(who, 'out')]} out"
                )
        public, inside, outside = got[(None, "in")], got[(OFFICER, "in")], got[(OFFICER, "out")]
        if public == 403 and _read(got[("lanhdao", "in")]) == 200:
            refused = inside == outside == 403  # the role, not the scope
            if not refused and (_read(inside), outside) not in ((200, 404), (200, 204)):
                problems.append(f"{route}: the commune officer got {inside} in, {outside} out")
    return problems


def test_the_matrix_asks_each_system_records_on_both_sides_of_the_scope(
    matrix: dict[str | None, APIClient],
) -> None:
    """Not vacuous: every system's record page is asked inside and outside the scope."""
    sides: dict[str, set[str]] = {}
    for ask in _asks():
        sides.setdefault(ask.route, set()).add(ask.where)
    for kpi_set in kpi_sets:
        spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
        detail = f"api/^{spec.path}/{record.path}/(?P<pk>"
        assert [w for r, w in sides.items() if r.startswith(detail)] == [{"in", "out"}], detail


def test_record_apis_naming_their_roles_refuse_the_others(
    matrix: dict[str | None, APIClient],
) -> None:
    """Health's encounters: 403 to the public, field staff, GIS and commune officers (in and
    out of scope), 200 to leaders, planners and administrators."""
    roles = {username: role for username, role, _, _ in DEMO_USERS}
    named = [k for k in kpi_sets if k.roles is not None]
    assert named, "no KPI set names its record roles: the check would be vacuous"
    for kpi_set in named:
        spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
        url = f"{spec.api}{record.path}/"
        for who, client in matrix.items():
            allowed = who is not None and (roles[who] in kpi_set.roles or roles[who] == Role.ADMIN)
            got = client.get(url).status_code
            assert got == (200 if allowed else 403), f"{url} as {who}: {got}"
