-- Open dossiers overdue as of the start of today in Vietnam, at their office: the layer's
-- tiles are keyed by the day.
CREATE VIEW gisioc_dossier_overdue AS
SELECT d.id, d.geom, d.unit_id, d.dossier_code, d.procedure_code, d.procedure_name, d.field,
       f.code AS office_code, f.name AS office_name, d.status,
       (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS received_on,
       (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS due_on,
       gisioc_today() - (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS days_overdue
FROM public_services_dossier d LEFT JOIN geo_facility f ON f.id = d.office_id
WHERE d.finished_at IS NULL AND d.status <> 'cancelled'
  AND d.due_at < gisioc_today()::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh';
