"""The view the on-time choropleth reads: communes in force with their applicants' dossiers."""

from django.db import migrations

VIEW = """
CREATE VIEW gisioc_dossier_unit_stats AS
WITH u AS (
  SELECT id, code, name, geom, version, approximate FROM gisioc_units
  WHERE in_force AND level = 'commune'
),
-- Every unit a dossier may sit in → the commune in force it counts towards, with a weight.
m AS (
  SELECT id AS from_id, id AS unit_id, 1.0::float8 AS w FROM u
  UNION ALL
  SELECT c.old_unit_id, c.new_unit_id, c.area_share_of_old FROM geo_unitcrosswalk c
  JOIN u ON u.id = c.new_unit_id
),
s AS (
  SELECT m.unit_id,
         sum(m.w) AS received,
         sum(m.w) FILTER (WHERE d.finished_at IS NOT NULL) AS finished,
         sum(m.w) FILTER (WHERE d.finished_at IS NOT NULL
                            AND (d.due_at IS NULL OR d.finished_at <= d.due_at)) AS on_time,
         sum(m.w) FILTER (WHERE d.finished_at > d.due_at) AS late,
         sum(m.w) FILTER (WHERE d.channel = 'truc_tuyen') AS online
  FROM public_services_dossier d JOIN m ON m.from_id = d.unit_id
  GROUP BY m.unit_id
)
SELECT u.id, u.code, u.name, u.geom, u.id AS unit_id, u.version, u.approximate,
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
FROM u LEFT JOIN s ON s.unit_id = u.id;
"""

DROP = "DROP VIEW IF EXISTS gisioc_dossier_unit_stats;"


class Migration(migrations.Migration):
    dependencies = [("public_services", "0001_initial"), ("geo", "0006_units_view_change")]
    operations = [migrations.RunSQL(VIEW, DROP)]
