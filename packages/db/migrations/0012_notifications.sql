-- Notifications (issue 6, 7): an outbox of messages to accounts, written in the same transaction as
-- the event that causes them (an advert matching a saved search, a letting cycle closing soon, a
-- commission decision), and sent by e-mail when SMTP is configured. The saved searches ("alertes")
-- of applicants, and the e-mail address an account receives its messages at. See docs/notifications.md.

-- A message to an account. It holds no address: the address is read from the account when sending.
CREATE TABLE notification (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES app_user ON DELETE CASCADE,
  epci_code text REFERENCES epci,
  kind text NOT NULL CHECK (kind IN ('advert-match', 'cycle-closing', 'decision')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  -- What the message is about (advert, cycle, decision id), for idempotence: one message per event.
  dedupe_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- pending: not sent yet (always so without SMTP: the demo mailbox); sent; failed: given up.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  failed_at timestamptz,
  -- The last sending error, with any address removed.
  last_error text,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK ((status = 'failed') = (failed_at IS NOT NULL))
);
CREATE INDEX notification_user ON notification (user_id, created_at DESC);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'pending';

-- The address an account receives its messages at (agents default to their identifier when it is
-- an e-mail address; applicants give one). Deleted with the account.
CREATE TABLE notification_address (
  user_id text PRIMARY KEY REFERENCES app_user ON DELETE CASCADE,
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- An applicant's saved search: the filters of GET /adverts; one per account.
CREATE TABLE advert_alert (
  user_id text PRIMARY KEY REFERENCES app_user ON DELETE CASCADE,
  epci_code text NOT NULL REFERENCES epci,
  communes text[] NOT NULL DEFAULT '{}',
  typologies smallint[] NOT NULL DEFAULT '{}',
  max_total_rent_eur numeric(8, 2) CHECK (max_total_rent_eur IS NULL OR max_total_rent_eur >= 0),
  accessible boolean,
  lift boolean,
  max_floor_without_lift smallint CHECK (max_floor_without_lift IS NULL OR max_floor_without_lift >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX advert_alert_epci ON advert_alert (epci_code);
