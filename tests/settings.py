"""The test suite's settings: the project's, plus the systems that live under tests/ (the
example system the contract tests and the README's "Adding a system" use)."""

import os
from pathlib import Path

from gisioc.settings import *  # noqa: F403
from gisioc.settings import INSTALLED_APPS

TEST_SYSTEMS = ["tests.example_system"]
# Beside the other systems, before the app that discovers them all.
INSTALLED_APPS = [
    *INSTALLED_APPS[: INSTALLED_APPS.index("gisioc")],
    *TEST_SYSTEMS,
    *INSTALLED_APPS[INSTALLED_APPS.index("gisioc") :],
]

# Servers the tests start as processes inherit DJANGO_SETTINGS_MODULE: let them import these.
ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))
