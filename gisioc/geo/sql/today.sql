-- Today in Vietnam: stored times are UTC, days are Vietnam days.
CREATE OR REPLACE FUNCTION gisioc_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
