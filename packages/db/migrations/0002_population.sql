-- Social stock, households, demands and signed leases. The demo population is generated: every
-- row carries `generated`, and the dataset table lists the population as a generated dataset.

CREATE TABLE landlord (
  id text PRIMARY KEY,
  name text NOT NULL,
  generated boolean NOT NULL DEFAULT false
);

-- Holder of a share of the flow of vacancies (ELAN art. 114).
CREATE TABLE reservation_holder (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('state', 'action-logement', 'commune', 'epci', 'landlord')),
  commune_code text REFERENCES commune,
  CHECK ((kind = 'commune') = (commune_code IS NOT NULL))
);

CREATE TABLE residence (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  landlord_id text NOT NULL REFERENCES landlord,
  name text NOT NULL,
  commune_code text NOT NULL REFERENCES commune,
  iris_code text NOT NULL REFERENCES iris,
  qpv_code text REFERENCES qpv,
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  construction_year smallint NOT NULL CHECK (construction_year BETWEEN 1800 AND 2100),
  generated boolean NOT NULL DEFAULT false
);
CREATE INDEX residence_epci ON residence (epci_code);
CREATE INDEX residence_iris ON residence (iris_code);

CREATE TABLE home (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  residence_id text NOT NULL REFERENCES residence,
  typology smallint NOT NULL CHECK (typology BETWEEN 1 AND 6),
  surface_m2 double precision NOT NULL CHECK (surface_m2 > 0),
  floor smallint NOT NULL CHECK (floor >= 0),
  lift boolean NOT NULL,
  accessible boolean NOT NULL,
  financing text NOT NULL CHECK (financing IN ('PLAI', 'PLUS', 'PLS', 'PLI')),
  -- Monthly rent excluding charges and monthly recoverable charges, €.
  rent_eur double precision NOT NULL CHECK (rent_eur >= 0),
  charges_eur double precision NOT NULL CHECK (charges_eur >= 0),
  reservation_holder_id text NOT NULL REFERENCES reservation_holder,
  generated boolean NOT NULL DEFAULT false
);
CREATE INDEX home_epci ON home (epci_code);
CREATE INDEX home_residence ON home (residence_id);

CREATE TABLE household (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  commune_code text NOT NULL REFERENCES commune,
  iris_code text NOT NULL REFERENCES iris,
  tenure text NOT NULL CHECK (tenure IN ('social-tenant', 'private-tenant', 'owner')),
  -- The social home occupied; a home has at most one occupying household.
  home_id text UNIQUE REFERENCES home,
  persons_14_or_more smallint NOT NULL CHECK (persons_14_or_more >= 1),
  persons_under_14 smallint NOT NULL CHECK (persons_under_14 >= 0),
  reference_age smallint NOT NULL CHECK (reference_age BETWEEN 14 AND 120),
  type text NOT NULL CHECK (type IN ('single', 'couple', 'single-parent', 'couple-with-children', 'other')),
  annual_disposable_income_eur double precision NOT NULL,
  income_imputed boolean NOT NULL,
  generated boolean NOT NULL DEFAULT false,
  CHECK ((tenure = 'social-tenant') = (home_id IS NOT NULL))
);
CREATE INDEX household_epci ON household (epci_code);
CREATE INDEX household_iris ON household (iris_code);

CREATE TABLE demand (
  sne_number text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  household_id text REFERENCES household,
  registered_on date NOT NULL,
  applicant_birth_date date NOT NULL CHECK (applicant_birth_date < registered_on),
  household_type text NOT NULL CHECK (household_type IN ('single', 'couple', 'single-parent', 'couple-with-children', 'other')),
  persons_14_or_more smallint NOT NULL CHECK (persons_14_or_more >= 1),
  persons_under_14 smallint NOT NULL CHECK (persons_under_14 >= 0),
  monthly_resources_eur double precision NOT NULL CHECK (monthly_resources_eur >= 0),
  reference_tax_income_eur double precision NOT NULL CHECK (reference_tax_income_eur >= 0),
  current_housing text NOT NULL,
  current_commune_code text NOT NULL,
  reasons text[] NOT NULL DEFAULT '{}',
  desired_communes text[] NOT NULL DEFAULT '{}',
  desired_typologies smallint[] NOT NULL DEFAULT '{}',
  max_rent_eur double precision CHECK (max_rent_eur IS NULL OR max_rent_eur >= 0),
  priority_criteria text[] NOT NULL DEFAULT '{}',
  dalo boolean NOT NULL DEFAULT false,
  urban_renewal_relocation boolean NOT NULL DEFAULT false,
  current_social_tenant boolean NOT NULL DEFAULT false,
  wheelchair_access boolean NOT NULL DEFAULT false,
  status text NOT NULL CHECK (status IN ('active', 'housed', 'cancelled')),
  closed_on date CHECK (closed_on IS NULL OR closed_on >= registered_on),
  generated boolean NOT NULL DEFAULT false,
  CHECK ((status = 'active') = (closed_on IS NULL))
);
CREATE INDEX demand_epci_status ON demand (epci_code, status);
CREATE INDEX demand_household ON demand (household_id);

-- A signed lease: what makes an allocation count toward the CIA targets (CCH L441-1). It keeps the
-- figures it was judged on.
CREATE TABLE lease (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  home_id text NOT NULL REFERENCES home,
  household_id text NOT NULL REFERENCES household,
  sne_number text NOT NULL REFERENCES demand,
  signed_on date NOT NULL,
  reservation_holder_id text NOT NULL REFERENCES reservation_holder,
  income_per_consumption_unit_eur double precision NOT NULL,
  first_quartile_threshold_eur double precision NOT NULL,
  first_quartile boolean NOT NULL,
  urban_renewal_relocation boolean NOT NULL,
  priority_public boolean NOT NULL,
  dalo boolean NOT NULL,
  transfer boolean NOT NULL,
  generated boolean NOT NULL DEFAULT false
);
CREATE INDEX lease_epci_signed ON lease (epci_code, signed_on);
CREATE INDEX lease_household ON lease (household_id);

-- First-quartile threshold of income per consumption unit (€/year) of an EPCI for a year: computed
-- from the demands active on 31 December of the previous year; the official value of the
-- ministerial order, when recorded, prevails.
CREATE TABLE first_quartile_threshold (
  epci_code text NOT NULL REFERENCES epci,
  year smallint NOT NULL,
  computed_eur double precision NOT NULL,
  demands integer NOT NULL,
  official_eur double precision,
  PRIMARY KEY (epci_code, year)
);
