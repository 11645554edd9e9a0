-- Accounts, sessions, one-time activation codes and the append-only audit log.

CREATE TABLE app_user (
  id text PRIMARY KEY,
  -- E-mail for agents and analysts; the SNE number for applicants.
  identifier text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('applicant', 'landlord-agent', 'reservation-holder-agent', 'epci-analyst', 'admin')),
  -- What the account may act on: its landlord, its reservation holder, its EPCI, its demand.
  landlord_id text REFERENCES landlord,
  reservation_holder_id text REFERENCES reservation_holder,
  epci_code text REFERENCES epci,
  sne_number text REFERENCES demand,
  -- argon2id (PHC string); NULL until an applicant activates the account.
  password_hash text,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'landlord-agent') = (landlord_id IS NOT NULL)),
  CHECK ((role = 'reservation-holder-agent') = (reservation_holder_id IS NOT NULL)),
  CHECK ((role = 'applicant') = (sne_number IS NOT NULL))
);

-- A session: the cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE app_session (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES app_user ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX app_session_user ON app_session (user_id);

-- One-time code with which an applicant activates an account for their demand (given by an agent).
CREATE TABLE activation_code (
  sne_number text NOT NULL REFERENCES demand,
  code_hash text NOT NULL,
  created_by text NOT NULL REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (sne_number, code_hash)
);

-- Every write, who made it and when. Append-only at the database level: the trigger below refuses
-- UPDATE, DELETE and TRUNCATE whatever the role.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id text,
  actor_role text,
  -- e.g. 'auth.login', 'activation-code.create', 'application.create'
  action text NOT NULL,
  entity text,
  entity_id text,
  epci_code text,
  -- On behalf of whom, when an agent acts for an applicant (assisted applying).
  on_behalf_of text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'le journal d''audit est en ajout seul : % refusé', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
