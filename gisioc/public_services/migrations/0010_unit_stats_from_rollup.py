"""The per-commune on-time view (gisioc/public_services/sql/dossier_unit_stats.sql) now sums
the daily dossier rollup (0009) instead of the dossiers. Views are made from the files after
every migrate (gisioc.sqlviews), so forward drops the old one; back, the view that scanned the
dossiers (OLD, also the reference tests compare with) is made again, so that 0009's reversal
can drop the rollup's tables."""

from django.db import migrations

DROP = "DROP VIEW IF EXISTS gisioc_dossier_unit_stats;"

OLD = """
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
  SELECT sum(k.w) FILTER (WHERE k.r) AS received,
         sum(k.w) FILTER (WHERE k.f) AS finished,
         sum(k.w) FILTER (WHERE k.f AND gisioc_dossier_on_time(d.finished_at, d.due_at))
           AS on_time,
         sum(k.w) FILTER (WHERE k.f AND gisioc_dossier_late(d.finished_at, d.due_at)) AS late,
         sum(k.w) FILTER (WHERE k.r AND d.channel = 'truc_tuyen') AS online
  FROM gisioc_unit_rollup m JOIN public_services_dossier d ON d.unit_id = m.from_id,
  LATERAL (
    SELECT d.received_at >= p.start_at AND d.received_at < p.end_at AS r,
           coalesce(d.finished_at >= p.start_at AND d.finished_at < p.end_at, false) AS f,
           gisioc_record_unit_weight(m.share, d.locate_method, m.from_id, d.geom, m.unit_id)
             AS w
  ) k
  WHERE m.unit_id = u.id AND (k.r OR k.f)
) s ON true;
"""


class Migration(migrations.Migration):
    dependencies = [("public_services", "0009_dossier_rollup")]
    operations = [migrations.RunSQL(DROP, DROP + OLD)]
