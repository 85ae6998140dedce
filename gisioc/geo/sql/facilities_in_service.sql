-- The facilities in service today (Vietnam), for the maps of today.
CREATE VIEW gisioc_facilities_in_service AS
SELECT f.id, f.code, f.name, f.kind, f.subtype, f.geom, f.unit_id
FROM geo_facility f
WHERE gisioc_facility_in_service(f.active, f.closed_on, gisioc_today());
