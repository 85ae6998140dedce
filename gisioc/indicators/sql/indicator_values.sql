-- Indicator values as they are read: a unit's own value, or one converted from the units it
-- replaced (the one rollup rule: gisioc_unit_rollup's shares), or a version's whole area
-- summed from its communes. Python reads these functions (gisioc/indicators/selectors.py),
-- and so does the map's view, so the conversion is written once.

-- The first day of a period label: 2025, 2025-Q3, 2025-07, 2025-07-15, 2024-2025.
CREATE OR REPLACE FUNCTION gisioc_period_start(label text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN length(label) = 4 THEN make_date(label::int, 1, 1)
  WHEN length(label) = 7 AND substr(label, 6, 1) = 'Q'
    THEN make_date(left(label, 4)::int, 3 * substr(label, 7, 1)::int - 2, 1)
  WHEN length(label) = 7 THEN (label || '-01')::date
  WHEN length(label) = 9 THEN make_date(left(label, 4)::int, 9, 1)
  WHEN length(label) = 10 THEN label::date
END;

-- The last day of a period label.
CREATE OR REPLACE FUNCTION gisioc_period_end(label text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN length(label) = 4 THEN make_date(label::int, 12, 31)
  WHEN length(label) = 7 AND substr(label, 6, 1) = 'Q'
    THEN (gisioc_period_start(label) + interval '3 months' - interval '1 day')::date
  WHEN length(label) = 7 THEN (gisioc_period_start(label) + interval '1 month' - interval '1 day')::date
  WHEN length(label) = 9 THEN make_date(right(label, 4)::int, 5, 31)
  WHEN length(label) = 10 THEN label::date
END;

-- A unit's own value (reported before estimated, then the latest written).
CREATE OR REPLACE FUNCTION gisioc_indicator_own(
  p_indicator text, p_unit bigint, p_period text, p_kind text
) RETURNS TABLE (value float8, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT v.value, v.status FROM indicators_indicatorvalue v
  WHERE v.unit_id = p_unit AND v.indicator = p_indicator AND v.kind = p_kind
    AND v.period = p_period
  ORDER BY v.status = 'reported' DESC, v.id DESC LIMIT 1;
END;

-- A count's value for a unit: its own, or the sum of its predecessors' values, each times
-- the share of it the unit took over (only when every predecessor has one).
CREATE OR REPLACE FUNCTION gisioc_indicator_count(
  p_indicator text, p_unit bigint, p_period text, p_kind text
) RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT coalesce(
    (SELECT o.value FROM gisioc_indicator_own(p_indicator, p_unit, p_period, p_kind) o),
    (SELECT CASE WHEN count(*) > 0 AND count(o.value) = count(*) THEN sum(o.value * r.share) END
     FROM gisioc_unit_rollup r
     LEFT JOIN LATERAL gisioc_indicator_own(p_indicator, r.from_id, p_period, p_kind) o ON true
     WHERE r.unit_id = p_unit AND r.from_id <> p_unit)
  );
END;

-- The weight (population) of a unit at a day: its value for that year, else the nearest
-- earlier year within five, else the next year.
CREATE OR REPLACE FUNCTION gisioc_indicator_weight(p_weight text, p_unit bigint, p_day date)
RETURNS float8
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT w FROM (
    SELECT gisioc_indicator_count(p_weight, p_unit, (extract(year FROM p_day)::int + y)::text,
                                  'actual') AS w, abs(y) AS far
    FROM unnest(ARRAY[0, -1, -2, -3, -4, -5, 1]) AS y
  ) t WHERE w IS NOT NULL ORDER BY far LIMIT 1;
END;

-- A unit's value of an indicator in a period: its own (reported, estimated or sent as
-- converted); or converted from the units it replaced, when every one of them has a value:
-- counts summed with the share of each the unit took over, means and rates weighted by their
-- weight (population) times that share; a value that does not combine passes only from a
-- unit taken over whole and alone.
CREATE OR REPLACE FUNCTION gisioc_indicator_unit_value(
  p_indicator text, p_unit bigint, p_period text, p_kind text
) RETURNS TABLE (value float8, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT o.value, o.status FROM gisioc_indicator_own(p_indicator, p_unit, p_period, p_kind) o
  UNION ALL
  (SELECT c.value, 'converted' FROM (
     SELECT CASE i.combine
              WHEN 'sum' THEN sum(o.value * r.share)
              WHEN 'none' THEN CASE WHEN count(*) = 1 AND min(r.share) >= 0.999
                                     AND min(x.area_share_of_new) >= 0.999 THEN min(o.value) END
              ELSE sum(o.value * w.w * r.share) / nullif(sum(w.w * r.share), 0)
            END AS value,
            count(*) AS units, count(o.value) AS have,
            count(w.w) FILTER (WHERE i.combine IN ('mean', 'rate')) AS weighed,
            i.combine IN ('mean', 'rate') AS weighted
     FROM indicators_indicator i
     JOIN gisioc_unit_rollup r ON r.unit_id = p_unit AND r.from_id <> p_unit
     JOIN geo_unitcrosswalk x ON x.old_unit_id = r.from_id AND x.new_unit_id = r.unit_id
     LEFT JOIN LATERAL gisioc_indicator_own(p_indicator, r.from_id, p_period, p_kind) o ON true
     LEFT JOIN indicators_indicator wi ON wi.id = i.weight_id
     CROSS JOIN LATERAL (
       SELECT CASE WHEN i.combine IN ('mean', 'rate')
                   THEN gisioc_indicator_weight(wi.code, r.from_id, gisioc_period_start(p_period))
              END AS w
       OFFSET 0
     ) w
     WHERE i.code = p_indicator
     GROUP BY i.combine
   ) c
   WHERE c.units > 0 AND c.have = c.units AND (NOT c.weighted OR c.weighed = c.units)
     AND c.value IS NOT NULL)
  LIMIT 1;
END;

-- A version's whole area: a value sent for it, or its communes' values combined (all of them
-- needed): summed, or weighted by their weight; 'converted' when one of them was.
-- The weight is asked for in a CASE, not in a WHERE of its LATERAL subquery: the planner makes
-- that WHERE a join filter, checked after the weight was computed for every commune (3,321
-- national communes: 1.15 s for a summed indicator that needs no weight). OFFSET 0 keeps the
-- subquery whole, so the weight is computed once per commune, not once per use.
CREATE OR REPLACE FUNCTION gisioc_indicator_whole_value(
  p_indicator text, p_version bigint, p_period text, p_kind text
) RETURNS TABLE (value float8, status text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  (SELECT v.value, v.status FROM indicators_indicatorvalue v
   WHERE v.version_id = p_version AND v.whole AND v.indicator = p_indicator
     AND v.kind = p_kind AND v.period = p_period
   ORDER BY v.status = 'reported' DESC, v.id DESC LIMIT 1)
  UNION ALL
  (SELECT c.value, c.status FROM (
     SELECT CASE i.combine
              WHEN 'sum' THEN sum(uv.value)
              WHEN 'none' THEN NULL
              ELSE sum(uv.value * w.w) / nullif(sum(w.w), 0)
            END AS value,
            CASE WHEN bool_or(uv.status = 'converted') THEN 'converted'
                 WHEN bool_or(uv.status = 'estimated') THEN 'estimated'
                 ELSE 'reported' END AS status,
            count(*) AS units, count(uv.value) AS have,
            count(w.w) AS weighed, i.combine IN ('mean', 'rate') AS weighted
     FROM indicators_indicator i
     JOIN geo_adminunit u ON u.version_id = p_version AND u.level = 'commune'
     LEFT JOIN LATERAL gisioc_indicator_unit_value(p_indicator, u.id, p_period, p_kind) uv
       ON true
     LEFT JOIN indicators_indicator wi ON wi.id = i.weight_id
     CROSS JOIN LATERAL (
       SELECT CASE WHEN i.combine IN ('mean', 'rate')
                   THEN gisioc_indicator_weight(wi.code, u.id, gisioc_period_start(p_period))
              END AS w
       OFFSET 0
     ) w
     WHERE i.code = p_indicator
     GROUP BY i.combine
   ) c
   WHERE c.units > 0 AND c.have = c.units AND (NOT c.weighted OR c.weighed = c.units)
     AND c.value IS NOT NULL)
  LIMIT 1;
END;

-- How a value stands against its target: the share of the target achieved (the other way
-- round when lower is better), and 'on_track' (met), 'at_risk' (not yet met, period not
-- over) or 'missed' (not met, period over).
CREATE OR REPLACE FUNCTION gisioc_indicator_achieved(
  value float8, target float8, higher_is_better boolean
) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN value IS NULL OR target IS NULL THEN NULL
  WHEN higher_is_better IS FALSE THEN
    CASE WHEN value > 0 THEN round((100 * target / value)::numeric, 1)::float8
         WHEN target >= 0 THEN 100.0 END
  WHEN target > 0 THEN round((100 * value / target)::numeric, 1)::float8
END;

CREATE OR REPLACE FUNCTION gisioc_indicator_standing(achieved float8, period_end date)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
  WHEN achieved IS NULL THEN NULL
  WHEN achieved >= 100 THEN 'on_track'
  WHEN period_end >= gisioc_today() THEN 'at_risk'
  ELSE 'missed'
END;
