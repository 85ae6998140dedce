"""URLs of education's own API, under /api/education/ (mounted by the system kit)."""

from django.urls import path

from gisioc.education import api

urlpatterns = [path("enrolment/", api.enrolment, name="education-enrolment")]
