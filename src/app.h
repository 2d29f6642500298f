/* The application context: everything a request may reach, fixed at start-up
 * and passed down explicitly (no globals). Built by main.c. */
#ifndef FC_APP_H
#define FC_APP_H
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"
#include "http/http.h"
#include "store/store.h"

struct fc_auth_state;
struct fc_sender;

typedef struct fc_config {
  const char *addr;
  int port;
  const char *db;
  int threads;
  const char *log_level;
  const char *web_dir;
  size_t max_body;
  int demo;
  int session_ttl_s;
  const char *smtp_url;  /* NULL: no e-mail is sent (it waits in the outbox) */
  const char *mail_from;
  const char *replica;   /* a read replica for reports and dashboards, or NULL */
  const char *public_url; /* how customers reach this server ("https://service.example.com", no
                             trailing slash), for links in e-mail; NULL: e-mails carry none */
} fc_config;

typedef struct fc_app {
  fc_config cfg;
  fc_store *store;
  struct fc_auth_state *auth; /* secret key, rate limits, login gate */
  struct fc_sender *sender;   /* the outbox's e-mail sender, or NULL */
  fc_store *replica;          /* reads for reports and dashboards; NULL: the primary */
} fc_app;

/* What a service call needs: the app, this thread's connection, the caller,
 * the request's arena and id (for the audit), and where to say what failed. */
typedef struct fc_ctx {
  fc_app *app;
  fc_db *db;
  const struct fc_principal *who;
  const char *request_id;
  fc_arena *arena;
  fc_error err;
} fc_ctx;

/* Fills c for the request r. Replies 500 and returns non-zero when the
 * database cannot be reached. */
int fc_ctx_init(fc_ctx *c, fc_req *r);

/* Switches c to the read replica, when one is configured, for read-only
 * work that may lag a little (reports, dashboards). Returns non-zero and
 * keeps the primary when the replica cannot be reached. */
int fc_ctx_use_replica(fc_ctx *c);

/* Answers out with status on FC_OK (out is taken), else the error. */
void fc_ctx_reply(fc_ctx *c, fc_req *r, fc_err err, json_t *out, int status);

/* Answers with c->err (or code, when c->err is empty) and clears it. */
void fc_ctx_reply_error(fc_ctx *c, fc_req *r, fc_err code);

/* Builds a list page {"items":[...],"next_cursor":...} from a query that
 * asked for limit + 1 rows: row() turns the current row into an item (with
 * an "id"), and the extra row, if any, only says there is a next page.
 * Finishes st. */
struct fc_stmt;
fc_err fc_list_page(fc_ctx *c, struct fc_stmt *st, int limit, json_t *(*row)(fc_ctx *c, struct fc_stmt *st),
                    json_t **out) FC_MUST_CHECK;

#endif
