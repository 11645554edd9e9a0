-- Version of each EPCI's data: a new value every time a statement changes rows of a table the
-- observatory reads, so that in-memory snapshots and cached results know when they are stale
-- (docs/decisions/0006-observatory-data-path.md). Values come from a sequence: never reused, even if
-- a row is deleted and created again. An EPCI without a row has never changed since this migration.
CREATE SEQUENCE data_version_seq;

CREATE TABLE data_version (
  epci_code text PRIMARY KEY REFERENCES epci ON DELETE CASCADE,
  version bigint NOT NULL DEFAULT nextval('data_version_seq'),
  changed_at timestamptz NOT NULL DEFAULT now()
);

-- Statement-level triggers with transition tables: one bump per statement and EPCI touched, whatever
-- the number of rows; a statement that changes no row (an idempotent re-import) bumps nothing.
CREATE FUNCTION data_version_bump_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_version AS v (epci_code)
  SELECT DISTINCT epci_code FROM new_rows
  ON CONFLICT (epci_code) DO UPDATE SET version = nextval('data_version_seq'), changed_at = now();
  RETURN NULL;
END $$;

CREATE FUNCTION data_version_bump_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_version AS v (epci_code)
  SELECT DISTINCT epci_code FROM old_rows WHERE EXISTS (SELECT 1 FROM epci e WHERE e.code = old_rows.epci_code)
  ON CONFLICT (epci_code) DO UPDATE SET version = nextval('data_version_seq'), changed_at = now();
  RETURN NULL;
END $$;

CREATE FUNCTION data_version_bump_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_version AS v (epci_code)
  SELECT epci_code FROM new_rows UNION SELECT epci_code FROM old_rows
  ON CONFLICT (epci_code) DO UPDATE SET version = nextval('data_version_seq'), changed_at = now();
  RETURN NULL;
END $$;

CREATE FUNCTION data_version_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_version AS v (epci_code)
  SELECT code FROM epci
  ON CONFLICT (epci_code) DO UPDATE SET version = nextval('data_version_seq'), changed_at = now();
  RETURN NULL;
END $$;

-- PostgreSQL allows transition tables on single-event triggers only: four triggers per table.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['household', 'lease', 'home', 'residence', 'commune', 'iris', 'qpv', 'qpv_iris', 'school', 'school_year']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_inserted()', t || '_version_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_deleted()', t || '_version_delete', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_updated()', t || '_version_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_all()', t || '_version_truncate', t);
  END LOOP;
END $$;
