"""/api/alerts/: rules, my notifications, the history."""

from django.urls import path

from gisioc.alerts import api

urlpatterns = [
    path("rules/", api.RuleListView.as_view(), name="alerts-rules"),
    path("rules/<int:pk>/", api.RuleDetailView.as_view(), name="alerts-rule"),
    path("notifications/", api.NotificationListView.as_view(), name="alerts-notifications"),
    path("notifications/read/", api.NotificationReadView.as_view(), name="alerts-read"),
    path("history/", api.AlertHistoryView.as_view(), name="alerts-history"),
]
