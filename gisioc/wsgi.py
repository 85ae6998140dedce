"""WSGI entry point: Django, with public tiles answered in front of it (`tiles.fast`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
django_application = get_wsgi_application()

from tiles.fast import fast_tiles  # noqa: E402  (needs the apps loaded)

application = fast_tiles(django_application)
