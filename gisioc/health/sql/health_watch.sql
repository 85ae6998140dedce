-- The notifiable-disease watch: cases by commune of residence (in force; former communes
-- rolled up by the crosswalk's shares) × ISO week (Monday to Sunday, Vietnam days) × disease,
-- with the mean of the 4 previous weeks and a threshold flag: cases ≥ 2 × that mean and ≥ 3
-- cases, or a first case of measles or cholera (none in the 4 previous weeks).
-- Exact counts: the API holds small ones back from the public; the map is staff-only.

-- The disease an ICD-10 code (normalised: 'B08.4') is watched as, NULL when none.
CREATE OR REPLACE FUNCTION gisioc_health_disease(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN left(code, 3) IN ('A90', 'A91') THEN 'dengue'
  WHEN code LIKE 'B08.4%' THEN 'hfmd'
  WHEN left(code, 3) = 'B05' THEN 'measles'
  WHEN left(code, 3) IN ('J09', 'J10', 'J11') THEN 'influenza'
  WHEN left(code, 3) = 'A00' THEN 'cholera'
  WHEN left(code, 3) = 'A09' THEN 'diarrhoea'
END;

-- ISO weeks from 2015 to a year ahead, keyed by their label ('2026-W40'), and '' for the
-- latest complete week (the one before today's): a view filtered on `week_key` computes
-- one week.
CREATE VIEW gisioc_health_weeks AS
SELECT to_char(d, 'IYYY-"W"IW') AS week_key, to_char(d, 'IYYY-"W"IW') AS week, d::date AS monday,
       d::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS start_at,
       (d + interval '7 days')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS end_at
FROM generate_series(date '2014-12-29', date_trunc('week', gisioc_today())::date + 371,
                     interval '7 days') d
UNION ALL
SELECT '', to_char(d, 'IYYY-"W"IW'), d::date, d::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
       (d + interval '7 days')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
FROM (SELECT date_trunc('week', gisioc_today())::date - 7 AS d) l;

-- Whether a week's cases raise the flag: at least 3 and at least twice the mean of the 4
-- previous weeks (`previous`: their sum), or a first case of measles or cholera.
CREATE OR REPLACE FUNCTION gisioc_health_flag(disease text, cases float8, previous float8)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (round(coalesce(cases, 0)) >= 3 AND coalesce(cases, 0) >= 2 * coalesce(previous, 0) / 4)
       OR (disease IN ('measles', 'cholera') AND round(coalesce(cases, 0)) >= 1
           AND round(coalesce(previous, 0)) = 0);

CREATE VIEW gisioc_health_watch AS
SELECT u.id * 8 + d.n AS id, w.week_key, w.week, w.monday, u.id AS unit_id, u.code, u.name,
       d.disease,
       round(coalesce(c.cases, 0))::int AS cases,
       round(coalesce(c.previous, 0))::int AS previous,
       round((coalesce(c.previous, 0) / 4)::numeric, 2)::float8 AS previous_mean,
       gisioc_health_flag(d.disease, c.cases, c.previous) AS flagged
FROM gisioc_health_weeks w
CROSS JOIN (SELECT id, code, name FROM gisioc_units WHERE in_force AND level = 'commune') u
CROSS JOIN (VALUES (1, 'dengue'), (2, 'hfmd'), (3, 'measles'), (4, 'influenza'),
                   (5, 'cholera'), (6, 'diarrhoea')) d (n, disease)
LEFT JOIN LATERAL (
  SELECT sum(r.share) FILTER (WHERE e.admitted_at >= w.start_at) AS cases,
         sum(r.share) FILTER (WHERE e.admitted_at < w.start_at) AS previous
  FROM gisioc_unit_rollup r JOIN health_encounter e ON e.residence_id = r.from_id
  WHERE r.unit_id = u.id AND gisioc_health_disease(e.diagnosis) = d.disease
    AND e.admitted_at >= w.start_at - interval '28 days' AND e.admitted_at < w.end_at
) c ON true;

-- The watch on the map: communes in force × weeks, every watched case and the diseases
-- flagged (staff only: exact counts). One scan of a commune's 5 weeks per tile feature.
CREATE VIEW gisioc_health_watch_map AS
SELECT u.id, w.week_key, w.week, u.code, u.name, u.geom, u.id AS unit_id, u.version,
       u.approximate, coalesce(x.cases, 0)::int AS cases, coalesce(x.flagged, false) AS flagged,
       coalesce(x.flagged_diseases, '') AS flagged_diseases,
       coalesce(x.dengue, 0)::int AS dengue, coalesce(x.hfmd, 0)::int AS hfmd,
       coalesce(x.measles, 0)::int AS measles, coalesce(x.influenza, 0)::int AS influenza,
       coalesce(x.cholera, 0)::int AS cholera, coalesce(x.diarrhoea, 0)::int AS diarrhoea
FROM gisioc_health_weeks w
CROSS JOIN (SELECT id, code, name, geom, version, approximate FROM gisioc_units
            WHERE in_force AND level = 'commune') u
CROSS JOIN LATERAL (
  SELECT sum(c.cases) AS cases,
         bool_or(gisioc_health_flag(c.disease, c.cases, c.previous)) AS flagged,
         string_agg(c.disease, ', ' ORDER BY c.disease)
           FILTER (WHERE gisioc_health_flag(c.disease, c.cases, c.previous)) AS flagged_diseases,
         sum(c.cases) FILTER (WHERE c.disease = 'dengue') AS dengue,
         sum(c.cases) FILTER (WHERE c.disease = 'hfmd') AS hfmd,
         sum(c.cases) FILTER (WHERE c.disease = 'measles') AS measles,
         sum(c.cases) FILTER (WHERE c.disease = 'influenza') AS influenza,
         sum(c.cases) FILTER (WHERE c.disease = 'cholera') AS cholera,
         sum(c.cases) FILTER (WHERE c.disease = 'diarrhoea') AS diarrhoea
  FROM (
    SELECT gisioc_health_disease(e.diagnosis) AS disease,
           round(coalesce(sum(r.share) FILTER (WHERE e.admitted_at >= w.start_at), 0)) AS cases,
           round(coalesce(sum(r.share) FILTER (WHERE e.admitted_at < w.start_at), 0))
             AS previous
    FROM gisioc_unit_rollup r JOIN health_encounter e ON e.residence_id = r.from_id
    WHERE r.unit_id = u.id AND gisioc_health_disease(e.diagnosis) IS NOT NULL
      AND e.admitted_at >= w.start_at - interval '28 days' AND e.admitted_at < w.end_at
    GROUP BY 1
  ) c
) x;
