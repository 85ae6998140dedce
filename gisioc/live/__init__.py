"""Live operations: one bus of events (PostgreSQL LISTEN/NOTIFY over the `live_event` table)
that every open map, wall screen and alert rule reads."""
