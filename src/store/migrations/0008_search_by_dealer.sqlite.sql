-- Customer search by dealer (docs/benchmarks.md, item 5). Each dealer owns a
-- block of customer row ids, seq * 2^32 to seq * 2^32 + 2^32 - 1, filled from
-- the top down in the order the dealer's customers were added (the newest
-- has the lowest row id), so that a search restricts the full-text match to
-- one dealer by a rowid range, which FTS5 seeks in each trigram's list, and
-- walks it newest first in FTS5's cheaper direction (ascending): the work
-- follows the dealer's size, not the network's (store/sqlite.c,
-- sq_contains_sql). Other tables refer to customers by id, never by rowid,
-- so renumbering moves no reference.
ALTER TABLE dealers ADD COLUMN seq INTEGER;
UPDATE dealers SET seq = (SELECT COUNT(*) FROM dealers AS d WHERE d.id <= dealers.id);
CREATE UNIQUE INDEX dealers_seq ON dealers (seq);

-- Renumber the customers into their dealers' blocks, in id order (ids grow
-- with time). Secondary indexes and the full-text index are set aside and
-- rebuilt once, which is much faster than moving millions of entries one by
-- one (0003's delete and update triggers do not fire on a change of rowid;
-- the insert trigger is replaced below).
DROP TRIGGER customers_fts_insert;
DROP INDEX customers_email;
DROP INDEX customers_phone;
DROP INDEX customers_list;
CREATE TEMP TABLE customer_blocks (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO customer_blocks (old, new)
  SELECT c.rowid, d.seq * 4294967296 + 4294967296 - ROW_NUMBER() OVER (PARTITION BY c.dealer_id ORDER BY c.id)
  FROM customers AS c JOIN dealers AS d ON d.id = c.dealer_id;
UPDATE customers SET rowid = (SELECT b.new FROM customer_blocks AS b WHERE b.old = customers.rowid);
DROP TABLE temp.customer_blocks;
CREATE INDEX customers_email ON customers (dealer_id, email_folded);
CREATE INDEX customers_phone ON customers (dealer_id, phone_e164);
CREATE INDEX customers_list ON customers (dealer_id, id);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');

-- A customer is inserted with the row id SQLite gives it (every insert but
-- the seed's, which numbers its rows itself: the table's largest + 1, past
-- the last block), then moved below the lowest of its dealer's block, in the
-- inserting transaction (one writer at a time), then indexed.
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
  UPDATE customers SET rowid = (
    SELECT COALESCE((SELECT MIN(c.rowid) FROM customers AS c
                     WHERE c.rowid BETWEEN d.seq * 4294967296 AND d.seq * 4294967296 + 4294967295
                       AND c.rowid <> new.rowid),
                    d.seq * 4294967296 + 4294967296) - 1
    FROM dealers AS d WHERE d.id = new.dealer_id)
  WHERE rowid = new.rowid;
  INSERT INTO customers_fts (rowid, search_doc) SELECT rowid, search_doc FROM customers WHERE id = new.id;
END;
