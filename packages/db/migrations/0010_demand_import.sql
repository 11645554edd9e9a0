-- The official first-quartile threshold of the ministerial order can be recorded for a year whose
-- threshold cannot be computed (no demand active on 31 December of the previous year):
-- `computed_eur` becomes optional (`mosaique demands quartile --official`).
ALTER TABLE first_quartile_threshold ALTER COLUMN computed_eur DROP NOT NULL;
