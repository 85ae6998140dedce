-- Small counts held back on everything the public reads (gisioc/health/kpis.py SMALL = 5):
-- a count of 1 to 4 is NULL, never 0 and never the number; a true 0 stays 0.
CREATE OR REPLACE FUNCTION gisioc_health_small(n float8) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN n IS NOT NULL AND round(n) > 0 AND round(n) < 5;

-- A count as the public reads it.
CREATE OR REPLACE FUNCTION gisioc_health_count(n float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN NOT gisioc_health_small(n) THEN round(coalesce(n, 0))::int END;

-- part / whole in %, one decimal; NULL when the whole is 0 or either is held back.
CREATE OR REPLACE FUNCTION gisioc_health_pct(part float8, whole float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN whole > 0 AND NOT gisioc_health_small(part) AND NOT gisioc_health_small(whole)
            THEN round((100 * coalesce(part, 0) / whole)::numeric, 1)::float8 END;

-- The last Vietnam day of a period's rows in gisioc_periods (today for one still running):
-- the day its population is read for.
CREATE OR REPLACE FUNCTION gisioc_health_period_day(end_at timestamptz) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN least((end_at - interval '1 microsecond') AT TIME ZONE 'Asia/Ho_Chi_Minh',
             now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
