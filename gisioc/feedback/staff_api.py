"""URL patterns: filled in by its module's owner."""

urlpatterns: list = []
