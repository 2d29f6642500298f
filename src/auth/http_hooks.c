/* The server's authentication hooks: credentials from the Authorization
 * header (session token or API key) or the fc_session cookie. */
#include <string.h>
#include <strings.h>
#include "auth/auth.h"
#include "auth/routes.h"

static const char *bearer(fc_req *r) {
  const char *h = fc_req_header(r, "Authorization");
  if (!h) return NULL;
  if (strncasecmp(h, "Bearer ", 7) != 0) return ""; /* the scheme is case-insensitive (RFC 7235) */
  return h + 7;
}

fc_err fc_auth_http_authenticate(fc_req *r) {
  fc_app *app = fc_req_app(r);
  const char *token = bearer(r);
  int via_cookie = 0;
  if (!token) {
    token = fc_req_cookie(r, "fc_session");
    via_cookie = 1;
  }
  if (!token) return FC_OK;
  fc_db *db = NULL;
  fc_err err = fc_store_db(app->store, &db);
  if (err) return err;
  fc_principal *p = NULL;
  err = fc_auth_resolve(app, db, fc_req_arena(r), token, &p);
  if (err == FC_EUNAUTH && via_cookie) return FC_OK; /* a stale cookie is just no cookie */
  if (err) return err;
  fc_req_set_principal(r, p, via_cookie);
  return FC_OK;
}

int fc_auth_http_csrf_ok(fc_req *r) {
  const char *given = fc_req_header(r, "X-CSRF-Token");
  const char *token = fc_req_cookie(r, "fc_session");
  if (!given || !token) return 0;
  char want[FC_TOKEN_MAX];
  fc_auth_csrf(fc_req_app(r), token, want);
  return fc_secret_equal(given, want);
}

const char *fc_auth_http_principal_key(fc_req *r) {
  const fc_principal *p = fc_req_principal(r);
  if (p) return p->id;
  /* Anonymous callers (the public booking page) are told apart by address,
   * so one client's key never replays another client's answer. */
  return fc_arena_printf(fc_req_arena(r), "anon:%s", fc_req_address(r));
}
