-- Communes in force × periods: visits by their residents (the commune of residence, its
-- former communes rolled up by the crosswalk's shares: a resident known by a split commune's
-- code is apportioned, as records known only by an address are) per 1,000 residents (the
-- indicators' `population` for the period's last day: its year or up to five before). No
-- population value: per_1000 is NULL ("no data"), never a made-up denominator. Counts of 1–4
-- are held back (NULL, `suppressed`), and so is the rate from them.
CREATE VIEW gisioc_health_residence_stats AS
SELECT u.id, p.label AS period, u.code, u.name, u.geom, u.id AS unit_id, u.version,
       u.approximate,
       gisioc_health_count(s.visits) AS visits,
       gisioc_health_count(s.inpatient) AS inpatient,
       round(w.population)::int AS population,
       CASE WHEN w.population > 0 AND NOT gisioc_health_small(s.visits)
            THEN round((1000 * coalesce(s.visits, 0) / w.population)::numeric, 2)::float8
       END AS per_1000,
       gisioc_health_small(s.visits) AS suppressed
FROM gisioc_periods p
CROSS JOIN (SELECT id, code, name, geom, version, approximate FROM gisioc_units
            WHERE in_force AND level = 'commune') u
LEFT JOIN LATERAL (
  SELECT sum(r.share) AS visits,
         sum(r.share) FILTER (WHERE e.care IN ('inpatient', 'day_patient')) AS inpatient
  FROM gisioc_unit_rollup r JOIN health_encounter e ON e.residence_id = r.from_id
  WHERE r.unit_id = u.id AND e.admitted_at >= p.start_at AND e.admitted_at < p.end_at
) s ON true
CROSS JOIN LATERAL (
  SELECT gisioc_indicator_weight('population', u.id, gisioc_health_period_day(p.end_at))
    AS population
  OFFSET 0
) w;

-- A health facility's catchment: communes in force × facilities × periods, the visits to
-- the facility by residents of each commune (rolled up as above) and their share of the
-- facility's visits by residents of the communes in force. Read filtered on `facility_id`
-- (and `period`): the share's window holds one facility and period. Counts of 1–4 held back.
CREATE VIEW gisioc_health_catchment AS
SELECT c.id, c.facility_id, c.facility_code, c.period, c.code, c.name, c.geom, c.unit_id,
       c.version, c.approximate,
       gisioc_health_count(c.visits) AS visits,
       gisioc_health_pct(c.visits, sum(c.visits) OVER (PARTITION BY c.facility_id, c.period))
         AS share_pct,
       gisioc_health_small(c.visits) AS suppressed
FROM (
  SELECT u.id, f.id AS facility_id, f.code AS facility_code, p.label AS period, u.code, u.name,
         u.geom, u.id AS unit_id, u.version, u.approximate, coalesce(s.visits, 0) AS visits
  FROM gisioc_periods p
  CROSS JOIN geo_facility f
  CROSS JOIN (SELECT id, code, name, geom, version, approximate FROM gisioc_units
              WHERE in_force AND level = 'commune') u
  LEFT JOIN LATERAL (
    SELECT sum(r.share) AS visits
    FROM gisioc_unit_rollup r JOIN health_encounter e ON e.residence_id = r.from_id
    WHERE r.unit_id = u.id AND e.admitted_at >= p.start_at AND e.admitted_at < p.end_at
      AND e.facility_id = f.id
  ) s ON true
  WHERE f.kind = 'health'
) c;
