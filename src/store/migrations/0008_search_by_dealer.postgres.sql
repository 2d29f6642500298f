-- Customer search by dealer (docs/benchmarks.md, item 5). One GIN index over
-- (dealer_id, search_doc) answers "this dealer's customers containing the
-- fragment" inside the index, instead of intersecting the dealer's index
-- entries with the network's trigram matches; it serves search_doc alone as
-- well, so it replaces the trigram index of 0003.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX customers_search_dealer ON customers USING gin (dealer_id, search_doc gin_trgm_ops);
DROP INDEX customers_search_trgm;

-- dealers.seq numbers the dealers as on SQLite, where it places each dealer's
-- customers in a block of row ids (0008_search_by_dealer.sqlite.sql); the
-- column is kept on both stores so that the schemas stay alike.
ALTER TABLE dealers ADD COLUMN seq INTEGER;
UPDATE dealers SET seq = (SELECT COUNT(*) FROM dealers AS d WHERE d.id <= dealers.id);
CREATE UNIQUE INDEX dealers_seq ON dealers (seq);
