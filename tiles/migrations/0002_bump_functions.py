"""Trigger functions that bump a table's data version when a statement changed rows."""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION gisioc_bump(table_name text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO tiles_tableversion (table_name, version, changed_at) VALUES (table_name, 1, now())
  ON CONFLICT (table_name)
  DO UPDATE SET version = tiles_tableversion.version + 1, changed_at = now();
$$;

-- Transition tables let a statement that touched no row leave the version alone.
CREATE OR REPLACE FUNCTION gisioc_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows) THEN PERFORM gisioc_bump(TG_TABLE_NAME); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION gisioc_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows) THEN PERFORM gisioc_bump(TG_TABLE_NAME); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION gisioc_bump_any() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM gisioc_bump(TG_TABLE_NAME);
  RETURN NULL;
END $$;
"""

DROP = """
DROP FUNCTION IF EXISTS gisioc_bump_new() CASCADE;
DROP FUNCTION IF EXISTS gisioc_bump_old() CASCADE;
DROP FUNCTION IF EXISTS gisioc_bump_any() CASCADE;
DROP FUNCTION IF EXISTS gisioc_bump(text);
"""


class Migration(migrations.Migration):
    dependencies = [("tiles", "0001_table_versions")]
    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
