/* Brands and dealers: rules and SQL. See org.h. */
#include <stdio.h>
#include <string.h>
#include "auth/audit.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "org/org.h"

enum { MAX_BRANDS_PER_DEALER = 50 };

static json_t *brand_row(fc_ctx *c, fc_stmt *st) {
  char at[40];
  fc_time_format(fc_col_int(st, 3), at, sizeof at);
  return json_pack("{ssssssss}", "id", fc_col_text(st, 0), "slug", fc_col_text(st, 1), "name",
                   fc_col_text(st, 2), "created_at", at);
}

fc_err fc_brands_list(fc_ctx *c, int limit, const char *cursor, json_t **out) {
  fc_err err = fc_policy_check(c->who, FC_ACT_READ, FC_RES_BRAND, NULL);
  if (err) return fc_fail(&c->err, err, "you may not list brands");
  fc_stmt *st = NULL;
  err = fc_db_query(c->db, &st,
                    "SELECT id, slug, name, created_at FROM brands WHERE id > ? ORDER BY id LIMIT ?", "si",
                    cursor ? cursor : "", (int64_t)limit + 1);
  if (err) return err;
  return fc_list_page(c, st, limit, brand_row, out);
}

fc_err fc_brand_exists(fc_ctx *c, const char *brand_id) {
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT 1 FROM brands WHERE id = ?", "s", brand_id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  fc_stmt_done(st);
  return rc == 1 ? FC_OK : rc == 0 ? FC_ENOTFOUND : FC_EDB;
}

typedef struct brand_new {
  fc_ctx *c;
  const char *slug, *name;
  json_t *result;
} brand_new;

static fc_err brand_insert(fc_db *db, void *arg) {
  brand_new *b = arg;
  char id[FC_ID_LEN + 1], at[40];
  int64_t now = fc_time_now_ms();
  fc_id_new(id);
  fc_err err = fc_db_exec(db, "INSERT INTO brands (id, slug, name, created_at) VALUES (?, ?, ?, ?)", "sssi", id,
                          b->slug, b->name, now);
  if (err == FC_ECONFLICT) return fc_fail(&b->c->err, FC_ECONFLICT, "a brand with slug '%s' exists", b->slug);
  if (err) return err;
  fc_time_format(now, at, sizeof at);
  b->result = json_pack("{ssssssss}", "id", id, "slug", b->slug, "name", b->name, "created_at", at);
  return fc_audit_record(b->c, NULL, "brand.create", "brand", id, NULL, b->result);
}

fc_err fc_brands_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const fields[] = {"slug", "name", NULL};
  fc_err err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_BRAND, NULL);
  if (err) return fc_fail(&c->err, err, "only an administrator may create brands");
  brand_new b = {.c = c};
  if ((err = fc_json_only(doc, fields, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "slug", 63, &b.slug, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "name", 200, &b.name, &c->err)) == FC_EBADREQ) return err;
  if (b.slug && !fc_valid_slug(b.slug)) fc_fail_field(&c->err, "slug", "use lower-case letters, digits and dashes");
  if (c->err.code) return c->err.code;
  err = fc_db_tx(c->db, brand_insert, &b);
  if (err) {
    json_decref(b.result);
    return err;
  }
  *out = b.result;
  return FC_OK;
}

/* --- dealers */

#define DEALER_COLS "id, slug, name, timezone, locale, version, created_at, updated_at, country"

static json_t *dealer_row(fc_ctx *c, fc_stmt *st) {
  char created[40], updated[40];
  fc_time_format(fc_col_int(st, 6), created, sizeof created);
  fc_time_format(fc_col_int(st, 7), updated, sizeof updated);
  json_t *d = json_pack("{ssssssssss" "sI" "ssss" "s[]}", "id", fc_col_text(st, 0), "slug", fc_col_text(st, 1), "name",
                        fc_col_text(st, 2), "timezone", fc_col_text(st, 3), "locale", fc_col_text(st, 4),
                        "version", (json_int_t)fc_col_int(st, 5), "created_at", created, "updated_at", updated,
                        "brand_ids");
  if (d) json_object_set_new(d, "country", fc_json_str_or_null(fc_col_text(st, 8)));
  return d;
}

/* Fills "brand_ids" of each dealer document (a second query per dealer:
 * lists are at most 500 long and the lookup is a primary-key range). */
static fc_err add_brands(fc_ctx *c, json_t *dealer) {
  json_t *ids = json_object_get(dealer, "brand_ids");
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT brand_id FROM dealer_brands WHERE dealer_id = ? ORDER BY brand_id",
                           "s", json_string_value(json_object_get(dealer, "id")));
  if (err) return err;
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) json_array_append_new(ids, json_string(fc_col_text(st, 0)));
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}

/* Loads one dealer document without any access check. */
static fc_err dealer_load(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT " DEALER_COLS " FROM dealers WHERE id = ?", "s", id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  json_t *d = rc == 1 ? dealer_row(c, st) : NULL;
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (!d) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  err = add_brands(c, d);
  if (err) {
    json_decref(d);
    return err;
  }
  *out = d;
  return FC_OK;
}

fc_err fc_dealer_load(fc_ctx *c, const char *id, json_t **out) { return dealer_load(c, id, out); }

fc_err fc_dealer_brand_named(fc_ctx *c, const char *dealer_id, const char *name, const char **brand_id) {
  *brand_id = NULL;
  if (!name || !*name) return FC_OK;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT b.id FROM brands b JOIN dealer_brands d ON d.brand_id = b.id "
                           "WHERE d.dealer_id = ? AND (LOWER(b.name) = LOWER(?) OR b.slug = LOWER(?))",
                           "sss", dealer_id, name, name);
  if (err) return err;
  if (fc_stmt_step(st) == 1) *brand_id = fc_arena_strdup(c->arena, fc_col_text(st, 0));
  fc_stmt_done(st);
  return FC_OK;
}

fc_err fc_dealer_by_slug(fc_ctx *c, const char *slug, json_t **out) {
  *out = NULL;
  if (!fc_valid_slug(slug)) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT id FROM dealers WHERE slug = ?", "s", slug);
  if (err) return err;
  char *id = fc_stmt_step(st) == 1 ? fc_arena_strdup(c->arena, fc_col_text(st, 0)) : NULL;
  fc_stmt_done(st);
  if (!id) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  return dealer_load(c, id, out);
}

static void tenant_of(fc_ctx *c, json_t *dealer, fc_tenant *t) {
  memset(t, 0, sizeof *t);
  t->dealer_id = fc_arena_strdup(c->arena, json_string_value(json_object_get(dealer, "id")));
  json_t *ids = json_object_get(dealer, "brand_ids");
  size_t n = json_array_size(ids);
  const char **b = fc_arena_alloc(c->arena, (n + 1) * sizeof *b);
  for (size_t i = 0; b && i < n; i++) b[i] = fc_arena_strdup(c->arena, json_string_value(json_array_get(ids, i)));
  t->dealer_brands = b;
  t->ndealer_brands = b ? (int)n : 0;
}

fc_err fc_dealer_tenant(fc_ctx *c, const char *dealer_id, fc_tenant *out) {
  memset(out, 0, sizeof *out);
  json_t *d = NULL;
  fc_err err = dealer_load(c, dealer_id, &d);
  if (err) return err;
  tenant_of(c, d, out);
  json_decref(d);
  return FC_OK;
}

const char *fc_dealer_etag(fc_ctx *c, json_t *dealer) {
  return fc_arena_printf(c->arena, "\"v%lld\"", (long long)json_integer_value(json_object_get(dealer, "version")));
}

fc_err fc_dealers_list(fc_ctx *c, int limit, const char *cursor, json_t **out) {
  *out = NULL;
  fc_scope scope = fc_policy_scope(c->who);
  const char *cur = cursor ? cursor : "";
  fc_stmt *st = NULL;
  fc_err err;
  switch (scope.kind) {
  case FC_SCOPE_ALL:
    err = fc_db_query(c->db, &st,
                      "SELECT id, slug, name, timezone, locale, version, created_at, updated_at, country FROM dealers "
                      "WHERE id > ? ORDER BY id LIMIT ?",
                      "si", cur, (int64_t)limit + 1);
    break;
  case FC_SCOPE_BRAND:
    err = fc_db_query(c->db, &st,
                      "SELECT id, slug, name, timezone, locale, version, created_at, updated_at, country FROM dealers "
                      "WHERE id > ? AND id IN (SELECT dealer_id FROM dealer_brands WHERE brand_id = ?) "
                      "ORDER BY id LIMIT ?",
                      "ssi", cur, scope.id, (int64_t)limit + 1);
    break;
  case FC_SCOPE_DEALER:
    err = fc_db_query(c->db, &st,
                      "SELECT id, slug, name, timezone, locale, version, created_at, updated_at, country FROM dealers "
                      "WHERE id > ? AND id = ? ORDER BY id LIMIT ?",
                      "ssi", cur, scope.id, (int64_t)limit + 1);
    break;
  default:
    *out = json_pack("{s[]sn}", "items", "next_cursor");
    return FC_OK;
  }
  if (err) return err;
  err = fc_list_page(c, st, limit, dealer_row, out);
  if (err) return err;
  size_t i;
  json_t *d;
  json_array_foreach(json_object_get(*out, "items"), i, d) {
    if ((err = add_brands(c, d))) {
      json_decref(*out);
      *out = NULL;
      return err;
    }
  }
  return FC_OK;
}

fc_err fc_dealers_get(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  json_t *d = NULL;
  fc_err err = dealer_load(c, id, &d);
  if (err) return err;
  fc_tenant t;
  tenant_of(c, d, &t);
  err = fc_policy_check(c->who, FC_ACT_READ, FC_RES_DEALER, &t);
  if (err) {
    json_decref(d);
    return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "you may not read this dealer");
  }
  *out = d;
  return FC_OK;
}

/* Checks brand_ids: strings naming existing brands, no repeats. */
static fc_err check_brand_ids(fc_ctx *c, json_t *ids) {
  size_t i, j;
  json_t *v, *w;
  json_array_foreach(ids, i, v) {
    fc_err err = fc_brand_exists(c, json_string_value(v));
    if (err == FC_ENOTFOUND) return fc_fail_field(&c->err, "brand_ids", "names a brand that does not exist");
    if (err) return err;
    json_array_foreach(ids, j, w) {
      if (j > i && json_equal(v, w)) return fc_fail_field(&c->err, "brand_ids", "names a brand twice");
    }
  }
  return FC_OK;
}

static fc_err set_brands(fc_db *db, const char *dealer_id, json_t *ids) {
  fc_err err = fc_db_exec(db, "DELETE FROM dealer_brands WHERE dealer_id = ?", "s", dealer_id);
  size_t i;
  json_t *v;
  json_array_foreach(ids, i, v) {
    if (err) break;
    err = fc_db_exec(db, "INSERT INTO dealer_brands (dealer_id, brand_id) VALUES (?, ?)", "ss", dealer_id,
                     json_string_value(v));
  }
  return err;
}

typedef struct dealer_write {
  fc_ctx *c;
  const char *id, *slug, *name, *timezone, *locale, *country;
  char derived_country[3];
  json_t *brand_ids; /* borrowed; NULL = unchanged */
  json_t *before;    /* patch: the loaded document */
  long long expect_version; /* patch: 0 = any */
  json_t *result;
} dealer_write;

/* seq numbers the dealers (on SQLite it places their customers' row ids:
 * migration 0008). Two dealers created at the same instant on PostgreSQL may
 * draw the same seq: the loser's unique violation is told apart from a taken
 * slug by the caller, which then tries again. */
static fc_err dealer_insert(fc_db *db, void *arg) {
  dealer_write *w = arg;
  int64_t now = fc_time_now_ms();
  fc_err err = fc_db_exec(db,
                          "INSERT INTO dealers (id, slug, name, timezone, locale, country, version, created_at, "
                          "updated_at, seq) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, "
                          "(SELECT COALESCE(MAX(seq), 0) + 1 FROM dealers))",
                          "ssssssii", w->id, w->slug, w->name, w->timezone, w->locale, w->country, now, now);
  if (err) return err;
  if ((err = set_brands(db, w->id, w->brand_ids))) return err;
  if ((err = dealer_load(w->c, w->id, &w->result))) return err;
  return fc_audit_record(w->c, w->id, "dealer.create", "dealer", w->id, NULL, w->result);
}

static const char *const dealer_fields[] = {"slug", "name", "timezone", "locale", "brand_ids", "country", NULL};

/* Reads and validates the writable fields; required ones must be present on create. */
static fc_err read_dealer(fc_ctx *c, json_t *doc, dealer_write *w, int create) {
  fc_err err;
  if ((err = fc_json_only(doc, dealer_fields, &c->err))) return err;
  if ((err = fc_json_str(doc, "slug", 63, &w->slug, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "name", 200, &w->name, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "timezone", 64, &w->timezone, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "locale", 8, &w->locale, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "country", 2, &w->country, &c->err)) == FC_EBADREQ) return err;
  if (w->country && !fc_valid_country(w->country))
    fc_fail_field(&c->err, "country", "must be an ISO 3166 code such as NL or BE");
  if ((err = fc_json_str_array(doc, "brand_ids", MAX_BRANDS_PER_DEALER, &w->brand_ids, &c->err)) == FC_EBADREQ)
    return err;
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  if (create) {
    if (!w->slug) fc_fail_field(&c->err, "slug", "is required");
    else if (!fc_valid_slug(w->slug)) fc_fail_field(&c->err, "slug", "use lower-case letters, digits and dashes");
  } else if (json_object_get(doc, "slug")) {
    fc_fail_field(&c->err, "slug", "cannot be changed");
  }
  if ((create || json_object_get(doc, "name")) && (!w->name || !*w->name)) fc_fail_field(&c->err, "name", "is required");
  if (create || json_object_get(doc, "timezone")) {
    if (!w->timezone || !fc_valid_timezone(w->timezone))
      fc_fail_field(&c->err, "timezone", "must be an IANA time zone such as Europe/Amsterdam");
  }
  if (create || json_object_get(doc, "locale")) {
    if (!w->locale || !fc_valid_locale(w->locale)) fc_fail_field(&c->err, "locale", "must be like en, fr or fr-CA");
  }
  if (w->brand_ids && (err = check_brand_ids(c, w->brand_ids)) && err != FC_EINVAL) return err;
  return c->err.code;
}

fc_err fc_dealers_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  fc_err err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_DEALER, NULL);
  if (err) return fc_fail(&c->err, FC_EFORBIDDEN, "only an administrator may create dealers");
  dealer_write w = {.c = c};
  if ((err = read_dealer(c, doc, &w, 1))) return err;
  json_t *empty = json_array();
  if (!w.brand_ids) w.brand_ids = empty;
  if (!w.country) { /* from the time zone, so phone numbers read right from day one */
    fc_tz_country(w.timezone, w.derived_country);
    if (w.derived_country[0]) w.country = w.derived_country;
  }
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  w.id = id;
  for (int attempt = 0;; attempt++) {
    err = fc_db_tx(c->db, dealer_insert, &w);
    if (err != FC_ECONFLICT) break;
    fc_stmt *st = NULL; /* the slug, or only the seq another creation took meanwhile? */
    fc_err e2 = fc_db_query(c->db, &st, "SELECT 1 FROM dealers WHERE slug = ?", "s", w.slug);
    int taken = !e2 && fc_stmt_step(st) == 1;
    fc_stmt_done(st);
    if (taken || e2 || attempt == 4) {
      fc_error_clear(&c->err);
      err = e2 ? e2 : fc_fail(&c->err, FC_ECONFLICT, "a dealer with slug '%s' exists", w.slug);
      break;
    }
    fc_error_clear(&c->err);
  }
  json_decref(empty);
  if (err) {
    json_decref(w.result);
    return err;
  }
  *out = w.result;
  return FC_OK;
}

static fc_err dealer_update(fc_db *db, void *arg) {
  dealer_write *w = arg;
  /* Re-read inside the transaction: the version decides, not what we saw before. */
  json_t *cur = NULL;
  fc_err err = dealer_load(w->c, w->id, &cur);
  if (err) return err;
  long long version = json_integer_value(json_object_get(cur, "version"));
  if (w->expect_version && version != w->expect_version) {
    json_decref(cur);
    return fc_fail(&w->c->err, FC_EPRECOND, "the dealer changed since you read it (now version %lld)", version);
  }
  /* With If-Match, the version in the WHERE makes the check hold under any
   * isolation level: of two writers that read the same version, one changes
   * no row. Without it, every write counts. */
  err = fc_db_exec(db,
                   "UPDATE dealers SET name = COALESCE(?, name), timezone = COALESCE(?, timezone), "
                   "locale = COALESCE(?, locale), country = COALESCE(?, country), version = version + 1, "
                   "updated_at = ? WHERE id = ? AND (? = 0 OR version = ?)",
                   "ssssisii", w->name, w->timezone, w->locale, w->country, fc_time_now_ms(), w->id,
                   (int64_t)w->expect_version, (int64_t)version);
  if (!err && fc_db_changes(db) != 1) {
    json_decref(cur);
    return fc_fail(&w->c->err, FC_EPRECOND, "the dealer changed while you were saving; read it again");
  }
  if (!err && w->brand_ids) err = set_brands(db, w->id, w->brand_ids);
  if (!err) err = dealer_load(w->c, w->id, &w->result);
  if (!err) err = fc_audit_record(w->c, w->id, "dealer.update", "dealer", w->id, cur, w->result);
  json_decref(cur);
  return err;
}

fc_err fc_dealers_patch(fc_ctx *c, const char *id, const char *if_match, json_t *doc, json_t **out) {
  *out = NULL;
  json_t *d = NULL;
  fc_err err = dealer_load(c, id, &d);
  if (err) return err;
  fc_tenant t;
  tenant_of(c, d, &t);
  json_decref(d);
  err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_DEALER, &t);
  if (err) return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "you may not change this dealer");
  dealer_write w = {.c = c, .id = id};
  if ((err = read_dealer(c, doc, &w, 0))) return err;
  if (json_object_size(doc) == 0) /* nothing to change: no new version, no audit entry */
    return fc_dealers_get(c, id, out);
  if (w.brand_ids && fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_BRAND, NULL) != FC_OK)
    return fc_fail(&c->err, FC_EFORBIDDEN, "only an administrator may change the brands a dealer holds");
  if (if_match) {
    long long v = 0;
    if (sscanf(if_match, "\"v%lld\"", &v) != 1 || v <= 0)
      return fc_fail(&c->err, FC_EPRECOND, "If-Match does not match the dealer's ETag");
    w.expect_version = v;
  }
  err = fc_db_tx(c->db, dealer_update, &w);
  if (err) {
    json_decref(w.result);
    return err;
  }
  *out = w.result;
  return FC_OK;
}
