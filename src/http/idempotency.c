/* Answers are kept in the idempotency table through the store. A key is
 * reserved before the handler runs (the primary key makes one request win),
 * so retries that arrive while the first is still working get 409 instead
 * of doing the work twice; the answer replaces the reservation when it is a
 * success, and the reservation is dropped otherwise so the client may retry.
 * A reservation left by a crash expires with the key (24 hours). */
#include <string.h>
#include "app.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/internal.h"
#include "http/idempotency.h"
#include "store/store.h"

enum { TTL_MS = 24 * 3600 * 1000, IN_PROGRESS = 0 };

static int reserve(fc_db *db, fc_req *r, const char *who, const char *key, int64_t now) {
  if (fc_db_exec(db,
                 "INSERT INTO idempotency (principal_id, idem_key, method, path, status, body, created_at) "
                 "VALUES (?, ?, ?, ?, 0, '', ?) ON CONFLICT (principal_id, idem_key) DO NOTHING",
                 "ssssi", who, key, r->method, r->path, now))
    return -1;
  return fc_db_changes(db) == 1;
}

int fc_idempotency_replay(fc_req *r, const char *who, const char *key) {
  fc_db *db = NULL;
  if (fc_store_db(fc_req_app(r)->store, &db)) return 0;
  int64_t now = fc_time_now_ms();
  /* An expired answer frees its key. */
  if (fc_db_exec(db, "DELETE FROM idempotency WHERE principal_id = ? AND idem_key = ? AND created_at <= ?", "ssi", who,
                 key, now - TTL_MS))
    return 0;
  int got = reserve(db, r, who, key, now);
  if (got != 0) return 0; /* reserved (1), or the store failed (-1): go on without */
  fc_stmt *st = NULL;
  if (fc_db_query(db, &st, "SELECT status, body, method, path FROM idempotency WHERE principal_id = ? AND idem_key = ?",
                  "ss", who, key))
    return 0;
  int replied = 0;
  if (fc_stmt_step(st) == 1) {
    replied = 1;
    const char *m = fc_col_text(st, 2), *p = fc_col_text(st, 3);
    if (strcmp(m, r->method) != 0 || strcmp(p, r->path) != 0) {
      fc_reply_error(r, FC_ECONFLICT, "this Idempotency-Key was used for another request");
    } else if (fc_col_int(st, 0) == IN_PROGRESS) {
      fc_reply_error(r, FC_ECONFLICT, "a request with this Idempotency-Key is still being processed; retry shortly");
    } else {
      const char *body = fc_col_text(st, 1);
      fc_reply_raw(r, (int)fc_col_int(st, 0), "application/json; charset=utf-8", body, strlen(body));
      fc_reply_header(r, "Idempotency-Replayed", "true");
    }
  }
  fc_stmt_done(st);
  return replied;
}

void fc_idempotency_remember(fc_req *r, const char *who, const char *key) {
  fc_db *db = NULL;
  if (fc_store_db(fc_req_app(r)->store, &db)) return;
  fc_err err;
  if (r->status >= 200 && r->status < 300)
    err = fc_db_exec(db,
                     "UPDATE idempotency SET status = ?, body = ? WHERE principal_id = ? AND idem_key = ? AND status = 0",
                     "isss", (int64_t)r->status, r->reply_body ? r->reply_body : "", who, key);
  else /* a failure is not remembered: the client may correct and retry */
    err = fc_db_exec(db, "DELETE FROM idempotency WHERE principal_id = ? AND idem_key = ? AND status = 0", "ss", who, key);
  if (err) fc_logf(FC_LOG_WARN, "could not record the answer for an idempotency key");
}
