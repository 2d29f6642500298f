-- Distribution keys (PostgreSQL): every table that holds dealer data gets
-- dealer_id in its primary key and in every unique index, and every foreign
-- key between two such tables names dealer_id on both sides, so the schema
-- can be distributed by dealer (e.g. Citus, create_distributed_table(t,
-- 'dealer_id')) without another change of keys. docs/scaling.md, "Beyond one
-- primary", has the path and the figures; tests/api/test_distribution.py
-- checks the catalog.
--
-- Lookups that know only an id or a token (GET /appointments/{id}, a
-- customer's manage link, the sender marking an outbox row) keep a plain,
-- non-unique index on that column: ids and tokens are random, so uniqueness
-- per dealer is all that needs enforcing. Nothing here depends on 0008.
--
-- The statements rewrite indexes and check the new foreign keys against the
-- rows already there; they take each table's exclusive lock for the length
-- of the migration (measured in docs/scaling.md).

-- customers: PRIMARY KEY (dealer_id, id). The foreign keys that name
-- customers(id) go first (they depend on its primary key) and come back as
-- (dealer_id, customer_id). The old UNIQUE (dealer_id, id) and the
-- customers_list index become the primary key itself.
ALTER TABLE ownerships DROP CONSTRAINT ownerships_customer_id_fkey;
ALTER TABLE consents DROP CONSTRAINT consents_customer_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_customer_id_fkey;
ALTER TABLE appointments DROP CONSTRAINT appointments_customer_id_fkey;
ALTER TABLE tire_sets DROP CONSTRAINT tire_sets_customer_id_fkey;
ALTER TABLE leads DROP CONSTRAINT leads_customer_id_fkey;

ALTER TABLE customers DROP CONSTRAINT customers_pkey;
ALTER TABLE customers DROP CONSTRAINT customers_dealer_id_id_key;
DROP INDEX IF EXISTS customers_list;
ALTER TABLE customers ADD CONSTRAINT customers_pkey PRIMARY KEY (dealer_id, id);
-- fc_customer_access and the other lookups by id alone.
CREATE INDEX customers_id ON customers (id);

ALTER TABLE ownerships ADD CONSTRAINT ownerships_customer_fkey
  FOREIGN KEY (dealer_id, customer_id) REFERENCES customers (dealer_id, id);
ALTER TABLE consents ADD CONSTRAINT consents_customer_fkey
  FOREIGN KEY (dealer_id, customer_id) REFERENCES customers (dealer_id, id);
ALTER TABLE events ADD CONSTRAINT events_customer_fkey
  FOREIGN KEY (dealer_id, customer_id) REFERENCES customers (dealer_id, id);
ALTER TABLE appointments ADD CONSTRAINT appointments_customer_fkey
  FOREIGN KEY (dealer_id, customer_id) REFERENCES customers (dealer_id, id);
ALTER TABLE tire_sets ADD CONSTRAINT tire_sets_customer_fkey
  FOREIGN KEY (dealer_id, customer_id) REFERENCES customers (dealer_id, id);
ALTER TABLE leads ADD CONSTRAINT leads_customer_fkey
  FOREIGN KEY (dealer_id, customer_id) REFERENCES customers (dealer_id, id);

-- appointments: the booking reference (FC-7K3Q9) is unique per dealer, which
-- is where staff read it (the booking INSERT says ON CONFLICT (dealer_id,
-- reference)); the manage hash is unique per dealer with the hash first, so
-- the same index serves the manage link's lookup by hash alone.
ALTER TABLE appointments DROP CONSTRAINT appointments_reference_key;
ALTER TABLE appointments DROP CONSTRAINT appointments_manage_hash_key;
DROP INDEX appointments_id;
CREATE UNIQUE INDEX appointments_reference ON appointments (dealer_id, reference);
CREATE UNIQUE INDEX appointments_manage ON appointments (manage_hash, dealer_id);
CREATE INDEX appointments_id ON appointments (id);

-- holds: always read and deleted with their dealer.
ALTER TABLE holds DROP CONSTRAINT holds_token_hash_key;
CREATE UNIQUE INDEX holds_token ON holds (dealer_id, token_hash);

-- leads: GET /leads/{id} knows no dealer.
DROP INDEX leads_id;
CREATE INDEX leads_id ON leads (id);

-- outbox: PRIMARY KEY (dealer_id, id) ('' for installation-wide mail); the
-- sender marks rows by id.
ALTER TABLE outbox DROP CONSTRAINT outbox_pkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_dealer_id_id_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_pkey PRIMARY KEY (dealer_id, id);
CREATE INDEX outbox_id ON outbox (id);

-- audit: installation-wide entries (brands, users without a dealer) had a
-- NULL dealer_id; they become '' as in the outbox, so dealer_id can lead the
-- primary key. The installation-wide list (newest first across dealers)
-- keeps an index on id; audit_dealer is the primary key now.
UPDATE audit SET dealer_id = '' WHERE dealer_id IS NULL;
ALTER TABLE audit ALTER COLUMN dealer_id SET DEFAULT '', ALTER COLUMN dealer_id SET NOT NULL;
ALTER TABLE audit DROP CONSTRAINT audit_pkey;
DROP INDEX audit_dealer;
ALTER TABLE audit ADD CONSTRAINT audit_pkey PRIMARY KEY (dealer_id, id);
CREATE INDEX audit_id ON audit (id);
