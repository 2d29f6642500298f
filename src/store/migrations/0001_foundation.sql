-- Foundation: organisations, accounts, sessions, API keys, audit, idempotency.
-- Portable SQL: TEXT ids, BIGINT epoch milliseconds (UTC), SMALLINT flags.

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE brands (
  id         TEXT PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE dealers (
  id         TEXT PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  timezone   TEXT NOT NULL,
  locale     TEXT NOT NULL,
  version    BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Franchises: a dealer may hold several brands.
CREATE TABLE dealer_brands (
  dealer_id TEXT NOT NULL REFERENCES dealers(id),
  brand_id  TEXT NOT NULL REFERENCES brands(id),
  PRIMARY KEY (dealer_id, brand_id)
);
CREATE INDEX dealer_brands_brand ON dealer_brands (brand_id, dealer_id);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,  -- stored case-folded
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  dealer_id     TEXT REFERENCES dealers(id),
  brand_id      TEXT REFERENCES brands(id),
  locale        TEXT,
  password_hash TEXT NOT NULL,
  disabled      SMALLINT NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);
CREATE INDEX users_dealer ON users (dealer_id, id);
CREATE INDEX users_brand ON users (brand_id, id);

-- Only a keyed hash of each token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  address    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  dealer_id  TEXT NOT NULL REFERENCES dealers(id),
  name       TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE audit (
  id          TEXT PRIMARY KEY,
  at          BIGINT NOT NULL,
  actor_id    TEXT,
  actor_kind  TEXT NOT NULL,   -- user, api_key, system
  dealer_id   TEXT,
  action      TEXT NOT NULL,   -- e.g. dealer.update
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  before_json TEXT,
  after_json  TEXT,
  request_id  TEXT
);
CREATE INDEX audit_dealer ON audit (dealer_id, id);

-- Answers to writes that carried an Idempotency-Key, replayed on retry.
CREATE TABLE idempotency (
  principal_id TEXT NOT NULL,
  idem_key     TEXT NOT NULL,
  method       TEXT NOT NULL,
  path         TEXT NOT NULL,
  status       INTEGER NOT NULL,
  body         TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (principal_id, idem_key)
);
