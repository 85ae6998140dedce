"""What gisioc's management commands share: errors in both languages, actions by name."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gisioc.errors import GisiocError


class GisiocCommand(BaseCommand):
    """A command whose GisiocError ends as a CommandError in Vietnamese and English, not a
    traceback. With sub-commands (`dest="action"`), `handle` runs the method `_<action>`."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except GisiocError as exc:
            raise CommandError(exc.both()) from exc

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, "_" + opts["action"].replace("-", "_"))(opts)
