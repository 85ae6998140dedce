"""The `gisioc` command line: a thin front over Django's management commands."""

import os
import sys


def main() -> None:
    """Run `gisioc <command> …` as `manage.py <command> …`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    argv[0] = "gisioc"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
