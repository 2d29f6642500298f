/* Sign-in, sessions and token resolution. */
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/auth.h"
#include "auth/internal.h"
#include "auth/ratelimit.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/validate.h"

enum {
  ACCOUNT_LIMIT = 5,  /* failures per account per window */
  ADDRESS_LIMIT = 20, /* failures per address per window */
  WINDOW_MS = 15 * 60 * 1000,
  RATE_SLOTS = 8192
};

struct fc_auth_state {
  unsigned char secret[FC_SECRET_BYTES];
  fc_ratelimit *failures;
  sem_t verifiers;
  int session_ttl_s;
};

/* Verified for unknown e-mails so that the answer takes as long as for a
 * real account. The hash of a random password that was thrown away; a
 * constant, so start-up does not spend 70 ms making one. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$YrkzEh8BmaPezhhHFC4IoQ$cTzBHCo8ydbnnpxyEsIptCw+2d5tNTs6VQbBf3ncJDI";

static const fc_principal system_principal = {.role = FC_ROLE_ADMIN, .id = "system"};
const fc_principal *fc_auth_system(void) { return &system_principal; }

static fc_err load_secret(fc_store *store, unsigned char key[FC_SECRET_BYTES]) {
  fc_db *db = NULL;
  fc_err err = fc_store_db(store, &db);
  if (err) return err;
  char hex[FC_SECRET_BYTES * 2 + 1];
  unsigned char fresh[FC_SECRET_BYTES];
  randombytes_buf(fresh, sizeof fresh);
  sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
  /* Insert-if-absent, then read: two instances starting together agree. */
  err = fc_db_exec(db, "INSERT INTO settings (name, value) SELECT 'secret_key', ? WHERE NOT EXISTS "
                       "(SELECT 1 FROM settings WHERE name = 'secret_key')", "s", hex);
  sodium_memzero(hex, sizeof hex);
  if (err) return err;
  fc_stmt *st = NULL;
  if ((err = fc_db_query(db, &st, "SELECT value FROM settings WHERE name = 'secret_key'", ""))) return err;
  err = FC_EDB;
  if (fc_stmt_step(st) == 1) {
    const char *v = fc_col_text(st, 0);
    size_t len = 0;
    if (v && sodium_hex2bin(key, FC_SECRET_BYTES, v, strlen(v), NULL, &len, NULL) == 0 && len == FC_SECRET_BYTES)
      err = FC_OK;
  }
  fc_stmt_done(st);
  return err;
}

fc_err fc_auth_state_new(fc_store *store, int login_concurrency, int session_ttl_s, fc_auth_state **out) {
  *out = NULL;
  fc_auth_state *a = sodium_malloc(sizeof *a);
  if (!a) return FC_ENOMEM;
  memset(a, 0, sizeof *a);
  fc_err err = load_secret(store, a->secret);
  if (!err && !(a->failures = fc_ratelimit_new(RATE_SLOTS, WINDOW_MS))) err = FC_ENOMEM;
  if (err) {
    sodium_free(a);
    return err;
  }
  sem_init(&a->verifiers, 0, (unsigned)(login_concurrency > 0 ? login_concurrency : 2));
  a->session_ttl_s = session_ttl_s > 0 ? session_ttl_s : 12 * 3600;
  *out = a;
  return FC_OK;
}

void fc_auth_state_free(fc_auth_state *a) {
  if (!a) return;
  fc_ratelimit_free(a->failures);
  sem_destroy(&a->verifiers);
  sodium_free(a);
}

void fc_auth_hash_token(fc_app *app, const char *token, char out[FC_TOKEN_HASH_HEX]) {
  fc_token_hash(app->auth->secret, token, out);
}

void fc_auth_keyed_hash(fc_app *app, const char *label, const char *value, char out[FC_TOKEN_HASH_HEX]) {
  unsigned char h[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, app->auth->secret, FC_SECRET_BYTES, sizeof h);
  crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
  crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
  crypto_generichash_final(&st, h, sizeof h);
  sodium_bin2hex(out, FC_TOKEN_HASH_HEX, h, sizeof h);
}

void fc_auth_csrf(fc_app *app, const char *session_token, char out[FC_TOKEN_MAX]) {
  fc_token_derive(app->auth->secret, "csrf", session_token, out);
}

fc_err fc_auth_login(fc_ctx *c, const char *email, const char *password, const char *address, fc_login *out) {
  memset(out, 0, sizeof *out);
  fc_auth_state *a = c->app->auth;
  char folded[256], acct_key[300], addr_key[100];
  fc_email_fold(email, folded, sizeof folded);
  snprintf(acct_key, sizeof acct_key, "account:%s", folded);
  snprintf(addr_key, sizeof addr_key, "address:%s", address ? address : "?");
  int64_t now = fc_time_now_ms();
  if (fc_ratelimit_blocked(a->failures, acct_key, ACCOUNT_LIMIT, now, &out->retry_after) ||
      fc_ratelimit_blocked(a->failures, addr_key, ADDRESS_LIMIT, now, &out->retry_after))
    return fc_fail(&c->err, FC_ERATE, "too many failed sign-in attempts; try again in %d seconds", out->retry_after);

  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT id, email, name, role, dealer_id, brand_id, locale, created_at, password_hash "
                           "FROM users WHERE email = ? AND disabled = 0",
                           "s", folded);
  if (err) return err;
  int rc = fc_stmt_step(st);
  char hash[FC_PWHASH_MAX] = "";
  json_t *user = NULL;
  if (rc == 1) {
    snprintf(hash, sizeof hash, "%s", fc_col_text(st, 8));
    user = fc_user_doc(fc_col_text(st, 0), fc_col_text(st, 1), fc_col_text(st, 2), fc_col_text(st, 3),
                    fc_col_text(st, 4), fc_col_text(st, 5), fc_col_text(st, 6), fc_col_int(st, 7));
  }
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;

  sem_wait(&a->verifiers);
  int ok = fc_password_verify(user ? hash : dummy_hash, password) && user != NULL;
  sem_post(&a->verifiers);
  if (!ok) {
    json_decref(user);
    fc_ratelimit_fail(a->failures, acct_key, now);
    fc_ratelimit_fail(a->failures, addr_key, now);
    return fc_fail(&c->err, FC_EUNAUTH, "wrong e-mail or password");
  }
  fc_ratelimit_reset(a->failures, acct_key);

  char token_hash[FC_TOKEN_HASH_HEX];
  fc_token_new("fcs_", out->token);
  fc_token_hash(a->secret, out->token, token_hash);
  out->expires_at = now + (int64_t)a->session_ttl_s * 1000;
  /* Expired sessions of this user are swept on each sign-in. */
  const char *uid = json_string_value(json_object_get(user, "id"));
  err = fc_db_exec(c->db, "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", "si", uid, now);
  if (!err)
    err = fc_db_exec(c->db,
                     "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, address) VALUES (?, ?, ?, ?, ?)",
                     "ssiis", token_hash, uid, now, out->expires_at, address);
  if (err) {
    json_decref(user);
    return err;
  }
  fc_auth_csrf(c->app, out->token, out->csrf);
  out->user = user;
  return FC_OK;
}

fc_err fc_auth_logout(fc_ctx *c) {
  if (!c->who || !c->who->token_hash[0]) return FC_OK;
  return fc_db_exec(c->db, "DELETE FROM sessions WHERE token_hash = ?", "s", c->who->token_hash);
}

static void copy_id(char dst[FC_ID_LEN + 1], const char *src) {
  snprintf(dst, FC_ID_LEN + 1, "%s", src ? src : "");
}

fc_err fc_auth_resolve(fc_app *app, fc_db *db, fc_arena *arena, const char *token, fc_principal **out) {
  *out = NULL;
  size_t len = token ? strlen(token) : 0;
  if (len < 8 || len >= FC_TOKEN_MAX) return FC_EUNAUTH;
  char h[FC_TOKEN_HASH_HEX];
  fc_token_hash(app->auth->secret, token, h);
  int64_t now = fc_time_now_ms();
  fc_stmt *st = NULL;
  fc_err err;
  int is_session = strncmp(token, "fcs_", 4) == 0;
  if (is_session)
    err = fc_db_query(db, &st,
                      "SELECT s.token_hash, u.id, u.role, u.dealer_id, u.brand_id, s.expires_at "
                      "FROM sessions s JOIN users u ON u.id = s.user_id "
                      "WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                      "si", h, now);
  else if (strncmp(token, "fck_", 4) == 0)
    err = fc_db_query(db, &st,
                      "SELECT key_hash, id, 'api_key', dealer_id, NULL, 0 FROM api_keys "
                      "WHERE key_hash = ? AND revoked_at IS NULL",
                      "s", h);
  else
    return FC_EUNAUTH;
  if (err) return err;
  err = FC_EUNAUTH;
  if (fc_stmt_step(st) == 1 && fc_secret_equal(fc_col_text(st, 0), h)) {
    fc_principal *p = fc_arena_alloc(arena, sizeof *p);
    if (!p) {
      err = FC_ENOMEM;
    } else {
      const char *role = fc_col_text(st, 2);
      p->role = strcmp(role, "api_key") == 0 ? FC_ROLE_API_KEY : fc_role_parse(role);
      copy_id(p->id, fc_col_text(st, 1));
      copy_id(p->dealer_id, fc_col_text(st, 3));
      copy_id(p->brand_id, fc_col_text(st, 4));
      if (is_session) memcpy(p->token_hash, h, sizeof h);
      p->expires_at = fc_col_int(st, 5);
      *out = p;
      err = p->role == FC_ROLE_NONE ? FC_EUNAUTH : FC_OK;
    }
  }
  fc_stmt_done(st);
  return err;
}

fc_err fc_auth_me(fc_ctx *c, json_t **out) {
  *out = NULL;
  const fc_principal *p = c->who;
  fc_stmt *st = NULL;
  fc_err err;
  if (p->role == FC_ROLE_API_KEY) {
    err = fc_db_query(c->db, &st, "SELECT id, name, dealer_id, created_at FROM api_keys WHERE id = ?", "s", p->id);
    if (err) return err;
    if (fc_stmt_step(st) == 1)
      *out = fc_user_doc(fc_col_text(st, 0), "", fc_col_text(st, 1), "api_key", fc_col_text(st, 2), NULL, NULL,
                      fc_col_int(st, 3));
  } else {
    err = fc_db_query(c->db, &st,
                      "SELECT id, email, name, role, dealer_id, brand_id, locale, created_at FROM users WHERE id = ?",
                      "s", p->id);
    if (err) return err;
    if (fc_stmt_step(st) == 1)
      *out = fc_user_doc(fc_col_text(st, 0), fc_col_text(st, 1), fc_col_text(st, 2), fc_col_text(st, 3),
                      fc_col_text(st, 4), fc_col_text(st, 5), fc_col_text(st, 6), fc_col_int(st, 7));
  }
  fc_stmt_done(st);
  return *out ? FC_OK : FC_EUNAUTH;
}
