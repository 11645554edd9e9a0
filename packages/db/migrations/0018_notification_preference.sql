-- What an account chooses to be told (docs/notifications.md). Only the cycle-closing reminders can be
-- turned off: new-advert messages follow the saved alert (deleting it stops them), and commission
-- decisions are always sent (the applicant must be told of a decision on their demand).
-- No row = the defaults.
CREATE TABLE notification_preference (
  user_id text PRIMARY KEY REFERENCES app_user ON DELETE CASCADE,
  cycle_reminders boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
