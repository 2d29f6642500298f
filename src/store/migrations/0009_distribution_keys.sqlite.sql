-- Distribution keys (SQLite): a SQLite file is never distributed, so its
-- keys stay as they are (rebuilding customers would also rebuild its FTS5
-- index and triggers, 0003). What the SQL shared with PostgreSQL needs is
-- here, so both stores behave the same (0009_distribution_keys.postgres.sql
-- has the whole change):
--
-- * The booking INSERT says ON CONFLICT (dealer_id, reference), and SQLite
--   wants a unique index with exactly those columns. The older UNIQUE
--   (reference) stays: on one file a reference is unique across dealers as
--   well, which is stricter and harmless (a clash with another dealer's
--   reference fails the INSERT with a constraint error, which the booking
--   treats as a clash and draws again, as before).
-- * Audit entries without a dealer carry '' instead of NULL, as on
--   PostgreSQL (the column stays nullable here; fc_audit_record writes '').
CREATE UNIQUE INDEX appointments_reference ON appointments (dealer_id, reference);
UPDATE audit SET dealer_id = '' WHERE dealer_id IS NULL;
