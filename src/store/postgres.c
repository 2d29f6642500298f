/* PostgreSQL implementation of store.h, over libpq.
 *
 * One connection per thread, like SQLite. Domain SQL uses `?` placeholders;
 * they are rewritten to $1..$n once per statement and the statement is
 * prepared on the connection (named by a hash of SQL and types) and kept.
 * Parameters carry explicit types (text, int8, float8) so that `? IS NULL`
 * and friends are well-typed. Results are read whole (lists are capped at
 * 500 rows by the API). Transactions are READ COMMITTED; uniqueness rules
 * live in constraints, which hold under any isolation. */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/log.h"
#include "store/internal.h"

enum { CACHE_SLOTS = 256, HANDLES = 16, MAX_PARAMS = 64 };
enum { TEXTOID = 25, INT8OID = 20, FLOAT8OID = 701 };
/* A request's statement may take this long (migrations are exempt). */
#define STATEMENT_TIMEOUT "30s"

typedef struct cached {
  char *key; /* types + '\n' + sql */
  unsigned hash;
  char name[24];
  int nparams;
} cached;

typedef struct pg_stmt {
  struct fc_stmt base;
  PGresult *res;
  int row, nrows;
} pg_stmt;

typedef struct pg_db {
  struct fc_db base;
  PGconn *conn;
  struct pg_db *next;
  cached cache[CACHE_SLOTS];
  pg_stmt handles[HANDLES];
  int in_tx;
  int64_t changes;
  unsigned prepared; /* names statements s1, s2, ... */
} pg_db;

typedef struct pg_store {
  struct fc_store base;
  char *url;
  pthread_mutex_t lock;
  pg_db *all;
  atomic_int open;
  atomic_ullong queries;
  unsigned generation;
} pg_store;

static _Thread_local pg_db *tls_db;
static _Thread_local unsigned tls_generation;
static atomic_uint generations = 1000000; /* apart from SQLite's */

static const fc_store_ops postgres_ops;

static void quiet(void *arg, const PGresult *res) {} /* notices (e.g. "already exists, skipping") */

static fc_err pg_db_get(fc_store *base, fc_db **out) {
  pg_store *s = (pg_store *)base;
  *out = NULL;
  if (tls_db && tls_generation == s->generation) {
    *out = &tls_db->base;
    return FC_OK;
  }
  pg_db *db = calloc(1, sizeof *db);
  if (!db) return FC_ENOMEM;
  db->conn = PQconnectdb(s->url);
  if (PQstatus(db->conn) != CONNECTION_OK) {
    fc_logf(FC_LOG_ERROR, "cannot connect to PostgreSQL: %s", PQerrorMessage(db->conn));
    PQfinish(db->conn);
    free(db);
    return FC_EDB;
  }
  PQsetNoticeReceiver(db->conn, quiet, NULL);
  PGresult *r = PQexec(db->conn, "SET client_encoding = 'UTF8'; SET statement_timeout = '" STATEMENT_TIMEOUT "'");
  PQclear(r);
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

fc_err fc_postgres_open(const char *url, fc_store **out) {
  *out = NULL;
  pg_store *s = calloc(1, sizeof *s);
  if (!s) return FC_ENOMEM;
  s->base.ops = &postgres_ops;
  s->base.dialect = FC_DIALECT_POSTGRES;
  s->url = strdup(url);
  pthread_mutex_init(&s->lock, NULL);
  s->generation = atomic_fetch_add(&generations, 1) + 1;
  fc_db *db = NULL;
  fc_err err = s->url ? pg_db_get(&s->base, &db) : FC_ENOMEM;
  if (err) {
    postgres_ops.close(&s->base);
    return err;
  }
  *out = &s->base;
  return FC_OK;
}

static void pg_close(fc_store *base) {
  pg_store *s = (pg_store *)base;
  pg_db *db = s->all;
  while (db) {
    pg_db *next = db->next;
    for (int i = 0; i < HANDLES; i++) PQclear(db->handles[i].res);
    for (int i = 0; i < CACHE_SLOTS; i++) free(db->cache[i].key);
    PQfinish(db->conn);
    free(db);
    db = next;
  }
  if (tls_generation == s->generation) tls_db = NULL;
  pthread_mutex_destroy(&s->lock);
  free(s->url);
  free(s);
}

static int pg_connections_open(fc_store *s) { return atomic_load(&((pg_store *)s)->open); }
static uint64_t pg_queries_total(fc_store *s) { return atomic_load(&((pg_store *)s)->queries); }

/* A GIN index over (dealer_id, search_doc gin_trgm_ops) serves
 * "scope = ? AND LIKE '%needle%'" inside the index (see the .postgres.sql
 * migrations); like SQLite's, needles under three characters match a prefix.
 * The newest rows are the highest ids (ids grow with time, as SQLite's row
 * ids do within a block), so both stores let the same rows through. Two
 * needles make one list of ids, which the plan looks up by the primary key
 * (scope, id). */
static const char *pg_contains_sql(fc_store *s, const char *table, const char *scope_table, const char *scope_column,
                                   size_t len1, size_t len2) {
  static _Thread_local char buf[1024];
  char m[256];
  snprintf(m, sizeof m,
           "(SELECT m.id FROM %s AS m WHERE m.%s = ? AND m.search_doc LIKE ? ESCAPE '\\' ORDER BY m.id DESC LIMIT %d)",
           table, scope_column, FC_STORE_CONTAINS_MAX);
  snprintf(buf, sizeof buf, "(%s.%s = ? AND %s.id IN (%s%s%s))", table, scope_column, table, m,
           len2 ? " UNION ALL " : "", len2 ? m : "");
  return buf;
}

static void pg_contains_arg(fc_store *s, const char *needle, char *out, size_t cap) {
  fc_store_like_pattern(needle, fc_store_utf8_chars(needle) >= 3, out, cap);
}

/* Rows another transaction has locked are passed over, not waited for:
 * concurrent claimers each take different rows. */
static const char *pg_skip_locked(fc_store *s) { return " FOR UPDATE SKIP LOCKED"; }

static fc_err map_result(pg_db *db, PGresult *res, const char *sql) {
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return FC_OK;
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  if (state && strcmp(state, "23505") == 0) return FC_ECONFLICT;
  if (state && strncmp(state, "23", 2) == 0) return FC_EINVAL;
  fc_logf(FC_LOG_ERROR, "database error %s (%s) in: %.200s", state ? state : "?",
          res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn), sql ? sql : "?");
  return FC_EDB;
}

static fc_err pg_script(fc_db *base, const char *sql) {
  pg_db *db = (pg_db *)base;
  PGresult *r = PQexec(db->conn, sql);
  fc_err err = map_result(db, r, sql);
  PQclear(r);
  return err;
}

/* Migrations run one instance at a time, and without the requests' statement
 * timeout: one may build an index over millions of rows (0008's GIN index
 * takes about a minute at network scale). */
static fc_err pg_migration_lock(fc_db *db, int take) {
  return pg_script(db, take ? "SELECT pg_advisory_lock(727274); SET statement_timeout = 0"
                            : "SET statement_timeout = '" STATEMENT_TIMEOUT "'; SELECT pg_advisory_unlock(727274)");
}

static fc_err pg_begin(fc_db *base) {
  pg_db *db = (pg_db *)base;
  if (db->in_tx) return FC_EINTERNAL;
  fc_err err = pg_script(base, "BEGIN");
  if (!err) db->in_tx = 1;
  return err;
}

static void pg_rollback(fc_db *base) {
  pg_db *db = (pg_db *)base;
  if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
    PGresult *r = PQexec(db->conn, "ROLLBACK");
    PQclear(r);
  }
  db->in_tx = 0;
}

static fc_err pg_commit(fc_db *base) {
  pg_db *db = (pg_db *)base;
  fc_err err = pg_script(base, "COMMIT");
  if (err) pg_rollback(base);
  db->in_tx = 0;
  return err;
}

static unsigned hash2(const char *a, const char *b) {
  unsigned h = 2166136261u;
  for (; *a; a++) h = (h ^ (unsigned char)*a) * 16777619u;
  h = (h ^ '\n') * 16777619u;
  for (; *b; b++) h = (h ^ (unsigned char)*b) * 16777619u;
  return h;
}

/* `?` -> `$n`, outside quoted strings and identifiers. */
static char *rewrite(const char *sql, int *n) {
  size_t len = strlen(sql);
  size_t cap = len * 4 + 1; /* "?" becomes at most "$64" */
  char *out = malloc(cap);
  if (!out) return NULL;
  size_t o = 0;
  char quote = 0;
  *n = 0;
  for (const char *p = sql; *p; p++) {
    if (quote) {
      if (*p == quote) quote = 0;
      out[o++] = *p;
    } else if (*p == '\'' || *p == '"') {
      quote = *p;
      out[o++] = *p;
    } else if (*p == '?') {
      o += (size_t)snprintf(out + o, cap - o, "$%d", ++*n);
    } else {
      out[o++] = *p;
    }
  }
  out[o] = 0;
  return out;
}

static fc_err prepare(pg_db *db, const char *sql, const char *types, cached **out) {
  unsigned h = hash2(types, sql);
  unsigned slot = h % CACHE_SLOTS;
  size_t tl = strlen(types);
  for (unsigned probe = 0; probe < CACHE_SLOTS; probe++, slot = (slot + 1) % CACHE_SLOTS) {
    cached *c = &db->cache[slot];
    if (!c->key) break;
    if (c->hash == h && strncmp(c->key, types, tl) == 0 && c->key[tl] == '\n' && strcmp(c->key + tl + 1, sql) == 0) {
      *out = c;
      return FC_OK;
    }
  }
  cached *c = &db->cache[slot];
  int n = 0;
  char *text = rewrite(sql, &n);
  if (!text) return FC_ENOMEM;
  Oid oids[MAX_PARAMS];
  if (n != (int)tl || n > MAX_PARAMS) {
    fc_logf(FC_LOG_ERROR, "bind count %zu != %d in: %.200s", tl, n, sql);
    free(text);
    return FC_EINTERNAL;
  }
  for (int i = 0; i < n; i++) oids[i] = types[i] == 'd' ? FLOAT8OID : types[i] == 's' ? TEXTOID : INT8OID;
  char name[24];
  snprintf(name, sizeof name, "s%u", ++db->prepared);
  PGresult *r = PQprepare(db->conn, name, text, n, oids);
  fc_err err = map_result(db, r, text);
  PQclear(r);
  free(text);
  if (err) return err;
  if (c->key) { /* full along this probe: forget the old one (it stays prepared; harmless) */
    free(c->key);
  }
  size_t kl = tl + 1 + strlen(sql) + 1;
  c->key = malloc(kl);
  if (!c->key) return FC_ENOMEM;
  snprintf(c->key, kl, "%s\n%s", types, sql);
  c->hash = h;
  memcpy(c->name, name, sizeof name);
  c->nparams = n;
  *out = c;
  return FC_OK;
}

/* Runs sql with the arguments; *res is the result (caller clears). */
static fc_err run(pg_db *db, const char *sql, const char *types, va_list ap, PGresult **res) {
  *res = NULL;
  if (!types) types = "";
  cached *c = NULL;
  fc_err err = prepare(db, sql, types, &c);
  if (err) return err;
  char bufs[MAX_PARAMS][32];
  const char *values[MAX_PARAMS];
  for (int i = 0; i < c->nparams; i++) {
    switch (types[i]) {
    case 's': values[i] = va_arg(ap, const char *); break;
    case 'i':
      snprintf(bufs[i], sizeof bufs[i], "%lld", (long long)va_arg(ap, int64_t));
      values[i] = bufs[i];
      break;
    case 'I': {
      const int64_t *v = va_arg(ap, const int64_t *);
      if (v) snprintf(bufs[i], sizeof bufs[i], "%lld", (long long)*v);
      values[i] = v ? bufs[i] : NULL;
      break;
    }
    case 'd':
      snprintf(bufs[i], sizeof bufs[i], "%.17g", va_arg(ap, double));
      values[i] = bufs[i];
      break;
    default: return FC_EINTERNAL;
    }
  }
  atomic_fetch_add(&((pg_store *)db->base.store)->queries, 1);
  PGresult *r = PQexecPrepared(db->conn, c->name, c->nparams, values, NULL, NULL, 0);
  err = map_result(db, r, sql);
  if (err) {
    PQclear(r);
    /* A failed statement aborts the transaction in PostgreSQL; the caller rolls back. */
    return err;
  }
  const char *t = PQcmdTuples(r);
  db->changes = t && *t ? strtoll(t, NULL, 10) : 0;
  *res = r;
  return FC_OK;
}

static fc_err pg_vquery(fc_db *base, fc_stmt **out, const char *sql, const char *types, va_list ap) {
  pg_db *db = (pg_db *)base;
  PGresult *r = NULL;
  fc_err err = run(db, sql, types, ap, &r);
  if (err) return err;
  pg_stmt *h = NULL; /* a finished handle: queries nest, open ones are never reused */
  for (int i = 0; i < HANDLES && !h; i++)
    if (!db->handles[i].res) h = &db->handles[i];
  if (!h) {
    PQclear(r);
    fc_logf(FC_LOG_ERROR, "more than %d statements open at once: %.200s", HANDLES, sql);
    return FC_EINTERNAL;
  }
  h->res = r;
  h->row = -1;
  h->nrows = PQntuples(r);
  *out = &h->base;
  return FC_OK;
}

static fc_err pg_vexec(fc_db *base, const char *sql, const char *types, va_list ap) {
  PGresult *r = NULL;
  fc_err err = run((pg_db *)base, sql, types, ap, &r);
  PQclear(r);
  return err;
}

static int64_t pg_changes(fc_db *base) { return ((pg_db *)base)->changes; }

static int pg_step(fc_stmt *base) {
  pg_stmt *st = (pg_stmt *)base;
  if (!st->res) return -1;
  return ++st->row < st->nrows ? 1 : 0;
}

static void pg_done(fc_stmt *base) {
  pg_stmt *st = (pg_stmt *)base;
  PQclear(st->res);
  st->res = NULL;
}

static const char *pg_col_text(fc_stmt *base, int i) {
  pg_stmt *st = (pg_stmt *)base;
  if (!st->res || st->row < 0 || st->row >= st->nrows || i >= PQnfields(st->res)) return NULL;
  return PQgetisnull(st->res, st->row, i) ? NULL : PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int(fc_stmt *st, int i) {
  const char *t = pg_col_text(st, i);
  return t ? strtoll(t, NULL, 10) : 0;
}

static int pg_col_null(fc_stmt *st, int i) { return pg_col_text(st, i) == NULL; }

/* A consistent copy with pg_dump (custom format), run without a shell. */
static fc_err pg_backup(fc_store *base, const char *path) {
  pg_store *s = (pg_store *)base;
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp) return FC_EINVAL;
  pid_t pid = fork();
  if (pid < 0) return FC_EINTERNAL;
  if (pid == 0) {
    execlp("pg_dump", "pg_dump", "--format=custom", "--no-owner", "--file", tmp, "--dbname", s->url, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    unlink(tmp);
    fc_logf(FC_LOG_ERROR, "pg_dump failed (status %d)", status);
    return FC_EDB;
  }
  if (rename(tmp, path) != 0) {
    unlink(tmp);
    return FC_EDB;
  }
  return FC_OK;
}

static const fc_store_ops postgres_ops = {
    .db = pg_db_get,
    .close = pg_close,
    .backup = pg_backup,
    .connections_open = pg_connections_open,
    .queries_total = pg_queries_total,
    .script = pg_script,
    .migration_lock = pg_migration_lock,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .vquery = pg_vquery,
    .vexec = pg_vexec,
    .changes = pg_changes,
    .step = pg_step,
    .done = pg_done,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .contains_sql = pg_contains_sql,
    .contains_arg = pg_contains_arg,
    .skip_locked = pg_skip_locked,
};
