-- The indicator choropleth: communes of every version × indicators × periods, with the value
-- (own or converted), its target and achievement, per capita, and the change from a base
-- period. Filters reach the keys: `indicator`, `period_key` ('' = the latest period with
-- values), `base` ('' = no comparison) and `version_key` ('' = the versions in force), so a
-- tile computes one indicator, one period and one version's units.
CREATE VIEW gisioc_indicator_map AS
WITH keys AS (
  SELECT d.indicator, d.period AS period_key, d.period FROM (
    SELECT DISTINCT v.indicator, v.period FROM indicators_indicatorvalue v
    WHERE v.kind = 'actual'
  ) d
  UNION ALL
  SELECT l.indicator, '', l.period FROM (
    SELECT DISTINCT ON (v.indicator) v.indicator, v.period FROM indicators_indicatorvalue v
    WHERE v.kind = 'actual' ORDER BY v.indicator, v.period_end DESC, v.period DESC
  ) l
),
bases AS (
  SELECT b.indicator, b.period AS base FROM (
    SELECT DISTINCT v.indicator, v.period FROM indicators_indicatorvalue v
    WHERE v.kind = 'actual'
  ) b
  UNION ALL
  SELECT i.code, '' FROM indicators_indicator i
),
units AS (
  SELECT u.id, u.code, u.name, u.geom, u.version, u.approximate, k.version_key
  FROM gisioc_units u
  CROSS JOIN LATERAL unnest(
    CASE WHEN u.in_force THEN ARRAY['', u.version] ELSE ARRAY[u.version] END
  ) AS k (version_key)
  WHERE u.level = 'commune'
)
SELECT u.id, u.id AS unit_id, u.code, u.name, u.geom, u.version, u.version_key, u.approximate,
       k.indicator, k.period_key, k.period, b.base,
       x.value, x.status, x.status = 'converted' AS converted,
       CASE WHEN i.per_capita IS NOT NULL AND pop.w > 0
            THEN round((x.value * i.per_capita / pop.w)::numeric, 2)::float8 END AS per_capita,
       bv.value AS base_value,
       x.value - bv.value AS change,
       CASE WHEN bv.value <> 0
            THEN round((100 * (x.value - bv.value) / abs(bv.value))::numeric, 1)::float8 END
         AS change_pct,
       t.value AS target,
       gisioc_indicator_achieved(x.value, t.value, i.higher_is_better) AS achieved,
       gisioc_indicator_standing(
         gisioc_indicator_achieved(x.value, t.value, i.higher_is_better),
         gisioc_period_end(k.period)) AS standing
FROM keys k
JOIN indicators_indicator i ON i.code = k.indicator
JOIN bases b ON b.indicator = k.indicator
CROSS JOIN units u
LEFT JOIN LATERAL gisioc_indicator_unit_value(k.indicator, u.id, k.period, 'actual') x ON true
LEFT JOIN LATERAL gisioc_indicator_unit_value(k.indicator, u.id, k.period, 'target') t ON true
LEFT JOIN LATERAL (
  SELECT v.value FROM gisioc_indicator_unit_value(k.indicator, u.id, b.base, 'actual') v
  WHERE b.base <> ''
) bv ON true
LEFT JOIN LATERAL (
  SELECT gisioc_indicator_weight('population', u.id, gisioc_period_start(k.period)) AS w
  WHERE i.per_capita IS NOT NULL
) pop ON true;
