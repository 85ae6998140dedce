-- Health facilities × periods × measures (the facilities layer: circles sized by visits,
-- coloured by the chosen measure). `value` is the measure's value as the public reads it
-- (small counts held back: gisioc_health_count/pct); `level` its quartile among the
-- district's facilities in the period (1 lowest … 4 highest), NULL when held back or none.
-- A facility shows on a period's map while it was in service at the period's start.
CREATE VIEW gisioc_health_facility_stats AS
SELECT x.id, x.period, x.measure, x.code, x.name, x.subtype, x.geom, x.unit_id,
       x.visits, x.value, x.suppressed,
       -- By rank, so equal values share a level (ntile would split ties by row order).
       CASE WHEN x.value IS NOT NULL
            THEN least(4, 1 + floor(4 * percent_rank() OVER (
                   PARTITION BY x.period, x.measure, x.value IS NULL ORDER BY x.value)))::int
       END AS level
FROM (
  SELECT f.id, p.label AS period, m.measure, f.code, f.name, f.subtype, f.geom, f.unit_id,
         gisioc_health_count(s.visits) AS visits,
         CASE m.measure
           WHEN 'visits' THEN gisioc_health_count(s.visits)::float8
           WHEN 'inpatient_share' THEN gisioc_health_pct(s.inpatient, s.visits)
           WHEN 'emergency' THEN gisioc_health_count(s.emergency)::float8
           WHEN 'referral_rate' THEN gisioc_health_pct(d.referrals, d.ended)
           WHEN 'insured_share' THEN gisioc_health_pct(s.insured, s.visits)
         END AS value,
         CASE m.measure
           WHEN 'visits' THEN gisioc_health_small(s.visits)
           WHEN 'inpatient_share' THEN gisioc_health_small(s.inpatient)
                                       OR gisioc_health_small(s.visits)
           WHEN 'emergency' THEN gisioc_health_small(s.emergency)
           WHEN 'referral_rate' THEN gisioc_health_small(d.referrals)
                                     OR gisioc_health_small(d.ended)
           WHEN 'insured_share' THEN gisioc_health_small(s.insured)
                                     OR gisioc_health_small(s.visits)
         END AS suppressed
  FROM gisioc_periods p
  CROSS JOIN (VALUES ('visits'), ('inpatient_share'), ('emergency'), ('referral_rate'),
                     ('insured_share')) m (measure)
  CROSS JOIN geo_facility f
  -- Two scans, each on its own index range: admitted in the period, ended in it.
  CROSS JOIN LATERAL (
    SELECT count(*) AS visits,
           count(*) FILTER (WHERE e.care IN ('inpatient', 'day_patient')) AS inpatient,
           count(*) FILTER (WHERE e.emergency) AS emergency,
           count(*) FILTER (WHERE e.insured) AS insured
    FROM health_encounter e
    -- As row comparisons, so only the (facility, admitted_at) index serves (the planner
    -- cannot tell a period's bounds and would scan admitted_at alone).
    WHERE (e.facility_id, e.admitted_at) >= (f.id, p.start_at)
      AND (e.facility_id, e.admitted_at) < (f.id, p.end_at)
    OFFSET 0
  ) s
  CROSS JOIN LATERAL (
    SELECT count(*) AS ended, count(*) FILTER (WHERE e.discharge = 'referred') AS referrals
    FROM health_encounter e
    WHERE e.facility_id = f.id AND e.discharged_at >= p.start_at AND e.discharged_at < p.end_at
    OFFSET 0
  ) d
  WHERE f.kind = 'health' AND f.geom IS NOT NULL
    AND gisioc_facility_in_service(
      f.active, f.closed_on, greatest((p.start_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                                      date '2015-01-01'))
) x;
