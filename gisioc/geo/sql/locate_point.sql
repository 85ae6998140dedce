-- The commune containing p in the published version in force on d; when several published
-- versions cover the point (a district demo and a national file), the latest published wins.
CREATE OR REPLACE FUNCTION gisioc_locate_point(p geometry, d date) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT u.id FROM geo_adminunit u JOIN geo_boundaryversion v ON v.id = u.version_id
  WHERE v.status = 'published' AND v.valid_from <= d AND (v.valid_to IS NULL OR v.valid_to >= d)
    AND u.level = 'commune' AND u.geom && p AND ST_Intersects(u.geom, p)
  ORDER BY v.published_at DESC, u.id LIMIT 1
$$;
