"""URL map: the map page, the REST API with its OpenAPI schema, and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from gisioc.geo import api as geo_api
from gisioc.geo import boundary_api
from gisioc.ingest import api as ingest_api
from gisioc.profiles import api as profiles_api
from gisioc.search import api as search_api
from gisioc.system_api import systems_urls
from gisioc.web.views import map_page

# A fault outside a view (a middleware) or a database outage on a page; errors under /api/,
# /tiles/ and /open311/ are JSON (gisioc.errors.ErrorMiddleware turns Django's own 404, 405
# and CSRF pages there into the same shape).
handler500 = "gisioc.errors.server_error"

router = DefaultRouter()
router.register("boundary-versions", geo_api.BoundaryVersionViewSet, basename="boundary-version")
router.register("admin-units", geo_api.AdminUnitViewSet, basename="admin-unit")
router.register("facilities", geo_api.FacilityViewSet, basename="facility")
router.register("ingest/runs", ingest_api.IngestRunViewSet, basename="ingest-run")

urlpatterns = [
    path("", map_page, name="map"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/geocode/", geo_api.geocode_view, name="geocode"),
    path("api/search/", search_api.search_view, name="search"),
    path("api/me/", boundary_api.me, name="me"),
    path("", include("gisioc.live.urls")),  # /api/live/: where the live stream is
    path("api/boundary-versions/import/", boundary_api.boundary_upload, name="boundary-import"),
    path(
        "api/boundary-versions/<slug:slug>/publish/",
        boundary_api.boundary_publish,
        name="boundary-publish",
    ),
    path(
        "api/ingest/<str:system>/batches/", ingest_api.BatchPushView.as_view(), name="ingest-push"
    ),
    path("api/wall/", include("gisioc.wall.urls")),  # the operations room's wall screens
    path("", include("gisioc.wall.site_urls")),
    path("api/incidents/", include("gisioc.incidents.urls")),  # incidents (việc đột xuất)
    path("api/alerts/", include("gisioc.alerts.urls")),
    path("api/rasters/", include("gisioc.rasters.urls")),  # rasters, exposure, basemaps
    *systems_urls(router),  # each system's KPI API and record API (gisioc.system_api)
    path("api/profiles/district/", profiles_api.district_profile, name="profile-district"),
    path("api/profiles/units/<int:unit_id>/", profiles_api.unit_profile, name="profile-unit"),
    path("api/", include(router.urls)),
    # Every role signs in here (the admin's own login admits staff accounts only).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("tiles.urls")),
]
