/* HTTP handlers for sign-in, the caller, staff accounts, API keys and the audit trail. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/routes.h"
#include "core/jsonx.h"
#include "core/timeutil.h"

static void set_session_cookie(fc_req *r, const char *token, int max_age) {
  char *cookie = fc_arena_printf(fc_req_arena(r), "fc_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
                                 token, max_age, fc_req_is_tls(r) ? "; Secure" : "");
  if (cookie) fc_reply_header(r, "Set-Cookie", cookie);
}

static void h_login(fc_req *r) {
  static const char *const fields[] = {"email", "password", NULL};
  fc_ctx c;
  json_t *doc = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto out;
  const char *email = NULL, *password = NULL;
  fc_err err;
  if ((err = fc_json_only(doc, fields, &c.err)) ||
      ((err = fc_json_str_req(doc, "email", 254, &email, &c.err)) == FC_EBADREQ) ||
      ((err = fc_json_str_req(doc, "password", FC_PASSWORD_MAX, &password, &c.err)) == FC_EBADREQ) || c.err.code) {
    fc_ctx_reply_error(&c, r, err ? err : c.err.code);
    goto out;
  }
  fc_login login;
  err = fc_auth_login(&c, email, password, fc_req_address(r), &login);
  if (err) {
    if (err == FC_ERATE) {
      char ra[16];
      snprintf(ra, sizeof ra, "%d", login.retry_after);
      fc_reply_header(r, "Retry-After", ra);
    }
    fc_ctx_reply_error(&c, r, err);
    goto out;
  }
  char exp[40];
  fc_time_format(login.expires_at, exp, sizeof exp);
  set_session_cookie(r, login.token, (int)((login.expires_at - fc_time_now_ms()) / 1000));
  fc_reply_json(r, 200, json_pack("{ssssssso}", "token", login.token, "csrf_token", login.csrf, "expires_at", exp,
                                  "user", login.user));
out:
  json_decref(doc);
}

static void h_logout(fc_req *r) {
  fc_ctx c;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_auth_logout(&c);
  if (err) {
    fc_ctx_reply_error(&c, r, err);
    return;
  }
  set_session_cookie(r, "", 0);
  fc_reply_empty(r, 204);
}

static void h_me(fc_req *r) {
  fc_ctx c;
  if (fc_ctx_init(&c, r)) return;
  json_t *user = NULL;
  fc_err err = fc_auth_me(&c, &user);
  if (err) {
    fc_ctx_reply_error(&c, r, err);
    return;
  }
  json_t *doc = json_pack("{so}", "user", user);
  /* The CSRF token goes with the session token the caller presented. */
  const char *token = NULL;
  const char *authz = fc_req_header(r, "Authorization");
  if (authz && strncasecmp(authz, "Bearer ", 7) == 0) token = authz + 7;
  else token = fc_req_cookie(r, "fc_session");
  if (token && strncmp(token, "fcs_", 4) == 0) {
    char csrf[FC_TOKEN_MAX];
    fc_auth_csrf(c.app, token, csrf);
    json_object_set_new(doc, "csrf_token", json_string(csrf));
  }
  fc_reply_json(r, 200, doc);
}

/* The shape of a list endpoint: paging, a service call, the page. */
static void reply_list(fc_req *r, fc_err (*list)(fc_ctx *, int, const char *, json_t **)) {
  int limit;
  const char *cursor;
  fc_ctx c;
  if (fc_req_page(r, &limit, &cursor) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = list(&c, limit, cursor, &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

/* The shape of a create endpoint: a JSON body, a service call, 201 with the object. */
static void reply_create(fc_req *r, fc_err (*create)(fc_ctx *, json_t *, json_t **)) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = create(&c, doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

static void h_users_list(fc_req *r) { reply_list(r, fc_users_list); }
static void h_users_create(fc_req *r) { reply_create(r, fc_users_create); }
static void h_keys_create(fc_req *r) { reply_create(r, fc_api_keys_create); }

static void h_audit(fc_req *r) {
  int limit;
  const char *cursor;
  fc_ctx c;
  if (fc_req_page(r, &limit, &cursor) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = fc_audit_list(&c, fc_req_query(r, "dealer_id"), limit, cursor, &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

const fc_route fc_auth_routes[] = {
    {"POST", "/api/v1/auth/login", h_login, FC_ROUTE_PUBLIC | FC_ROUTE_NO_CSRF | FC_ROUTE_NO_REPLAY, "Sign in"},
    {"POST", "/api/v1/auth/logout", h_logout, 0, "Sign out"},
    {"GET", "/api/v1/me", h_me, 0, "The caller"},
    {"GET", "/api/v1/users", h_users_list, 0, "Staff accounts in scope"},
    {"POST", "/api/v1/users", h_users_create, 0, "Create a staff account"},
    {"POST", "/api/v1/api-keys", h_keys_create, 0, "Create a dealer API key"},
    {"GET", "/api/v1/audit", h_audit, 0, "The audit trail"},
    {0},
};
