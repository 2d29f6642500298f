/* libmicrohttpd adapter. See server.h for what it does.
 *
 * Request life: MHD calls the access handler first with no body (we set up
 * state and check Content-Length, answering nothing yet: queueing on the
 * first call makes MHD close the connection), then once per body chunk
 * (appended up to max_body), then a last time with no data: we dispatch and
 * queue the response. The completion callback logs, counts and frees. */
#include <fcntl.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>
#include "core/log.h"
#include "core/timeutil.h"
#include "http/internal.h"
#include "http/metrics.h"
#include "http/idempotency.h"

struct fc_server {
  struct MHD_Daemon *daemon;
  fc_server_config cfg;
  fc_metrics *metrics;
  atomic_int open_connections;
  atomic_int inflight; /* requests between first call and completion */
};

static fc_server *server_of(const fc_req *r) { return (fc_server *)((char *)r->cfg - offsetof(fc_server, cfg)); }

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void new_id(char out[17]) {
  unsigned char raw[8];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(out, 17, raw, sizeof raw);
}

static int is_write(const char *m) {
  return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
         strcmp(m, "DELETE") == 0;
}

static void dispatch(fc_req *r) {
  const fc_server_config *cfg = r->cfg;
  if (r->too_big) {
    fc_reply_error(r, FC_ETOOBIG, "the request body is larger than the server accepts");
    return;
  }
  fc_match_result mr = fc_router_match(cfg->router, r->method, r->path, &r->match);
  if (mr == FC_MATCH_NONE) {
    int api = strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0;
    if (!api && cfg->web_dir && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
      r->route_index = -2;
      fc_static_serve(r, cfg->web_dir);
    } else if (!api && cfg->web_dir) {
      fc_reply_header(r, "Allow", "GET, HEAD");
      fc_reply_error_code(r, 405, "method_not_allowed", "this path accepts only GET and HEAD");
    } else {
      fc_reply_error(r, FC_ENOTFOUND, "no such resource");
    }
    return;
  }
  if (mr == FC_MATCH_METHOD) {
    fc_reply_header(r, "Allow", r->match.allow);
    fc_reply_error_code(r, 405, "method_not_allowed", "this resource does not support that method");
    return;
  }
  r->route_index = r->match.index;
  const fc_route *route = r->match.route;

  fc_err err = cfg->authenticate ? cfg->authenticate(r) : FC_OK;
  if (err == FC_EUNAUTH && (route->flags & FC_ROUTE_PUBLIC)) err = FC_OK; /* public: bad credentials = none */
  if (err) {
    fc_reply_error(r, err, err == FC_EUNAUTH ? "the credentials are invalid or expired" : NULL);
    return;
  }
  if (!(route->flags & FC_ROUTE_PUBLIC) && !r->principal) {
    fc_reply_error(r, FC_EUNAUTH, "sign in first: no valid credentials were given");
    return;
  }
  if (r->via_cookie && is_write(r->method) && !(route->flags & FC_ROUTE_NO_CSRF) &&
      !(cfg->csrf_ok && cfg->csrf_ok(r))) {
    fc_reply_error_code(r, 403, "csrf_failed", "a valid X-CSRF-Token header is required");
    return;
  }

  const char *idem_key =
      is_write(r->method) && !(route->flags & FC_ROUTE_NO_REPLAY) ? fc_req_header(r, "Idempotency-Key") : NULL;
  const char *who = idem_key && cfg->principal_key ? cfg->principal_key(r) : NULL;
  if (idem_key && who) {
    if (strlen(idem_key) > 200) {
      fc_reply_error(r, FC_EBADREQ, "Idempotency-Key is longer than 200 characters");
      return;
    }
    if (fc_idempotency_replay(r, who, idem_key)) return;
  }
  route->handler(r);
  if (!r->replied) {
    fc_log(FC_LOG_ERROR, "handler gave no answer", json_pack("{ss}", "path", r->path));
    fc_reply_error(r, FC_EINTERNAL, NULL);
  }
  if (idem_key && who) fc_idempotency_remember(r, who, idem_key);
}

static enum MHD_Result queue(fc_req *r) {
  /* Counted when the answer is ready, not when it has left: a client that
   * reads /metrics right after its previous answer sees that request. */
  fc_server *srv = server_of(r);
  fc_metrics_observe(srv->metrics, r->route_index, r->method, r->status, fc_time_mono_s() - r->started);
  struct MHD_Response *resp = NULL;
  if (r->reply_fd >= 0) {
    resp = MHD_create_response_from_fd(r->reply_fd_size, r->reply_fd);
    r->reply_fd = -1; /* MHD closes it */
  } else {
    resp = MHD_create_response_from_buffer(r->reply_len, r->reply_body ? r->reply_body : (char *)"",
                                           MHD_RESPMEM_PERSISTENT); /* arena lives until completion */
  }
  if (!resp) return MHD_NO;
  if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
  for (int i = 0; i < r->nhdr; i++) MHD_add_response_header(resp, r->hdr_names[i], r->hdr_values[i]);
  MHD_add_response_header(resp, "X-Request-Id", r->id);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
  if (r->route_index != -2) MHD_add_response_header(resp, "Cache-Control", "no-store");
  enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
  fc_server *srv = cls;
  fc_req *r = *con_cls;
  if (!r) {
    r = calloc(1, sizeof *r);
    if (!r) return MHD_NO;
    r->arena = fc_arena_new();
    if (!r->arena) {
      free(r);
      return MHD_NO;
    }
    r->conn = conn;
    r->cfg = &srv->cfg;
    r->started = fc_time_mono_s();
    r->method = fc_arena_strdup(r->arena, method);
    r->path = fc_arena_strdup(r->arena, url);
    r->route_index = -1;
    r->reply_fd = -1;
    new_id(r->id);
    atomic_fetch_add(&srv->inflight, 1);
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    *con_cls = r;
    if (cl && strtoull(cl, NULL, 10) > srv->cfg.max_body) {
      /* Answer now rather than read a body we will refuse; MHD closes the
       * connection after this response, which is what we want here. */
      r->too_big = 1;
      dispatch(r);
      return queue(r);
    }
    return MHD_YES;
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (r->too_big) return MHD_YES; /* drain and discard */
    if (r->body_len + n > srv->cfg.max_body) {
      r->too_big = 1;
      free(r->body);
      r->body = NULL;
      r->body_len = r->body_cap = 0;
      return MHD_YES;
    }
    if (r->body_len + n + 1 > r->body_cap) {
      size_t cap = r->body_cap ? r->body_cap : 4096;
      while (cap < r->body_len + n + 1) cap *= 2;
      char *nb = realloc(r->body, cap);
      if (!nb) return MHD_NO;
      r->body = nb;
      r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, upload_data, n);
    r->body_len += n;
    r->body[r->body_len] = 0;
    return MHD_YES;
  }
  if (r->replied) return MHD_YES; /* already queued */
  dispatch(r);
  return queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  fc_server *srv = cls;
  fc_req *r = *con_cls;
  if (!r) return;
  double dur = fc_time_mono_s() - r->started;
  const char *route = r->route_index >= 0 ? r->match.route->pattern : r->route_index == -2 ? "static" : "unmatched";
  fc_log_level lvl = r->status >= 500 ? FC_LOG_ERROR : FC_LOG_INFO;
  if (fc_log_enabled(lvl))
    fc_log(lvl, "request",
           json_pack("{sssssssisfss}", "method", r->method, "path", r->path, "route", route, "status",
                     r->status, "duration_ms", (double)(int64_t)(dur * 1e6) / 1000.0, "request_id", r->id));
  if (r->reply_fd >= 0) close(r->reply_fd);
  free(r->body);
  fc_arena_free(r->arena);
  free(r);
  *con_cls = NULL;
  atomic_fetch_sub(&srv->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code) {
  fc_server *srv = cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) atomic_fetch_add(&srv->open_connections, 1);
  else if (code == MHD_CONNECTION_NOTIFY_CLOSED) atomic_fetch_sub(&srv->open_connections, 1);
}

/* Percent-decoding of the path and query, except that %00 stays as it is:
 * a NUL would silently cut the string short ("/app.js%00.png"). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s) {
  char *w = s;
  for (const char *p = s; *p; p++) {
    int hi, lo;
    if (p[0] == '%' && p[1] && p[2] && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 && (hi | lo)) {
      *w++ = (char)(hi * 16 + lo);
      p += 2;
    } else {
      *w++ = *p;
    }
  }
  *w = 0;
  return (size_t)(w - s);
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason) {
  fc_logf(FC_LOG_ERROR, "libmicrohttpd panic at %s:%u: %s", file ? file : "?", line, reason ? reason : "?");
  abort();
}

fc_err fc_server_start(const fc_server_config *cfg, fc_server **out) {
  *out = NULL;
  fc_server *srv = calloc(1, sizeof *srv);
  if (!srv) return FC_ENOMEM;
  srv->cfg = *cfg;
  srv->metrics = fc_metrics_new(cfg->router);
  if (!srv->metrics) {
    free(srv);
    return FC_ENOMEM;
  }
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC;
  struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
  if (inet_pton(AF_INET, cfg->addr, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)cfg->port);
  } else if (inet_pton(AF_INET6, cfg->addr, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)cfg->port);
    flags |= MHD_USE_IPv6;
  } else {
    fc_logf(FC_LOG_ERROR, "not an IP address: %s", cfg->addr);
    fc_metrics_free(srv->metrics);
    free(srv);
    return FC_EINVAL;
  }
  MHD_set_panic_func(on_panic, NULL);
  srv->daemon = MHD_start_daemon(
      flags, (uint16_t)cfg->port, NULL, NULL, on_request, srv,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
      MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
      MHD_OPTION_END);
  if (!srv->daemon) {
    fc_logf(FC_LOG_ERROR, "cannot listen on %s:%d", cfg->addr, cfg->port);
    fc_metrics_free(srv->metrics);
    free(srv);
    return FC_EINVAL;
  }
  *out = srv;
  return FC_OK;
}

int fc_server_port(const fc_server *s) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : -1;
}

void fc_server_stop(fc_server *s, double grace_s) {
  if (!s) return;
  /* Stop accepting; requests in progress go on until they finish or the grace ends. */
  MHD_socket fd = MHD_quiesce_daemon(s->daemon);
  double until = fc_time_mono_s() + grace_s;
  while (atomic_load(&s->inflight) > 0 && fc_time_mono_s() < until) usleep(10000);
  MHD_stop_daemon(s->daemon);
  if (fd != MHD_INVALID_SOCKET) close(fd);
  fc_metrics_free(s->metrics);
  free(s);
}

/* --- exposed to the rest of http/ and to handlers */

char *fc_req_metrics_text(fc_req *r) {
  fc_server *srv = server_of(r);
  return fc_metrics_render(srv->metrics, r->arena, atomic_load(&srv->open_connections));
}
