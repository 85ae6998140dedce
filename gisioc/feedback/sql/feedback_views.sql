-- The views the feedback layers read (gisioc/feedback/stats.py). None carries a report's
-- description, its address as given or anything of the reporter: the public reads them.

-- The last Vietnam day of a period's rows in gisioc_periods (today for one still running):
-- the day its population is read for.
CREATE OR REPLACE FUNCTION gisioc_feedback_period_day(end_at timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN least(((end_at - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
             gisioc_today());

-- Public reports (seen, not rejected or merged: feedback.services.PUBLIC) × the periods they
-- were received in ('' all time, months, quarters, years). Overdue as of today in Vietnam:
-- open (feedback.services.OPEN) and due before today, so the layer keys its tiles by the day.
CREATE VIEW gisioc_feedback_report_points AS
SELECT r.id, p.label AS period, r.geom, r.unit_id, r.ticket, r.category, r.status,
       CASE WHEN o.overdue THEN 'overdue' ELSE r.status END AS state,
       o.overdue,
       (r.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS received_on,
       r.due_on, f.name AS agency_name,
       CASE WHEN length(r.public_text) > 140 THEN left(r.public_text, 139) || '…'
            ELSE r.public_text END AS public_text,
       r.followers
FROM gisioc_periods p
JOIN feedback_report r ON r.received_at >= p.start_at AND r.received_at < p.end_at
LEFT JOIN geo_facility f ON f.id = r.agency_id
CROSS JOIN LATERAL (
  SELECT r.status IN ('received', 'verified', 'assigned', 'in_progress')
         AND r.due_on < gisioc_today() AS overdue
) o
WHERE r.status IN ('verified', 'assigned', 'in_progress', 'resolved', 'published', 'closed')
  AND r.merged_into_id IS NULL AND r.geom IS NOT NULL;

-- Communes in force × periods: reports received in the period (not rejected or merged) placed
-- in the commune or its former units, each weighted by the rollup rule
-- (gisioc_record_unit_weight), per 1,000 residents (the indicators' `population` for the
-- period's last day: its year or up to five before); no population value: per_1000 is NULL
-- ("no data"). Of them, open ones and those overdue today.
CREATE VIEW gisioc_feedback_unit_stats AS
WITH u AS (
  SELECT id, code, name, geom, version, approximate FROM gisioc_units
  WHERE in_force AND level = 'commune'
)
SELECT u.id, p.label AS period, u.code, u.name, u.geom, u.id AS unit_id, u.version,
       u.approximate,
       round(coalesce(s.reports, 0))::int AS reports,
       round(coalesce(s.open, 0))::int AS open,
       round(coalesce(s.overdue, 0))::int AS overdue,
       round(w.population)::int AS population,
       CASE WHEN w.population > 0
            THEN round((1000 * coalesce(s.reports, 0) / w.population)::numeric, 2)::float8
       END AS per_1000
FROM gisioc_periods p CROSS JOIN u
LEFT JOIN LATERAL (
  SELECT sum(k.w) AS reports,
         sum(k.w) FILTER (WHERE k.open) AS open,
         sum(k.w) FILTER (WHERE k.open AND r.due_on < gisioc_today()) AS overdue
  FROM gisioc_unit_rollup m JOIN feedback_report r ON r.unit_id = m.from_id,
  LATERAL (
    SELECT gisioc_record_unit_weight(m.share, r.locate_method, m.from_id, r.geom, m.unit_id) AS w,
           r.status IN ('received', 'verified', 'assigned', 'in_progress') AS open
  ) k
  WHERE m.unit_id = u.id AND r.received_at >= p.start_at AND r.received_at < p.end_at
    AND r.status NOT IN ('rejected', 'merged')
) s ON true
CROSS JOIN LATERAL (
  SELECT gisioc_indicator_weight('population', u.id, gisioc_feedback_period_day(p.end_at))
    AS population
  OFFSET 0
) w;

-- Each agency with its open reports and those overdue (due before today in Vietnam: the layer
-- puts the day in its data version). An agency out of service today leaves the layer unless
-- it still holds open reports: those must be seen, not hidden with their agency.
CREATE VIEW gisioc_feedback_agency_stats AS
SELECT f.id, f.code, f.name, f.subtype, f.geom, f.unit_id,
       coalesce(s.open, 0)::int AS open_reports,
       coalesce(s.overdue, 0)::int AS overdue_reports,
       CASE WHEN s.open > 0 THEN round(100.0 * s.overdue / s.open, 1)::float8 END AS overdue_pct
FROM geo_facility f
LEFT JOIN (
  SELECT r.agency_id, count(*) AS open,
         count(*) FILTER (WHERE r.due_on < gisioc_today()) AS overdue
  FROM feedback_report r
  WHERE r.status IN ('received', 'verified', 'assigned', 'in_progress')
  GROUP BY r.agency_id
) s ON s.agency_id = f.id
WHERE f.kind = 'agency' AND f.geom IS NOT NULL
  AND (gisioc_facility_in_service(f.active, f.closed_on, gisioc_today())
       OR (f.active AND s.open > 0));
