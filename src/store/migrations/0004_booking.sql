-- Workshop set-up, appointments (online, phone, walk-in), holds, tire storage.

-- The dealer's workshop document (hours, closures, resources, services, rules),
-- kept whole: it is read and written as one document.
CREATE TABLE workshops (
  dealer_id   TEXT PRIMARY KEY REFERENCES dealers(id),
  config_json TEXT NOT NULL,
  version     BIGINT NOT NULL DEFAULT 1,
  updated_at  BIGINT NOT NULL
);

CREATE TABLE appointments (
  dealer_id     TEXT NOT NULL REFERENCES dealers(id),
  id            TEXT NOT NULL,
  reference     TEXT NOT NULL UNIQUE,       -- FC-7K3Q9, for people
  manage_hash   TEXT UNIQUE,                -- keyed hash of the customer's manage token
  customer_id   TEXT NOT NULL REFERENCES customers(id),
  vehicle_id    TEXT REFERENCES vehicles(id),
  resource_id   TEXT,
  services_json TEXT NOT NULL,              -- ["oil","tires"]
  start_at      BIGINT NOT NULL,
  end_at        BIGINT NOT NULL,
  status        TEXT NOT NULL,              -- booked, checked_in, in_progress, ready, collected, no_show, cancelled
  channel       TEXT NOT NULL,              -- web, phone, walk_in
  language      TEXT,
  notes         TEXT,
  mileage_km    BIGINT,
  sequence      INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE: raised on every move or cancellation
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX appointments_time ON appointments (dealer_id, start_at);
CREATE INDEX appointments_customer ON appointments (customer_id);
CREATE UNIQUE INDEX appointments_id ON appointments (id);

-- A slot held while a customer types their details; expires by itself.
CREATE TABLE holds (
  dealer_id   TEXT NOT NULL REFERENCES dealers(id),
  id          TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  resource_id TEXT,
  start_at    BIGINT NOT NULL,
  end_at      BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX holds_time ON holds (dealer_id, start_at);

-- Tire hotel: the set a customer leaves at the dealer for the season.
CREATE TABLE tire_sets (
  dealer_id      TEXT NOT NULL REFERENCES dealers(id),
  id             TEXT NOT NULL,
  customer_id    TEXT NOT NULL REFERENCES customers(id),
  vehicle_id     TEXT REFERENCES vehicles(id),
  appointment_id TEXT,
  size           TEXT,
  brand          TEXT,
  season         TEXT,                      -- summer, winter, all_season
  tread_mm_json  TEXT,                      -- {"fl":6.5,"fr":6.4,"rl":5.9,"rr":6.0}
  location       TEXT,                      -- rack location
  stored_at      BIGINT NOT NULL,
  returned_at    BIGINT,
  PRIMARY KEY (dealer_id, id)
);
CREATE INDEX tire_sets_customer ON tire_sets (customer_id, stored_at);
