-- The one rule for late: a document is late when the Vietnam day it was completed on is
-- after its due day; on time otherwise, and when it has no due day
-- (gisioc/documents/rules.py).
CREATE OR REPLACE FUNCTION gisioc_document_late(completed_at timestamptz, due_on date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > due_on;

CREATE OR REPLACE FUNCTION gisioc_document_on_time(completed_at timestamptz, due_on date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN completed_at IS NOT NULL
  AND NOT coalesce(gisioc_document_late(completed_at, due_on), false);
