-- Customers, vehicles, consents and the one timeline.

-- The dealer's country decides how phone numbers typed without +code are read.
ALTER TABLE dealers ADD COLUMN country TEXT;
-- Every table holding dealer data carries dealer_id in a unique key, so the
-- schema can be distributed by dealer later.

CREATE TABLE customers (
  id            TEXT PRIMARY KEY,
  dealer_id     TEXT NOT NULL REFERENCES dealers(id),
  kind          TEXT NOT NULL DEFAULT 'person',   -- person | company
  name          TEXT NOT NULL,                    -- as shown: full name, or the company's name
  first_name    TEXT,
  last_name     TEXT,
  company_name  TEXT,
  vat_number    TEXT,
  email         TEXT,                             -- as entered
  email_folded  TEXT,                             -- case-folded, for matching
  phone         TEXT,                             -- as entered
  phone_e164    TEXT,                             -- normalised, for matching
  language      TEXT,
  address_json  TEXT,
  contacts_json TEXT,                             -- a company's contact persons
  notes         TEXT,
  search_doc    TEXT NOT NULL DEFAULT '',         -- folded text that search matches
  version       BIGINT NOT NULL DEFAULT 1,
  erased_at     BIGINT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  UNIQUE (dealer_id, id)
);
CREATE INDEX customers_email ON customers (dealer_id, email_folded);
CREATE INDEX customers_phone ON customers (dealer_id, phone_e164);
CREATE INDEX customers_list ON customers (dealer_id, id);

-- A vehicle is one car across the installation (its VIN is unique); dealers
-- know it through dealer_vehicles and ownership periods.
CREATE TABLE vehicles (
  id               TEXT PRIMARY KEY,
  vin              TEXT UNIQUE,
  plate            TEXT,
  plate_compact    TEXT,
  make             TEXT,
  model            TEXT,
  model_year       INTEGER,
  software_version TEXT,
  warranty_end     TEXT,
  mileage_km       BIGINT,
  mileage_at       BIGINT,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX vehicles_plate ON vehicles (plate_compact);

CREATE TABLE dealer_vehicles (
  dealer_id  TEXT NOT NULL REFERENCES dealers(id),
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (dealer_id, vehicle_id)
);
CREATE INDEX dealer_vehicles_vehicle ON dealer_vehicles (vehicle_id);

CREATE TABLE ownerships (
  dealer_id   TEXT NOT NULL REFERENCES dealers(id),
  id          TEXT NOT NULL,
  vehicle_id  TEXT NOT NULL REFERENCES vehicles(id),
  customer_id TEXT NOT NULL REFERENCES customers(id),
  since       BIGINT NOT NULL,
  until       BIGINT,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX ownerships_customer ON ownerships (customer_id);
CREATE INDEX ownerships_vehicle ON ownerships (vehicle_id, dealer_id);

CREATE TABLE vehicle_readings (
  dealer_id        TEXT NOT NULL REFERENCES dealers(id),
  id               TEXT NOT NULL,
  vehicle_id       TEXT NOT NULL REFERENCES vehicles(id),
  at               BIGINT NOT NULL,
  source           TEXT NOT NULL,       -- workshop | customer | telematics
  mileage_km       BIGINT,
  correction       SMALLINT NOT NULL DEFAULT 0,
  fault_codes_json TEXT,
  software_version TEXT,
  actor_id         TEXT,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX readings_vehicle ON vehicle_readings (vehicle_id, at);

-- Consent per channel; the history is every row, the state the latest.
CREATE TABLE consents (
  dealer_id   TEXT NOT NULL REFERENCES dealers(id),
  id          TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  channel     TEXT NOT NULL,            -- email | sms | phone | post
  granted     SMALLINT NOT NULL,
  at          BIGINT NOT NULL,
  source      TEXT NOT NULL,            -- how: web_form, phone_call, in_person, paper, lead, import, ...
  actor_id    TEXT,                     -- by whom
  note        TEXT,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX consents_customer ON consents (customer_id, channel, id);

-- Keyed hashes of the contacts of people who withdrew consent and were then
-- erased, so a later import does not bring them back into marketing.
CREATE TABLE suppressions (
  dealer_id TEXT NOT NULL REFERENCES dealers(id),
  kind      TEXT NOT NULL,              -- email | phone
  hash      TEXT NOT NULL,
  at        BIGINT NOT NULL,
  PRIMARY KEY (dealer_id, kind, hash)
);

-- The timeline: every channel writes here; nothing else is the history.
CREATE TABLE events (
  dealer_id    TEXT NOT NULL REFERENCES dealers(id),
  id           TEXT NOT NULL,
  customer_id  TEXT NOT NULL REFERENCES customers(id),
  type         TEXT NOT NULL,
  channel      TEXT NOT NULL,
  at           BIGINT NOT NULL,
  actor_id     TEXT,
  actor_kind   TEXT NOT NULL,
  payload_json TEXT NOT NULL DEFAULT '{}',
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX events_customer ON events (customer_id, at, id);
