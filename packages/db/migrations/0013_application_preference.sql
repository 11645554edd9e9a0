-- The applicant's order of preference among their applications (issue 7): 1 = the home they want
-- most. Set by the applicant on /mes-candidatures (PUT /applications/preference-order); the
-- allocation engine reads it as the rank of each application of a closed cycle. NULL = not ordered
-- (docs/decisions/0010-commission-pages-and-preferences.md).
ALTER TABLE application ADD COLUMN preference smallint CHECK (preference IS NULL OR preference >= 1);
