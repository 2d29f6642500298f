/* Request accessors and replies: the handler-facing half of the adapter.
 * Error replies are built here and only here, from fc_err via fc_http_status. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/id.h"
#include "core/jsonx.h"
#include "http/internal.h"

struct fc_app *fc_req_app(fc_req *r) { return r->cfg->app; }
fc_arena *fc_req_arena(fc_req *r) { return r->arena; }
const char *fc_req_method(fc_req *r) { return r->method; }
const char *fc_req_path(fc_req *r) { return r->path; }
const char *fc_req_id(fc_req *r) { return r->id; }
const struct fc_principal *fc_req_principal(fc_req *r) { return r->principal; }
int fc_req_via_cookie(fc_req *r) { return r->via_cookie; }

void fc_req_set_principal(fc_req *r, const struct fc_principal *p, int via_cookie) {
  r->principal = p;
  r->via_cookie = via_cookie;
}

const char *fc_req_param(fc_req *r, const char *name) {
  for (int i = 0; i < r->match.nparams; i++)
    if (strcmp(r->match.names[i], name) == 0) return r->match.values[i];
  return NULL;
}

const char *fc_req_query(fc_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *fc_req_header(fc_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *fc_req_cookie(fc_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *fc_req_body(fc_req *r, size_t *len) {
  *len = r->body_len;
  return r->body;
}

int fc_req_is_tls(fc_req *r) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_PROTOCOL);
  return ci != NULL && ci->protocol != 0;
}

const char *fc_req_address(fc_req *r) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char *out = fc_arena_alloc(r->arena, INET6_ADDRSTRLEN);
  if (!out) return "?";
  if (!ci || !ci->client_addr) return "?";
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, INET6_ADDRSTRLEN);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, INET6_ADDRSTRLEN);
  else
    return "?";
  return out;
}

int fc_req_json(fc_req *r, json_t **out) {
  *out = NULL;
  const char *ct = fc_req_header(r, "Content-Type");
  if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
    fc_reply_error_code(r, 415, "unsupported_media_type", "send the body as application/json");
    return -1;
  }
  fc_error e = {0};
  if (fc_json_parse_object(r->body, r->body_len, out, &e) != FC_OK) {
    fc_reply_fc_error(r, &e);
    return -1;
  }
  return 0;
}

int fc_req_page(fc_req *r, int *limit, const char **cursor) {
  *cursor = fc_req_query(r, "cursor");
  if (*cursor && !fc_id_valid(*cursor)) {
    fc_reply_error(r, FC_EBADREQ, "cursor is not one this server gave");
    return -1;
  }
  return fc_req_limit(r, limit);
}

int fc_req_limit(fc_req *r, int *limit) {
  *limit = 50;
  const char *l = fc_req_query(r, "limit");
  if (!l) return 0;
  long v = 0;
  size_t n = strlen(l);
  if (n == 0 || n > 4) goto bad;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)l[i])) goto bad;
    v = v * 10 + (l[i] - '0');
  }
  if (v < 1 || v > 500) goto bad;
  *limit = (int)v;
  return 0;
bad:
  fc_reply_error(r, FC_EBADREQ, "limit must be a whole number from 1 to 500");
  return -1;
}

int fc_http_status(fc_err code) {
  switch (code) {
  case FC_OK: return 200;
  case FC_EBADREQ: return 400;
  case FC_EUNAUTH: return 401;
  case FC_EFORBIDDEN: return 403;
  case FC_ENOTFOUND: return 404;
  case FC_ECONFLICT: return 409;
  case FC_EPRECOND: return 412;
  case FC_ETOOBIG: return 413;
  case FC_EINVAL: return 422;
  case FC_ERATE: return 429;
  case FC_ENOMEM:
  case FC_EDB:
  case FC_EINTERNAL: return 500;
  }
  return 500;
}

static const char *default_message(fc_err code) {
  switch (code) {
  case FC_EBADREQ: return "the request is malformed";
  case FC_EUNAUTH: return "authentication required";
  case FC_EFORBIDDEN: return "you are not allowed to do this";
  case FC_ENOTFOUND: return "not found";
  case FC_ECONFLICT: return "this conflicts with existing data";
  case FC_EPRECOND: return "the resource changed since you read it";
  case FC_ETOOBIG: return "the request is too large";
  case FC_EINVAL: return "the request has invalid fields";
  case FC_ERATE: return "too many requests; try again later";
  default: return "an internal error occurred; it has been logged";
  }
}

static void reply_error_body(fc_req *r, int status, const char *code, const char *message, json_t *fields,
                             json_t *extra) {
  json_t *err = json_pack("{ssss}", "code", code, "message", message);
  if (err && fields) json_object_set(err, "fields", fields);
  if (err && extra) json_object_update_missing(err, extra);
  fc_reply_json(r, status, json_pack("{so}", "error", err));
}

void fc_reply_error(fc_req *r, fc_err code, const char *message) {
  reply_error_body(r, fc_http_status(code), fc_err_name(code),
                   message && *message ? message : default_message(code), NULL, NULL);
}

void fc_reply_fc_error(fc_req *r, fc_error *e) {
  fc_err code = e->code ? e->code : FC_EINTERNAL;
  /* Internal failures never leak their detail to the client. */
  const char *msg = fc_http_status(code) >= 500 || !e->message[0] ? default_message(code) : e->message;
  reply_error_body(r, fc_http_status(code), fc_err_name(code), msg, e->fields, e->extra);
  fc_error_clear(e);
}

void fc_reply_error_code(fc_req *r, int status, const char *code, const char *message) {
  reply_error_body(r, status, code, message, NULL, NULL);
}

void fc_reply_arena(fc_req *r, int status, const char *content_type, const char *data, size_t len) {
  if (r->replied) return;
  r->replied = 1;
  r->status = status;
  r->content_type = content_type;
  r->reply_body = (char *)(data ? data : "");
  r->reply_len = data ? len : 0;
}

void fc_reply_raw(fc_req *r, int status, const char *content_type, const char *data, size_t len) {
  if (r->replied) return;
  r->replied = 1;
  r->status = status;
  r->content_type = content_type;
  r->reply_body = fc_arena_strndup(r->arena, data ? data : "", data ? len : 0);
  r->reply_len = r->reply_body ? len : 0;
}

static void reply_oom(fc_req *r) {
  static const char body[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
  fc_reply_raw(r, 500, "application/json; charset=utf-8", body, sizeof body - 1);
}

void fc_reply_json(fc_req *r, int status, json_t *doc) {
  if (!doc) {
    json_decref(doc);
    reply_oom(r);
    return;
  }
  /* 12 significant digits: 0.2 stays 0.2 (not 0.20000000000000001). */
  char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
  json_decref(doc);
  if (!s) {
    reply_oom(r);
    return;
  }
  fc_reply_raw(r, status, "application/json; charset=utf-8", s, strlen(s));
  free(s);
}

void fc_reply_empty(fc_req *r, int status) { fc_reply_raw(r, status, NULL, "", 0); }

void fc_reply_header(fc_req *r, const char *name, const char *value) {
  if (r->nhdr == MAX_REPLY_HEADERS) return;
  r->hdr_names[r->nhdr] = fc_arena_strdup(r->arena, name);
  r->hdr_values[r->nhdr] = fc_arena_strdup(r->arena, value);
  if (r->hdr_names[r->nhdr] && r->hdr_values[r->nhdr]) r->nhdr++;
}

int fc_reply_sent(fc_req *r) { return r->replied; }
