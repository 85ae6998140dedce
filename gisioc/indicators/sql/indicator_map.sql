-- The indicator choropleth: communes of every version × indicators × periods, with the value
-- (own or converted), its target and achievement, per capita, the change from a base period
-- and, for daily figures, the mean of the 7 days ending on the day. Filters reach the keys:
-- `indicator`, `period_key` ('' = the latest period with values), `base` ('' = no
-- comparison) and `version_key` ('' = the versions in force), so a
-- tile computes one indicator, one period and one version's units.
--
-- Written for the planner (bench/indicators.py: 3,321 communes; a z5–z8 tile took 2.5–3.3 s
-- before, now about what the commune polygons alone take):
-- * no WITH: a view holding CTEs is never merged into the query that reads it, so a tile's
--   bounding box was checked after every commune's values had been computed;
-- * few FROM items, so the merge stays within from_collapse_limit (8);
-- * the keys first: the base is LATERAL to the keys, the communes LATERAL to the base
--   (`b.base IS NOT NULL`, always true), so the keys are computed once, not again for each
--   commune of a tile (the planner cannot tell how few communes a tile's box keeps);
-- * the per-commune work in one LATERAL subquery kept whole by OFFSET 0, where the weight is
--   computed only for an indicator with a per-capita map and the base value only when a base
--   is asked (a WHERE in a pulled-up LATERAL subquery is a join filter, checked after it).
CREATE VIEW gisioc_indicator_map AS
SELECT u.id, u.id AS unit_id, u.code, u.name, u.geom, u.version, u.version_key, u.approximate,
       k.indicator, k.period_key, k.period, b.base,
       x.value, x.status, x.status = 'converted' AS converted,
       CASE WHEN i.per_capita IS NOT NULL AND x.w > 0
            THEN round((x.value * i.per_capita / x.w)::numeric, 2)::float8 END AS per_capita,
       x.base_value,
       x.value - x.base_value AS change,
       CASE WHEN x.base_value <> 0
            THEN round((100 * (x.value - x.base_value) / abs(x.base_value))::numeric, 1)::float8
       END AS change_pct,
       round(x.avg7::numeric, 2)::float8 AS avg7,
       CASE WHEN i.per_capita IS NOT NULL AND x.w > 0
            THEN round((x.avg7 * i.per_capita / x.w)::numeric, 2)::float8 END AS avg7_per_capita,
       x.target,
       gisioc_indicator_achieved(x.value, x.target, i.higher_is_better) AS achieved,
       gisioc_indicator_standing(
         gisioc_indicator_achieved(x.value, x.target, i.higher_is_better),
         gisioc_period_end(k.period)) AS standing
FROM (
  SELECT d.indicator, d.period AS period_key, d.period FROM (
    SELECT DISTINCT v.indicator, v.period FROM indicators_indicatorvalue v
    WHERE v.kind = 'actual'
  ) d
  UNION ALL
  SELECT i.code, '', l.period FROM indicators_indicator i
  CROSS JOIN LATERAL (
    SELECT v.period FROM indicators_indicatorvalue v
    WHERE v.indicator = i.code AND v.kind = 'actual'
    ORDER BY v.period_end DESC, v.period DESC LIMIT 1
  ) l
) k
JOIN indicators_indicator i ON i.code = k.indicator
CROSS JOIN LATERAL (
  SELECT d.period AS base FROM (
    SELECT DISTINCT v.period FROM indicators_indicatorvalue v
    WHERE v.indicator = k.indicator AND v.kind = 'actual'
  ) d
  UNION ALL
  SELECT ''
) b
CROSS JOIN LATERAL (
  SELECT u.id, u.code, u.name, u.geom, u.version, u.approximate, ''::varchar AS version_key
  FROM gisioc_units u WHERE u.level = 'commune' AND u.in_force AND b.base IS NOT NULL
  UNION ALL
  SELECT u.id, u.code, u.name, u.geom, u.version, u.approximate, u.version
  FROM gisioc_units u WHERE u.level = 'commune' AND b.base IS NOT NULL
) u
CROSS JOIN LATERAL (
  SELECT a.value, a.status, t.value AS target, bv.value AS base_value,
         CASE WHEN i.per_capita IS NOT NULL
              THEN gisioc_indicator_weight('population', u.id, gisioc_period_start(k.period))
         END AS w,
         CASE WHEN length(k.period) = 10 THEN (  -- a day: the mean of the 7 ending on it
           SELECT CASE WHEN count(d.value) = 7 THEN avg(d.value) END
           FROM generate_series(0, 6) AS back (days)
           CROSS JOIN LATERAL gisioc_indicator_unit_value(
             k.indicator, u.id, to_char(gisioc_period_start(k.period) - back.days, 'YYYY-MM-DD'),
             'actual') d
         ) END AS avg7
  FROM (SELECT) one
  LEFT JOIN LATERAL gisioc_indicator_unit_value(k.indicator, u.id, k.period, 'actual') a ON true
  LEFT JOIN LATERAL gisioc_indicator_unit_value(k.indicator, u.id, k.period, 'target') t ON true
  LEFT JOIN LATERAL (
    SELECT v.value FROM gisioc_indicator_unit_value(k.indicator, u.id, b.base, 'actual') v
    WHERE b.base <> '' OFFSET 0
  ) bv ON true
  OFFSET 0
) x;
