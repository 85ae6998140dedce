"""`gisioc rasters zonal`: placeholder until the zonal statistics land (owner: zonal)."""

from argparse import ArgumentParser
from typing import Any


def add_arguments(parser: ArgumentParser) -> None:
    """The sub-command's arguments."""
    parser.add_argument("name")


def handle(options: dict[str, Any], stdout: Any) -> None:
    """Run it."""
    raise NotImplementedError
