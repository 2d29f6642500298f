#ifndef FC_AUTH_ROUTES_H
#define FC_AUTH_ROUTES_H
#include "http/http.h"

extern const fc_route fc_auth_routes[];

/* Hooks for the server (http/server.h): who is calling, is the CSRF token
 * right, and a stable key of the caller for idempotency. */
fc_err fc_auth_http_authenticate(fc_req *r);
int fc_auth_http_csrf_ok(fc_req *r);
const char *fc_auth_http_principal_key(fc_req *r);

#endif
