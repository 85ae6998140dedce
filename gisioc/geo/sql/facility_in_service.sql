-- The one rule for "a facility is in service on a day": active and not closed by that day
-- (closed_on is its first day out of service). Facility.objects.in_service says the same.
CREATE OR REPLACE FUNCTION gisioc_facility_in_service(active boolean, closed_on date, day date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN active AND (closed_on IS NULL OR closed_on > day);
