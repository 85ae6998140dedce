"""WSGI entry point: Django, with public tiles answered in front of it (`tiles.fast`) and
the expensive groups' rate limits taken before it (`gisioc.limits.rate_limited`), and with
GISIOC_REPLICAS each request's reads routed to a replica or the primary (`gisioc.replicas.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
django_application = get_wsgi_application()

from gisioc.limits import rate_limited  # noqa: E402  (needs the apps loaded)
from gisioc.replicas.wsgi import routed  # noqa: E402
from tiles.fast import fast_tiles  # noqa: E402

application = routed(fast_tiles(rate_limited(django_application)))
