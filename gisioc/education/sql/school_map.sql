-- Each school's figures per school year, and once more as school year '' for the latest
-- school year on record (the schools layer's default). Pupils per class and per teacher are
-- the school's own; over_capacity was judged on ingest (gisioc/education/rules.py).
CREATE VIEW gisioc_school_map AS
WITH latest AS (SELECT max(year_start) AS year_start FROM education_schoolyear),
rows AS (
  SELECT s.*, s.school_year AS shown FROM education_schoolyear s
  UNION ALL
  SELECT s.*, '' AS shown FROM education_schoolyear s JOIN latest l USING (year_start)
)
SELECT r.id, r.id AS record_id, r.shown AS school_year, coalesce(f.code, r.school_code) AS code,
       coalesce(nullif(r.school_name, ''), f.name, r.school_code) AS name, r.level, r.ownership,
       r.geom, r.unit_id, r.pupils, r.classes, r.teachers, r.capacity,
       CASE WHEN r.classes > 0 THEN round(r.pupils::numeric / r.classes, 1)::float8 END
         AS pupils_per_class,
       CASE WHEN r.teachers > 0 THEN round(r.pupils::numeric / r.teachers, 1)::float8 END
         AS pupils_per_teacher,
       r.standard, r.over_capacity
FROM rows r LEFT JOIN geo_facility f ON f.id = r.school_id
WHERE r.geom IS NOT NULL;
