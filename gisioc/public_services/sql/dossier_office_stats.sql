-- One-stop offices × periods: dossiers received and finished (late) there. An office that
-- closed (the district's, dissolved by the reform) shows on a period's map only while it was
-- in service at the period's start, so its records of 2025-H1 stay on that map.
CREATE VIEW gisioc_dossier_office_stats AS
SELECT f.id, p.label AS period, f.code, f.name, f.geom, f.unit_id,
       coalesce(s.received, 0)::int AS received,
       coalesce(s.finished, 0)::int AS finished,
       coalesce(s.late, 0)::int AS late,
       CASE WHEN s.finished > 0 THEN round(100.0 * s.late / s.finished, 1)::float8 END
         AS late_pct
FROM gisioc_periods p CROSS JOIN geo_facility f
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE d.received_at >= p.start_at AND d.received_at < p.end_at)
           AS received,
         count(*) FILTER (WHERE d.finished_at >= p.start_at AND d.finished_at < p.end_at)
           AS finished,
         count(*) FILTER (WHERE d.finished_at >= p.start_at AND d.finished_at < p.end_at
                            AND gisioc_dossier_late(d.finished_at, d.due_at)) AS late
  FROM public_services_dossier d
  WHERE d.office_id = f.id
    AND ((d.received_at >= p.start_at AND d.received_at < p.end_at)
         OR (d.finished_at >= p.start_at AND d.finished_at < p.end_at))
) s ON true
WHERE f.kind = 'one_stop' AND f.geom IS NOT NULL
  AND gisioc_facility_in_service(
    f.active, f.closed_on, (p.start_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
