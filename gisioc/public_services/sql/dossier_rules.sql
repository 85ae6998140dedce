-- The one rule for late and on time: a finished dossier is late when it finished after its
-- due time; on time otherwise, and when it has no due time (gisioc/public_services/rules.py).
CREATE OR REPLACE FUNCTION gisioc_dossier_late(finished_at timestamptz, due_at timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN finished_at > due_at;

CREATE OR REPLACE FUNCTION gisioc_dossier_on_time(finished_at timestamptz, due_at timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN finished_at IS NOT NULL AND NOT coalesce(gisioc_dossier_late(finished_at, due_at), false);
