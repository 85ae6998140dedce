"""The replicas' settings and routing rules that need no replica: hosts, test databases,
migrations, the read-own-writes mark, and nothing installed without replicas."""

import time

import pytest

from gisioc.replicas import hosts, router, wsgi

DEFAULT = {"HOST": "/srv/run", "PORT": 5432, "NAME": "gisioc", "OPTIONS": {"options": "-c x"}}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("db2", ("db2", 5432)),
        ("db2:6432", ("db2", 6432)),
        ("/srv/replica/run", ("/srv/replica/run", 5432)),
        ("/srv/replica/run:5433", ("/srv/replica/run", 5433)),
    ],
)
def test_a_replica_is_a_host_or_a_socket_folder_with_an_optional_port(
    spec: str, expected: tuple[str, int]
) -> None:
    assert hosts.host_port(spec, 5432) == expected


@pytest.mark.parametrize("spec", ["", ":5433", "db2:70000"])
def test_a_bad_replica_says_so_in_both_languages(spec: str) -> None:
    with pytest.raises(ValueError, match=r"không phải.*is not host"):
        hosts.host_port(spec, 5432)


def test_replica_databases_mirror_the_test_database_and_time_out_quickly() -> None:
    found = hosts.databases(DEFAULT, ["/srv/r1/run:5433", "db3"])
    assert list(found) == ["replica1", "replica2"]
    assert (found["replica1"]["HOST"], found["replica1"]["PORT"]) == ("/srv/r1/run", 5433)
    assert found["replica2"]["NAME"] == "gisioc"
    assert all(db["TEST"] == {"MIRROR": "default"} for db in found.values())  # none created
    assert found["replica1"]["OPTIONS"] == {"options": "-c x", "connect_timeout": 2}


def test_migrations_run_on_the_primary_alone() -> None:
    rules = router.ReplicaRouter()
    assert rules.allow_migrate("default", "geo")
    assert not rules.allow_migrate("replica1", "geo")
    assert rules.db_for_write(object) == "default"


def test_outside_a_request_reads_go_to_the_primary() -> None:
    assert router.read_alias() == "default"  # commands, workers, this test


def test_without_replicas_nothing_is_installed() -> None:
    def app(environ: dict, start_response: object) -> list[bytes]:
        return []

    assert wsgi.routed(app) is app  # the test settings name no replica


def test_the_mark_of_a_write_holds_for_its_seconds_only() -> None:
    fresh, stale = int(time.time()) + 5, int(time.time()) - 1
    assert wsgi.just_wrote({"HTTP_COOKIE": f"a=1; gisioc_primary={fresh}"})
    assert not wsgi.just_wrote({"HTTP_COOKIE": f"gisioc_primary={stale}; a=1"})
    assert not wsgi.just_wrote({"HTTP_COOKIE": "gisioc_primary=x"})
    assert not wsgi.just_wrote({})
