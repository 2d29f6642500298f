/* The store's public functions: dispatch to the implementation chosen by the
 * URL, and what is the same for every implementation (migrations,
 * transactions as a function). */
#include <stdlib.h>
#include <string.h>
#include "core/embedded.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "store/internal.h"

fc_err fc_store_open(const char *url, fc_store **out) {
  *out = NULL;
  if (!url || !*url) return FC_EINVAL;
  if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) return fc_postgres_open(url, out);
  return fc_sqlite_open(url, out);
}

void fc_store_close(fc_store *s) {
  if (s) s->ops->close(s);
}
fc_dialect fc_store_dialect(const fc_store *s) { return s->dialect; }
fc_err fc_store_db(fc_store *s, fc_db **out) { return s->ops->db(s, out); }
fc_err fc_store_backup(fc_store *s, const char *path) { return s->ops->backup(s, path); }
int fc_store_connections_open(fc_store *s) { return s->ops->connections_open(s); }
uint64_t fc_store_queries_total(fc_store *s) { return s->ops->queries_total(s); }
int fc_store_identifier_ok(const char *t) {
  if (!t || !*t || strlen(t) > 40 || (*t >= '0' && *t <= '9')) return 0;
  for (; *t; t++)
    if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_')) return 0;
  return 1;
}

const char *fc_store_contains_sql(fc_store *s, const char *table, const char *scope_table, const char *scope_column,
                                  size_t len1, size_t len2) {
  if (!fc_store_identifier_ok(table) || !fc_store_identifier_ok(scope_table) || !fc_store_identifier_ok(scope_column))
    return len2 ? "(0 = 1 AND ? IS NULL AND ? IS NULL AND ? IS NULL AND ? IS NULL AND ? IS NULL)"
                : "(0 = 1 AND ? IS NULL AND ? IS NULL AND ? IS NULL)";
  return s->ops->contains_sql(s, table, scope_table, scope_column, len1, len2);
}

size_t fc_store_utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

void fc_store_like_pattern(const char *needle, int anywhere, char *out, size_t cap) {
  size_t o = 0;
  if (cap < 4) {
    if (cap) out[0] = 0;
    return;
  }
  if (anywhere) out[o++] = '%';
  for (const char *p = needle; *p && o + 3 < cap; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') out[o++] = '\\';
    out[o++] = *p;
  }
  out[o++] = '%';
  out[o] = 0;
}
void fc_store_contains_arg(fc_store *s, const char *needle, char *out, size_t cap) {
  s->ops->contains_arg(s, needle, out, cap);
}
const char *fc_store_skip_locked(fc_store *s) { return s->ops->skip_locked(s); }

fc_err fc_db_begin(fc_db *db) { return db->store->ops->begin(db); }
fc_err fc_db_commit(fc_db *db) { return db->store->ops->commit(db); }
void fc_db_rollback(fc_db *db) { db->store->ops->rollback(db); }
int64_t fc_db_changes(fc_db *db) { return db->store->ops->changes(db); }

fc_err fc_db_tx(fc_db *db, fc_err (*fn)(fc_db *, void *), void *ctx) {
  fc_err err = fc_db_begin(db);
  if (err) return err;
  err = fn(db, ctx);
  if (err) {
    fc_db_rollback(db);
    return err;
  }
  return fc_db_commit(db);
}

fc_err fc_db_query(fc_db *db, fc_stmt **out, const char *sql, const char *types, ...) {
  *out = NULL;
  va_list ap;
  va_start(ap, types);
  fc_err err = db->store->ops->vquery(db, out, sql, types, ap);
  va_end(ap);
  return err;
}

fc_err fc_db_exec(fc_db *db, const char *sql, const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  fc_err err = db->store->ops->vexec(db, sql, types, ap);
  va_end(ap);
  return err;
}

int fc_stmt_step(fc_stmt *st) { return st->db->store->ops->step(st); }
void fc_stmt_done(fc_stmt *st) {
  if (st) st->db->store->ops->done(st);
}
const char *fc_col_text(fc_stmt *st, int i) { return st->db->store->ops->col_text(st, i); }
int fc_col_null(fc_stmt *st, int i) { return st->db->store->ops->col_null(st, i); }
int64_t fc_col_int(fc_stmt *st, int i) { return st->db->store->ops->col_int(st, i); }
double fc_col_double(fc_stmt *st, int i) {
  const char *t = fc_col_text(st, i);
  return t ? strtod(t, NULL) : 0.0;
}

/* Whether a migration file is for this dialect: NNNN_name.sql serves every
 * store, NNNN_name.sqlite.sql and NNNN_name.postgres.sql only theirs. */
static int migration_applies(const char *name, fc_dialect d) {
  size_t len = strlen(name);
  if (len < 5 || strcmp(name + len - 4, ".sql") != 0 || atoi(name) <= 0) return 0;
  int is_sqlite = len > 11 && strcmp(name + len - 11, ".sqlite.sql") == 0;
  int is_pg = len > 13 && strcmp(name + len - 13, ".postgres.sql") == 0;
  if (is_sqlite) return d == FC_DIALECT_SQLITE;
  if (is_pg) return d == FC_DIALECT_POSTGRES;
  return 1;
}

fc_err fc_store_migrate(fc_store *s, int *applied) {
  if (applied) *applied = 0;
  fc_db *db = NULL;
  fc_err err = fc_store_db(s, &db);
  if (err) return err;
  if ((err = s->ops->migration_lock(db, 1))) return err;
  err = s->ops->script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  for (const fc_embedded_file *f = fc_embedded; !err && f->name; f++) {
    if (!migration_applies(f->name, s->dialect)) continue;
    int version = atoi(f->name);
    if ((err = fc_db_begin(db))) break;
    fc_stmt *st = NULL;
    err = fc_db_query(db, &st, "SELECT 1 FROM schema_migrations WHERE version = ?", "i", (int64_t)version);
    int seen = err ? -1 : fc_stmt_step(st);
    fc_stmt_done(st);
    if (seen != 0) {
      fc_db_rollback(db);
      if (seen < 0 && !err) err = FC_EDB;
      continue;
    }
    err = s->ops->script(db, f->data);
    if (err) fc_logf(FC_LOG_ERROR, "migration %s failed", f->name);
    if (!err)
      err = fc_db_exec(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", "isi",
                       (int64_t)version, f->name, fc_time_now_ms());
    if (err) {
      fc_db_rollback(db);
      break;
    }
    if ((err = fc_db_commit(db))) break;
    if (applied) (*applied)++;
    fc_logf(FC_LOG_INFO, "applied migration %s", f->name);
  }
  fc_err unlock = s->ops->migration_lock(db, 0);
  return err ? err : unlock;
}
