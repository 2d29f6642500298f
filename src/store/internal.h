/* What each store implementation provides; shared by store.c, sqlite.c and
 * postgres.c only. Implementations embed the base structs first. */
#ifndef FC_STORE_INTERNAL_H
#define FC_STORE_INTERNAL_H
#include <stdarg.h>
#include "store/store.h"

typedef struct fc_store_ops {
  fc_err (*db)(fc_store *s, fc_db **out);
  void (*close)(fc_store *s);
  fc_err (*backup)(fc_store *s, const char *path);
  int (*connections_open)(fc_store *s);
  uint64_t (*queries_total)(fc_store *s);
  /* Runs a script of several statements (migrations). */
  fc_err (*script)(fc_db *db, const char *sql);
  /* Serialises migrations across instances (no-op where one file is one writer). */
  fc_err (*migration_lock)(fc_db *db, int take);
  fc_err (*begin)(fc_db *db);
  fc_err (*commit)(fc_db *db);
  void (*rollback)(fc_db *db);
  fc_err (*vquery)(fc_db *db, fc_stmt **out, const char *sql, const char *types, va_list ap);
  fc_err (*vexec)(fc_db *db, const char *sql, const char *types, va_list ap);
  int64_t (*changes)(fc_db *db);
  int (*step)(fc_stmt *st);
  void (*done)(fc_stmt *st);
  const char *(*col_text)(fc_stmt *st, int i);
  int64_t (*col_int)(fc_stmt *st, int i);
  int (*col_null)(fc_stmt *st, int i);
  const char *(*contains_sql)(fc_store *s, const char *table, const char *scope_table, const char *scope_column,
                               size_t len1, size_t len2);
  void (*contains_arg)(fc_store *s, const char *needle, char *out, size_t cap);
  const char *(*skip_locked)(fc_store *s);
} fc_store_ops;

struct fc_store {
  const fc_store_ops *ops;
  fc_dialect dialect;
};
struct fc_db {
  fc_store *store;
};
struct fc_stmt {
  fc_db *db;
};

/* A LIKE pattern for needle, wildcards escaped with '\\': "needle%", or
 * "%needle%" when anywhere. Written into out (cap bytes, truncated safely). */
void fc_store_like_pattern(const char *needle, int anywhere, char *out, size_t cap);
/* Characters (not bytes) of UTF-8 text. */
size_t fc_store_utf8_chars(const char *s);

fc_err fc_sqlite_open(const char *path, fc_store **out);
fc_err fc_postgres_open(const char *url, fc_store **out);

#endif
