-- Communes in force with counts of their facilities in service today, by kind.
CREATE VIEW gisioc_unit_facility_counts AS
SELECT u.id, u.code, u.name, u.geom, u.id AS unit_id, u.version, u.approximate,
       count(f.id)::int AS facilities,
       count(f.id) FILTER (WHERE f.kind = 'school')::int AS schools,
       count(f.id) FILTER (WHERE f.kind = 'health')::int AS health,
       count(f.id) FILTER (WHERE f.kind = 'agency')::int AS agencies
FROM gisioc_units u
LEFT JOIN geo_facility f
  ON f.unit_id = u.id AND gisioc_facility_in_service(f.active, f.closed_on, gisioc_today())
WHERE u.in_force AND u.level = 'commune'
GROUP BY u.id, u.code, u.name, u.geom, u.version, u.approximate;
