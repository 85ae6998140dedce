-- Units with their version's slug, status, whether it is in force today and the change flag.
CREATE VIEW gisioc_units AS
SELECT u.id, u.code, u.name, u.short_name, u.unit_type, u.level, u.area_km2, u.geom,
       u.id AS unit_id, v.slug AS version, v.status, v.approximate,
       (v.status = 'published' AND v.valid_from <= gisioc_today()
        AND (v.valid_to IS NULL OR v.valid_to >= gisioc_today())) AS in_force,
       u.change
FROM geo_adminunit u JOIN geo_boundaryversion v ON v.id = u.version_id;
