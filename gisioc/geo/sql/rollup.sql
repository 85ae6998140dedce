-- The one rollup rule from old units to new ones (gisioc/geo/rollup.py calls it from Python).
--
-- Every unit counts for itself, and a unit the reform replaced counts for each successor the
-- crosswalk names, with the share of its area inside it (1 for a whole merger).
CREATE VIEW gisioc_unit_rollup AS
SELECT u.id AS from_id, u.id AS unit_id, 1.0::float8 AS share FROM geo_adminunit u
UNION ALL
SELECT c.old_unit_id, c.new_unit_id, c.area_share_of_old FROM geo_unitcrosswalk c;

-- The successor of a split unit whose area holds the point (the lowest id on a shared
-- border), or NULL when none does.
CREATE OR REPLACE FUNCTION gisioc_point_successor(old_unit bigint, p geometry) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
  SELECT c.new_unit_id FROM geo_unitcrosswalk c JOIN geo_adminunit n ON n.id = c.new_unit_id
  WHERE c.old_unit_id = old_unit AND n.geom && p AND ST_Intersects(n.geom, p)
  ORDER BY c.new_unit_id LIMIT 1
);

-- What a record located in `from_unit` (by `method`, at point p) counts for in `to_unit`,
-- given the rollup row's share: a whole merger passes it whole; of a split unit, a record
-- placed by a point or a facility goes wholly to the successor holding its point, and a
-- record known only by its address (or whose point lies in no successor) is apportioned by
-- the share.
CREATE OR REPLACE FUNCTION gisioc_record_unit_weight(
  share float8, method text, from_unit bigint, p geometry, to_unit bigint
) RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
  WHEN share >= 1 OR method NOT IN ('point', 'facility') OR p IS NULL THEN share
  ELSE coalesce((gisioc_point_successor(from_unit, p) = to_unit)::int::float8, share)
END;

-- What a record counts for in a set of units (at most 1): the sum over their rollup rows.
CREATE OR REPLACE FUNCTION gisioc_record_weight(
  unit bigint, method text, p geometry, targets bigint[]
) RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
  SELECT least(1.0, coalesce(sum(
    gisioc_record_unit_weight(r.share, method, r.from_id, p, r.unit_id)), 0.0))::float8
  FROM gisioc_unit_rollup r WHERE r.from_id = unit AND r.unit_id = ANY(targets)
);
