-- The outbox: messages queued in the same transaction as the change that
-- caused them, sent later by the sender thread (src/notify/sender.c).
--
-- status: pending -> sent | failed | cancelled. A pending row is due when
-- due_at has passed; it is claimed by one instance (claimed_by) until
-- claimed_until, so two instances never send it both; a sent row keeps
-- claimed_by, the instance that sent it. Rows are kept after
-- sending: they are the record of what went to whom (kind says whether it
-- was transactional or marketing; created_by and request_id say who and
-- which request queued it).
--
-- dealer_id is '' for installation-wide messages. The dedupe key is unique
-- per dealer (dealer_id leads every unique key, so the table can be
-- distributed by dealer).
CREATE TABLE outbox (
  id            TEXT PRIMARY KEY,
  dealer_id     TEXT NOT NULL,
  channel       TEXT NOT NULL DEFAULT 'email',
  kind          TEXT NOT NULL,                 -- transactional | marketing
  dedupe_key    TEXT NOT NULL,
  recipient     TEXT NOT NULL,
  subject       TEXT NOT NULL,
  body_text     TEXT NOT NULL,
  ics           TEXT,
  status        TEXT NOT NULL DEFAULT 'pending',
  attempts      INTEGER NOT NULL DEFAULT 0,
  due_at        BIGINT NOT NULL,
  claimed_by    TEXT,
  claimed_until BIGINT,
  last_error    TEXT,
  created_by    TEXT,
  request_id    TEXT,
  created_at    BIGINT NOT NULL,
  sent_at       BIGINT,
  UNIQUE (dealer_id, id),
  UNIQUE (dealer_id, dedupe_key)
);
CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_recipient ON outbox (dealer_id, recipient);
