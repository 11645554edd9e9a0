-- Territory: EPCI, communes, IRIS, QPV, schools. Every table carries the EPCI key so that a
-- national deployment can shard by territory. Geometries are GeoJSON (WGS84) in jsonb.

CREATE TABLE epci (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
  name text NOT NULL,
  population_total integer NOT NULL CHECK (population_total >= 0),
  population_municipal integer NOT NULL CHECK (population_municipal >= 0)
);

-- Where each dataset comes from (producer, year, licence), and whether it is generated.
CREATE TABLE dataset (
  epci_code text NOT NULL REFERENCES epci,
  id text NOT NULL,
  title text NOT NULL,
  producer text NOT NULL,
  year text NOT NULL,
  licence text NOT NULL,
  generated boolean NOT NULL,
  PRIMARY KEY (epci_code, id)
);

CREATE TABLE commune (
  code text PRIMARY KEY CHECK (code ~ '^[0-9][0-9AB][0-9]{3}$'),
  epci_code text NOT NULL REFERENCES epci,
  name text NOT NULL,
  population integer NOT NULL CHECK (population >= 0),
  geometry jsonb
);
CREATE INDEX commune_epci ON commune (epci_code);

CREATE TABLE iris (
  code text PRIMARY KEY CHECK (length(code) = 9),
  epci_code text NOT NULL REFERENCES epci,
  commune_code text NOT NULL REFERENCES commune,
  name text NOT NULL,
  geometry jsonb NOT NULL,
  -- Filosofi: disposable income per consumption unit of persons, €/year; NULL where withheld.
  income_year text,
  income_deciles double precision[] CHECK (income_deciles IS NULL OR cardinality(income_deciles) = 9),
  income_q1 double precision,
  income_median double precision,
  income_q3 double precision,
  poverty_rate double precision CHECK (poverty_rate IS NULL OR poverty_rate BETWEEN 0 AND 100),
  income_gini double precision
);
CREATE INDEX iris_epci ON iris (epci_code);
CREATE INDEX iris_commune ON iris (commune_code);

CREATE TABLE qpv (
  code text PRIMARY KEY,
  epci_code text NOT NULL REFERENCES epci,
  commune_code text NOT NULL REFERENCES commune,
  name text NOT NULL,
  -- true while the perimeter is approximated by IRIS (no official ANCT perimeter imported).
  approximate boolean NOT NULL,
  geometry jsonb
);
CREATE INDEX qpv_epci ON qpv (epci_code);

CREATE TABLE qpv_iris (
  qpv_code text NOT NULL REFERENCES qpv ON DELETE CASCADE,
  iris_code text NOT NULL REFERENCES iris,
  epci_code text NOT NULL REFERENCES epci,
  PRIMARY KEY (qpv_code, iris_code)
);

CREATE TABLE school (
  uai text PRIMARY KEY CHECK (uai ~ '^[0-9]{7}[A-Z]$'),
  epci_code text NOT NULL REFERENCES epci,
  name text NOT NULL,
  level text NOT NULL CHECK (level IN ('college', 'ecole')),
  commune_code text NOT NULL REFERENCES commune,
  sector text NOT NULL CHECK (sector IN ('public', 'private'))
);
CREATE INDEX school_epci ON school (epci_code);

CREATE TABLE school_year (
  uai text NOT NULL REFERENCES school ON DELETE CASCADE,
  epci_code text NOT NULL REFERENCES epci,
  school_year text NOT NULL CHECK (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
  pupils integer CHECK (pupils IS NULL OR pupils >= 0),
  ips double precision,
  ips_standard_deviation double precision,
  PRIMARY KEY (uai, school_year)
);
