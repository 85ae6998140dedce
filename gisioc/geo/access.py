"""Roles and scopes: the one place that decides which admin units a user may see."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from gisioc.geo.models import AdminUnit, Role, UserAccess
from gisioc.geo.selectors import units_linked

User = AbstractBaseUser | AnonymousUser
UNSCOPED_ROLES = frozenset(
    {Role.LEADER, Role.PLANNER, Role.FIELD_STAFF, Role.GIS_OFFICER, Role.ADMIN}
)


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


def scope_unit_ids(user: User | None) -> frozenset[int] | None:
    """Admin unit ids a scoped user may see, across versions; None means no restriction."""
    role = user_role(user)
    if role != Role.COMMUNE_OFFICER:
        return None
    chosen = set(UserAccess.objects.get(user=user).units.values_list("id", flat=True))
    children = AdminUnit.objects.filter(parent__in=chosen).values_list("id", flat=True)
    chosen |= set(children)
    return frozenset(units_linked(chosen))


def scope_filter(queryset: QuerySet, user: User | None, unit_field: str = "unit") -> QuerySet:
    """Rows of `queryset` whose unit lies in the user's scope."""
    units = scope_unit_ids(user)
    return queryset if units is None else queryset.filter(**{f"{unit_field}__in": units})


def scope_sql(user: User | None, unit_column: str) -> tuple[str, list[object]]:
    """The same rule as a SQL condition for raw queries (tiles, exports)."""
    units = scope_unit_ids(user)
    if units is None:
        return "TRUE", []
    return f"{unit_column} = ANY(%s)", [sorted(units)]
