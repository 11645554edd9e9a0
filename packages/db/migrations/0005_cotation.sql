-- Cotation grids (dated, versioned JSON, CCH L441-2-8), the scores they gave, and the jobs that run
-- long work off the request path with their progress.

CREATE TABLE cotation_grid (
  epci_code text NOT NULL REFERENCES epci,
  grid_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
  -- The grid as validated by the domain (packages/domain/src/cotation/validate-grid.ts).
  definition jsonb NOT NULL,
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz,
  PRIMARY KEY (epci_code, grid_id, version)
);
-- At most one active version of a grid per EPCI.
CREATE UNIQUE INDEX cotation_grid_one_active ON cotation_grid (epci_code, grid_id) WHERE status = 'active';

-- A demand's score under one grid version, on the date it was computed. Scores of older versions
-- are kept: a decision can be explained with the score it was made on.
CREATE TABLE demand_score (
  sne_number text NOT NULL REFERENCES demand ON DELETE CASCADE,
  epci_code text NOT NULL REFERENCES epci,
  grid_id text NOT NULL,
  grid_version integer NOT NULL,
  scored_on date NOT NULL,
  total double precision NOT NULL,
  PRIMARY KEY (sne_number, grid_id, grid_version)
);
CREATE INDEX demand_score_grid ON demand_score (epci_code, grid_id, grid_version);

CREATE TABLE job (
  id text PRIMARY KEY,
  kind text NOT NULL,
  epci_code text REFERENCES epci,
  created_by text REFERENCES app_user,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  -- Units of work done out of total (e.g. demands scored), for the progress bar.
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  message text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
