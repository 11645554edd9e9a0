-- Issue 9 (relocation), follow-up: a relocation proposal made through the commission is linked to the
-- commission's decision (docs/relocation.md « Proposals through the commission »). A decision backs at
-- most one proposal.
ALTER TABLE relocation_proposal ADD COLUMN decision_id text REFERENCES decision;
CREATE UNIQUE INDEX relocation_proposal_one_per_decision ON relocation_proposal (decision_id)
  WHERE decision_id IS NOT NULL;
