/* Customers: records, matching, search, merge, erasure, export, consent.
 *
 * Contacts are stored twice: as the person typed them (shown) and
 * normalised (matched): e-mail case-folded, phone in E.164 read with the
 * dealer's country as default region. search_doc holds the folded text that
 * search looks in (names, e-mail, phone digits, plates and VINs of the
 * customer's vehicles); the store indexes it with its own full-text index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/policy.h"
#include "core/fold.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/phone.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "customers/customers.h"
#include "notify/outbox.h"
#include "org/org.h"

static const char *const channels[] = {"email", "sms", "phone", "post", NULL};

enum { MAX_CONTACTS = 20, MAX_NOTES = 5000, MAX_SEARCH_OFFSET = 10000 };

#define CUSTOMER_COLS                                                                                      \
  "id, dealer_id, kind, name, first_name, last_name, company_name, vat_number, email, phone, phone_e164, " \
  "language, address_json, contacts_json, notes, version, erased_at, created_at, updated_at"

/* --- small helpers */

/* Characters, not bytes (the text is valid UTF-8). */
static size_t utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static json_t *parse_json_or_null(const char *s) {
  json_t *j = s ? json_loads(s, 0, NULL) : NULL;
  return j ? j : json_null();
}

static char *arena_take(fc_ctx *c, char *heap) { /* moves a malloc'd string into the arena */
  char *a = fc_arena_strdup(c->arena, heap);
  free(heap);
  return a;
}

static const char *folded(fc_ctx *c, const char *s) { return s ? arena_take(c, fc_fold(s)) : NULL; }
static const char *compacted(fc_ctx *c, const char *s) { return s ? arena_take(c, fc_fold_compact(s)) : NULL; }

/* The dealer's country, for reading phone numbers typed without +code. */
static void dealer_country(fc_ctx *c, const char *dealer_id, char out[3]) {
  out[0] = 0;
  fc_stmt *st = NULL;
  if (fc_db_query(c->db, &st, "SELECT country FROM dealers WHERE id = ?", "s", dealer_id)) return;
  if (fc_stmt_step(st) == 1 && fc_col_text(st, 0)) snprintf(out, 3, "%s", fc_col_text(st, 0));
  fc_stmt_done(st);
}

static int is_channel(const char *ch) {
  for (int i = 0; channels[i]; i++)
    if (strcmp(channels[i], ch) == 0) return 1;
  return 0;
}

/* --- access */

fc_err fc_customers_dealer(fc_ctx *c, const char *dealer_id, const char **out) {
  *out = NULL;
  if (!dealer_id) {
    fc_scope s = fc_policy_scope(c->who);
    if (s.kind == FC_SCOPE_DEALER) {
      *out = s.id;
      return FC_OK;
    }
    if (s.kind == FC_SCOPE_BRAND) return fc_fail(&c->err, FC_EFORBIDDEN, "a brand sees its dealers' figures, not their customers");
    return fc_fail_field(&c->err, "dealer_id", "is required");
  }
  fc_tenant t;
  fc_err err = fc_dealer_tenant(c, dealer_id, &t);
  if (err == FC_ENOTFOUND) {
    fc_error_clear(&c->err);
    return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  }
  if (err) return err;
  err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_DEALER_DATA, &t);
  if (err) return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "you may not see this dealer's customers");
  *out = t.dealer_id;
  return FC_OK;
}

fc_err fc_customer_access(fc_ctx *c, const char *id, int write, const char **dealer_id) {
  *dealer_id = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT dealer_id, erased_at FROM customers WHERE id = ?", "s", id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  char *dealer = rc == 1 ? fc_arena_strdup(c->arena, fc_col_text(st, 0)) : NULL;
  int erased = rc == 1 && !fc_col_null(st, 1);
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (!dealer) return fc_fail(&c->err, FC_ENOTFOUND, "no such customer");
  fc_tenant t;
  if ((err = fc_dealer_tenant(c, dealer, &t))) return err;
  err = fc_policy_check(c->who, write ? FC_ACT_WRITE : FC_ACT_READ, FC_RES_DEALER_DATA, &t);
  if (err) return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such customer" : "you may not see this customer");
  if (write && erased) return fc_fail(&c->err, FC_ENOTFOUND, "this customer was erased");
  *dealer_id = dealer;
  return FC_OK;
}

/* --- documents */

static json_t *consent_state(fc_ctx *c, const char *customer_id) {
  json_t *o = json_object();
  for (int i = 0; channels[i]; i++) json_object_set_new(o, channels[i], json_null());
  fc_stmt *st = NULL;
  /* The latest row per channel is the state (ids grow with time). */
  if (fc_db_query(c->db, &st,
                  "SELECT channel, granted, at, source, actor_id FROM consents WHERE customer_id = ? ORDER BY id",
                  "s", customer_id))
    return o;
  while (fc_stmt_step(st) == 1) {
    char at[40];
    fc_time_format(fc_col_int(st, 2), at, sizeof at);
    json_t *v = json_pack("{sbssss}", "granted", (int)fc_col_int(st, 1), "at", at, "source", fc_col_text(st, 3));
    json_object_set_new(v, "by", fc_json_str_or_null(fc_col_text(st, 4)));
    json_object_set_new(o, fc_col_text(st, 0), v);
  }
  fc_stmt_done(st);
  return o;
}

static json_t *vehicles_of(fc_ctx *c, const char *customer_id) {
  json_t *a = json_array();
  fc_stmt *st = NULL;
  if (fc_db_query(c->db, &st,
                  "SELECT v.id, v.vin, v.plate, v.make, v.model, v.model_year, v.mileage_km, o.since "
                  "FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id "
                  "WHERE o.customer_id = ? AND o.until IS NULL ORDER BY o.since, v.id",
                  "s", customer_id))
    return a;
  while (fc_stmt_step(st) == 1) {
    char since[40];
    fc_time_format(fc_col_int(st, 7), since, sizeof since);
    json_t *v = json_pack("{ss}", "id", fc_col_text(st, 0));
    json_object_set_new(v, "vin", fc_json_str_or_null(fc_col_text(st, 1)));
    json_object_set_new(v, "plate", fc_json_str_or_null(fc_col_text(st, 2)));
    json_object_set_new(v, "make", fc_json_str_or_null(fc_col_text(st, 3)));
    json_object_set_new(v, "model", fc_json_str_or_null(fc_col_text(st, 4)));
    json_object_set_new(v, "model_year", fc_col_null(st, 5) ? json_null() : json_integer(fc_col_int(st, 5)));
    json_object_set_new(v, "mileage_km", fc_col_null(st, 6) ? json_null() : json_integer(fc_col_int(st, 6)));
    json_object_set_new(v, "owner_since", json_string(since));
    json_array_append_new(a, v);
  }
  fc_stmt_done(st);
  return a;
}

/* The row as a document (without consents and vehicles). */
static json_t *customer_row(fc_ctx *c, fc_stmt *st) {
  char created[40], updated[40];
  fc_time_format(fc_col_int(st, 17), created, sizeof created);
  fc_time_format(fc_col_int(st, 18), updated, sizeof updated);
  json_t *o = json_pack("{ssssssss}", "id", fc_col_text(st, 0), "dealer_id", fc_col_text(st, 1), "kind",
                        fc_col_text(st, 2), "name", fc_col_text(st, 3));
  if (!o) return NULL;
  static const char *const text_cols[] = {"first_name", "last_name", "company_name", "vat_number",
                                          "email",      "phone",     "phone_e164",   "language"};
  for (int i = 0; i < 8; i++) json_object_set_new(o, text_cols[i], fc_json_str_or_null(fc_col_text(st, 4 + i)));
  json_object_set_new(o, "address", parse_json_or_null(fc_col_text(st, 12)));
  json_t *contacts = parse_json_or_null(fc_col_text(st, 13));
  json_object_set_new(o, "contacts", json_is_array(contacts) ? contacts : (json_decref(contacts), json_array()));
  json_object_set_new(o, "notes", fc_json_str_or_null(fc_col_text(st, 14)));
  json_object_set_new(o, "version", json_integer(fc_col_int(st, 15)));
  json_object_set_new(o, "erased", json_boolean(!fc_col_null(st, 16)));
  json_object_set_new(o, "created_at", json_string(created));
  json_object_set_new(o, "updated_at", json_string(updated));
  return o;
}

/* The full document: row, consents, vehicles. No access check. */
static fc_err customer_load(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?", "s", id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  json_t *o = rc == 1 ? customer_row(c, st) : NULL;
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (!o) return fc_fail(&c->err, FC_ENOTFOUND, "no such customer");
  json_object_set_new(o, "consents", consent_state(c, id));
  json_object_set_new(o, "vehicles", vehicles_of(c, id));
  *out = o;
  return FC_OK;
}

static const char *etag_of(fc_ctx *c, json_t *doc) {
  return fc_arena_printf(c->arena, "\"v%lld\"", (long long)json_integer_value(json_object_get(doc, "version")));
}

/* --- the search document */

static void doc_add(char **buf, size_t *len, size_t *cap, const char *s) {
  if (!s || !*s) return;
  size_t n = strlen(s);
  if (*len + n + 2 > *cap) {
    size_t nc = (*cap ? *cap * 2 : 256) + n;
    char *nb = realloc(*buf, nc);
    if (!nb) return;
    *buf = nb;
    *cap = nc;
  }
  if (*len) (*buf)[(*len)++] = ' ';
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = 0;
}

fc_err fc_customers_reindex(fc_ctx *c, const char *id) {
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT name, company_name, email_folded, phone, phone_e164, erased_at "
                           "FROM customers WHERE id = ?",
                           "s", id);
  if (err) return err;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc = fc_stmt_step(st);
  int erased = rc == 1 && !fc_col_null(st, 5);
  if (rc == 1 && !erased) {
    /* The name first: ranking treats a match at the start as the best. */
    doc_add(&buf, &len, &cap, folded(c, fc_col_text(st, 0)));
    doc_add(&buf, &len, &cap, folded(c, fc_col_text(st, 1)));
    doc_add(&buf, &len, &cap, fc_col_text(st, 2));
    doc_add(&buf, &len, &cap, compacted(c, fc_col_text(st, 3)));
    doc_add(&buf, &len, &cap, compacted(c, fc_col_text(st, 4)));
  }
  fc_stmt_done(st);
  if (rc < 0) {
    free(buf);
    return FC_EDB;
  }
  if (rc == 1 && !erased &&
      !fc_db_query(c->db, &st,
                   "SELECT v.plate_compact, v.vin FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id "
                   "WHERE o.customer_id = ? AND o.until IS NULL",
                   "s", id)) {
    while (fc_stmt_step(st) == 1) {
      doc_add(&buf, &len, &cap, fc_col_text(st, 0));
      doc_add(&buf, &len, &cap, compacted(c, fc_col_text(st, 1)));
    }
    fc_stmt_done(st);
  }
  err = fc_db_exec(c->db, "UPDATE customers SET search_doc = ? WHERE id = ?", "ss", buf ? buf : "", id);
  free(buf);
  return err;
}

/* --- matching and suppression */

fc_err fc_customers_match(fc_ctx *c, const char *dealer_id, const char *email, const char *phone, const char **id) {
  *id = NULL;
  char e164[FC_PHONE_MAX] = "", country[3], efold[256] = "";
  if (email) fc_email_fold(email, efold, sizeof efold);
  if (phone) {
    dealer_country(c, dealer_id, country);
    if (fc_phone_e164(phone, country, e164) != 0) e164[0] = 0;
  }
  if (!efold[0] && !e164[0]) return FC_OK;
  fc_stmt *st = NULL;
  /* Two index lookups, not a walk over the dealer's customers in id order. */
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT MIN(id) FROM (SELECT id FROM customers WHERE dealer_id = ? AND email_folded = ? "
                           "AND erased_at IS NULL UNION ALL SELECT id FROM customers WHERE dealer_id = ? "
                           "AND phone_e164 = ? AND erased_at IS NULL) m",
                           "ssss", dealer_id, efold[0] ? efold : NULL, dealer_id, e164[0] ? e164 : NULL);
  if (err) return err;
  int rc = fc_stmt_step(st);
  if (rc == 1 && !fc_col_null(st, 0)) *id = fc_arena_strdup(c->arena, fc_col_text(st, 0));
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}

static int suppressed_one(fc_ctx *c, const char *dealer_id, const char *kind, const char *value) {
  char h[FC_TOKEN_HASH_HEX];
  fc_auth_keyed_hash(c->app, kind, value, h);
  fc_stmt *st = NULL;
  if (fc_db_query(c->db, &st, "SELECT 1 FROM suppressions WHERE dealer_id = ? AND kind = ? AND hash = ?", "sss",
                  dealer_id, kind, h))
    return 0;
  int hit = fc_stmt_step(st) == 1;
  fc_stmt_done(st);
  return hit;
}

int fc_customers_suppressed(fc_ctx *c, const char *dealer_id, const char *email, const char *phone) {
  char efold[256], e164[FC_PHONE_MAX], country[3];
  if (email) {
    fc_email_fold(email, efold, sizeof efold);
    if (suppressed_one(c, dealer_id, "email", efold)) return 1;
  }
  if (phone) {
    dealer_country(c, dealer_id, country);
    if (fc_phone_e164(phone, country, e164) == 0 && suppressed_one(c, dealer_id, "phone", e164)) return 1;
  }
  return 0;
}

/* --- reading a customer document from a request */

typedef struct fields {
  const char *kind, *name, *first_name, *last_name, *company_name, *vat_number, *email, *phone, *language, *notes;
  json_t *address, *contacts, *consents;
  const char *consent_source, *dealer_id;
  int allow_duplicate;
  /* derived */
  char email_folded[256];
  char e164[FC_PHONE_MAX];
} fields;

static fc_err read_address(fc_ctx *c, json_t *a) {
  static const char *const keys[] = {"street", "postal_code", "city", "region", "country", NULL};
  if (!json_is_object(a)) return fc_fail(&c->err, FC_EBADREQ, "address must be an object");
  fc_err err = fc_json_only(a, keys, &c->err);
  const char *v;
  for (int i = 0; !err && keys[i]; i++) err = fc_json_str(a, keys[i], 200, &v, &c->err);
  return err == FC_EINVAL ? fc_fail_field(&c->err, "address", "has a value that is too long") : err;
}

static fc_err read_contacts(fc_ctx *c, json_t *a) {
  static const char *const keys[] = {"name", "email", "phone", "role", NULL};
  if (!json_is_array(a)) return fc_fail(&c->err, FC_EBADREQ, "contacts must be an array of objects");
  if (json_array_size(a) > MAX_CONTACTS) return fc_fail_field(&c->err, "contacts", "has too many entries");
  size_t i;
  json_t *it;
  json_array_foreach(a, i, it) {
    if (!json_is_object(it)) return fc_fail(&c->err, FC_EBADREQ, "contacts must be an array of objects");
    fc_err err = fc_json_only(it, keys, &c->err);
    const char *v;
    for (int k = 0; !err && keys[k]; k++) err = fc_json_str(it, keys[k], 200, &v, &c->err);
    if (err == FC_EINVAL) return fc_fail_field(&c->err, "contacts", "has a value that is too long");
    if (err) return err;
  }
  return FC_OK;
}

static fc_err read_consents(fc_ctx *c, json_t *o) {
  if (!json_is_object(o)) return fc_fail(&c->err, FC_EBADREQ, "consents must be an object of booleans");
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    if (!is_channel(k)) return fc_fail(&c->err, FC_EBADREQ, "consents: unknown channel '%.20s'", k);
    if (!json_is_boolean(v)) return fc_fail(&c->err, FC_EBADREQ, "consents must be an object of booleans");
  }
  return FC_OK;
}

/* Reads doc into f; create asks for the required fields. The dealer's
 * country reads the phone number. */
static fc_err read_fields(fc_ctx *c, json_t *doc, fields *f, int create) {
  static const char *const create_keys[] = {"kind", "name", "first_name", "last_name", "company_name", "vat_number",
                                            "email", "phone", "language", "address", "contacts", "notes", "consents",
                                            "consent_source", "dealer_id", "allow_duplicate", NULL};
  static const char *const patch_keys[] = {"kind", "name", "first_name", "last_name", "company_name", "vat_number",
                                           "email", "phone", "language", "address", "contacts", "notes", NULL};
  fc_err err;
  if ((err = fc_json_only(doc, create ? create_keys : patch_keys, &c->err))) return err;
  struct {
    const char *key;
    size_t max;
    const char **dst;
  } strs[] = {
      {"kind", 16, &f->kind},           {"name", 200, &f->name},         {"first_name", 100, &f->first_name},
      {"last_name", 100, &f->last_name}, {"company_name", 200, &f->company_name},
      {"vat_number", 32, &f->vat_number}, {"email", 254, &f->email},     {"phone", 64, &f->phone},
      {"language", 8, &f->language},    {"notes", MAX_NOTES, &f->notes}, {"consent_source", 64, &f->consent_source},
      {"dealer_id", 64, &f->dealer_id},
  };
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
    if ((err = fc_json_str(doc, strs[i].key, strs[i].max, strs[i].dst, &c->err)) == FC_EBADREQ) return err;
  json_t *v;
  if ((v = json_object_get(doc, "address")) && !json_is_null(v) && (err = read_address(c, v)) == FC_EBADREQ) return err;
  if ((v = json_object_get(doc, "contacts")) && !json_is_null(v) && (err = read_contacts(c, v)) == FC_EBADREQ) return err;
  if ((v = json_object_get(doc, "consents")) && !json_is_null(v) && (err = read_consents(c, v))) return err;
  if ((v = json_object_get(doc, "allow_duplicate")) && !json_is_null(v)) {
    if (!json_is_boolean(v)) return fc_fail(&c->err, FC_EBADREQ, "allow_duplicate must be true or false");
    f->allow_duplicate = json_is_true(v);
  }
  f->address = json_object_get(doc, "address");
  f->contacts = json_object_get(doc, "contacts");
  f->consents = json_object_get(doc, "consents");
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;

  if (f->kind && strcmp(f->kind, "person") && strcmp(f->kind, "company"))
    fc_fail_field(&c->err, "kind", "must be person or company");
  if (f->email && *f->email) {
    if (!fc_valid_email(f->email)) fc_fail_field(&c->err, "email", "is not an e-mail address");
    else fc_email_fold(f->email, f->email_folded, sizeof f->email_folded);
  }
  if (f->language && !fc_valid_locale(f->language)) fc_fail_field(&c->err, "language", "must be like en, fr or fr-CA");
  if (f->consent_source && !*f->consent_source) fc_fail_field(&c->err, "consent_source", "must not be empty");
  return c->err.code;
}

/* Reads the phone with the dealer's country; fills f->e164. */
static void read_phone(fc_ctx *c, const char *dealer_id, fields *f) {
  if (!f->phone || !*f->phone) return;
  char country[3];
  dealer_country(c, dealer_id, country);
  if (fc_phone_e164(f->phone, country, f->e164) != 0)
    fc_fail_field(&c->err, "phone", country[0] ? "is not a phone number" : "needs its +country code");
}

/* The display name: as given, else first + last, else the company's. */
static const char *display_name(fc_ctx *c, const fields *f) {
  if (f->name && *f->name) return f->name;
  if ((f->first_name && *f->first_name) || (f->last_name && *f->last_name))
    return fc_arena_printf(c->arena, "%s%s%s", f->first_name ? f->first_name : "",
                           f->first_name && *f->first_name && f->last_name && *f->last_name ? " " : "",
                           f->last_name ? f->last_name : "");
  if (f->company_name && *f->company_name) return f->company_name;
  return NULL;
}

static char *dump_or_null(json_t *j) {
  return j && !json_is_null(j) ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

static fc_err add_consent(fc_ctx *c, const char *dealer_id, const char *customer_id, const char *channel, int granted,
                          const char *source, const char *note) {
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  return fc_db_exec(c->db,
                    "INSERT INTO consents (dealer_id, id, customer_id, channel, granted, at, source, actor_id, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "ssssiisss", dealer_id, id, customer_id, channel, (int64_t)granted, fc_time_now_ms(), source,
                    c->who ? c->who->id : NULL, note);
}

/* --- create */

typedef struct create_job {
  fc_ctx *c;
  fields *f;
  const char *dealer_id, *name, *channel;
  json_t *result;
  char id[FC_ID_LEN + 1];
} create_job;

static fc_err create_tx(fc_db *db, void *arg) {
  create_job *j = arg;
  fc_ctx *c = j->c;
  fields *f = j->f;
  char *id = j->id;
  fc_id_new(id);
  int64_t now = fc_time_now_ms();
  const char *kind = f->kind ? f->kind : (f->company_name && !f->first_name && !f->last_name && !f->name ? "company" : "person");
  char *address = dump_or_null(f->address), *contacts = dump_or_null(f->contacts);
  fc_err err = fc_db_exec(db,
                          "INSERT INTO customers (id, dealer_id, kind, name, first_name, last_name, company_name, "
                          "vat_number, email, email_folded, phone, phone_e164, language, address_json, contacts_json, "
                          "notes, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)",
                          "ssssssssssssssssii", id, j->dealer_id, kind, j->name, f->first_name, f->last_name,
                          f->company_name, f->vat_number, f->email && *f->email ? f->email : NULL,
                          f->email_folded[0] ? f->email_folded : NULL, f->phone && *f->phone ? f->phone : NULL,
                          f->e164[0] ? f->e164 : NULL, f->language, address, contacts, f->notes, now, now);
  free(address);
  free(contacts);
  if (err) return err;
  /* Consents given with the record; a suppressed contact gets none for marketing. */
  if (f->consents) {
    int suppressed = fc_customers_suppressed(c, j->dealer_id, f->email, f->phone);
    const char *k;
    json_t *v;
    json_object_foreach(f->consents, k, v) {
      int granted = json_is_true(v) && !suppressed;
      err = add_consent(c, j->dealer_id, id, k, granted,
                        suppressed && json_is_true(v) ? "suppression_list" : f->consent_source ? f->consent_source : "record",
                        NULL);
      if (err) return err;
    }
  }
  if ((err = fc_customers_reindex(c, id))) return err;
  if ((err = customer_load(c, id, &j->result))) return err;
  if ((err = fc_timeline_add(c, j->dealer_id, id, "customer.created", j->channel ? j->channel : "network", now, NULL,
                             NULL)))
    return err;
  return fc_audit_record(c, j->dealer_id, "customer.create", "customer", id, NULL, j->result);
}

fc_err fc_customers_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  fields f;
  memset(&f, 0, sizeof f);
  fc_err err = read_fields(c, doc, &f, 1);
  if (err) return err;
  const char *dealer_id = NULL;
  if ((err = fc_customers_dealer(c, f.dealer_id, &dealer_id))) return err;
  read_phone(c, dealer_id, &f);
  const char *name = display_name(c, &f);
  if (!name) fc_fail_field(&c->err, "name", "is required (or first_name/last_name, or company_name)");
  if (!f.email_folded[0] && !(f.phone && *f.phone)) fc_fail_field(&c->err, "email", "give an e-mail or a phone number");
  if (c->err.code) return c->err.code;
  if (!f.allow_duplicate) {
    const char *existing = NULL;
    if ((err = fc_customers_match(c, dealer_id, f.email, f.phone, &existing))) return err;
    if (existing) {
      fc_fail(&c->err, FC_ECONFLICT, "a customer with this e-mail or phone exists; send allow_duplicate to add anyway");
      c->err.extra = json_pack("{ss}", "existing_id", existing);
      return FC_ECONFLICT;
    }
  }
  create_job j = {.c = c, .f = &f, .dealer_id = dealer_id, .name = name};
  err = fc_db_tx(c->db, create_tx, &j);
  if (err) {
    json_decref(j.result);
    return err;
  }
  *out = j.result;
  return FC_OK;
}

fc_err fc_customers_find_or_create(fc_ctx *c, const char *dealer_id, const char *name, const char *email,
                                   const char *phone, const char *language, const char *channel, const char **id,
                                   int *created) {
  return fc_customers_find_or_create_named(c, dealer_id, name, NULL, NULL, email, phone, language, channel, id, created);
}

fc_err fc_customers_find_or_create_named(fc_ctx *c, const char *dealer_id, const char *name, const char *first_name,
                                         const char *last_name, const char *email, const char *phone,
                                         const char *language, const char *channel, const char **id, int *created) {
  *id = NULL;
  *created = 0;
  fields f;
  memset(&f, 0, sizeof f);
  f.first_name = first_name && *first_name ? first_name : NULL;
  f.last_name = last_name && *last_name ? last_name : NULL;
  f.email = email && *email ? email : NULL;
  f.phone = phone && *phone ? phone : NULL;
  f.language = language && fc_valid_locale(language) ? language : NULL;
  if (f.email) {
    if (!fc_valid_email(f.email)) return fc_fail_field(&c->err, "customer.email", "is not an e-mail address");
    fc_email_fold(f.email, f.email_folded, sizeof f.email_folded);
  }
  read_phone(c, dealer_id, &f);
  if (c->err.fields && json_object_get(c->err.fields, "phone")) {
    fc_error_clear(&c->err);
    return fc_fail_field(&c->err, "customer.phone", "is not a phone number");
  }
  if (!f.email && !f.phone) return fc_fail_field(&c->err, "customer.email", "give an e-mail or a phone number");
  if (!name || !*name) return fc_fail_field(&c->err, "customer.name", "is required");
  /* An e-mail, when given, decides alone: someone who types another person's
   * phone number with their own e-mail is not that person. */
  fc_err err = fc_customers_match(c, dealer_id, f.email, f.email ? NULL : f.phone, id);
  if (err || *id) return err;
  create_job j = {.c = c, .f = &f, .dealer_id = dealer_id, .name = name, .channel = channel};
  err = create_tx(c->db, &j);
  json_decref(j.result);
  if (err) return err;
  *id = fc_arena_strdup(c->arena, j.id);
  *created = 1;
  return FC_OK;
}

fc_err fc_customers_get(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  const char *dealer_id;
  fc_err err = fc_customer_access(c, id, 0, &dealer_id);
  if (err) return err;
  return customer_load(c, id, out);
}

/* --- patch */

typedef struct patch_job {
  fc_ctx *c;
  const char *id, *dealer_id;
  json_t *doc;
  fields *f;
  long long expect_version;
  json_t *result;
} patch_job;

/* A field of the patch: absent keeps the value, null clears it. */
static const char *patched(json_t *doc, json_t *cur, const char *key, const char *given) {
  json_t *v = json_object_get(doc, key);
  if (!v) return json_string_value(json_object_get(cur, key));
  return json_is_null(v) || !given || !*given ? NULL : given;
}

static fc_err patch_tx(fc_db *db, void *arg) {
  patch_job *j = arg;
  fc_ctx *c = j->c;
  fields *f = j->f;
  json_t *cur = NULL;
  fc_err err = customer_load(c, j->id, &cur);
  if (err) return err;
  long long version = json_integer_value(json_object_get(cur, "version"));
  if (j->expect_version && version != j->expect_version) {
    json_decref(cur);
    return fc_fail(&c->err, FC_EPRECOND, "the customer changed since you read it (now version %lld)", version);
  }
  fields n = *f;
  n.kind = patched(j->doc, cur, "kind", f->kind);
  n.name = patched(j->doc, cur, "name", f->name);
  n.first_name = patched(j->doc, cur, "first_name", f->first_name);
  n.last_name = patched(j->doc, cur, "last_name", f->last_name);
  n.company_name = patched(j->doc, cur, "company_name", f->company_name);
  n.vat_number = patched(j->doc, cur, "vat_number", f->vat_number);
  n.email = patched(j->doc, cur, "email", f->email);
  n.phone = patched(j->doc, cur, "phone", f->phone);
  n.language = patched(j->doc, cur, "language", f->language);
  n.notes = patched(j->doc, cur, "notes", f->notes);
  n.address = json_object_get(j->doc, "address") ? f->address : json_object_get(cur, "address");
  n.contacts = json_object_get(j->doc, "contacts") ? f->contacts : json_object_get(cur, "contacts");
  if (!json_object_get(j->doc, "email")) fc_email_fold(n.email ? n.email : "", n.email_folded, sizeof n.email_folded);
  if (!json_object_get(j->doc, "phone")) snprintf(n.e164, sizeof n.e164, "%s", json_string_value(json_object_get(cur, "phone_e164")) ? json_string_value(json_object_get(cur, "phone_e164")) : "");
  /* When the name parts change but the display name is not given, derive it again. */
  if (!json_object_get(j->doc, "name") &&
      (json_object_get(j->doc, "first_name") || json_object_get(j->doc, "last_name") || json_object_get(j->doc, "company_name"))) {
    n.name = NULL;
  }
  const char *name = display_name(c, &n);
  if (!name) fc_fail_field(&c->err, "name", "cannot be empty");
  if (!n.email_folded[0] && !n.e164[0]) fc_fail_field(&c->err, "email", "a customer keeps an e-mail or a phone number");
  if (c->err.code) {
    json_decref(cur);
    return c->err.code;
  }
  char *address = dump_or_null(n.address), *contacts = dump_or_null(n.contacts);
  err = fc_db_exec(db,
                   "UPDATE customers SET kind = ?, name = ?, first_name = ?, last_name = ?, company_name = ?, "
                   "vat_number = ?, email = ?, email_folded = ?, phone = ?, phone_e164 = ?, language = ?, "
                   "address_json = ?, contacts_json = ?, notes = ?, version = version + 1, updated_at = ? "
                   "WHERE id = ? AND (? = 0 OR version = ?)",
                   "ssssssssssssssisii", n.kind ? n.kind : "person", name, n.first_name, n.last_name, n.company_name,
                   n.vat_number, n.email, n.email_folded[0] ? n.email_folded : NULL, n.phone,
                   n.e164[0] ? n.e164 : NULL, n.language, address, contacts, n.notes, fc_time_now_ms(), j->id,
                   (int64_t)j->expect_version, (int64_t)version);
  free(address);
  free(contacts);
  if (!err && fc_db_changes(db) != 1) /* another writer came first (any isolation level) */
    err = fc_fail(&c->err, FC_EPRECOND, "the customer changed while you were saving; read it again");
  if (!err) err = fc_customers_reindex(c, j->id);
  if (!err) err = customer_load(c, j->id, &j->result);
  if (!err) err = fc_audit_record(c, j->dealer_id, "customer.update", "customer", j->id, cur, j->result);
  json_decref(cur);
  return err;
}

fc_err fc_customers_patch(fc_ctx *c, const char *id, const char *if_match, json_t *doc, json_t **out) {
  *out = NULL;
  const char *dealer_id;
  fc_err err = fc_customer_access(c, id, 1, &dealer_id);
  if (err) return err;
  fields f;
  memset(&f, 0, sizeof f);
  if ((err = read_fields(c, doc, &f, 0))) return err;
  read_phone(c, dealer_id, &f);
  if (c->err.code) return c->err.code;
  if (json_object_size(doc) == 0) return customer_load(c, id, out);
  patch_job j = {.c = c, .id = id, .dealer_id = dealer_id, .doc = doc, .f = &f};
  if (if_match) {
    if (sscanf(if_match, "\"v%lld\"", &j.expect_version) != 1 || j.expect_version <= 0)
      return fc_fail(&c->err, FC_EPRECOND, "If-Match does not match the customer's ETag");
  }
  err = fc_db_tx(c->db, patch_tx, &j);
  if (err) {
    json_decref(j.result);
    return err;
  }
  *out = j.result;
  return FC_OK;
}

const char *fc_customer_etag(fc_ctx *c, json_t *doc) { return etag_of(c, doc); }

/* --- search */

/* LIKE pattern for "starts with s" / "a word starts with s", wildcards escaped. */
static const char *like_prefix(fc_ctx *c, const char *s, int word) {
  size_t n = strlen(s);
  char *p = fc_arena_alloc(c->arena, 2 * n + 4);
  if (!p) return "";
  size_t o = 0;
  if (word) p[o++] = '%', p[o++] = ' ';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%' || s[i] == '_' || s[i] == '\\') p[o++] = '\\';
    p[o++] = s[i];
  }
  p[o++] = '%';
  p[o] = 0;
  return p;
}

static json_t *search_row(fc_ctx *c, fc_stmt *st) {
  json_t *o = customer_row(c, st);
  if (o) json_object_set_new(o, "vehicles", vehicles_of(c, json_string_value(json_object_get(o, "id"))));
  return o;
}

fc_err fc_customers_search(fc_ctx *c, const char *dealer_id, const char *q, int limit, const char *cursor, json_t **out) {
  *out = NULL;
  const char *dealer = NULL;
  fc_err err = fc_customers_dealer(c, dealer_id, &dealer);
  if (err) return err;
  if (q && utf8_len(q) > 200) return fc_fail(&c->err, FC_EBADREQ, "q is longer than 200 characters");
  const char *fq = q ? folded(c, q) : NULL;
  const char *cq = q ? compacted(c, q) : NULL;
  if (q && !fq) return fc_fail(&c->err, FC_EBADREQ, "q is not valid text");
  fc_stmt *st = NULL;
  if (!fq || !*fq) { /* no query: the newest customers first, paged by id */
    if (cursor && !fc_id_valid(cursor)) return fc_fail(&c->err, FC_EBADREQ, "cursor is not one this server gave");
    err = fc_db_query(c->db, &st,
                      "SELECT " CUSTOMER_COLS " FROM customers WHERE dealer_id = ? AND erased_at IS NULL AND id < ? "
                      "ORDER BY id DESC LIMIT ?",
                      "ssi", dealer, cursor ? cursor : "~", (int64_t)limit + 1);
    if (err) return err;
    return fc_list_page(c, st, limit, search_row, out);
  }
  /* With a query, the cursor is an offset into the ranked result: "o<n>". */
  long offset = 0;
  if (cursor) {
    char *end = NULL;
    offset = cursor[0] == 'o' ? strtol(cursor + 1, &end, 10) : -1;
    if (offset < 0 || offset > MAX_SEARCH_OFFSET || !end || *end || end == cursor + 1)
      return fc_fail(&c->err, FC_EBADREQ, "cursor is not one this server gave");
  }
  /* Text matches the folded query; plates, VINs and phone digits match it
   * without spaces and punctuation ("GH-123" finds "gh123x"). That second
   * form counts from three characters: shorter, it would only be a prefix
   * of names ("de " would add every name starting "de"), which the query
   * as typed did not ask for, at the price of reading all of the dealer's
   * customers. The store's fragment restricts the match to the dealer and
   * lets through the newest FC_STORE_CONTAINS_MAX matches of each form:
   * what is ranked is bounded by that, not by the dealer's size
   * (docs/api.md). */
  char arg1[512], arg2[512];
  fc_store *store = c->app->store;
  int two = cq && utf8_len(cq) >= 3 && strcmp(cq, fq) != 0;
  const char *match =
      fc_store_contains_sql(store, "customers", "dealers", "dealer_id", utf8_len(fq), two ? utf8_len(cq) : 0);
  fc_store_contains_arg(store, fq, arg1, sizeof arg1);
  if (two) fc_store_contains_arg(store, cq, arg2, sizeof arg2);
  /* Rank: the name starts with the query, then a word starts with it, then anywhere. */
  const char *sql = fc_arena_printf(
      c->arena,
      "SELECT " CUSTOMER_COLS ", CASE WHEN search_doc LIKE ? ESCAPE '\\' THEN 0 "
      "WHEN search_doc LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END AS rank_tier "
      "FROM customers WHERE erased_at IS NULL AND %s "
      "ORDER BY rank_tier, search_doc, id LIMIT ? OFFSET ?",
      match);
  if (!sql) return FC_ENOMEM;
  const char *starts = like_prefix(c, fq, 0), *word_starts = like_prefix(c, fq, 1);
  if (two)
    err = fc_db_query(c->db, &st, sql, "sssssssii", starts, word_starts, dealer, dealer, arg1, dealer, arg2,
                      (int64_t)limit + 1, (int64_t)offset);
  else
    err = fc_db_query(c->db, &st, sql, "sssssii", starts, word_starts, dealer, dealer, arg1, (int64_t)limit + 1,
                      (int64_t)offset);
  if (err) return err;
  err = fc_list_page(c, st, limit, search_row, out);
  if (err) return err;
  /* next_cursor from the page helper is the last id; searches page by offset. */
  if (!json_is_null(json_object_get(*out, "next_cursor")))
    json_object_set_new(*out, "next_cursor", json_string(fc_arena_printf(c->arena, "o%ld", offset + limit)));
  return FC_OK;
}

/* --- consent */

fc_err fc_customers_consent(fc_ctx *c, const char *id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"channel", "granted", "source", "note", NULL};
  const char *dealer_id, *channel = NULL, *source = NULL, *note = NULL;
  fc_err err = fc_customer_access(c, id, 1, &dealer_id);
  if (err) return err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "channel", 16, &channel, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "source", 64, &source, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "note", 500, &note, &c->err)) == FC_EBADREQ) return err;
  json_t *g = json_object_get(doc, "granted");
  if (!json_is_boolean(g)) return fc_fail(&c->err, FC_EBADREQ, "granted must be true or false");
  if (channel && !is_channel(channel)) fc_fail_field(&c->err, "channel", "must be email, sms, phone or post");
  if (c->err.code) return c->err.code;
  int granted = json_is_true(g);
  if ((err = fc_db_begin(c->db))) return err;
  json_t *payload = json_pack("{sssbss}", "channel", channel, "granted", granted, "source", source);
  /* Where the person said it decides the event's channel when it is one. */
  const char *ev_channel = fc_event_channel_valid(source) ? source : "network";
  if (!(err = add_consent(c, dealer_id, id, channel, granted, source, note)) &&
      !(err = fc_timeline_add(c, dealer_id, id, granted ? "consent.granted" : "consent.withdrawn", ev_channel, 0,
                              payload, NULL)) &&
      !(err = fc_audit_record(c, dealer_id, granted ? "consent.grant" : "consent.withdraw", "customer", id, NULL,
                              payload)))
    err = fc_db_commit(c->db);
  else
    fc_db_rollback(c->db);
  json_decref(payload);
  if (err) return err;
  return customer_load(c, id, out);
}

/* --- merge */

typedef struct merge_job {
  fc_ctx *c;
  const char *id, *from, *dealer_id;
  json_t *result;
} merge_job;

static fc_err merge_tx(fc_db *db, void *arg) {
  merge_job *j = arg;
  fc_ctx *c = j->c;
  json_t *into = NULL, *from = NULL;
  fc_err err = customer_load(c, j->id, &into);
  if (!err) err = customer_load(c, j->from, &from);
  if (err) goto out;
  /* What the kept record lacks, the duplicate fills. */
  err = fc_db_exec(db,
                   "UPDATE customers SET "
                   "first_name = COALESCE(first_name, (SELECT first_name FROM customers WHERE id = ?)), "
                   "last_name = COALESCE(last_name, (SELECT last_name FROM customers WHERE id = ?)), "
                   "company_name = COALESCE(company_name, (SELECT company_name FROM customers WHERE id = ?)), "
                   "vat_number = COALESCE(vat_number, (SELECT vat_number FROM customers WHERE id = ?)), "
                   "email = COALESCE(email, (SELECT email FROM customers WHERE id = ?)), "
                   "email_folded = COALESCE(email_folded, (SELECT email_folded FROM customers WHERE id = ?)), "
                   "phone = COALESCE(phone, (SELECT phone FROM customers WHERE id = ?)), "
                   "phone_e164 = COALESCE(phone_e164, (SELECT phone_e164 FROM customers WHERE id = ?)), "
                   "language = COALESCE(language, (SELECT language FROM customers WHERE id = ?)), "
                   "address_json = COALESCE(address_json, (SELECT address_json FROM customers WHERE id = ?)), "
                   "notes = COALESCE(notes, (SELECT notes FROM customers WHERE id = ?)), "
                   "version = version + 1, updated_at = ? WHERE id = ?",
                   "sssssssssssis", j->from, j->from, j->from, j->from, j->from, j->from, j->from, j->from, j->from,
                   j->from, j->from, fc_time_now_ms(), j->id);
  /* Everything that points at the duplicate moves. Capabilities that
   * reference customers add their tables to this list. */
  static const char *const moves[] = {
      "UPDATE ownerships SET customer_id = ? WHERE customer_id = ?",
      "UPDATE events SET customer_id = ? WHERE customer_id = ?",
      "UPDATE consents SET customer_id = ? WHERE customer_id = ?",
      "UPDATE appointments SET customer_id = ? WHERE customer_id = ?",
      "UPDATE tire_sets SET customer_id = ? WHERE customer_id = ?",
      "UPDATE leads SET customer_id = ? WHERE customer_id = ?",
  };
  for (size_t i = 0; !err && i < sizeof moves / sizeof moves[0]; i++) err = fc_db_exec(db, moves[i], "ss", j->id, j->from);
  if (!err) err = fc_db_exec(db, "DELETE FROM customers WHERE id = ?", "s", j->from);
  if (!err) err = fc_customers_reindex(c, j->id);
  if (!err) {
    json_t *payload = json_pack("{sssO}", "merged_id", j->from, "merged_name", json_object_get(from, "name"));
    err = fc_timeline_add(c, j->dealer_id, j->id, "customer.merged", "network", 0, payload, NULL);
    json_decref(payload);
  }
  if (!err) err = customer_load(c, j->id, &j->result);
  if (!err) {
    json_t *before = json_pack("{sOsO}", "kept", into, "merged", from);
    err = fc_audit_record(c, j->dealer_id, "customer.merge", "customer", j->id, before, j->result);
    json_decref(before);
  }
  if (!err) {
    json_t *after = json_pack("{ss}", "merged_into", j->id);
    err = fc_audit_record(c, j->dealer_id, "customer.merged_away", "customer", j->from, from, after);
    json_decref(after);
  }
out:
  json_decref(into);
  json_decref(from);
  return err;
}

fc_err fc_customers_merge(fc_ctx *c, const char *id, const char *from_id, json_t **out) {
  *out = NULL;
  const char *d1, *d2;
  fc_err err = fc_customer_access(c, id, 1, &d1);
  if (err) return err;
  if (!from_id || !*from_id) return fc_fail_field(&c->err, "from", "is required");
  if (strcmp(id, from_id) == 0) return fc_fail_field(&c->err, "from", "is the same customer");
  if ((err = fc_customer_access(c, from_id, 1, &d2))) {
    fc_error_clear(&c->err);
    return err == FC_ENOTFOUND ? fc_fail_field(&c->err, "from", "names no customer you can see") : err;
  }
  if (strcmp(d1, d2) != 0) return fc_fail_field(&c->err, "from", "belongs to another dealer");
  merge_job j = {.c = c, .id = id, .from = from_id, .dealer_id = d1};
  err = fc_db_tx(c->db, merge_tx, &j);
  if (err) {
    json_decref(j.result);
    return err;
  }
  *out = j.result;
  return FC_OK;
}

/* --- erasure */

typedef struct erase_job {
  fc_ctx *c;
  const char *id, *dealer_id;
} erase_job;

static fc_err suppress(fc_ctx *c, const char *dealer_id, const char *kind, const char *value) {
  if (!value || !*value) return FC_OK;
  char h[FC_TOKEN_HASH_HEX];
  fc_auth_keyed_hash(c->app, kind, value, h);
  return fc_db_exec(c->db,
                    "INSERT INTO suppressions (dealer_id, kind, hash, at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (dealer_id, kind, hash) DO NOTHING",
                    "sssi", dealer_id, kind, h, fc_time_now_ms());
}

static fc_err erase_tx(fc_db *db, void *arg) {
  erase_job *j = arg;
  fc_ctx *c = j->c;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(db, &st, "SELECT email_folded, phone_e164 FROM customers WHERE id = ?", "s", j->id);
  if (err) return err;
  char *email = NULL, *phone = NULL;
  if (fc_stmt_step(st) == 1) {
    email = fc_arena_strdup(c->arena, fc_col_text(st, 0));
    phone = fc_arena_strdup(c->arena, fc_col_text(st, 1));
  }
  fc_stmt_done(st);
  /* Erasure withdraws every consent, and the withdrawal outlives the data:
   * keyed hashes of the contacts stay on the suppression list. */
  for (int i = 0; !err && channels[i]; i++) err = add_consent(c, j->dealer_id, j->id, channels[i], 0, "erasure", NULL);
  /* Messages not yet sent carry the address and the text. */
  if (!err && email) err = fc_outbox_erase(c, j->dealer_id, email);
  if (!err) err = suppress(c, j->dealer_id, "email", email);
  if (!err) err = suppress(c, j->dealer_id, "phone", phone);
  int64_t now = fc_time_now_ms();
  if (!err)
    err = fc_db_exec(db,
                     "UPDATE customers SET name = '', first_name = NULL, last_name = NULL, company_name = NULL, "
                     "vat_number = NULL, email = NULL, email_folded = NULL, phone = NULL, phone_e164 = NULL, "
                     "language = NULL, address_json = NULL, contacts_json = NULL, notes = NULL, search_doc = '', "
                     "erased_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                     "iis", now, now, j->id);
  /* The timeline keeps what happened (types, channels, times: the anonymous
   * history) but not what was said. */
  if (!err) err = fc_db_exec(db, "UPDATE events SET payload_json = '{}' WHERE customer_id = ?", "s", j->id);
  if (!err) err = fc_db_exec(db, "UPDATE consents SET note = NULL WHERE customer_id = ?", "s", j->id);
  /* What the person wrote or sent elsewhere goes too (capabilities that keep
   * a customer's free text add their table here). */
  if (!err)
    err = fc_db_exec(db, "UPDATE leads SET message = NULL, raw_document = NULL, trade_in_json = NULL WHERE customer_id = ?",
                     "s", j->id);
  if (!err) err = fc_db_exec(db, "UPDATE appointments SET notes = NULL WHERE customer_id = ?", "s", j->id);
  if (!err)
    err = fc_db_exec(db,
                     "UPDATE audit SET before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{\"erased\":true}' END, "
                     "after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{\"erased\":true}' END "
                     "WHERE entity IN ('lead', 'appointment') AND entity_id IN "
                     "(SELECT id FROM leads WHERE customer_id = ? UNION SELECT id FROM appointments WHERE customer_id = ?)",
                     "ss", j->id, j->id);
  /* Earlier audit entries held the person's data too: this record's, and
   * those of duplicates merged into it. Stored answers to retried writes as well. */
  const char *merged = fc_arena_printf(c->arena, "%%\"merged_into\":\"%s\"%%", j->id);
  if (!err)
    err = fc_db_exec(db,
                     "UPDATE audit SET before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{\"erased\":true}' END, "
                     "after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{\"erased\":true}' END "
                     "WHERE entity = 'customer' AND (entity_id = ? OR entity_id IN (SELECT entity_id FROM audit "
                     "WHERE action = 'customer.merged_away' AND after_json LIKE ?))",
                     "ss", j->id, merged);
  if (!err)
    err = fc_db_exec(db, "DELETE FROM idempotency WHERE body LIKE ?", "s",
                     fc_arena_printf(c->arena, "%%%s%%", j->id));
  if (!err) err = fc_timeline_add(c, j->dealer_id, j->id, "customer.erased", "network", now, NULL, NULL);
  if (!err) {
    json_t *after = json_pack("{sssb}", "id", j->id, "erased", 1);
    err = fc_audit_record(c, j->dealer_id, "customer.erase", "customer", j->id, NULL, after);
    json_decref(after);
  }
  return err;
}

fc_err fc_customers_erase(fc_ctx *c, const char *id) {
  const char *dealer_id;
  fc_err err = fc_customer_access(c, id, 1, &dealer_id);
  if (err) return err;
  erase_job j = {.c = c, .id = id, .dealer_id = dealer_id};
  return fc_db_tx(c->db, erase_tx, &j);
}

/* --- export */

fc_err fc_customers_export(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  const char *dealer_id;
  fc_err err = fc_customer_access(c, id, 0, &dealer_id);
  json_t *doc = NULL, *history = NULL, *timeline = NULL, *readings = NULL;
  if (err) return err;
  if ((err = customer_load(c, id, &doc))) return err;
  history = json_array();
  readings = json_array();
  fc_stmt *st = NULL;
  if (!(err = fc_db_query(c->db, &st,
                          "SELECT channel, granted, at, source, actor_id, note FROM consents WHERE customer_id = ? ORDER BY id",
                          "s", id))) {
    while (fc_stmt_step(st) == 1) {
      char at[40];
      fc_time_format(fc_col_int(st, 2), at, sizeof at);
      json_t *h = json_pack("{sssbssss}", "channel", fc_col_text(st, 0), "granted", (int)fc_col_int(st, 1), "at", at,
                            "source", fc_col_text(st, 3));
      json_object_set_new(h, "by", fc_json_str_or_null(fc_col_text(st, 4)));
      json_object_set_new(h, "note", fc_json_str_or_null(fc_col_text(st, 5)));
      json_array_append_new(history, h);
    }
    fc_stmt_done(st);
  }
  if (!err && !(err = fc_db_query(c->db, &st,
                                  "SELECT r.vehicle_id, r.at, r.source, r.mileage_km, r.fault_codes_json, r.software_version "
                                  "FROM vehicle_readings r JOIN ownerships o ON o.vehicle_id = r.vehicle_id "
                                  "AND o.dealer_id = r.dealer_id WHERE o.customer_id = ? AND r.at >= o.since "
                                  "AND (o.until IS NULL OR r.at <= o.until) ORDER BY r.at",
                                  "s", id))) {
    while (fc_stmt_step(st) == 1) {
      char at[40];
      fc_time_format(fc_col_int(st, 1), at, sizeof at);
      json_t *r = json_pack("{ssssss}", "vehicle_id", fc_col_text(st, 0), "at", at, "source", fc_col_text(st, 2));
      json_object_set_new(r, "mileage_km", fc_col_null(st, 3) ? json_null() : json_integer(fc_col_int(st, 3)));
      json_object_set_new(r, "fault_codes", parse_json_or_null(fc_col_text(st, 4)));
      json_object_set_new(r, "software_version", fc_json_str_or_null(fc_col_text(st, 5)));
      json_array_append_new(readings, r);
    }
    fc_stmt_done(st);
  }
  if (!err) err = fc_timeline_list(c, id, 100000, NULL, &timeline);
  if (!err) {
    char now[40];
    fc_time_format(fc_time_now_ms(), now, sizeof now);
    *out = json_pack("{sssOsOsOsO}", "exported_at", now, "customer", doc, "consent_history", history,
                     "vehicle_readings", readings, "timeline", json_object_get(timeline, "items"));
    if (!*out) err = FC_ENOMEM;
  }
  /* Reading everything about a person is itself worth a record. */
  if (!err) {
    err = fc_audit_record(c, dealer_id, "customer.export", "customer", id, NULL, NULL);
    if (err) {
      json_decref(*out);
      *out = NULL;
    }
  }
  json_decref(doc);
  json_decref(history);
  json_decref(readings);
  json_decref(timeline);
  return err;
}
