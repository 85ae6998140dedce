"""The geography core as the map shows it: boundaries, communes and facilities."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="boundaries",
    title=Text("Ranh giới và cơ sở", "Boundaries and facilities"),
    path="",
    records=(
        RecordType(
            "facility",
            "geo.Facility",
            "facilities",
            Text("Cơ sở", "Facility"),
            Text("cơ sở", "facilities"),
        ),
    ),
    order=0,
)
