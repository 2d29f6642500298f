-- Customer search for SQLite: FTS5 with the trigram tokenizer over the folded
-- search document (any fragment of 3+ characters, any position), kept in step
-- with customers by triggers. Accents and case are folded before indexing
-- (core/fold.c), because SQLite 3.40's trigram tokenizer cannot remove diacritics.
CREATE VIRTUAL TABLE customers_fts USING fts5(
  search_doc, content='customers', content_rowid='rowid', tokenize='trigram');

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
  INSERT INTO customers_fts (rowid, search_doc) VALUES (new.rowid, new.search_doc);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
  INSERT INTO customers_fts (customers_fts, rowid, search_doc) VALUES ('delete', old.rowid, old.search_doc);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_doc ON customers BEGIN
  INSERT INTO customers_fts (customers_fts, rowid, search_doc) VALUES ('delete', old.rowid, old.search_doc);
  INSERT INTO customers_fts (rowid, search_doc) VALUES (new.rowid, new.search_doc);
END;
