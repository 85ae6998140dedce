"""Dossier codes in /api/search/: staff find a dossier by its code, within their scope; the
public finds none, and a hit says nothing of the applicant."""

from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from gisioc.geo import access
from gisioc.geo.demo import users_demo_load
from gisioc.public_services.models import Dossier


def _signed_in(tmp_path: Path, username: str) -> tuple[Client, User]:
    users_demo_load(logins_file=tmp_path / "logins.json")
    client, user = Client(), User.objects.get(username=username)
    client.force_login(user)
    return client, user


def _dossier_hits(client: Client, query: str) -> list[dict]:
    answer = client.get("/api/search/", {"q": query, "limit": 50})
    assert answer.status_code == 200, answer.content
    return [h for h in answer.json()["results"] if h["type"] == "dossier"]


def test_staff_find_a_dossier_by_its_exact_code(dossiers: None, tmp_path: Path) -> None:
    dossier = Dossier.objects.exclude(applicant_commune="").select_related("office").last()
    leader, _ = _signed_in(tmp_path, "lanhdao")
    for typed in (dossier.dossier_code, dossier.dossier_code.lower()):
        first = _dossier_hits(leader, typed)[0]
        assert (first["id"], first["label"]) == (dossier.pk, dossier.dossier_code)
        assert first["detail"] == f"/api/public-services/dossiers/{dossier.pk}/"
        assert dossier.procedure_name in first["sublabel"]
        assert dossier.applicant_commune not in str(first)  # nothing of the applicant
        assert leader.get(first["detail"]).status_code == 200
    prefix = dossier.dossier_code[:8]  # a code typed halfway: the codes it begins
    hits = _dossier_hits(leader, prefix)
    assert all(h["code"].startswith(prefix) for h in hits) and len(hits) > 1
    assert _dossier_hits(Client(), dossier.dossier_code) == []  # the public: none


def test_a_commune_officer_finds_the_dossiers_of_their_scope(
    dossiers: None, tmp_path: Path
) -> None:
    officer, user = _signed_in(tmp_path, "canboxa")
    scope = access.scope_filter(Dossier.objects.all(), user)
    inside, outside = scope.first(), Dossier.objects.exclude(pk__in=scope).first()
    assert [h["id"] for h in _dossier_hits(officer, inside.dossier_code)][:1] == [inside.pk]
    assert outside.pk not in {h["id"] for h in _dossier_hits(officer, outside.dossier_code)}
