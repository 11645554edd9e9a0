-- Urban-renewal relocation (NPNRU; docs/relocation.md): operations, the households to relocate with
-- their relocation file, every dated step, up to three proposals, and a new role, the relocation
-- officer, attached to operations.

-- The role 'relocation-officer'. The CHECK of migration 0004 is widened by adding the role to the
-- constraint's current list (read from the catalogue), so that roles added by other migrations stay.
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'app_user'::regclass AND conname = 'app_user_role_check';
  IF def IS NULL THEN
    RAISE EXCEPTION 'contrainte app_user_role_check introuvable';
  END IF;
  IF position('relocation-officer' IN def) = 0 THEN
    EXECUTE 'ALTER TABLE app_user DROP CONSTRAINT app_user_role_check';
    EXECUTE 'ALTER TABLE app_user ADD CONSTRAINT app_user_role_check '
      || replace(def, 'ARRAY[', 'ARRAY[''relocation-officer''::text, ');
  END IF;
END;
$$;

CREATE TABLE relocation_operation (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  name text NOT NULL CHECK (length(name) BETWEEN 3 AND 200),
  kind text NOT NULL CHECK (kind IN ('demolition', 'restructuring')),
  -- The QPV of the project: relocating anywhere else is « hors site ».
  qpv_code text NOT NULL REFERENCES qpv,
  landlord_id text NOT NULL REFERENCES landlord,
  -- [{ "label": "…", "date": "YYYY-MM-DD" }], in date order: the operation's calendar.
  milestones jsonb NOT NULL DEFAULT '[]',
  generated boolean NOT NULL DEFAULT false,
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX relocation_operation_epci ON relocation_operation (epci_code);

-- The buildings (residences) concerned.
CREATE TABLE relocation_operation_residence (
  operation_id text NOT NULL REFERENCES relocation_operation,
  residence_id text NOT NULL REFERENCES residence,
  PRIMARY KEY (operation_id, residence_id)
);
-- A building is demolished or restructured by one operation.
CREATE UNIQUE INDEX relocation_residence_once ON relocation_operation_residence (residence_id);

-- The relocation officers of an operation (a relocation officer sees only these operations).
CREATE TABLE relocation_officer (
  operation_id text NOT NULL REFERENCES relocation_operation,
  user_id text NOT NULL REFERENCES app_user,
  PRIMARY KEY (operation_id, user_id)
);
CREATE INDEX relocation_officer_user ON relocation_officer (user_id);

-- Vacant homes the landlords set aside for the operation's households (beside published adverts).
CREATE TABLE relocation_reserved_home (
  operation_id text NOT NULL REFERENCES relocation_operation,
  home_id text NOT NULL REFERENCES home,
  reserved_by text REFERENCES app_user,
  reserved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operation_id, home_id)
);

-- A household's relocation file. The home it leaves is kept as it was at import (surface, rent,
-- charges), so that the trajectory indicators do not change when the stock does.
CREATE TABLE relocation_file (
  id text PRIMARY KEY,
  operation_id text NOT NULL REFERENCES relocation_operation,
  epci_code text NOT NULL REFERENCES epci,
  household_id text NOT NULL REFERENCES household,
  -- The demand through which the household applies and is housed (flagged urban_renewal_relocation).
  sne_number text NOT NULL REFERENCES demand,
  persons smallint NOT NULL CHECK (persons >= 1),
  origin_home_id text NOT NULL REFERENCES home,
  origin_surface_m2 double precision NOT NULL CHECK (origin_surface_m2 > 0),
  origin_rent_eur double precision NOT NULL CHECK (origin_rent_eur >= 0),
  origin_charges_eur double precision NOT NULL CHECK (origin_charges_eur >= 0),
  -- Monthly housing benefit before relocation, € (recorded at the diagnosis; NULL while unknown).
  origin_housing_benefit_eur double precision CHECK (origin_housing_benefit_eur >= 0),
  diagnosis_on date,
  diagnosis_notes text,
  -- RelocationWishes and RelocationConstraints (packages/domain/src/relocation/types.ts).
  wishes jsonb NOT NULL DEFAULT '{}',
  constraints jsonb NOT NULL DEFAULT '{}',
  lease_id text REFERENCES lease,
  -- Monthly housing benefit in the new home, €.
  new_housing_benefit_eur double precision CHECK (new_housing_benefit_eur >= 0),
  generated boolean NOT NULL DEFAULT false,
  UNIQUE (operation_id, household_id),
  UNIQUE (sne_number)
);
CREATE INDEX relocation_file_operation ON relocation_file (operation_id);

-- Up to three proposals per file, each accepted or refused with a reason.
CREATE TABLE relocation_proposal (
  file_id text NOT NULL REFERENCES relocation_file,
  rank smallint NOT NULL CHECK (rank BETWEEN 1 AND 3),
  home_id text NOT NULL REFERENCES home,
  advert_id text REFERENCES advert,
  proposed_on date NOT NULL,
  response text NOT NULL DEFAULT 'pending' CHECK (response IN ('pending', 'accepted', 'refused')),
  answered_on date CHECK (answered_on IS NULL OR answered_on >= proposed_on),
  refusal_reason text CHECK (refusal_reason IN ('location', 'size', 'rent', 'floor-or-access', 'condition',
    'schooling-or-work', 'neighbourhood', 'other')),
  PRIMARY KEY (file_id, rank),
  UNIQUE (file_id, home_id),
  CHECK ((response = 'pending') = (answered_on IS NULL)),
  CHECK ((response = 'refused') = (refusal_reason IS NOT NULL))
);

-- Every step of a file, dated: what happened (`on_date`, as told) and when it was recorded.
CREATE TABLE relocation_step (
  id bigserial PRIMARY KEY,
  file_id text NOT NULL REFERENCES relocation_file,
  kind text NOT NULL CHECK (kind IN ('import', 'diagnosis', 'wishes', 'constraints', 'note', 'proposal',
    'proposal-answer', 'lease')),
  on_date date NOT NULL,
  -- A follow-up note's text (free text: never exported).
  note text,
  details jsonb NOT NULL DEFAULT '{}',
  recorded_by text REFERENCES app_user,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX relocation_step_file ON relocation_step (file_id, on_date, id);
