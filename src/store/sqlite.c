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
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/log.h"
#include "store/internal.h"

enum { CACHE_SLOTS = 256, BUSY_TIMEOUT_MS = 5000, HANDLES = 16 };

typedef struct cached {
  char *sql;
  unsigned hash;
  sqlite3_stmt *stmt;
} cached;

typedef struct sq_stmt {
  struct fc_stmt base;
  sqlite3_stmt *stmt;
} sq_stmt;

typedef struct sq_db {
  struct fc_db base;
  sqlite3 *conn;
  struct sq_db *next;
  cached cache[CACHE_SLOTS];
  sq_stmt handles[HANDLES]; /* statements open at once on this connection */
  int in_tx;
} sq_db;

typedef struct sq_store {
  struct fc_store base;
  char *path;
  pthread_mutex_t lock;
  pthread_mutex_t writer; /* held from BEGIN IMMEDIATE to COMMIT/ROLLBACK: see sq_begin */
  sq_db *all;
  atomic_int open;
  atomic_ullong queries;
  unsigned generation;
} sq_store;

/* The calling thread's connection, for the store of a given generation. */
static _Thread_local sq_db *tls_db;
static _Thread_local unsigned tls_generation;
static atomic_uint generations;

static const fc_store_ops sqlite_ops;

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

static fc_err open_conn(sq_store *s, sqlite3 **out) {
  sqlite3 *c = NULL;
  int rc = sqlite3_open_v2(s->path, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
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

static fc_err sq_db_get(fc_store *base, fc_db **out) {
  sq_store *s = (sq_store *)base;
  *out = NULL;
  if (tls_db && tls_generation == s->generation) {
    *out = &tls_db->base;
    return FC_OK;
  }
  sq_db *db = calloc(1, sizeof *db);
  if (!db) return FC_ENOMEM;
  fc_err err = open_conn(s, &db->conn);
  if (err) {
    free(db);
    return err;
  }
  db->base.store = base;
  for (int i = 0; i < HANDLES; i++) db->handles[i].base.db = &db->base;
  pthread_mutex_lock(&s->lock);
  db->next = s->all;
  s->all = db;
  pthread_mutex_unlock(&s->lock);
  atomic_fetch_add(&s->open, 1);
  tls_db = db;
  tls_generation = s->generation;
  *out = &db->base;
  return FC_OK;
}

fc_err fc_sqlite_open(const char *path, fc_store **out) {
  *out = NULL;
  fc_err err = mkdir_parent(path);
  if (err) return err;
  sq_store *s = calloc(1, sizeof *s);
  if (!s) return FC_ENOMEM;
  s->base.ops = &sqlite_ops;
  s->base.dialect = FC_DIALECT_SQLITE;
  s->path = strdup(path);
  pthread_mutex_init(&s->lock, NULL);
  pthread_mutex_init(&s->writer, NULL);
  s->generation = atomic_fetch_add(&generations, 1) + 1;
  /* Open once now so a bad path fails at start-up, not on the first request. */
  fc_db *db = NULL;
  if (!s->path) err = FC_ENOMEM;
  if (!err) err = sq_db_get(&s->base, &db);
  if (err) {
    sqlite_ops.close(&s->base);
    return err;
  }
  *out = &s->base;
  return FC_OK;
}

static void close_db(sq_db *db) {
  for (int i = 0; i < CACHE_SLOTS; i++) {
    sqlite3_finalize(db->cache[i].stmt);
    free(db->cache[i].sql);
  }
  sqlite3_close(db->conn);
  free(db);
}

static void sq_close(fc_store *base) {
  sq_store *s = (sq_store *)base;
  sq_db *db = s->all;
  while (db) {
    sq_db *next = db->next;
    close_db(db);
    db = next;
  }
  if (tls_generation == s->generation) tls_db = NULL;
  pthread_mutex_destroy(&s->lock);
  pthread_mutex_destroy(&s->writer);
  free(s->path);
  free(s);
}

static int sq_connections_open(fc_store *s) { return atomic_load(&((sq_store *)s)->open); }
static uint64_t sq_queries_total(fc_store *s) { return atomic_load(&((sq_store *)s)->queries); }

/* FTS5 with the trigram tokenizer over <table>_fts, an external-content index
 * of <table>.search_doc kept in step by triggers (see the .sqlite.sql
 * migrations), which also keep each row's rowid in its scope's block, from
 * seq * 2^32 up, filled from the top down: the newest row has the lowest
 * rowid. The match is restricted to the block, which FTS5 seeks in each
 * trigram's list, and walked newest first (ascending, which FTS5 does at
 * half the cost of descending) up to the cap. Trigrams need three
 * characters; shorter needles match a prefix, walking the block's rows
 * newest first. The scope column is compared too, so the answer is exact
 * whatever the row ids; its unary + keeps that comparison from driving the
 * plan (without statistics SQLite would walk the scope's whole index and
 * probe the lists of row ids, rather than read the rows those lists name). */
static void sq_match(char *out, size_t cap, const char *table, const char *scope_table, size_t needle_len) {
  static const char block[] = "m.rowid BETWEEN scope.seq * 4294967296 AND scope.seq * 4294967296 + 4294967295";
  if (needle_len >= 3)
    snprintf(out, cap,
             "%s.rowid IN (SELECT m.rowid FROM %s AS scope, %s_fts AS m WHERE scope.id = ? AND m.%s_fts MATCH ? "
             "AND %s ORDER BY m.rowid LIMIT %d)",
             table, scope_table, table, table, block, FC_STORE_CONTAINS_MAX);
  else
    snprintf(out, cap,
             "%s.rowid IN (SELECT m.rowid FROM %s AS scope, %s AS m WHERE scope.id = ? AND %s "
             "AND m.search_doc LIKE ? ESCAPE '\\' ORDER BY m.rowid LIMIT %d)",
             table, scope_table, table, block, FC_STORE_CONTAINS_MAX);
}

static const char *sq_contains_sql(fc_store *s, const char *table, const char *scope_table, const char *scope_column,
                                   size_t len1, size_t len2) {
  static _Thread_local char buf[1536];
  char m1[512], m2[512] = "";
  sq_match(m1, sizeof m1, table, scope_table, len1);
  if (len2) sq_match(m2, sizeof m2, table, scope_table, len2);
  snprintf(buf, sizeof buf, "(+%s.%s = ? AND (%s%s%s))", table, scope_column, m1, len2 ? " OR " : "", m2);
  return buf;
}

static void sq_contains_arg(fc_store *s, const char *needle, char *out, size_t cap) {
  if (fc_store_utf8_chars(needle) < 3) { /* a LIKE prefix */
    fc_store_like_pattern(needle, 0, out, cap);
    return;
  }
  size_t n = strlen(needle), o = 0; /* an FTS5 string: quotes doubled */
  out[o++] = '"';
  for (size_t i = 0; i < n && o + 3 < cap; i++) {
    if (needle[i] == '"') out[o++] = '"';
    out[o++] = needle[i];
  }
  out[o++] = '"';
  out[o] = 0;
}

/* BEGIN IMMEDIATE gives one writer at a time, so a claim made in a write
 * transaction is already exclusive: no row-locking clause is needed. */
static const char *sq_skip_locked(fc_store *s) { return ""; }

static fc_err map_rc(sq_db *db, int rc, const char *sql) {
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return FC_ECONFLICT;
  if (primary == SQLITE_CONSTRAINT) return FC_EINVAL;
  fc_logf(FC_LOG_ERROR, "database error %d (%s) in: %.200s", rc, sqlite3_errmsg(db->conn), sql ? sql : "?");
  return FC_EDB;
}

static fc_err sq_script(fc_db *base, const char *sql) {
  sq_db *db = (sq_db *)base;
  int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? FC_OK : map_rc(db, sqlite3_extended_errcode(db->conn), sql);
}

/* One file has one writer at a time already (BEGIN IMMEDIATE). */
static fc_err sq_migration_lock(fc_db *db, int take) { return FC_OK; }

static fc_err sq_begin(fc_db *base) {
  sq_db *db = (sq_db *)base;
  sq_store *s = (sq_store *)base->store;
  if (db->in_tx) return FC_EINTERNAL;
  /* The writers of this process queue on a mutex, which hands over at once,
   * rather than in SQLite's busy handler, which sleeps up to 100 ms between
   * tries: under load that made one booking in a hundred wait most of a
   * second. Other processes (forecourt backup, migrate) still meet the busy
   * handler. IMMEDIATE takes the write lock now, so two writers never
   * deadlock on upgrade. */
  pthread_mutex_lock(&s->writer);
  fc_err err = sq_script(base, "BEGIN IMMEDIATE");
  if (err) {
    pthread_mutex_unlock(&s->writer);
    return err;
  }
  db->in_tx = 1;
  return FC_OK;
}

static void end_tx(sq_db *db) {
  if (!db->in_tx) return;
  db->in_tx = 0;
  pthread_mutex_unlock(&((sq_store *)db->base.store)->writer);
}

static void sq_rollback(fc_db *base) {
  sq_db *db = (sq_db *)base;
  if (sqlite3_get_autocommit(db->conn) == 0) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
  end_tx(db);
}

static fc_err sq_commit(fc_db *base) {
  sq_db *db = (sq_db *)base;
  fc_err err = sq_script(base, "COMMIT");
  if (err) sq_rollback(base);
  end_tx(db);
  return err;
}

static unsigned hash_sql(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static fc_err prepare(sq_db *db, const char *sql, sqlite3_stmt **out) {
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

static fc_err bind_all(sq_db *db, sqlite3_stmt *st, const char *sql, const char *types, va_list ap) {
  int n = 0;
  /* Count before reading any argument: a types string that does not match
   * the SQL must not walk the variadic list past its end. */
  if ((int)strlen(types ? types : "") != sqlite3_bind_parameter_count(st)) {
    fc_logf(FC_LOG_ERROR, "bind count %zu != %d in: %.200s", strlen(types ? types : ""),
            sqlite3_bind_parameter_count(st), sql);
    return FC_EINTERNAL;
  }
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

static fc_err run_prepared(sq_db *db, sqlite3_stmt **out, const char *sql, const char *types, va_list ap) {
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
  atomic_fetch_add(&((sq_store *)db->base.store)->queries, 1);
  *out = st;
  return FC_OK;
}

static fc_err sq_vquery(fc_db *base, fc_stmt **out, const char *sql, const char *types, va_list ap) {
  sq_db *db = (sq_db *)base;
  sqlite3_stmt *st = NULL;
  fc_err err = run_prepared(db, &st, sql, types, ap);
  if (err) return err;
  /* A free handle: one whose statement was finished. Queries nest (a list
   * reads details per row), so handles are never reused while open. */
  sq_stmt *h = NULL;
  for (int i = 0; i < HANDLES && !h; i++)
    if (!db->handles[i].stmt) h = &db->handles[i];
  if (!h) {
    sqlite3_reset(st);
    fc_logf(FC_LOG_ERROR, "more than %d statements open at once: %.200s", HANDLES, sql);
    return FC_EINTERNAL;
  }
  h->stmt = st;
  *out = &h->base;
  return FC_OK;
}

static fc_err sq_vexec(fc_db *base, const char *sql, const char *types, va_list ap) {
  sq_db *db = (sq_db *)base;
  sqlite3_stmt *st = NULL;
  fc_err err = run_prepared(db, &st, sql, types, ap);
  if (err) return err;
  int rc = sqlite3_step(st);
  while (rc == SQLITE_ROW) rc = sqlite3_step(st);
  err = rc == SQLITE_DONE ? FC_OK : map_rc(db, sqlite3_extended_errcode(db->conn), sql);
  sqlite3_reset(st);
  return err;
}

static int64_t sq_changes(fc_db *base) { return sqlite3_changes64(((sq_db *)base)->conn); }

static int sq_step(fc_stmt *base) {
  sq_stmt *st = (sq_stmt *)base;
  sq_db *db = (sq_db *)base->db;
  int rc = sqlite3_step(st->stmt);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  (void)map_rc(db, sqlite3_extended_errcode(db->conn), sqlite3_sql(st->stmt));
  return -1;
}

static void sq_done(fc_stmt *base) {
  sq_stmt *st = (sq_stmt *)base;
  if (st->stmt) {
    sqlite3_reset(st->stmt);
    st->stmt = NULL;
  }
}

static const char *sq_col_text(fc_stmt *st, int i) {
  return (const char *)sqlite3_column_text(((sq_stmt *)st)->stmt, i);
}
static int64_t sq_col_int(fc_stmt *st, int i) { return sqlite3_column_int64(((sq_stmt *)st)->stmt, i); }
static int sq_col_null(fc_stmt *st, int i) { return sqlite3_column_type(((sq_stmt *)st)->stmt, i) == SQLITE_NULL; }

static fc_err sq_backup(fc_store *base, const char *path) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp) return FC_EINVAL;
  unlink(tmp);
  fc_db *dbb = NULL;
  fc_err err = sq_db_get(base, &dbb);
  if (err) return err;
  sq_db *db = (sq_db *)dbb;
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

static const fc_store_ops sqlite_ops = {
    .db = sq_db_get,
    .close = sq_close,
    .backup = sq_backup,
    .connections_open = sq_connections_open,
    .queries_total = sq_queries_total,
    .script = sq_script,
    .migration_lock = sq_migration_lock,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .vquery = sq_vquery,
    .vexec = sq_vexec,
    .changes = sq_changes,
    .step = sq_step,
    .done = sq_done,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_null = sq_col_null,
    .contains_sql = sq_contains_sql,
    .contains_arg = sq_contains_arg,
    .skip_locked = sq_skip_locked,
};
