/* Staff accounts and API keys. */
#include <string.h>
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/internal.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "org/org.h"

json_t *fc_user_doc(const char *id, const char *email, const char *name, const char *role, const char *dealer,
                    const char *brand, const char *locale, int64_t created) {
  char at[40];
  fc_time_format(created, at, sizeof at);
  json_t *u = json_pack("{ssssssss}", "id", id, "email", email, "name", name, "role", role);
  if (!u) return NULL;
  json_object_set_new(u, "dealer_id", fc_json_str_or_null(dealer));
  json_object_set_new(u, "brand_id", fc_json_str_or_null(brand));
  json_object_set_new(u, "locale", fc_json_str_or_null(locale));
  json_object_set_new(u, "created_at", json_string(at));
  return u;
}

static json_t *user_row(fc_ctx *c, fc_stmt *st) {
  return fc_user_doc(fc_col_text(st, 0), fc_col_text(st, 1), fc_col_text(st, 2), fc_col_text(st, 3),
                     fc_col_text(st, 4), fc_col_text(st, 5), fc_col_text(st, 6), fc_col_int(st, 7));
}

fc_err fc_users_list(fc_ctx *c, int limit, const char *cursor, json_t **out) {
  *out = NULL;
  if (c->who->role == FC_ROLE_API_KEY) return fc_fail(&c->err, FC_EFORBIDDEN, "API keys may not list users");
  fc_scope scope = fc_policy_scope(c->who);
  const char *cur = cursor ? cursor : "";
  fc_stmt *st = NULL;
  fc_err err;
  switch (scope.kind) {
  case FC_SCOPE_ALL:
    err = fc_db_query(c->db, &st,
                      "SELECT id, email, name, role, dealer_id, brand_id, locale, created_at FROM users "
                      "WHERE id > ? ORDER BY id LIMIT ?",
                      "si", cur, (int64_t)limit + 1);
    break;
  case FC_SCOPE_BRAND:
    err = fc_db_query(c->db, &st,
                      "SELECT id, email, name, role, dealer_id, brand_id, locale, created_at FROM users "
                      "WHERE id > ? AND (brand_id = ? OR dealer_id IN "
                      "(SELECT dealer_id FROM dealer_brands WHERE brand_id = ?)) ORDER BY id LIMIT ?",
                      "sssi", cur, scope.id, scope.id, (int64_t)limit + 1);
    break;
  case FC_SCOPE_DEALER:
    err = fc_db_query(c->db, &st,
                      "SELECT id, email, name, role, dealer_id, brand_id, locale, created_at FROM users "
                      "WHERE id > ? AND dealer_id = ? ORDER BY id LIMIT ?",
                      "ssi", cur, scope.id, (int64_t)limit + 1);
    break;
  default:
    return fc_fail(&c->err, FC_EFORBIDDEN, "you may not list users");
  }
  if (err) return err;
  return fc_list_page(c, st, limit, user_row, out);
}

typedef struct user_new {
  fc_ctx *c;
  const char *email, *name, *password, *role, *dealer_id, *brand_id, *locale;
  json_t *result;
} user_new;

static fc_err user_insert(fc_db *db, void *arg) {
  user_new *u = arg;
  char id[FC_ID_LEN + 1], hash[FC_PWHASH_MAX], folded[256];
  fc_id_new(id);
  fc_email_fold(u->email, folded, sizeof folded);
  fc_err err = fc_password_hash(u->password, hash);
  if (err) return err;
  int64_t now = fc_time_now_ms();
  err = fc_db_exec(db,
                   "INSERT INTO users (id, email, name, role, dealer_id, brand_id, locale, password_hash, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ssssssssi", id, folded, u->name, u->role, u->dealer_id, u->brand_id, u->locale, hash, now);
  if (err == FC_ECONFLICT) return fc_fail(&u->c->err, FC_ECONFLICT, "an account with this e-mail exists");
  if (err) return err;
  u->result = fc_user_doc(id, folded, u->name, u->role, u->dealer_id, u->brand_id, u->locale, now);
  return fc_audit_record(u->c, u->dealer_id, "user.create", "user", id, NULL, u->result);
}

fc_err fc_users_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const fields[] = {"email", "name", "password", "role", "dealer_id", "brand_id", "locale", NULL};
  user_new u = {.c = c};
  fc_err err;
  if ((err = fc_json_only(doc, fields, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "email", 254, &u.email, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "name", 200, &u.name, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "password", FC_PASSWORD_MAX, &u.password, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "role", 32, &u.role, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "dealer_id", 64, &u.dealer_id, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "brand_id", 64, &u.brand_id, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "locale", 8, &u.locale, &c->err)) == FC_EBADREQ) return err;
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  fc_role role = fc_role_parse(u.role);
  if (u.email && !fc_valid_email(u.email)) fc_fail_field(&c->err, "email", "is not an e-mail address");
  if (u.password && strlen(u.password) < FC_PASSWORD_MIN)
    fc_fail_field(&c->err, "password", "must have at least 10 characters");
  if (u.role && role == FC_ROLE_NONE) fc_fail_field(&c->err, "role", "is not a known role");
  if (u.locale && !fc_valid_locale(u.locale)) fc_fail_field(&c->err, "locale", "must be like en, fr or fr-CA");
  if (fc_role_is_dealer_staff(role) && !u.dealer_id) fc_fail_field(&c->err, "dealer_id", "is required for this role");
  if (role == FC_ROLE_BRAND_MANAGER && !u.brand_id) fc_fail_field(&c->err, "brand_id", "is required for this role");
  if (!fc_role_is_dealer_staff(role) && u.dealer_id) fc_fail_field(&c->err, "dealer_id", "is only for dealer staff");
  if (role != FC_ROLE_BRAND_MANAGER && u.brand_id) fc_fail_field(&c->err, "brand_id", "is only for brand managers");
  if (c->err.code) return c->err.code;

  /* Who may create this account: a dealer's staff within the dealer, by its
   * admin; anything, by an administrator. */
  fc_tenant t = {0};
  if (u.dealer_id) {
    if ((err = fc_dealer_tenant(c, u.dealer_id, &t))) {
      fc_error_clear(&c->err);
      if (err != FC_ENOTFOUND) return err;
      /* Only an administrator learns that the dealer does not exist; to
       * others an unknown dealer looks like any dealer outside their scope. */
      if (c->who->role != FC_ROLE_ADMIN) return fc_fail(&c->err, FC_EFORBIDDEN, "you may not create accounts there");
      return fc_fail_field(&c->err, "dealer_id", "names no dealer");
    }
  } else if (u.brand_id) {
    if ((err = fc_brand_exists(c, u.brand_id)))
      return err == FC_ENOTFOUND ? fc_fail_field(&c->err, "brand_id", "names no brand") : err;
    t.brand_id = u.brand_id;
  }
  if ((err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_USER, &t)))
    return fc_fail(&c->err, err == FC_ENOTFOUND ? FC_EFORBIDDEN : err, "you may not create accounts there");
  if ((err = fc_policy_may_assign(c->who, role)))
    return fc_fail(&c->err, err, "you may not create an account with role %s", u.role);
  err = fc_db_tx(c->db, user_insert, &u);
  if (err) {
    json_decref(u.result);
    return err;
  }
  *out = u.result;
  return FC_OK;
}

typedef struct key_new {
  fc_ctx *c;
  const char *name, *dealer_id;
  json_t *result;
} key_new;

static fc_err key_insert(fc_db *db, void *arg) {
  key_new *k = arg;
  char id[FC_ID_LEN + 1], key[FC_TOKEN_MAX], hash[FC_TOKEN_HASH_HEX], at[40];
  fc_id_new(id);
  fc_token_new("fck_", key);
  fc_auth_hash_token(k->c->app, key, hash);
  int64_t now = fc_time_now_ms();
  fc_err err = fc_db_exec(db,
                          "INSERT INTO api_keys (id, dealer_id, name, key_hash, created_by, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          "sssssi", id, k->dealer_id, k->name, hash, k->c->who->id, now);
  if (err) return err;
  fc_time_format(now, at, sizeof at);
  json_t *audit = json_pack("{ssssssss}", "id", id, "name", k->name, "dealer_id", k->dealer_id, "created_at", at);
  err = fc_audit_record(k->c, k->dealer_id, "api_key.create", "api_key", id, NULL, audit);
  /* The key itself goes to the caller once and never into the audit. */
  k->result = audit;
  json_object_set_new(k->result, "key", json_string(key));
  return err;
}

fc_err fc_api_keys_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const fields[] = {"name", "dealer_id", NULL};
  key_new k = {.c = c};
  fc_err err;
  if ((err = fc_json_only(doc, fields, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "name", 200, &k.name, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "dealer_id", 64, &k.dealer_id, &c->err)) == FC_EBADREQ) return err;
  if (c->err.code) return c->err.code;
  fc_tenant t;
  if ((err = fc_dealer_tenant(c, k.dealer_id, &t))) return err;
  if ((err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_API_KEY, &t)))
    return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "you may not create keys for this dealer");
  err = fc_db_tx(c->db, key_insert, &k);
  if (err) {
    json_decref(k.result);
    return err;
  }
  *out = k.result;
  return FC_OK;
}
