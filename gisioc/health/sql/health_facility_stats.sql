-- Health facilities × periods × measures (the facilities layer: circles sized by visits,
-- coloured by the chosen measure). `value` is the measure's value as the public reads it
-- (small counts held back: gisioc_health_count/pct); `level` its quartile among the
-- district's facilities in the period (1 lowest … 4 highest), NULL when held back or none.
-- A facility shows on a period's map while it was in service at the period's start.
CREATE VIEW gisioc_health_facility_stats AS
SELECT x.id, x.period, x.measure, x.code, x.name, x.subtype, x.geom, x.unit_id,
       x.visits, x.value, x.suppressed,
       CASE WHEN x.value IS NOT NULL
            THEN ntile(4) OVER (PARTITION BY x.period, x.measure, x.value IS NULL
                                ORDER BY x.value) END AS level
FROM (
  SELECT f.id, p.label AS period, m.measure, f.code, f.name, f.subtype, f.geom, f.unit_id,
         gisioc_health_count(s.visits) AS visits,
         CASE m.measure
           WHEN 'visits' THEN gisioc_health_count(s.visits)::float8
           WHEN 'inpatient_share' THEN gisioc_health_pct(s.inpatient, s.visits)
           WHEN 'emergency' THEN gisioc_health_count(s.emergency)::float8
           WHEN 'referral_rate' THEN gisioc_health_pct(s.referrals, s.ended)
           WHEN 'insured_share' THEN gisioc_health_pct(s.insured, s.visits)
         END AS value,
         CASE m.measure
           WHEN 'visits' THEN gisioc_health_small(s.visits)
           WHEN 'inpatient_share' THEN gisioc_health_small(s.inpatient)
                                       OR gisioc_health_small(s.visits)
           WHEN 'emergency' THEN gisioc_health_small(s.emergency)
           WHEN 'referral_rate' THEN gisioc_health_small(s.referrals)
                                     OR gisioc_health_small(s.ended)
           WHEN 'insured_share' THEN gisioc_health_small(s.insured)
                                     OR gisioc_health_small(s.visits)
         END AS suppressed
  FROM gisioc_periods p
  CROSS JOIN (VALUES ('visits'), ('inpatient_share'), ('emergency'), ('referral_rate'),
                     ('insured_share')) m (measure)
  CROSS JOIN geo_facility f
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE k.a) AS visits,
           count(*) FILTER (WHERE k.a AND e.care IN ('inpatient', 'day_patient')) AS inpatient,
           count(*) FILTER (WHERE k.a AND e.emergency) AS emergency,
           count(*) FILTER (WHERE k.a AND e.insured) AS insured,
           count(*) FILTER (WHERE k.e) AS ended,
           count(*) FILTER (WHERE k.e AND e.discharge = 'referred') AS referrals
    FROM health_encounter e,
    LATERAL (
      SELECT e.admitted_at >= p.start_at AND e.admitted_at < p.end_at AS a,
             coalesce(e.discharged_at >= p.start_at AND e.discharged_at < p.end_at, false) AS e
    ) k
    WHERE e.facility_id = f.id AND e.admitted_at < p.end_at
      AND (e.admitted_at >= p.start_at OR e.discharged_at >= p.start_at)
  ) s ON true
  WHERE f.kind = 'health' AND f.geom IS NOT NULL
    AND gisioc_facility_in_service(
      f.active, f.closed_on, greatest((p.start_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                                      date '2015-01-01'))
) x;
