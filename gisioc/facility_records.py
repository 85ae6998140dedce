"""What a facility's page offers besides its own fields: the records of every system held at
it (a health centre's encounters, a school's years, an agency's documents), as lists to open.

A record type is held at a facility when its KPI set filters by the code of a foreign key to
`Facility` (`RecordFilter(lookup="<key>__code")`); the list is that filter on its record API,
offered only to readers that API admits, counted within their scope.
"""

from typing import Any

from django.db.models import ForeignKey

from gisioc.geo import access
from gisioc.geo.models import Facility
from gisioc.kpis import KpiSet, RecordFilter, kpi_sets
from gisioc.systems import record_type_get
from gisioc.texts import Text


def _held_at(kpi_set: KpiSet) -> tuple[RecordFilter, str] | None:
    """The set's facility filter and its key's name, when its records are held at one."""
    for flt in kpi_set.filters:
        key, _, rest = flt.lookup.partition("__")
        if rest != "code":
            continue
        field = kpi_set.model._meta.get_field(key)
        if isinstance(field, ForeignKey) and field.related_model is Facility:
            return flt, key
    return None


def facility_record_lists(*, facility: Facility, user: access.User) -> list[dict[str, Any]]:
    """The lists of records held at the facility that the user may read, those with any."""
    lists = []
    for kpi_set in kpi_sets:
        held = _held_at(kpi_set)
        roles = access.PUBLIC if kpi_set.public_records else (kpi_set.roles or access.STAFF)
        if held is None or not access.may_see(user, roles):
            continue
        flt, key = held
        spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
        records = kpi_set.model.objects.filter(**{key: facility.pk})
        count = access.readable(records, user, roles).count()
        if count:
            title = Text(
                f"{spec.title.vi}: {record.plural.vi} tại cơ sở",
                f"{spec.title.en}: {record.plural.en} here",
            )
            lists.append(
                {
                    "id": f"{record.path}_at_facility",
                    "title": title.as_dict(),
                    "count": count,
                    "href": f"{spec.api}{record.path}/?{flt.param}={facility.code}",
                    "type": record.type,
                }
            )
    return lists
