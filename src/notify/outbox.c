/* Queueing, cancelling and erasing outbox messages, in the caller's
 * transaction. The sending side is sender.c; the table is migration 0005.
 *
 * Idempotent queueing rests on the unique (dealer_id, dedupe_key) and
 * INSERT ... ON CONFLICT DO NOTHING, which both stores understand and which,
 * unlike catching a unique violation, leaves a PostgreSQL transaction usable. */
#include <string.h>
#include "auth/policy.h"
#include "core/id.h"
#include "core/timeutil.h"
#include "notify/outbox.h"
#include "notify/smtp.h"

enum { MAX_KEY = 200 };

/* Number of characters (not bytes) of UTF-8 s: SQL substr counts characters. */
static int64_t utf8_chars(const char *s) {
  int64_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

fc_err fc_outbox_email(fc_ctx *c, const char *dealer_id, const char *to, const char *subject,
                       const char *text, const char *ics, const char *kind, int64_t due_at_ms,
                       const char *dedupe_key) {
  if (!fc_smtp_address_valid(to))
    return fc_fail(&c->err, FC_EINVAL, "outbox: the recipient address is not valid");
  if (!fc_smtp_header_text_valid(subject, FC_SMTP_MAX_SUBJECT))
    return fc_fail(&c->err, FC_EINVAL, "outbox: the subject is too long or holds control characters");
  if (!text || strlen(text) > FC_SMTP_MAX_BODY)
    return fc_fail(&c->err, FC_EINVAL, "outbox: the text is missing or longer than 256 KiB");
  if (ics && strlen(ics) > FC_SMTP_MAX_BODY)
    return fc_fail(&c->err, FC_EINVAL, "outbox: the calendar is longer than 256 KiB");
  if (!kind || (strcmp(kind, "transactional") != 0 && strcmp(kind, "marketing") != 0))
    return fc_fail(&c->err, FC_EINVAL, "outbox: kind must be transactional or marketing");
  if (!dedupe_key || !*dedupe_key || !fc_smtp_header_text_valid(dedupe_key, MAX_KEY))
    return fc_fail(&c->err, FC_EINVAL, "outbox: a dedupe key of at most 200 characters is required");
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  int64_t now = fc_time_now_ms();
  return fc_db_exec(
      c->db,
      "INSERT INTO outbox (id, dealer_id, channel, kind, dedupe_key, recipient, subject, body_text, "
      "ics, status, attempts, due_at, created_by, request_id, created_at) "
      "VALUES (?, ?, 'email', ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) "
      "ON CONFLICT (dealer_id, dedupe_key) DO NOTHING",
      "ssssssssissi", id, dealer_id ? dealer_id : "", kind, dedupe_key, to, subject, text, ics,
      due_at_ms > 0 ? due_at_ms : now, c->who && c->who->id[0] ? c->who->id : NULL, c->request_id, now);
}

fc_err fc_outbox_cancel(fc_ctx *c, const char *dealer_id, const char *key_prefix) {
  if (!key_prefix || !*key_prefix || strlen(key_prefix) > MAX_KEY)
    return fc_fail(&c->err, FC_EINVAL, "outbox: a key prefix of 1 to 200 characters is required");
  /* substr rather than LIKE: SQLite's LIKE ignores ASCII case and both
   * treat % and _ as wildcards; a key is compared exactly. The bound
   * dedupe_key >= prefix (true of every key that starts with it, in any
   * collation) starts the walk of the (dealer_id, dedupe_key) index there:
   * without it, each booking read every pending message of the network
   * (10 ms at network scale). */
  return fc_db_exec(c->db,
                    "UPDATE outbox SET status = 'cancelled' WHERE dealer_id = ? AND dedupe_key >= ? "
                    "AND substr(dedupe_key, 1, CAST(? AS INTEGER)) = ? AND status = 'pending'",
                    "ssis", dealer_id ? dealer_id : "", key_prefix, utf8_chars(key_prefix), key_prefix);
}

fc_err fc_outbox_erase(fc_ctx *c, const char *dealer_id, const char *to) {
  if (!to || !*to) return fc_fail(&c->err, FC_EINVAL, "outbox: an address is required");
  const char *d = dealer_id ? dealer_id : "";
  fc_err err = fc_db_exec(c->db,
                          "UPDATE outbox SET status = 'cancelled' "
                          "WHERE dealer_id = ? AND status = 'pending' AND lower(recipient) = lower(?)",
                          "ss", d, to);
  if (err) return err;
  return fc_db_exec(
      c->db,
      "UPDATE outbox SET recipient = '', subject = '', body_text = '', ics = NULL, last_error = NULL "
      "WHERE dealer_id = ? AND lower(recipient) = lower(?)",
      "ss", d, to);
}

fc_err fc_outbox_counts(fc_store *s, long long *pending, long long *sent, long long *failed) {
  if (pending) *pending = 0;
  if (sent) *sent = 0;
  if (failed) *failed = 0;
  fc_db *db = NULL;
  fc_err err = fc_store_db(s, &db);
  if (err) return err;
  fc_stmt *st = NULL;
  err = fc_db_query(db, &st, "SELECT status, COUNT(*) FROM outbox GROUP BY status", "");
  if (err) return err;
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) {
    const char *status = fc_col_text(st, 0);
    long long n = (long long)fc_col_int(st, 1);
    if (!status) continue;
    if (pending && strcmp(status, "pending") == 0) *pending = n;
    if (sent && strcmp(status, "sent") == 0) *sent = n;
    if (failed && strcmp(status, "failed") == 0) *failed = n;
  }
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}
