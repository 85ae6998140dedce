"""An example system, installed only in the tests (tests/settings.py): the reference for
"Adding a system" in the README and the system the contract tests prove the kit with."""
