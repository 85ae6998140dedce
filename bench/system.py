"""The benchmark as a system of its own, so its layer is found and checked like any other."""

from gisioc.systems import SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(name="bench", title=Text("Thử tải", "Benchmarks"), path="bench", order=900)
