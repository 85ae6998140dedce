"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2): the public
reports for any client, posting for clients with a key (`gisioc sources key-add feedback
open311-<client>`); JSON and XML; nothing personal in any answer."""
