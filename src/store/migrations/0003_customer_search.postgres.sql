-- Customer search for PostgreSQL: a pg_trgm GIN index over the folded search
-- document serves LIKE '%fragment%' (the same answers as SQLite's FTS5 trigram
-- index: accents and case are folded before indexing, in core/fold.c).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_search_trgm ON customers USING gin (search_doc gin_trgm_ops);
