-- Choice-based letting (location choisie): letting cycles, adverts of vacant homes of the stock,
-- applications and the shortlists built when a cycle closes. Rent, typology, surface, floor, lift,
-- accessibility, QPV and reservation holder are read from the home: an advert describes a home.

CREATE TABLE letting_cycle (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  -- The landlord whose cycle it is, or NULL for a cycle of the whole EPCI (opened by an analyst).
  landlord_id text REFERENCES landlord,
  name text NOT NULL,
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL CHECK (closes_at > opens_at),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- At most this many active applications per applicant in the cycle.
  max_active_applications smallint NOT NULL DEFAULT 3 CHECK (max_active_applications BETWEEN 1 AND 20),
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX letting_cycle_epci ON letting_cycle (epci_code, status, closes_at);

CREATE TABLE advert (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  home_id text NOT NULL REFERENCES home,
  landlord_id text NOT NULL REFERENCES landlord,
  cycle_id text NOT NULL REFERENCES letting_cycle,
  description text NOT NULL,
  energy_label text CHECK (energy_label IN ('A', 'B', 'C', 'D', 'E', 'F', 'G')),
  status text NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn', 'closed')),
  withdrawn_reason text,
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  withdrawn_at timestamptz,
  CHECK ((status = 'withdrawn') = (withdrawn_reason IS NOT NULL)),
  CHECK (status = 'draft' OR status = 'withdrawn' OR published_at IS NOT NULL)
);
-- A home has at most one advert in progress.
CREATE UNIQUE INDEX advert_one_live_per_home ON advert (home_id) WHERE status IN ('draft', 'published');
CREATE INDEX advert_epci_status ON advert (epci_code, status);
CREATE INDEX advert_cycle ON advert (cycle_id);

CREATE TABLE application (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  advert_id text NOT NULL REFERENCES advert,
  -- The advert's cycle, kept here to count an applicant's active applications per cycle.
  cycle_id text NOT NULL REFERENCES letting_cycle,
  sne_number text NOT NULL REFERENCES demand,
  status text NOT NULL CHECK (status IN ('active', 'withdrawn', 'shortlisted', 'excluded')),
  -- Made by an agent on behalf of the applicant (assisted applying).
  assisted boolean NOT NULL DEFAULT false,
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  withdrawn_by text REFERENCES app_user,
  CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
-- One active application per applicant and advert.
CREATE UNIQUE INDEX application_one_active ON application (advert_id, sne_number) WHERE status = 'active';
CREATE INDEX application_sne_cycle ON application (sne_number, cycle_id, status);
CREATE INDEX application_advert ON application (advert_id, status);

-- The shortlist of an advert, built when its cycle closes, with the figures it was built on.
CREATE TABLE shortlist (
  advert_id text NOT NULL REFERENCES advert,
  sne_number text NOT NULL REFERENCES demand,
  epci_code text NOT NULL REFERENCES epci,
  -- 1-based rank among the kept applicants; NULL when excluded.
  rank integer CHECK (rank IS NULL OR rank >= 1),
  score double precision,
  grid_id text,
  grid_version integer,
  registered_on date NOT NULL,
  -- true, NULL (« à vérifier »: a ceiling unknown) or false (excluded).
  eligible boolean,
  excluded_reasons text[] NOT NULL DEFAULT '{}',
  built_on date NOT NULL,
  PRIMARY KEY (advert_id, sne_number),
  CHECK ((eligible IS FALSE) = (rank IS NULL))
);
CREATE UNIQUE INDEX shortlist_rank ON shortlist (advert_id, rank);
