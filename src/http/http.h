/* The HTTP adapter's public face: what route handlers see.
 *
 * A handler receives an fc_req, reads its parameters and body through the
 * accessors below, and answers exactly once with one of the fc_reply_*
 * functions. Everything a handler allocates for the request comes from
 * fc_req_arena(r) and is released when the response has been sent. */
#ifndef FC_HTTP_HTTP_H
#define FC_HTTP_HTTP_H
#include <jansson.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"

typedef struct fc_req fc_req;
struct fc_app;
struct fc_principal;

typedef void (*fc_handler)(fc_req *r);

enum {
  FC_ROUTE_PUBLIC = 1 << 0,  /* no credentials needed */
  FC_ROUTE_NO_CSRF = 1 << 1, /* a cookie write that needs no CSRF token (login) */
  FC_ROUTE_NO_REPLAY = 1 << 2, /* answers hold fresh secrets: never stored for Idempotency-Key (login) */
};

/* One entry of a capability's route table; tables end with a zeroed entry. */
typedef struct fc_route {
  const char *method;  /* "GET", "POST", ... */
  const char *pattern; /* "/api/v1/dealers/{id}": {name} matches one segment */
  fc_handler handler;
  int flags;
  const char *summary; /* one line, for logs and docs */
} fc_route;

/* --- reading the request (all returned pointers are borrowed from the request) */
struct fc_app *fc_req_app(fc_req *r);
fc_arena *fc_req_arena(fc_req *r);
const char *fc_req_method(fc_req *r);
const char *fc_req_path(fc_req *r);
const char *fc_req_id(fc_req *r);          /* request id, also in the log line */
const char *fc_req_address(fc_req *r);     /* peer IP address as text */
const char *fc_req_param(fc_req *r, const char *name);  /* path parameter */
const char *fc_req_query(fc_req *r, const char *name);  /* query string argument */
const char *fc_req_header(fc_req *r, const char *name);
const char *fc_req_cookie(fc_req *r, const char *name);
const char *fc_req_body(fc_req *r, size_t *len);
int fc_req_is_tls(fc_req *r);

/* The authenticated caller, or NULL. Set by the authenticator before the handler runs. */
const struct fc_principal *fc_req_principal(fc_req *r);
void fc_req_set_principal(fc_req *r, const struct fc_principal *p, int via_cookie);
int fc_req_via_cookie(fc_req *r);

/* Parses the body as a JSON object (Content-Type must be JSON). On failure it
 * has already replied (400/415) and returns non-zero; *out is a new reference
 * on success, which the caller json_decref's. */
int fc_req_json(fc_req *r, json_t **out);

/* Reads ?limit= (default 50, 1..500) and ?cursor= (an id). Replies 400 and
 * returns non-zero when they are malformed. */
int fc_req_page(fc_req *r, int *limit, const char **cursor);
/* Reads only ?limit=, for lists whose cursor is not an id (the service checks it). */
int fc_req_limit(fc_req *r, int *limit);

/* --- answering */
void fc_reply_json(fc_req *r, int status, json_t *doc); /* doc is taken */
void fc_reply_raw(fc_req *r, int status, const char *content_type, const char *data, size_t len); /* copied */
/* The same without a copy: data must live in the request's arena (or longer). */
void fc_reply_arena(fc_req *r, int status, const char *content_type, const char *data, size_t len);
void fc_reply_empty(fc_req *r, int status);
/* Error body {"error":{"code","message","fields"}}; status from the code. */
void fc_reply_error(fc_req *r, fc_err code, const char *message);
void fc_reply_fc_error(fc_req *r, fc_error *e); /* releases e's fields */
/* An error with an explicit status and code name (for codes beyond fc_err). */
void fc_reply_error_code(fc_req *r, int status, const char *code, const char *message);
void fc_reply_header(fc_req *r, const char *name, const char *value); /* copied */
int fc_reply_sent(fc_req *r);

/* HTTP status for an error code; the one mapping in the program. */
int fc_http_status(fc_err code);

#endif
