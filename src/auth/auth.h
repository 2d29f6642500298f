/* Accounts and credentials: sign-in, sessions, API keys, staff accounts.
 *
 * Session tokens and API keys are 256-bit random strings shown to their
 * owner once; the database holds only their keyed hash. Login is throttled
 * per account and per address, and at most a few argon2id verifications run
 * at once (each takes ~64 MiB), so a login storm cannot exhaust memory. */
#ifndef FC_AUTH_AUTH_H
#define FC_AUTH_AUTH_H
#include <jansson.h>
#include "app.h"
#include "auth/crypto.h"
#include "auth/policy.h"

typedef struct fc_auth_state fc_auth_state;

/* Loads (or creates, first time) the installation secret from the database.
 * login_concurrency bounds simultaneous password verifications. */
fc_err fc_auth_state_new(fc_store *store, int login_concurrency, int session_ttl_s, fc_auth_state **out) FC_MUST_CHECK;
void fc_auth_state_free(fc_auth_state *a);

typedef struct fc_login {
  char token[FC_TOKEN_MAX];
  char csrf[FC_TOKEN_MAX];
  int64_t expires_at;
  json_t *user;    /* new reference */
  int retry_after; /* seconds, when FC_ERATE */
} fc_login;

/* Checks e-mail and password and opens a session. FC_EUNAUTH for a wrong
 * pair (same answer for an unknown e-mail), FC_ERATE when throttled. */
fc_err fc_auth_login(fc_ctx *c, const char *email, const char *password, const char *address, fc_login *out) FC_MUST_CHECK;
/* Ends the caller's session (no-op for API keys). */
fc_err fc_auth_logout(fc_ctx *c) FC_MUST_CHECK;

/* Resolves a bearer token or cookie value to a principal (arena).
 * FC_EUNAUTH when unknown, expired, revoked or disabled. */
fc_err fc_auth_resolve(fc_app *app, fc_db *db, fc_arena *arena, const char *token, fc_principal **out) FC_MUST_CHECK;
/* The CSRF token that goes with a session token. */
void fc_auth_csrf(fc_app *app, const char *session_token, char out[FC_TOKEN_MAX]);

/* GET /me: the caller as a user document (a key is described as role api_key). */
fc_err fc_auth_me(fc_ctx *c, json_t **out) FC_MUST_CHECK;

/* Staff accounts. doc: {email, name, password, role, dealer_id?, brand_id?, locale?}. */
fc_err fc_users_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;
fc_err fc_users_list(fc_ctx *c, int limit, const char *cursor, json_t **out) FC_MUST_CHECK;

/* API keys bound to a dealer. doc: {name, dealer_id} -> {id, name, dealer_id, key, created_at}. */
fc_err fc_api_keys_create(fc_ctx *c, json_t *doc, json_t **out) FC_MUST_CHECK;

/* A keyed hash (hex, 64 characters) of value under the installation secret,
 * separated by label: for lookups of secrets and for suppression lists. */
void fc_auth_keyed_hash(fc_app *app, const char *label, const char *value, char out[FC_TOKEN_HASH_HEX]);

/* The principal for work done from the command line or at start-up. */
const fc_principal *fc_auth_system(void);

#endif
