-- The views the camera layers read (gisioc/cameras/stats.py).

-- Registered cameras whose facility is in service today: where they are and whether they
-- work (public: no stream or snapshot URL here), with the open outage's start if offline.
CREATE VIEW gisioc_camera_points AS
SELECT c.id, f.geom, f.unit_id, f.code, f.name, c.kind, c.road, c.status, c.status_since,
       c.stream <> '' AS has_stream,
       (SELECT o.started_at FROM cameras_outage o
         WHERE o.camera_id = c.id AND o.ended_at IS NULL) AS offline_since
FROM cameras_camera c
JOIN gisioc_facilities_in_service f ON f.id = c.facility_id
WHERE f.geom IS NOT NULL;

-- Camera events × the periods they occurred in ('' all time, months, quarters, years), at
-- their camera; staff layers only. Reads the events alone, so heartbeats (which write
-- cameras_camera) leave these tiles' data version alone.
CREATE VIEW gisioc_camera_event_points AS
SELECT e.id, p.label AS period, e.geom, e.unit_id, e.camera_id, e.kind, e.status,
       e.confidence, e.label, e.occurred_at,
       extract(hour FROM e.occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS hour
FROM gisioc_periods p
JOIN cameras_cameraevent e ON e.occurred_at >= p.start_at AND e.occurred_at < p.end_at
WHERE e.geom IS NOT NULL;
