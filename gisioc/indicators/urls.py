"""URLs of the indicators' API, under /api/indicators/ (mounted by the system kit)."""

from django.urls import path, re_path

from gisioc.indicators import api
from gisioc.indicators.values_api import ValueViewSet

values = ValueViewSet.as_view({"get": "list"})
value = ValueViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("values/", values, name="indicator-value-list"),
    path("values/<int:pk>/", value, name="indicator-value-detail"),
    path("", api.indicator_list, name="indicator-list"),
    path("domains/", api.domain_list, name="indicator-domains"),
    path("dashboard/", api.indicator_dashboard, name="indicator-dashboard"),
    path("<slug:code>/", api.indicator_detail, name="indicator-detail"),
    path("<slug:code>/series/", api.indicator_series, name="indicator-series"),
    path("<slug:code>/ranking/", api.indicator_ranking, name="indicator-ranking"),
    re_path(
        r"^(?P<code>[-\w]+)/ranking\.(?P<extension>csv|xlsx)$",
        api.ranking_download,
        name="indicator-ranking-download",
    ),
]
