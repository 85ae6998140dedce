-- Reporting periods as rows, so a view can hold one row per commune and period.
-- '' is all time; then every month, quarter and year from 2015 to a year ahead, as Vietnam
-- days turned into instants. A view filtered on `label` computes one period, not all.
CREATE VIEW gisioc_periods AS
WITH m AS (
  SELECT d::date AS first FROM generate_series(
    date '2015-01-01', date_trunc('year', gisioc_today())::date + 730, interval '1 month') d
)
SELECT ''::text AS label, 'all'::text AS kind,
       '-infinity'::timestamptz AS start_at, 'infinity'::timestamptz AS end_at
UNION ALL
SELECT to_char(first, 'YYYY-MM'), 'month',
       first::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
       (first + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
FROM m
UNION ALL
SELECT to_char(first, 'YYYY-"Q"Q'), 'quarter',
       first::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
       (first + interval '3 months')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
FROM m WHERE extract(month FROM first) IN (1, 4, 7, 10)
UNION ALL
SELECT to_char(first, 'YYYY'), 'year',
       first::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
       (first + interval '1 year')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
FROM m WHERE extract(month FROM first) = 1;
