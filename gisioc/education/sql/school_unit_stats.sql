-- Communes in force × school years ('' is the latest on record): the pupils, classes and
-- teachers of the schools in each commune and its former communes (the one rollup rule:
-- gisioc_record_unit_weight), and the enrolment: pupils of the commune's schools against its
-- school-age population (indicator school_age_population, aged 3–17) of the year the school
-- year starts, its own value or its predecessors' summed (gisioc_indicator_count). No value
-- there, no enrolment: a denominator is never guessed. Upper-secondary schools serve several
-- communes, so the commune holding one reads high and its neighbours low.
CREATE VIEW gisioc_school_unit_stats AS
WITH u AS (
  SELECT id, code, name, geom, version, approximate FROM gisioc_units
  WHERE in_force AND level = 'commune'
),
y AS (
  SELECT DISTINCT school_year, year_start FROM education_schoolyear
  UNION ALL
  SELECT '', max(year_start) FROM education_schoolyear HAVING count(*) > 0
)
SELECT u.id, y.school_year, u.code, u.name, u.geom, u.id AS unit_id, u.version, u.approximate,
       round(coalesce(s.schools, 0))::int AS schools,
       round(coalesce(s.pupils, 0))::int AS pupils,
       round(coalesce(s.classes, 0))::int AS classes,
       round(coalesce(s.teachers, 0))::int AS teachers,
       CASE WHEN s.teachers > 0 THEN round((s.with_teachers / s.teachers)::numeric, 1)::float8
         END AS pupils_per_teacher,
       CASE WHEN s.classes > 0 THEN round((s.with_classes / s.classes)::numeric, 1)::float8
         END AS pupils_per_class,
       round(a.school_age)::int AS school_age,
       CASE WHEN a.school_age > 0
            THEN round((100 * coalesce(s.pupils, 0) / a.school_age)::numeric, 1)::float8 END
         AS enrolment_pct
FROM y CROSS JOIN u
LEFT JOIN LATERAL (
  SELECT sum(k.w) AS schools, sum(k.w * e.pupils) AS pupils,
         sum(k.w * e.classes) AS classes, sum(k.w * e.teachers) AS teachers,
         sum(k.w * e.pupils) FILTER (WHERE e.teachers IS NOT NULL) AS with_teachers,
         sum(k.w * e.pupils) FILTER (WHERE e.classes IS NOT NULL) AS with_classes
  FROM gisioc_unit_rollup m JOIN education_schoolyear e ON e.unit_id = m.from_id,
  LATERAL (
    SELECT gisioc_record_unit_weight(m.share, e.locate_method, m.from_id, e.geom, m.unit_id) AS w
  ) k
  WHERE m.unit_id = u.id AND e.year_start = y.year_start
) s ON true
CROSS JOIN LATERAL (
  SELECT gisioc_indicator_count(
    'school_age_population', u.id,
    extract(year FROM y.year_start AT TIME ZONE 'Asia/Ho_Chi_Minh')::int::text, 'actual'
  ) AS school_age
) a;
