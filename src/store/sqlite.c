/* SQLite implementation of store.h.
 *
 * One connection per thread (SQLite connections must not be shared between
 * threads without serialisation, and WAL lets readers run beside the one
 * writer). Each connection caches its prepared statements, keyed by the SQL
 * text. Durability: WAL with synchronous=NORMAL survives a process crash but
 * not a power cut; see docs/operations.md. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/embedded.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "store/store.h"

enum { CACHE_SLOTS = 256, BUSY_TIMEOUT_MS = 5000 };

typedef struct cached {
  char *sql;
  unsigned hash;
  sqlite3_stmt *stmt;
} cached;

struct fc_stmt {
  sqlite3_stmt *stmt;
  fc_db *db;
};

struct fc_db {
  fc_store *store;
  sqlite3 *conn;
  struct fc_db *next;
  cached cache[CACHE_SLOTS];
  fc_stmt handle; /* statements are used one at a time per connection... */
  fc_stmt handles[8]; /* ...or a few nested: a small ring */
  int next_handle;
  int in_tx;
};

struct fc_store {
  char *path;
  pthread_mutex_t lock;
  fc_db *all;
  atomic_int open;
  atomic_ullong queries;
  unsigned generation;
};

/* The calling thread's connection for the store of a given generation. */
static _Thread_local fc_db *tls_db;
static _Thread_local unsigned tls_generation;
static atomic_uint generations;

/* Creates the database's folder when its own parent exists (var/ on a
 * fresh checkout), never a whole missing tree: a mistyped path fails. */
static fc_err mkdir_parent(const char *path) {
  char *dir = strdup(path);
  if (!dir) return FC_ENOMEM;
  char *slash = strrchr(dir, '/');
  fc_err err = FC_OK;
  if (slash && slash != dir) {
    *slash = 0;
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) err = FC_EDB;
  }
  free(dir);
  return err;
}

static fc_err open_conn(fc_store *s, sqlite3 **out) {
  sqlite3 *c = NULL;
  int rc = sqlite3_open_v2(s->path, &c,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    fc_logf(FC_LOG_ERROR, "cannot open database %s: %s", s->path, c ? sqlite3_errmsg(c) : "?");
    sqlite3_close(c);
    return FC_EDB;
  }
  sqlite3_busy_timeout(c, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes(c, 1);
  rc = sqlite3_exec(c,
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    "PRAGMA temp_store=MEMORY;",
                    NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    fc_logf(FC_LOG_ERROR, "cannot configure database: %s", sqlite3_errmsg(c));
    sqlite3_close(c);
    return FC_EDB;
  }
  *out = c;
  return FC_OK;
}

fc_err fc_store_open(const char *url, fc_store **out) {
  *out = NULL;
  if (!url || !*url) return FC_EINVAL;
  if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
    fc_logf(FC_LOG_ERROR, "this build has no PostgreSQL store yet");
    return FC_EINVAL;
  }
  fc_err err = mkdir_parent(url);
  if (err) return err;
  fc_store *s = calloc(1, sizeof *s);
  if (!s) return FC_ENOMEM;
  s->path = strdup(url);
  pthread_mutex_init(&s->lock, NULL);
  s->generation = atomic_fetch_add(&generations, 1) + 1;
  if (!s->path) {
    fc_store_close(s);
    return FC_ENOMEM;
  }
  /* Open once now so a bad path fails at start-up, not on the first request. */
  fc_db *db = NULL;
  err = fc_store_db(s, &db);
  if (err) {
    fc_store_close(s);
    return err;
  }
  *out = s;
  return FC_OK;
}

static void close_db(fc_db *db) {
  for (int i = 0; i < CACHE_SLOTS; i++) {
    sqlite3_finalize(db->cache[i].stmt);
    free(db->cache[i].sql);
  }
  sqlite3_close(db->conn);
  free(db);
}

void fc_store_close(fc_store *s) {
  if (!s) return;
  fc_db *db = s->all;
  while (db) {
    fc_db *next = db->next;
    close_db(db);
    db = next;
  }
  if (tls_generation == s->generation) tls_db = NULL;
  pthread_mutex_destroy(&s->lock);
  free(s->path);
  free(s);
}

fc_dialect fc_store_dialect(const fc_store *s) { return FC_DIALECT_SQLITE; }

/* FTS5 with the trigram tokenizer over <table>_fts, an external-content index
 * of <table>.search_doc kept in step by triggers (see the .sqlite.sql migrations).
 * Trigrams need three characters; shorter needles fall back to a prefix. */
const char *fc_store_contains_sql(fc_store *s, const char *table, size_t needle_len) {
  static _Thread_local char buf[256];
  if (needle_len >= 3)
    snprintf(buf, sizeof buf, "%s.rowid IN (SELECT rowid FROM %s_fts WHERE %s_fts MATCH ?)", table, table, table);
  else
    snprintf(buf, sizeof buf, "%s.search_doc LIKE ? ESCAPE '\\'", table);
  return buf;
}

void fc_store_contains_arg(fc_store *s, const char *needle, char *out, size_t cap) {
  size_t n = strlen(needle), o = 0;
  if (n >= 3) { /* an FTS5 string: double the quotes */
    out[o++] = '"';
    for (size_t i = 0; i < n && o + 3 < cap; i++) {
      if (needle[i] == '"') out[o++] = '"';
      out[o++] = needle[i];
    }
    out[o++] = '"';
  } else { /* a LIKE prefix: escape the wildcards */
    for (size_t i = 0; i < n && o + 3 < cap; i++) {
      if (needle[i] == '%' || needle[i] == '_' || needle[i] == '\\') out[o++] = '\\';
      out[o++] = needle[i];
    }
    out[o++] = '%';
  }
  out[o] = 0;
}

fc_err fc_store_db(fc_store *s, fc_db **out) {
  *out = NULL;
  if (tls_db && tls_generation == s->generation) {
    *out = tls_db;
    return FC_OK;
  }
  fc_db *db = calloc(1, sizeof *db);
  if (!db) return FC_ENOMEM;
  fc_err err = open_conn(s, &db->conn);
  if (err) {
    free(db);
    return err;
  }
  db->store = s;
  pthread_mutex_lock(&s->lock);
  db->next = s->all;
  s->all = db;
  pthread_mutex_unlock(&s->lock);
  atomic_fetch_add(&s->open, 1);
  tls_db = db;
  tls_generation = s->generation;
  *out = db;
  return FC_OK;
}

int fc_store_connections_open(fc_store *s) { return atomic_load(&s->open); }
uint64_t fc_store_queries_total(fc_store *s) { return atomic_load(&s->queries); }

static fc_err map_rc(fc_db *db, int rc, const char *sql) {
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return FC_ECONFLICT;
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return FC_EINVAL;
  if (primary == SQLITE_CONSTRAINT) return FC_EINVAL;
  fc_logf(FC_LOG_ERROR, "database error %d (%s) in: %.200s", rc, sqlite3_errmsg(db->conn),
          sql ? sql : "?");
  return FC_EDB;
}

static fc_err simple(fc_db *db, const char *sql) {
  int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? FC_OK : map_rc(db, rc, sql);
}

fc_err fc_db_begin(fc_db *db) {
  if (db->in_tx) return FC_EINTERNAL;
  fc_err err = simple(db, "BEGIN IMMEDIATE");
  if (!err) db->in_tx = 1;
  return err;
}

fc_err fc_db_commit(fc_db *db) {
  fc_err err = simple(db, "COMMIT");
  if (err) fc_db_rollback(db);
  db->in_tx = 0;
  return err;
}

void fc_db_rollback(fc_db *db) {
  if (sqlite3_get_autocommit(db->conn) == 0) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
  db->in_tx = 0;
}

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

static unsigned hash_sql(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static fc_err prepare(fc_db *db, const char *sql, sqlite3_stmt **out) {
  unsigned h = hash_sql(sql);
  unsigned slot = h % CACHE_SLOTS;
  for (unsigned probe = 0; probe < CACHE_SLOTS; probe++, slot = (slot + 1) % CACHE_SLOTS) {
    cached *c = &db->cache[slot];
    if (!c->sql) break;
    if (c->hash == h && strcmp(c->sql, sql) == 0) {
      *out = c->stmt;
      return FC_OK;
    }
  }
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) return map_rc(db, rc, sql);
  cached *c = &db->cache[slot];
  if (c->sql) { /* cache full along this probe: replace the slot */
    sqlite3_finalize(c->stmt);
    free(c->sql);
  }
  c->sql = strdup(sql);
  if (!c->sql) {
    sqlite3_finalize(st);
    c->stmt = NULL;
    return FC_ENOMEM;
  }
  c->hash = h;
  c->stmt = st;
  *out = st;
  return FC_OK;
}

static fc_err bind_all(fc_db *db, sqlite3_stmt *st, const char *sql, const char *types, va_list ap) {
  int n = 0;
  for (const char *t = types ? types : ""; *t; t++) {
    int rc;
    n++;
    switch (*t) {
    case 's': {
      const char *v = va_arg(ap, const char *);
      rc = v ? sqlite3_bind_text(st, n, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, n);
      break;
    }
    case 'i': rc = sqlite3_bind_int64(st, n, va_arg(ap, int64_t)); break;
    case 'I': {
      const int64_t *v = va_arg(ap, const int64_t *);
      rc = v ? sqlite3_bind_int64(st, n, *v) : sqlite3_bind_null(st, n);
      break;
    }
    case 'd': rc = sqlite3_bind_double(st, n, va_arg(ap, double)); break;
    default: return FC_EINTERNAL;
    }
    if (rc != SQLITE_OK) return map_rc(db, rc, sql);
  }
  if (n != sqlite3_bind_parameter_count(st)) {
    fc_logf(FC_LOG_ERROR, "bind count %d != %d in: %.200s", n, sqlite3_bind_parameter_count(st), sql);
    return FC_EINTERNAL;
  }
  return FC_OK;
}

static fc_err vquery(fc_db *db, sqlite3_stmt **out, const char *sql, const char *types, va_list ap) {
  sqlite3_stmt *st = NULL;
  fc_err err = prepare(db, sql, &st);
  if (err) return err;
  if (sqlite3_stmt_busy(st)) { /* the same SQL still open higher up the stack */
    fc_logf(FC_LOG_ERROR, "statement reused while open: %.200s", sql);
    return FC_EINTERNAL;
  }
  sqlite3_clear_bindings(st);
  err = bind_all(db, st, sql, types, ap);
  if (err) {
    sqlite3_reset(st);
    return err;
  }
  atomic_fetch_add(&db->store->queries, 1);
  *out = st;
  return FC_OK;
}

fc_err fc_db_query(fc_db *db, fc_stmt **out, const char *sql, const char *types, ...) {
  *out = NULL;
  sqlite3_stmt *st = NULL;
  va_list ap;
  va_start(ap, types);
  fc_err err = vquery(db, &st, sql, types, ap);
  va_end(ap);
  if (err) return err;
  fc_stmt *h = &db->handles[db->next_handle];
  db->next_handle = (db->next_handle + 1) % 8;
  h->stmt = st;
  h->db = db;
  *out = h;
  return FC_OK;
}

fc_err fc_db_exec(fc_db *db, const char *sql, const char *types, ...) {
  sqlite3_stmt *st = NULL;
  va_list ap;
  va_start(ap, types);
  fc_err err = vquery(db, &st, sql, types, ap);
  va_end(ap);
  if (err) return err;
  int rc = sqlite3_step(st);
  while (rc == SQLITE_ROW) rc = sqlite3_step(st);
  err = rc == SQLITE_DONE ? FC_OK : map_rc(db, sqlite3_extended_errcode(db->conn), sql);
  sqlite3_reset(st);
  return err;
}

int64_t fc_db_changes(fc_db *db) { return sqlite3_changes64(db->conn); }

int fc_stmt_step(fc_stmt *st) {
  int rc = sqlite3_step(st->stmt);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  (void)map_rc(st->db, sqlite3_extended_errcode(st->db->conn), sqlite3_sql(st->stmt));
  return -1;
}

void fc_stmt_done(fc_stmt *st) {
  if (st && st->stmt) {
    sqlite3_reset(st->stmt);
    st->stmt = NULL;
  }
}

const char *fc_col_text(fc_stmt *st, int i) { return (const char *)sqlite3_column_text(st->stmt, i); }
int64_t fc_col_int(fc_stmt *st, int i) { return sqlite3_column_int64(st->stmt, i); }
double fc_col_double(fc_stmt *st, int i) { return sqlite3_column_double(st->stmt, i); }
int fc_col_null(fc_stmt *st, int i) { return sqlite3_column_type(st->stmt, i) == SQLITE_NULL; }

/* Migrations: the embedded files named NNNN_*.sql, applied in name order and
 * recorded in schema_migrations. */
fc_err fc_store_migrate(fc_store *s, int *applied) {
  if (applied) *applied = 0;
  fc_db *db = NULL;
  fc_err err = fc_store_db(s, &db);
  if (err) return err;
  err = simple(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  if (err) return err;
  for (const fc_embedded_file *f = fc_embedded; f->name; f++) {
    size_t len = strlen(f->name);
    if (len < 5 || strcmp(f->name + len - 4, ".sql") != 0) continue;
    /* NNNN_name.sql serves every store; NNNN_name.<dialect>.sql only that one. */
    if (len > 11 && strcmp(f->name + len - 11, ".postgres.sql") == 0) continue;
    int version = atoi(f->name);
    if (version <= 0) continue;
    err = fc_db_begin(db);
    if (err) return err;
    fc_stmt *st = NULL;
    err = fc_db_query(db, &st, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
                      (int64_t)version);
    if (err) goto fail;
    int seen = fc_stmt_step(st);
    fc_stmt_done(st);
    if (seen < 0) {
      err = FC_EDB;
      goto fail;
    }
    if (seen) {
      fc_db_rollback(db);
      continue;
    }
    err = simple(db, f->data);
    if (err) {
      fc_logf(FC_LOG_ERROR, "migration %s failed", f->name);
      goto fail;
    }
    err = fc_db_exec(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     "isi", (int64_t)version, f->name, fc_time_now_ms());
    if (err) goto fail;
    err = fc_db_commit(db);
    if (err) return err;
    if (applied) (*applied)++;
    fc_logf(FC_LOG_INFO, "applied migration %s", f->name);
  }
  return FC_OK;
fail:
  fc_db_rollback(db);
  return err;
}

fc_err fc_store_backup(fc_store *s, const char *path) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp) return FC_EINVAL;
  unlink(tmp);
  fc_db *db = NULL;
  fc_err err = fc_store_db(s, &db);
  if (err) return err;
  sqlite3 *dst = NULL;
  if (sqlite3_open(tmp, &dst) != SQLITE_OK) {
    sqlite3_close(dst);
    return FC_EDB;
  }
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->conn, "main");
  int rc = SQLITE_ERROR;
  if (b) {
    /* Copy in steps so writers are not held off for the whole copy; a write
     * in between restarts the copy, so the result is one consistent snapshot. */
    do {
      rc = sqlite3_backup_step(b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(5);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
  }
  if (rc == SQLITE_DONE) rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
  sqlite3_close(dst);
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    unlink(tmp);
    return FC_EDB;
  }
  if (rename(tmp, path) != 0) {
    unlink(tmp);
    return FC_EDB;
  }
  return FC_OK;
}
