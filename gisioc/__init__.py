"""gisioc: a map-first Intelligent Operations Center for Vietnamese local government."""
