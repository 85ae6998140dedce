"""Who may read and act on incidents: one place for the roles' rules."""

from gisioc.errors import Forbidden
from gisioc.geo.access import User, scope_unit_ids, user_role
from gisioc.geo.models import Role

# Every staff role reads incidents (a commune officer within scope); the public nothing.
READERS = frozenset(Role)
# Who opens incidents and takes every step on them (a commune officer within scope).
ACTORS = frozenset({Role.LEADER, Role.ADMIN, Role.COMMUNE_OFFICER})
# Who may add a note besides the actors.
NOTERS = ACTORS | {Role.FIELD_STAFF}
# The live bus's roles for an incident (admins always hear).
LIVE_ROLES = sorted(READERS - {Role.ADMIN})


def _in_scope(user: User | None, unit_id: int | None) -> bool:
    units = scope_unit_ids(user)
    return units is None or (unit_id is not None and unit_id in units)


def may_read(user: User | None, unit_id: int | None) -> bool:
    """Whether the user reads an incident located in `unit_id`."""
    role = user_role(user)
    return role in READERS and _in_scope(user, unit_id)


def may_act(user: User | None, unit_id: int | None, *, note: bool = False) -> bool:
    """Whether the user opens or acts on an incident in `unit_id` (`note`: only a note)."""
    role = user_role(user)
    return role in (NOTERS if note else ACTORS) and _in_scope(user, unit_id)


def act_check(user: User | None, unit_id: int | None, *, note: bool = False) -> None:
    """Refuse (403) a user who may not act on an incident in `unit_id`."""
    if may_act(user, unit_id, note=note):
        return
    if user_role(user) is None:
        raise Forbidden(
            "Cần đăng nhập bằng tài khoản cán bộ.", "Sign in with a staff account.", field=None
        )
    raise Forbidden(
        "Vai trò hoặc phạm vi của bạn không cho phép thao tác này với sự việc.",
        "Your role or scope does not allow this action on the incident.",
    )
