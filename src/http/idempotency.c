/* Answers are kept in the idempotency table through the store. The store is
 * reached via the app's accessor, so http/ stays free of domain code. */
#include <string.h>
#include "app.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/internal.h"
#include "http/idempotency.h"
#include "store/store.h"

enum { TTL_MS = 24 * 3600 * 1000 };

int fc_idempotency_replay(fc_req *r, const char *who, const char *key) {
  fc_db *db = NULL;
  if (fc_store_db(fc_req_app(r)->store, &db)) return 0;
  fc_stmt *st = NULL;
  if (fc_db_query(db, &st,
                  "SELECT status, body, method, path FROM idempotency "
                  "WHERE principal_id = ? AND idem_key = ? AND created_at > ?",
                  "ssi", who, key, fc_time_now_ms() - TTL_MS))
    return 0;
  int found = 0;
  if (fc_stmt_step(st) == 1) {
    found = 1;
    const char *m = fc_col_text(st, 2), *p = fc_col_text(st, 3);
    if (strcmp(m, r->method) != 0 || strcmp(p, r->path) != 0) {
      fc_reply_error(r, FC_ECONFLICT, "this Idempotency-Key was used for another request");
    } else {
      const char *body = fc_col_text(st, 1);
      fc_reply_raw(r, (int)fc_col_int(st, 0), "application/json; charset=utf-8", body, strlen(body));
      fc_reply_header(r, "Idempotency-Replayed", "true");
    }
  }
  fc_stmt_done(st);
  return found;
}

void fc_idempotency_remember(fc_req *r, const char *who, const char *key) {
  fc_db *db = NULL;
  if (fc_store_db(fc_req_app(r)->store, &db)) return;
  int64_t now = fc_time_now_ms();
  /* Expired keys of this caller go first, so a key can be reused after 24 h. */
  if (fc_db_exec(db, "DELETE FROM idempotency WHERE principal_id = ? AND created_at <= ?", "si", who,
                 now - TTL_MS) ||
      fc_db_exec(db,
                 "INSERT INTO idempotency (principal_id, idem_key, method, path, status, body, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 "ssssisi", who, key, r->method, r->path, (int64_t)r->status,
                 r->reply_body ? r->reply_body : "", now))
    fc_logf(FC_LOG_WARN, "could not remember idempotency key");
}
