-- Allocation commission (CALEOL, CCH L441-2 and R441-3): sessions, their agenda of homes with the
-- engine's proposal and the final candidate list, the commission's decision per candidate, the
-- applicant's answer and the lease signed from it. See docs/commission.md.

CREATE TABLE commission_session (
  id text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  -- The landlord whose commission it is (CALEOL are held per landlord).
  landlord_id text NOT NULL REFERENCES landlord,
  held_on date NOT NULL,
  -- [{ "name": "…", "role": "…" }]: members called, as the minutes list them.
  members jsonb NOT NULL DEFAULT '[]',
  quorum smallint NOT NULL CHECK (quorum >= 1),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'closed')),
  minutes_notes text,
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commission_session_epci ON commission_session (epci_code, landlord_id, held_on);

-- A home on the agenda of a session, with the engine's proposal and the candidates examined.
CREATE TABLE agenda_item (
  id text PRIMARY KEY,
  session_id text NOT NULL REFERENCES commission_session,
  epci_code text NOT NULL REFERENCES epci,
  home_id text NOT NULL REFERENCES home,
  advert_id text REFERENCES advert,
  -- The engine's proposal: { jobId, candidates: [sne…], objective, upperBound, gap, status,
  -- constraints: [{ name, label, slack }], explanation }; NULL for a home put on the agenda by hand.
  proposal jsonb,
  -- The candidates examined, in the commission's order (the proposal's unless edited).
  candidates text[] NOT NULL DEFAULT '{}',
  -- Eligible applicants available for the home (shortlist), to judge the "fewer than 3" exception.
  available integer NOT NULL DEFAULT 0 CHECK (available >= 0),
  -- The préfet designated a DALO household for this home: fewer than 3 candidates allowed.
  dalo_designated boolean NOT NULL DEFAULT false,
  -- Required, and kept, whenever the candidates differ from the proposal.
  deviation_justification text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided', 'let')),
  -- Optimistic concurrency: every change increments it; a change sent with an old version loses.
  version integer NOT NULL DEFAULT 1,
  UNIQUE (session_id, home_id)
);
CREATE INDEX agenda_item_epci ON agenda_item (epci_code, home_id);

CREATE TABLE decision (
  id text PRIMARY KEY,
  agenda_item_id text NOT NULL REFERENCES agenda_item,
  epci_code text NOT NULL REFERENCES epci,
  sne_number text NOT NULL REFERENCES demand,
  kind text NOT NULL CHECK (kind IN ('allocation', 'ranked-allocation', 'suspensive-condition', 'non-allocation', 'rejection')),
  -- Rank of a ranked allocation (1 = gets the home first).
  rank integer CHECK (rank IS NULL OR rank >= 1),
  reason_codes text[] NOT NULL DEFAULT '{}',
  reason_text text,
  -- The missing document of an allocation under a suspensive condition.
  missing_document text,
  decided_by text REFERENCES app_user,
  decided_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agenda_item_id, sne_number),
  CHECK (kind NOT IN ('non-allocation', 'rejection') OR cardinality(reason_codes) >= 1),
  CHECK ((kind = 'ranked-allocation') = (rank IS NOT NULL)),
  CHECK ((kind = 'suspensive-condition') = (missing_document IS NOT NULL))
);
CREATE INDEX decision_sne ON decision (sne_number);

-- The applicant's answer to an offer (one per decision, final).
CREATE TABLE applicant_response (
  decision_id text PRIMARY KEY REFERENCES decision,
  epci_code text NOT NULL REFERENCES epci,
  response text NOT NULL CHECK (response IN ('accepted', 'refused')),
  reason text,
  recorded_by text REFERENCES app_user,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (response = 'accepted' OR reason IS NOT NULL)
);

-- A lease signed after a commission decision. A household never holds two leases from commission
-- decisions, a demand is satisfied once, and a decision gives at most one lease.
ALTER TABLE lease ADD COLUMN decision_id text REFERENCES decision;
CREATE UNIQUE INDEX lease_one_per_decision ON lease (decision_id) WHERE decision_id IS NOT NULL;
CREATE UNIQUE INDEX lease_one_per_household ON lease (household_id) WHERE decision_id IS NOT NULL;
CREATE UNIQUE INDEX lease_one_per_demand ON lease (sne_number) WHERE decision_id IS NOT NULL;
