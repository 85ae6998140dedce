"""Boundary versions, admin units, crosswalks, facilities and the Located base for records."""

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models


class BoundaryVersion(models.Model):
    """A set of admin units valid over a period; a unit is identified by code + version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp / Draft"
        PUBLISHED = "published", "Đã công bố / Published"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    approximate = models.BooleanField(
        default=False, help_text="Geometry is approximate (demo), not an official boundary."
    )
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="boundaryversion_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AdminUnit(models.Model):
    """A province, district or commune-level unit within one boundary version."""

    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh / Province"
        DISTRICT = "district", "Huyện / District"
        COMMUNE = "commune", "Xã / Commune"

    version = models.ForeignKey(BoundaryVersion, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200, help_text="Full name, e.g. 'Xã Thu Bồn' (NFC).")
    short_name = models.CharField(max_length=200, help_text="Name without the unit type.")
    folded_name = models.CharField(max_length=200, db_index=True, editable=False)
    unit_type = models.CharField(max_length=32, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.COMMUNE)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    geom = models.MultiPolygonField(srid=4326)
    area_km2 = models.FloatField()
    declared_area_km2 = models.FloatField(null=True, blank=True)
    change = models.CharField(
        max_length=8,
        blank=True,
        db_default="",
        help_text="Against the version it replaces: new, changed, same.",
    )
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="adminunit_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.version.slug})"


class UnitCrosswalk(models.Model):
    """An old→new link between units of two versions, weighted by shared area."""

    old_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successors")
    new_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessors")
    area_share_of_old = models.FloatField(help_text="Share of the old unit lying in the new one.")
    area_share_of_new = models.FloatField(help_text="Share of the new unit that came from the old.")
    source = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="crosswalk_pair"),
            models.CheckConstraint(
                condition=models.Q(area_share_of_old__gte=0, area_share_of_old__lte=1)
                & models.Q(area_share_of_new__gte=0, area_share_of_new__lte=1),
                name="crosswalk_shares_in_0_1",
            ),
        ]


class Located(models.Model):
    """Base for every record placed on the map: a point, the unit it lies in, and how."""

    class Method(models.TextChoices):
        POINT = "point", "Tọa độ / Coordinates"
        FACILITY = "facility", "Mã cơ sở / Facility code"
        ADDRESS = "address", "Địa chỉ / Address"
        CROSSWALK = "crosswalk", "Bảng chuyển đổi / Crosswalk"
        NONE = "none", "Chưa định vị / Not located"

    geom = models.PointField(srid=4326, null=True, blank=True)
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    locate_on = models.DateField(
        null=True, blank=True, help_text="Vietnam date whose boundary version locates it."
    )
    locate_method = models.CharField(max_length=16, choices=Method.choices, default=Method.NONE)
    locate_confidence = models.FloatField(null=True, blank=True)
    locate_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_located(self) -> bool:
        """True when the record has an admin unit."""
        return self.unit_id is not None


class FacilityQuerySet(models.QuerySet):
    """Facilities, with the ones in service on a day."""

    def in_service(self, on: dt.date) -> "FacilityQuerySet":
        """Active and not closed by `on` (the SQL views say the same, see geo 0008)."""
        return self.filter(active=True).filter(
            models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=on)
        )


class Facility(Located):
    """A place records happen at: school, health facility, camera, one-stop office, agency.

    A facility that closes (a body dissolved by the 2025 reform) keeps its row and records:
    `closed_on` is its first day out of service. Maps of today skip it; maps of a period
    show it while it was open."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "Trường học / School"
        HEALTH = "health", "Cơ sở y tế / Health facility"
        CAMERA = "camera", "Camera"
        ONE_STOP = "one_stop", "Bộ phận một cửa / One-stop office"
        AGENCY = "agency", "Cơ quan / Agency"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    subtype = models.CharField(max_length=40, blank=True, help_text="e.g. school level, TYT, TTYT")
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    folded_name = models.CharField(max_length=300, db_index=True, editable=False)
    address = models.CharField(max_length=300, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="First day out of service (ngày ngừng hoạt động)."
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name_plural = "facilities"
        indexes = [models.Index(fields=["kind", "subtype"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    """What a signed-in user does; anonymous users are the public."""

    LEADER = "leader", "Lãnh đạo / Leader"
    PLANNER = "planner", "Chuyên viên phân tích / Planner"
    FIELD_STAFF = "field_staff", "Cán bộ hiện trường / Field staff"
    GIS_OFFICER = "gis_officer", "Cán bộ GIS / GIS officer"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ xã / Commune officer"
    ADMIN = "admin", "Quản trị / Administrator"


class UserAccess(models.Model):
    """A user's role and, for scoped roles, the admin units they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    units = models.ManyToManyField(AdminUnit, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class UnitRow(models.Model):
    """Base of the read-only views with a row per commune that choropleth layers read: the
    unit, its code, name, shape, version and whether that version is approximate."""

    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    geom = models.MultiPolygonField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, related_name="+")
    version = models.CharField(max_length=80)
    approximate = models.BooleanField()

    class Meta:
        abstract = True


class AdminUnitView(models.Model):
    """Read-only view of units with their version's slug, status and whether it is in force."""

    source_tables = ("geo_adminunit", "geo_boundaryversion")

    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=200)
    unit_type = models.CharField(max_length=32)
    level = models.CharField(max_length=16)
    area_km2 = models.FloatField()
    geom = models.MultiPolygonField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, related_name="+")
    version = models.CharField(max_length=80)
    status = models.CharField(max_length=16)
    approximate = models.BooleanField()
    in_force = models.BooleanField()
    change = models.CharField(max_length=8)

    class Meta:
        managed = False
        db_table = "gisioc_units"


class FacilityInService(models.Model):
    """Read-only view: the facilities in service today (Vietnam), for the map of today."""

    source_tables = ("geo_facility",)

    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16)
    subtype = models.CharField(max_length=40)
    geom = models.PointField(srid=4326, null=True)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")

    class Meta:
        managed = False
        db_table = "gisioc_facilities_in_service"


class UnitFacilityCount(UnitRow):
    """Read-only view: communes in force with counts of their facilities in service by kind."""

    source_tables = ("geo_adminunit", "geo_boundaryversion", "geo_facility")

    facilities = models.IntegerField()
    schools = models.IntegerField()
    health = models.IntegerField()
    agencies = models.IntegerField()

    class Meta:
        managed = False
        db_table = "gisioc_unit_facility_counts"
