/* The HTTP server: libmicrohttpd with epoll and an internal thread pool.
 *
 * It owns connections and request state, routes each request through the
 * router, asks the authenticator who is calling, replays idempotent writes,
 * calls the handler, serves static files for paths no route claims, logs one
 * JSON line per request and keeps the metrics. */
#ifndef FC_HTTP_SERVER_H
#define FC_HTTP_SERVER_H
#include <stddef.h>
#include "http/http.h"
#include "http/router.h"

typedef struct fc_server fc_server;

typedef struct fc_server_config {
  const char *addr;  /* IPv4 or IPv6 literal */
  int port;          /* 0 picks a free port */
  int threads;       /* worker threads (>= 1) */
  size_t max_body;   /* bytes; larger bodies answer 413 */
  const char *web_dir; /* static files, or NULL */
  struct fc_app *app;
  const fc_router *router;
  /* Identifies the caller from the request's credentials and calls
   * fc_req_set_principal. Returns FC_OK (caller may be anonymous) or an error
   * to answer with (e.g. FC_EUNAUTH for an expired token). */
  fc_err (*authenticate)(fc_req *r);
  /* 1 when the CSRF token of a cookie-authenticated write is right. */
  int (*csrf_ok)(fc_req *r);
  /* Stable id of the caller for idempotency keys, or NULL. */
  const char *(*principal_key)(fc_req *r);
} fc_server_config;

fc_err fc_server_start(const fc_server_config *cfg, fc_server **out) FC_MUST_CHECK;
int fc_server_port(const fc_server *s);
/* Stops accepting, lets in-flight requests finish (up to grace_s seconds),
 * then stops the workers and frees the server. */
void fc_server_stop(fc_server *s, double grace_s);

#endif
