/* The database layer. It knows no domain: it opens connections, runs
 * parameterised SQL, walks rows, wraps transactions and applies migrations.
 *
 * Domain SQL is portable: `?` placeholders (an implementation may rewrite them,
 * e.g. to $1 for PostgreSQL), BIGINT epoch milliseconds for instants, TEXT ids.
 * Where dialects differ, a domain asks this header for the fragment rather
 * than branching itself.
 *
 * Connections belong to the store: fc_store_db() hands the calling thread its
 * own connection, opened on first use and kept with a cache of prepared
 * statements until fc_store_close(). */
#ifndef FC_STORE_STORE_H
#define FC_STORE_STORE_H
#include <stdint.h>
#include "core/err.h"

typedef struct fc_store fc_store;
typedef struct fc_db fc_db;
typedef struct fc_stmt fc_stmt;

typedef enum { FC_DIALECT_SQLITE, FC_DIALECT_POSTGRES } fc_dialect;

/* Opens the database at url (a file path for SQLite). Creates the file's
 * folder if needed. Does not migrate. */
fc_err fc_store_open(const char *url, fc_store **out) FC_MUST_CHECK;

/* Closes every connection. No thread may use the store afterwards. */
void fc_store_close(fc_store *s);

fc_dialect fc_store_dialect(const fc_store *s);

/* Applies the embedded migrations not yet recorded, in order, each in its own
 * transaction. NNNN_name.sql files serve every dialect; NNNN_name.sqlite.sql
 * and NNNN_name.postgres.sql only theirs. *applied (may be NULL) receives how many ran. */
fc_err fc_store_migrate(fc_store *s, int *applied) FC_MUST_CHECK;

/* A consistent copy of the live database into path (online; writers go on). */
fc_err fc_store_backup(fc_store *s, const char *path) FC_MUST_CHECK;

/* The calling thread's connection (borrowed; valid until fc_store_close). */
fc_err fc_store_db(fc_store *s, fc_db **out) FC_MUST_CHECK;

/* Gauges for /metrics. */
int fc_store_connections_open(fc_store *s);
uint64_t fc_store_queries_total(fc_store *s);

/* Transactions. begin is a write transaction (takes the write lock at once,
 * so two writers never deadlock on upgrade). Nested calls are not allowed. */
fc_err fc_db_begin(fc_db *db) FC_MUST_CHECK;
fc_err fc_db_commit(fc_db *db) FC_MUST_CHECK;
void fc_db_rollback(fc_db *db);

/* Runs fn(db, ctx) in a transaction: commits on FC_OK, rolls back otherwise,
 * and returns fn's error. */
fc_err fc_db_tx(fc_db *db, fc_err (*fn)(fc_db *db, void *ctx), void *ctx) FC_MUST_CHECK;

/* Prepares (from the cache) sql and binds the arguments described by types:
 *   's' const char * (NULL binds NULL)   'i' int64_t   'd' double
 *   'I' const int64_t * (NULL binds NULL)
 * Walk rows with fc_stmt_step and always finish with fc_stmt_done. */
fc_err fc_db_query(fc_db *db, fc_stmt **out, const char *sql, const char *types, ...) FC_MUST_CHECK;

/* Runs a statement that returns no rows. A unique-key violation is
 * FC_ECONFLICT; a foreign-key violation is FC_EINVAL. */
fc_err fc_db_exec(fc_db *db, const char *sql, const char *types, ...) FC_MUST_CHECK;

/* Rows changed by the last fc_db_exec on this connection. */
int64_t fc_db_changes(fc_db *db);

/* 1 when a row is ready, 0 when done, -1 on error (logged). */
int fc_stmt_step(fc_stmt *st);
/* Resets the statement for reuse. Must be called once per fc_db_query. */
void fc_stmt_done(fc_stmt *st);

/* Column values of the current row; text is borrowed until the next step. */
const char *fc_col_text(fc_stmt *st, int i); /* NULL for SQL NULL */
int64_t fc_col_int(fc_stmt *st, int i);
double fc_col_double(fc_stmt *st, int i);
int fc_col_null(fc_stmt *st, int i);

/* 1 if t may be written into SQL text as a table or column name (names
 * cannot be bound): a plain lower-case word of letters, digits and '_', not
 * starting with a digit, at most 40 characters. Values are always bound. */
int fc_store_identifier_ok(const char *t);

/* Dialect fragments. A domain whose table has a `search_doc` column (folded
 * text) and a dialect-specific index migration asks here for the condition
 * "search_doc contains a needle", restricted to one scope: the table's rows
 * each belong to a row of scope_table (customers to dealers), named by the
 * table's column scope_column. The fragment says "the row belongs to the
 * scope, and is one of the scope's FC_STORE_CONTAINS_MAX newest rows (the
 * most recently added) whose search_doc contains the first needle, or one of
 * the newest as many containing the second". Its `?` are: the scope row's id
 * twice, fc_store_contains_arg(needle 1), and with a second needle (len2 > 0)
 * the scope row's id again and fc_store_contains_arg(needle 2). The caller
 * adds no scope condition of its own: the fragment's is the one the plan can
 * use well. The cap keeps the work in step with the answer, not with the
 * scope's size: a caller that ranks the rows ranks at most that many per
 * needle, the newest.
 *
 * Both tables are keyed by a TEXT column id; scope_table has a unique INTEGER
 * column seq. On SQLite the table's row ids lie in their scope's block,
 * seq * 2^32 to seq * 2^32 + 2^32 - 1, the newest lowest (its .sqlite.sql
 * migrations keep them so), so the full-text match seeks one scope's range
 * of the index.
 *
 * The fragment is valid until the next call on this thread; the names must be
 * plain lower-case words (else it matches nothing). Needles must already be
 * folded; len1 (> 0) and len2 count their characters (an index of trigrams
 * needs three). */
enum { FC_STORE_CONTAINS_MAX = 1000 };
const char *fc_store_contains_sql(fc_store *s, const char *table, const char *scope_table, const char *scope_column,
                                  size_t len1, size_t len2);
void fc_store_contains_arg(fc_store *s, const char *needle, char *out, size_t cap);

/* What a job queue appends to "SELECT ... ORDER BY ... LIMIT ?" inside
 * fc_db_begin/commit so that two instances never claim the same row:
 * " FOR UPDATE SKIP LOCKED" on PostgreSQL; "" on SQLite, where the write
 * transaction (BEGIN IMMEDIATE) already admits one claimer at a time. The
 * claim must be recorded in the rows in that same transaction. Static text. */
const char *fc_store_skip_locked(fc_store *s);

#endif
