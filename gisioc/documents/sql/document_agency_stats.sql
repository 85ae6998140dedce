-- Each active agency with its open incoming documents and the overdue ones (due before today
-- in Vietnam, so the view answers differently tomorrow; the layer puts the day in its data
-- version). Agencies out of service today leave the layer unless they still hold open
-- documents: those must be seen, not hidden with their agency.
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
WHERE f.kind = 'agency' AND f.geom IS NOT NULL
  AND (gisioc_facility_in_service(f.active, f.closed_on, gisioc_today())
       OR (f.active AND s.open > 0));
