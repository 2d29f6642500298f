/* Bulk row sinks over the store's portable interface.
 *
 * SQLite runs in-process, so the cheapest path is the one the brief names:
 * one prepared INSERT (from the connection's statement cache) bound and
 * stepped per row, inside transactions of tens of thousands of rows. Every
 * value is bound as text: SQLite's column affinity stores decimal text in an
 * INTEGER/BIGINT column as an integer, so the stored rows are the ones the
 * server writes.
 *
 * PostgreSQL pays a network round trip per statement, so rows travel in
 * batches: one JSON array per statement, unpacked on the server by
 * json_populate_recordset into the table's own column types (still one
 * prepared statement per table, parameter bound as text). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seed/internal.h"

enum { MAX_SINKS = 24, PG_BATCH_ROWS = 2000, PG_BATCH_BYTES = 4 << 20 };

struct fc_seed_sink {
  fc_seed_loader *l;
  const char *table;
  const char *const *cols;
  int ncols;
  char *sql;
  char types[FC_SEED_MAX_COLS + 1];
  char *json; /* PostgreSQL: the pending batch */
  size_t len, cap;
  int pending;
  int64_t count;
};

struct fc_seed_loader {
  fc_db *db;
  fc_dialect dialect;
  int rows_per_tx, in_tx, rows_in_tx;
  int64_t rows;
  fc_seed_sink *sinks[MAX_SINKS];
  int nsinks;
};

void fc_seed_row_s(fc_seed_row *r, const char *s) {
  if (r->n >= FC_SEED_MAX_COLS) return;
  r->is_num[r->n] = 0;
  r->v[r->n++] = s;
}

void fc_seed_row_i(fc_seed_row *r, int64_t i) {
  if (r->n >= FC_SEED_MAX_COLS) return;
  snprintf(r->num[r->n], sizeof r->num[r->n], "%lld", (long long)i);
  r->is_num[r->n] = 1;
  r->v[r->n] = r->num[r->n];
  r->n++;
}

void fc_seed_row_null(fc_seed_row *r) { fc_seed_row_s(r, NULL); }

fc_err fc_seed_loader_new(fc_db *db, fc_dialect d, int rows_per_tx, fc_seed_loader **out) {
  *out = NULL;
  fc_seed_loader *l = calloc(1, sizeof *l);
  if (!l) return FC_ENOMEM;
  l->db = db;
  l->dialect = d;
  l->rows_per_tx = rows_per_tx > 0 ? rows_per_tx : 20000;
  fc_err err = fc_db_begin(db);
  if (err) {
    free(l);
    return err;
  }
  l->in_tx = 1;
  *out = l;
  return FC_OK;
}

int64_t fc_seed_loader_rows(const fc_seed_loader *l) { return l->rows; }
int64_t fc_seed_sink_count(const fc_seed_sink *k) { return k->count; }

static fc_err grow(fc_seed_sink *k, size_t need) {
  if (k->len + need + 1 <= k->cap) return FC_OK;
  size_t nc = k->cap ? k->cap : 65536;
  while (nc < k->len + need + 1)
    nc *= 2;
  char *nb = realloc(k->json, nc);
  if (!nb) return FC_ENOMEM;
  k->json = nb;
  k->cap = nc;
  return FC_OK;
}

static void put_raw(fc_seed_sink *k, const char *s, size_t n) {
  memcpy(k->json + k->len, s, n);
  k->len += n;
  k->json[k->len] = 0;
}

/* A JSON string: quotes, backslashes and control characters escaped; the
 * text is valid UTF-8 already. */
static fc_err put_string(fc_seed_sink *k, const char *s) {
  size_t n = strlen(s);
  fc_err err = grow(k, n * 6 + 2);
  if (err) return err;
  char *o = k->json + k->len;
  *o++ = '"';
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      *o++ = '\\';
      *o++ = (char)*p;
    } else if (*p < 0x20) {
      static const char hex[] = "0123456789abcdef"; /* room was grown for 6 bytes a character */
      *o++ = '\\', *o++ = 'u', *o++ = '0', *o++ = '0', *o++ = hex[*p >> 4], *o++ = hex[*p & 15];
    } else {
      *o++ = (char)*p;
    }
  }
  *o++ = '"';
  k->len = (size_t)(o - k->json);
  k->json[k->len] = 0;
  return FC_OK;
}

static fc_err pg_flush(fc_seed_sink *k) {
  if (!k->pending) return FC_OK;
  fc_err err = grow(k, 2);
  if (err) return err;
  put_raw(k, "]", 1);
  err = fc_db_exec(k->l->db, k->sql, "s", k->json);
  k->len = 0;
  k->pending = 0;
  return err;
}

fc_err fc_seed_sink_new(fc_seed_loader *l, const char *table, const char *const *cols, int ncols,
                        fc_seed_sink **out) {
  *out = NULL;
  if (ncols < 1 || ncols > FC_SEED_MAX_COLS || l->nsinks == MAX_SINKS) return FC_EINTERNAL;
  /* The names go into the SQL text (they cannot be bound): plain words only. */
  if (!fc_store_identifier_ok(table)) return FC_EINTERNAL;
  for (int i = 0; i < ncols; i++)
    if (!fc_store_identifier_ok(cols[i])) return FC_EINTERNAL;
  fc_seed_sink *k = calloc(1, sizeof *k);
  if (!k) return FC_ENOMEM;
  k->l = l;
  k->table = table;
  k->cols = cols;
  k->ncols = ncols;
  size_t cap = 256 + (size_t)ncols * 80 + 2 * strlen(table);
  k->sql = malloc(cap);
  if (!k->sql) {
    free(k);
    return FC_ENOMEM;
  }
  size_t o = (size_t)snprintf(k->sql, cap, "INSERT INTO %s (", table);
  for (int i = 0; i < ncols; i++)
    o += (size_t)snprintf(k->sql + o, cap - o, "%s%s", i ? ", " : "", cols[i]);
  if (l->dialect == FC_DIALECT_SQLITE) {
    o += (size_t)snprintf(k->sql + o, cap - o, ") VALUES (");
    for (int i = 0; i < ncols; i++)
      o += (size_t)snprintf(k->sql + o, cap - o, "%s?", i ? ", " : "");
    snprintf(k->sql + o, cap - o, ")");
  } else {
    o += (size_t)snprintf(k->sql + o, cap - o, ") SELECT ");
    for (int i = 0; i < ncols; i++)
      o += (size_t)snprintf(k->sql + o, cap - o, "%s%s", i ? ", " : "", cols[i]);
    snprintf(k->sql + o, cap - o, " FROM json_populate_recordset(NULL::%s, ?::json)", table);
  }
  memset(k->types, 's', (size_t)ncols);
  k->types[ncols] = 0;
  l->sinks[l->nsinks++] = k;
  *out = k;
  return FC_OK;
}

static fc_err flush_all(fc_seed_loader *l) {
  fc_err err = FC_OK;
  for (int i = 0; i < l->nsinks && !err; i++)
    if (l->dialect == FC_DIALECT_POSTGRES) err = pg_flush(l->sinks[i]);
  return err;
}

static fc_err next_tx(fc_seed_loader *l) {
  fc_err err = flush_all(l);
  if (!err) {
    l->in_tx = 0;
    err = fc_db_commit(l->db);
  }
  if (!err) {
    err = fc_db_begin(l->db);
    l->in_tx = !err;
  }
  l->rows_in_tx = 0;
  return err;
}

fc_err fc_seed_sink_put(fc_seed_sink *k, const fc_seed_row *r) {
  fc_seed_loader *l = k->l;
  fc_err err = FC_OK;
  if (r->n != k->ncols) return FC_EINTERNAL;
  if (l->dialect == FC_DIALECT_SQLITE) {
    /* The store reads as many arguments as types has letters; the rest are ignored. */
    const char *const *v = r->v;
    err = fc_db_exec(l->db, k->sql, k->types, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                     v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21],
                     v[22], v[23], v[24], v[25], v[26], v[27], v[28], v[29], v[30], v[31]);
  } else {
    if ((err = grow(k, 2))) return err;
    put_raw(k, k->pending ? ",{" : "[{", 2);
    for (int i = 0; i < r->n && !err; i++) {
      size_t nl = strlen(k->cols[i]);
      if ((err = grow(k, nl + 8))) break;
      if (i) put_raw(k, ",", 1);
      put_raw(k, "\"", 1);
      put_raw(k, k->cols[i], nl);
      put_raw(k, "\":", 2);
      if (!r->v[i]) {
        if (!(err = grow(k, 4))) put_raw(k, "null", 4);
      } else if (r->is_num[i]) {
        size_t n = strlen(r->v[i]);
        if (!(err = grow(k, n))) put_raw(k, r->v[i], n);
      } else {
        err = put_string(k, r->v[i]);
      }
    }
    if (!err && !(err = grow(k, 1))) put_raw(k, "}", 1);
    k->pending++;
    if (!err && (k->pending >= PG_BATCH_ROWS || k->len >= PG_BATCH_BYTES)) err = pg_flush(k);
  }
  if (err) return err;
  k->count++;
  l->rows++;
  if (++l->rows_in_tx >= l->rows_per_tx) err = next_tx(l);
  return err;
}

fc_err fc_seed_loader_finish(fc_seed_loader *l) {
  fc_err err = flush_all(l);
  if (l->in_tx) {
    if (!err)
      err = fc_db_commit(l->db);
    else
      fc_db_rollback(l->db);
    l->in_tx = 0;
  }
  return err;
}

void fc_seed_loader_free(fc_seed_loader *l) {
  if (!l) return;
  if (l->in_tx) fc_db_rollback(l->db);
  for (int i = 0; i < l->nsinks; i++) {
    free(l->sinks[i]->sql);
    free(l->sinks[i]->json);
    free(l->sinks[i]);
  }
  free(l);
}
