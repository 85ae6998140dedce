"""The Duy Xuyên demo: two boundary versions, the official crosswalk, facilities and users."""

import csv
import datetime as dt
import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from gisioc.config import BASE_DIR, private_file_write
from gisioc.geo import services
from gisioc.geo.models import AdminUnit, BoundaryVersion, Role, UnitCrosswalk, UserAccess
from gisioc.geo.services import Progress

BOUNDARY_DATA = BASE_DIR / "boundary_data"

# username, role, scope (new commune codes in danang-2025), display name
DEMO_USERS: tuple[tuple[str, Role, tuple[str, ...], str], ...] = (
    ("lanhdao", Role.LEADER, (), "Lãnh đạo UBND"),
    ("phantich", Role.PLANNER, (), "Chuyên viên phân tích"),
    ("hientruong", Role.FIELD_STAFF, (), "Cán bộ hiện trường"),
    ("gis", Role.GIS_OFFICER, (), "Cán bộ GIS"),
    ("canboxa", Role.COMMUNE_OFFICER, ("20611",), "Cán bộ xã Thu Bồn"),
    ("quantri", Role.ADMIN, (), "Quản trị hệ thống"),
)


def _versions() -> list[dict]:
    return json.loads((BOUNDARY_DATA / "versions.json").read_text())["versions"]


def boundaries_demo_load(*, progress: Progress = print) -> list[str]:
    """Import and publish the two approximate demo versions once; returns slugs loaded now."""
    loaded = []
    for meta in _versions():
        if BoundaryVersion.objects.filter(slug=meta["slug"]).exists():
            continue
        options = services.ImportOptions(
            name=meta["name"],
            slug=meta["slug"],
            source=meta["source"],
            approximate=True,
            valid_from=dt.date.fromisoformat(meta["valid_from"]),
            valid_to=dt.date.fromisoformat(meta["valid_to"]) if meta["valid_to"] else None,
            code_field="code",
            name_field="name",
            area_field="official_area_km2" if meta["slug"] == "danang-2025" else None,
        )
        with transaction.atomic():
            services.boundary_import(
                path=BOUNDARY_DATA / meta["files"]["communes"], options=options, progress=progress
            )
            if meta.get("district_code"):
                _add_district(meta)
            if "crosswalk_from_duyxuyen-2019" in meta["files"]:
                _load_crosswalk(BOUNDARY_DATA / meta["files"]["crosswalk_from_duyxuyen-2019"])
            services.boundary_publish(slug=meta["slug"], progress=progress)
        loaded.append(meta["slug"])
    return loaded


def _add_district(meta: dict) -> None:
    """The district as the communes' parent, its outline the union of theirs."""
    version = BoundaryVersion.objects.get(slug=meta["slug"])
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO geo_adminunit (version_id, code, name, short_name, folded_name,
                 unit_type, level, geom, area_km2, declared_area_km2, properties)
               SELECT %s, %s, %s, %s, %s, 'huyện', 'district', ST_Multi(ST_Union(geom)),
                      ST_Area(ST_Union(geom)::geography) / 1e6, %s, '{}'::jsonb
               FROM geo_adminunit WHERE version_id = %s AND level = 'commune'
               RETURNING id""",
            [
                version.pk,
                meta["district_code"],
                meta["district_name"],
                meta["district_name"].removeprefix("Huyện "),
                "duy xuyen",
                meta.get("official_area_km2"),
                version.pk,
            ],
        )
        (district_id,) = cursor.fetchone()
    AdminUnit.objects.filter(version=version, level="commune").update(parent_id=district_id)


def _load_crosswalk(path: Path) -> None:
    old = {u.code: u for u in AdminUnit.objects.filter(version__slug="duyxuyen-2019")}
    new = {u.code: u for u in AdminUnit.objects.filter(version__slug="danang-2025")}
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    UnitCrosswalk.objects.bulk_create(
        [
            UnitCrosswalk(
                old_unit=old[r["old_code"]],
                new_unit=new[r["new_code"]],
                area_share_of_old=float(r["area_share_of_old"]),
                area_share_of_new=float(r["area_share_of_new"]),
                source="Nghị quyết 1659/NQ-UBTVQH15",
            )
            for r in rows
        ]
    )


def users_demo_load(*, logins_file: Path) -> list[dict[str, str]]:
    """Create the demo users with generated passwords, kept (mode 600) in `logins_file`."""
    known = json.loads(logins_file.read_text()) if logins_file.exists() else {}
    User = get_user_model()
    logins = []
    for username, role, scope, display in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": display}
        )
        password = known.get(username)
        if created or not _password_valid(password, user) or not user.check_password(password):
            password = secrets.token_urlsafe(15)
            validate_password(password, user)  # the rules of every password (settings)
            user.set_password(password)
        user.is_staff = role in (Role.ADMIN, Role.GIS_OFFICER)
        user.is_superuser = role == Role.ADMIN
        user.save()
        access, _ = UserAccess.objects.update_or_create(user=user, defaults={"role": role})
        access.units.set(AdminUnit.objects.filter(version__slug="danang-2025", code__in=scope))
        logins.append({"username": username, "password": password, "role": role.label})
    passwords = {x["username"]: x["password"] for x in logins}
    private_file_write(logins_file, json.dumps(passwords, indent=2))
    return logins


def _password_valid(password: str | None, user: object) -> bool:
    try:
        validate_password(password or "", user)
    except ValidationError:
        return False
    return True


def load(*, progress: Progress = print) -> None:
    """The geography part of `gisioc demo load`: boundaries, crosswalk, facilities."""
    from gisioc.geo.demo_facilities import facilities_demo_load

    loaded = boundaries_demo_load(progress=progress)
    progress(f"Ranh giới / boundaries: {', '.join(loaded) or 'đã có / already loaded'}")
    result = facilities_demo_load()
    progress(f"Cơ sở / facilities: {result.summary()}")
