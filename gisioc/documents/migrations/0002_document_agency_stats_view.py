"""The view the agencies layer reads: each active agency with its open and overdue documents."""

from django.db import migrations

# Open: incoming, not completed, not withdrawn. Overdue: open and due before today in Vietnam,
# so the view answers differently tomorrow; the layer puts the day in its data version.
VIEW = """
CREATE VIEW gisioc_document_agency_stats AS
SELECT f.id, f.code, f.name, f.subtype, f.geom, f.unit_id,
       coalesce(s.open, 0)::int AS open_documents,
       coalesce(s.overdue, 0)::int AS overdue_documents,
       CASE WHEN s.open > 0 THEN round(100.0 * s.overdue / s.open, 1)::float8 END AS overdue_pct
FROM geo_facility f
LEFT JOIN (
  SELECT d.agency_id, count(*) AS open,
         count(*) FILTER (WHERE d.due_on < gisioc_today()) AS overdue
  FROM documents_document d
  WHERE d.direction = 'incoming' AND d.completed_at IS NULL AND d.status <> 'withdrawn'
  GROUP BY d.agency_id
) s ON s.agency_id = f.id
WHERE f.kind = 'agency' AND f.active AND f.geom IS NOT NULL;
"""

DROP = "DROP VIEW IF EXISTS gisioc_document_agency_stats;"


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("geo", "0002_locate_functions")]
    operations = [migrations.RunSQL(VIEW, DROP)]
