"""Roles and scopes: the one place that decides what a user may read.

The rule: what the public reads (profiles, KPIs, communes, facilities, public layers) every
user reads whole, commune officers included; what only staff read (records, restricted layers)
unscoped staff read whole, a commune officer within their units (across versions), the public
not at all. So outside their scope an officer reads exactly what the public reads, inside it
more. `readable` and `readable_unit_ids` apply it; views name which kind their data is.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet

from gisioc.geo import rollup
from gisioc.geo.models import AdminUnit, Role, UserAccess
from gisioc.geo.selectors import units_linked

User = AbstractBaseUser | AnonymousUser
UNSCOPED_ROLES = frozenset(
    {Role.LEADER, Role.PLANNER, Role.FIELD_STAFF, Role.GIS_OFFICER, Role.ADMIN}
)
PUBLIC = None  # the roles of what everyone reads (as a layer's `roles`)
STAFF = frozenset(Role)  # every signed-in role: the record APIs


def user_role(user: User | None) -> Role | None:
    """The user's role; None for the anonymous public."""
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    access = UserAccess.objects.filter(user=user).only("role").first()
    return Role(access.role) if access else None


def may_see(user: User | None, roles: frozenset[str] | None) -> bool:
    """Whether the user may see something open to `roles` (None means public)."""
    if roles is None:
        return True
    role = user_role(user)
    return role is not None and (role == Role.ADMIN or role in roles)


def scope_units(user: User | None) -> frozenset[int] | None:
    """The units a scoped user is given, with their children; None means no restriction."""
    role = user_role(user)
    if role != Role.COMMUNE_OFFICER:
        return None
    chosen = set(UserAccess.objects.get(user=user).units.values_list("id", flat=True))
    children = AdminUnit.objects.filter(parent__in=chosen).values_list("id", flat=True)
    return frozenset(chosen | set(children))


def scope_unit_ids(user: User | None) -> frozenset[int] | None:
    """Admin unit ids a scoped user may see, across versions; None means no restriction."""
    units = scope_units(user)
    return None if units is None else frozenset(units_linked(set(units)))


def _located(model: type[Model], path: list[str]) -> bool:
    """Whether the model the path of relations leads to is a located record."""
    try:
        for name in path:
            model = model._meta.get_field(name).related_model
        model._meta.get_field("locate_method")
    except (FieldDoesNotExist, AttributeError):
        return False
    return True


def scope_filter(queryset: QuerySet, user: User | None, unit_field: str = "unit") -> QuerySet:
    """Rows of `queryset` in the user's scope: located records by the rollup rule (a point
    in a split commune only for the successor holding it), other rows by their unit."""
    units = scope_units(user)
    if units is None:
        return queryset
    *path, last = unit_field.split("__")
    if last != "unit" or not _located(queryset.model, path):
        return queryset.filter(**{f"{unit_field}__in": units_linked(set(units))})
    return queryset.filter(rollup.belongs_to(units, prefix="".join(f"{p}__" for p in path)))


def scope_sql(user: User | None, unit_column: str) -> tuple[str, list[object]]:
    """The same rule as a SQL condition for raw queries (tiles, exports)."""
    units = scope_unit_ids(user)
    if units is None:
        return "TRUE", []
    return f"{unit_column} = ANY(%s)", [sorted(units)]


def scope_records_sql(user: User | None, *, alias: str = "") -> tuple[str, list[object]]:
    """scope_filter's rule for located records in raw SQL (alias: 's.' or '')."""
    units = scope_units(user)
    return ("TRUE", []) if units is None else rollup.belongs_sql(units, alias=alias)


def readable(
    queryset: QuerySet, user: User | None, roles: frozenset[str] | None, unit_field: str = "unit"
) -> QuerySet:
    """The rows of `queryset` the user reads, data open to `roles` (PUBLIC: everyone)."""
    if roles is PUBLIC:
        return queryset
    if not may_see(user, roles):
        return queryset.none()
    return scope_filter(queryset, user, unit_field)


def readable_unit_ids(user: User | None, roles: frozenset[str] | None) -> frozenset[int] | None:
    """The same rule as admin unit ids for raw SQL (tiles); None means every unit."""
    if roles is PUBLIC:
        return None
    return scope_unit_ids(user) if may_see(user, roles) else frozenset()
