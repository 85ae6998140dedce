"""The kiosk page at the site's root: /wall/?token=…"""

from django.urls import path

from gisioc.wall.pages import kiosk_page

urlpatterns = [path("wall/", kiosk_page, name="wall-kiosk-page")]
