"""The nginx config in the repo: it renders to what nginx accepts, and docker-compose.yml's
profile scale (a streaming replica and nginx) fills in the same placeholders."""

import re
from pathlib import Path

import pytest
import yaml

from gisioc.config import BASE_DIR
from gisioc.nginx import TEMPLATE, Site, check, render, write

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def test_the_rendered_config_is_accepted_by_nginx(tmp_path: Path) -> None:
    site = Site(directory=tmp_path / "n", app=("127.0.0.1:1", "127.0.0.1:2"), listen="127.0.0.1:3")
    write(site)
    check(site)  # nginx -t, the real binary
    text = site.conf.read_text()
    assert "{{" not in text
    assert "server 127.0.0.1:1;" in text and "server 127.0.0.1:2;" in text
    assert "server 127.0.0.1:9 down;" in text  # no live server given: a valid, empty upstream
    assert "proxy_cache_key" in text and "X-Cache-Status" in text


def test_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    site = Site(directory=tmp_path, app=("127.0.0.1:1",), extra={"listen": "{{nope}}"})
    with pytest.raises(ValueError, match="nope"):
        render(site)


def test_compose_profile_scale_has_a_replica_and_nginx_on_the_same_template() -> None:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    scale = {name for name, s in services.items() if "scale" in s.get("profiles", [])}
    assert scale == {"db-replica", "nginx"}
    replica = services["db-replica"]
    assert "pg_basebackup -h db" in replica["command"][0] and "-R" in replica["command"][0]
    assert "pgreplica" in compose["volumes"] and "nginxcache" in compose["volumes"]
    mounts = services["nginx"]["volumes"]
    assert any(m.startswith("./deploy/nginx/gisioc.conf.template:") for m in mounts)
    assert any(m.startswith("./deploy/postgres/replication.sh:") for m in services["db"]["volumes"])
    for mount in [*mounts, *services["db"]["volumes"]]:
        source = mount.split(":")[0]
        assert not source.startswith("./") or (BASE_DIR / source).exists(), source
    # compose.sh fills in every placeholder of the template, as gisioc/nginx.py does.
    wanted = set(PLACEHOLDER.findall(TEMPLATE.read_text()))
    filled = set(PLACEHOLDER.findall((BASE_DIR / "deploy" / "nginx" / "compose.sh").read_text()))
    assert wanted == filled, wanted ^ filled
