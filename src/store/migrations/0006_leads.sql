-- Leads: intake from every channel, the follow-up pipeline, and what the
-- dealer set for assignment, response targets and duplicate suppression.

CREATE TABLE leads (
  dealer_id         TEXT NOT NULL REFERENCES dealers(id),
  id                TEXT NOT NULL,
  customer_id       TEXT NOT NULL REFERENCES customers(id),
  source            TEXT NOT NULL,            -- brand-website, a portal's name, showroom, ...
  channel           TEXT NOT NULL,            -- web, phone, email, walk_in, partner
  status            TEXT NOT NULL,            -- new, contacted, qualified, test_drive, offer, won, lost
  lost_reason       TEXT,
  assigned_to       TEXT REFERENCES users(id),
  condition         TEXT,                     -- new | used | NULL: of the vehicle of interest
  make              TEXT,
  model             TEXT,
  brand_id          TEXT REFERENCES brands(id),
  interest_json     TEXT,                     -- the vehicle of interest as sent
  trade_in_json     TEXT,
  message           TEXT,
  dedupe_key        TEXT NOT NULL,            -- customer + source + vehicle of interest
  repeats           INTEGER NOT NULL DEFAULT 0, -- the same lead sent again within the window
  raw_document      TEXT,                     -- an ADF document as received, for audit
  received_at       BIGINT NOT NULL,
  first_response_at BIGINT,
  test_drive_at     BIGINT,
  closed_at         BIGINT,
  version           BIGINT NOT NULL DEFAULT 1,
  updated_at        BIGINT NOT NULL,
  PRIMARY KEY (dealer_id, id)
);
CREATE UNIQUE INDEX leads_id ON leads (id);
CREATE INDEX leads_inbox ON leads (dealer_id, status, received_at);
CREATE INDEX leads_dedupe ON leads (dealer_id, dedupe_key, received_at);
CREATE INDEX leads_assigned ON leads (assigned_to, status);
CREATE INDEX leads_customer ON leads (customer_id);
CREATE INDEX leads_received ON leads (dealer_id, received_at);

CREATE TABLE lead_settings (
  dealer_id           TEXT PRIMARY KEY REFERENCES dealers(id),
  response_target_min INTEGER NOT NULL DEFAULT 60,
  dedupe_window_hours INTEGER NOT NULL DEFAULT 72,
  rules_json          TEXT NOT NULL DEFAULT '[]',  -- [{brand_id?, condition?, users:[…]}], first match wins
  next_turn           BIGINT NOT NULL DEFAULT 0,   -- round-robin position
  updated_at          BIGINT NOT NULL
);

CREATE INDEX appointments_created ON appointments (dealer_id, created_at);
