-- Communes in force × periods (the on-time choropleth). The period's row of gisioc_periods is
-- found first (the filter on `period` reaches it), then each commune sums the daily dossier
-- rollup (gisioc/public_services/rollup.py: counts per unit × successor × Vietnam day, kept
-- by triggers in the statement that writes the dossiers) of itself and its former units on
-- the period's days (periods are Vietnam days), each row weighted as its dossiers are by the
-- rollup rule (gisioc_record_unit_weight: the row keeps the successor holding the point of a
-- split commune's dossier placed by a point). On time = finished − late (early included).
CREATE VIEW gisioc_dossier_unit_stats AS
WITH u AS (
  SELECT id, code, name, geom, version, approximate FROM gisioc_units
  WHERE in_force AND level = 'commune'
)
SELECT u.id, p.label AS period, u.code, u.name, u.geom, u.id AS unit_id, u.version,
       u.approximate,
       round(coalesce(s.received, 0))::int AS received,
       round(coalesce(s.finished, 0))::int AS finished,
       round(coalesce(s.on_time, 0))::int AS on_time,
       round(coalesce(s.late, 0))::int AS late,
       round(coalesce(s.online, 0))::int AS online,
       CASE WHEN s.finished > 0
            THEN round((100 * coalesce(s.on_time, 0) / s.finished)::numeric, 1)::float8 END
         AS on_time_pct,
       CASE WHEN s.received > 0
            THEN round((100 * coalesce(s.online, 0) / s.received)::numeric, 1)::float8 END
         AS online_pct
FROM gisioc_periods p CROSS JOIN u
LEFT JOIN LATERAL (
  SELECT sum(k.w * x.received) AS received,
         sum(k.w * x.finished) AS finished,
         sum(k.w * (x.finished - x.late)) AS on_time,
         sum(k.w * x.late) AS late,
         sum(k.w * x.online) AS online
  FROM gisioc_unit_rollup m JOIN gisioc_dossier_rollup x ON x.unit_id = m.from_id,
  LATERAL (
    SELECT CASE WHEN m.share >= 1 OR x.succ IS NULL THEN m.share
                ELSE (x.succ = m.unit_id)::int::float8 END AS w
  ) k
  WHERE m.unit_id = u.id
    AND x.day >= (p.start_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
    AND x.day < (p.end_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
) s ON true;
