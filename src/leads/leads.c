/* Leads: intake, matching, duplicate suppression, assignment, pipeline.
 * See leads.h. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>
#include "auth/audit.h"
#include "auth/policy.h"
#include "core/fold.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "customers/customers.h"
#include "leads/adf.h"
#include "leads/leads.h"
#include "org/org.h"
#include "vehicles/vehicles.h"
#include "vehicles/vin.h"

enum { MAX_JOURNEY = 100, MAX_RULES = 20, TIMELINE_SHOWN = 200 };

static const char *const statuses[] = {"new", "contacted", "qualified", "test_drive", "offer", "won", "lost", NULL};

static int status_rank(const char *s) {
  for (int i = 0; s && statuses[i]; i++)
    if (strcmp(statuses[i], s) == 0) return i;
  return -1;
}

int fc_lead_step_ok(const char *from, const char *to) {
  int f = status_rank(from), t = status_rank(to);
  if (f < 0 || t < 0 || f >= 5) return 0; /* unknown, or closed (won/lost) */
  if (t == 6) return 1;                   /* lost: from any open status */
  if (t == 5) return f >= 1;              /* won: once someone has talked to the customer */
  return t > f;                           /* forward, steps may be skipped */
}

static int valid_lead_channel(const char *ch) {
  static const char *const all[] = {"web", "phone", "email", "walk_in", "partner", NULL};
  for (int i = 0; ch && all[i]; i++)
    if (strcmp(all[i], ch) == 0) return 1;
  return 0;
}

/* The timeline's channel for a lead's channel (a portal's lead came in online). */
static const char *event_channel(const char *ch) { return strcmp(ch, "partner") == 0 ? "web" : ch; }

/* --- settings */

typedef struct settings {
  long long target_min, window_h;
  json_t *rules; /* owned */
} settings;

static fc_err settings_load(fc_ctx *c, const char *dealer_id, settings *s) {
  s->target_min = 60;
  s->window_h = 72;
  s->rules = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT response_target_min, dedupe_window_hours, rules_json FROM lead_settings WHERE dealer_id = ?",
                           "s", dealer_id);
  if (err) return err;
  if (fc_stmt_step(st) == 1) {
    s->target_min = fc_col_int(st, 0);
    s->window_h = fc_col_int(st, 1);
    s->rules = json_loads(fc_col_text(st, 2), 0, NULL);
  }
  fc_stmt_done(st);
  if (!s->rules) s->rules = json_array();
  return FC_OK;
}

/* The access decision for a dealer's leads (dealer data). */
static fc_err dealer_access(fc_ctx *c, const char *dealer_id, int write) {
  fc_tenant t;
  fc_err err = fc_dealer_tenant(c, dealer_id, &t);
  if (err) return err;
  err = fc_policy_check(c->who, write ? FC_ACT_WRITE : FC_ACT_READ, FC_RES_DEALER_DATA, &t);
  return err ? fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "you may not see this dealer's leads") : FC_OK;
}

fc_err fc_lead_settings_get(fc_ctx *c, const char *dealer_id, json_t **out) {
  *out = NULL;
  fc_err err = dealer_access(c, dealer_id, 0);
  settings s;
  if (!err) err = settings_load(c, dealer_id, &s);
  if (err) return err;
  *out = json_pack("{sIsIso}", "response_target_min", (json_int_t)s.target_min, "dedupe_window_hours",
                   (json_int_t)s.window_h, "rules", s.rules);
  return FC_OK;
}

fc_err fc_lead_settings_put(fc_ctx *c, const char *dealer_id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"response_target_min", "dedupe_window_hours", "rules", NULL};
  static const char *const rule_keys[] = {"brand_id", "condition", "users", NULL};
  fc_tenant t;
  fc_err err = fc_dealer_tenant(c, dealer_id, &t);
  if (err) return err;
  if ((err = fc_policy_check(c->who, FC_ACT_WRITE, FC_RES_DEALER, &t)))
    return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such dealer" : "only the dealer's admin may change lead settings");
  long long target = 60, window = 72;
  int has;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_int(doc, "response_target_min", &target, &has, &c->err))) return err;
  if ((err = fc_json_int(doc, "dedupe_window_hours", &window, &has, &c->err))) return err;
  if (target < 1 || target > 10080) fc_fail_field(&c->err, "response_target_min", "must be 1 to 10080 minutes");
  if (window < 0 || window > 720) fc_fail_field(&c->err, "dedupe_window_hours", "must be 0 to 720 hours");
  json_t *rules = json_object_get(doc, "rules");
  if (rules && !json_is_null(rules)) {
    if (!json_is_array(rules) || json_array_size(rules) > MAX_RULES)
      return fc_fail(&c->err, FC_EBADREQ, "rules must be a list of at most 20 rules");
    size_t i, k;
    json_t *r, *u;
    json_array_foreach(rules, i, r) {
      const char *brand = NULL, *cond = NULL;
      json_t *users = NULL;
      if (!json_is_object(r)) return fc_fail(&c->err, FC_EBADREQ, "each rule is an object");
      if ((err = fc_json_only(r, rule_keys, &c->err))) return err;
      if ((err = fc_json_str(r, "brand_id", 64, &brand, &c->err)) == FC_EBADREQ) return err;
      if ((err = fc_json_str(r, "condition", 8, &cond, &c->err)) == FC_EBADREQ) return err;
      if ((err = fc_json_str_array(r, "users", 50, &users, &c->err)) == FC_EBADREQ) return err;
      if (cond && strcmp(cond, "new") && strcmp(cond, "used")) fc_fail_field(&c->err, "rules", "condition is new or used");
      if (brand) { /* a rule for a brand the dealer does not sell would never match */
        fc_stmt *st = NULL;
        if ((err = fc_db_query(c->db, &st, "SELECT 1 FROM dealer_brands WHERE dealer_id = ? AND brand_id = ?", "ss",
                               dealer_id, brand)))
          return err;
        int held = fc_stmt_step(st) == 1;
        fc_stmt_done(st);
        if (!held) fc_fail_field(&c->err, "rules", "names a brand this dealer does not hold");
      }
      if (!users || json_array_size(users) == 0) fc_fail_field(&c->err, "rules", "each rule names the users to assign");
      json_array_foreach(users, k, u) {
        fc_stmt *st = NULL;
        if ((err = fc_db_query(c->db, &st, "SELECT 1 FROM users WHERE id = ? AND dealer_id = ? AND disabled = 0", "ss",
                               json_string_value(u), dealer_id)))
          return err;
        int ok = fc_stmt_step(st) == 1;
        fc_stmt_done(st);
        if (!ok) fc_fail_field(&c->err, "rules", "names a user who is not staff of this dealer");
      }
    }
  } else {
    rules = NULL;
  }
  if (c->err.code) return c->err.code;
  json_t *after = json_pack("{sIsIso}", "response_target_min", (json_int_t)target, "dedupe_window_hours",
                            (json_int_t)window, "rules", rules ? json_incref(rules) : json_array());
  char *text = json_dumps(json_object_get(after, "rules"), JSON_COMPACT);
  int64_t now = fc_time_now_ms();
  if (!(err = fc_db_begin(c->db))) {
    err = fc_db_exec(c->db,
                     "INSERT INTO lead_settings (dealer_id, response_target_min, dedupe_window_hours, rules_json, updated_at) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (dealer_id) DO UPDATE SET "
                     "response_target_min = excluded.response_target_min, dedupe_window_hours = excluded.dedupe_window_hours, "
                     "rules_json = excluded.rules_json, updated_at = excluded.updated_at",
                     "siisi", dealer_id, (int64_t)target, (int64_t)window, text ? text : "[]", now);
    if (!err) err = fc_audit_record(c, dealer_id, "lead_settings.update", "dealer", dealer_id, NULL, after);
    if (!err) err = fc_db_commit(c->db);
    else fc_db_rollback(c->db);
  }
  free(text);
  if (err) {
    json_decref(after);
    return err;
  }
  *out = after;
  return FC_OK;
}

/* --- the lead document */

#define LEAD_COLS                                                                                                 \
  "id, dealer_id, customer_id, source, channel, status, lost_reason, assigned_to, condition, make, model, brand_id, " \
  "interest_json, trade_in_json, message, repeats, received_at, first_response_at, test_drive_at, closed_at, version"

static json_t *json_or_null(const char *s) {
  json_t *j = s ? json_loads(s, 0, NULL) : NULL;
  return j ? j : json_null();
}

static json_t *time_or_null(fc_stmt *st, int i) {
  if (fc_col_null(st, i)) return json_null();
  char at[40];
  fc_time_format(fc_col_int(st, i), at, sizeof at);
  return json_string(at);
}

static json_t *lead_row(fc_ctx *c, fc_stmt *st, long long target_min) {
  json_t *o = json_pack("{ssssssssssss}", "id", fc_col_text(st, 0), "dealer_id", fc_col_text(st, 1), "customer_id",
                        fc_col_text(st, 2), "source", fc_col_text(st, 3), "channel", fc_col_text(st, 4), "status",
                        fc_col_text(st, 5));
  if (!o) return NULL;
  static const struct {
    const char *key;
    int col;
  } texts[] = {{"lost_reason", 6}, {"assigned_to", 7}, {"condition", 8}, {"make", 9}, {"model", 10}, {"brand_id", 11}, {"message", 14}};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    json_object_set_new(o, texts[i].key, fc_json_str_or_null(fc_col_text(st, texts[i].col)));
  json_object_set_new(o, "vehicle_interest", json_or_null(fc_col_text(st, 12)));
  json_object_set_new(o, "trade_in", json_or_null(fc_col_text(st, 13)));
  json_object_set_new(o, "repeats", json_integer(fc_col_int(st, 15)));
  json_object_set_new(o, "received_at", time_or_null(st, 16));
  json_object_set_new(o, "first_response_at", time_or_null(st, 17));
  json_object_set_new(o, "test_drive_at", time_or_null(st, 18));
  json_object_set_new(o, "closed_at", time_or_null(st, 19));
  json_object_set_new(o, "version", json_integer(fc_col_int(st, 20)));
  int64_t received = fc_col_int(st, 16);
  if (!fc_col_null(st, 17))
    json_object_set_new(o, "response_min", json_integer((fc_col_int(st, 17) - received) / 60000));
  /* Overdue: still new, nobody answered, and older than the dealer's target. */
  int overdue = strcmp(fc_col_text(st, 5), "new") == 0 && fc_col_null(st, 17) &&
                fc_time_now_ms() - received > target_min * 60000;
  json_object_set_new(o, "overdue", json_boolean(overdue));
  return o;
}

static fc_err lead_load(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT dealer_id FROM leads WHERE id = ?", "s", id);
  if (err) return err;
  char *dealer = fc_stmt_step(st) == 1 ? fc_arena_strdup(c->arena, fc_col_text(st, 0)) : NULL;
  fc_stmt_done(st);
  if (!dealer) return fc_fail(&c->err, FC_ENOTFOUND, "no such lead");
  settings s; /* overdue by the dealer's own response target */
  if ((err = settings_load(c, dealer, &s))) return err;
  json_decref(s.rules);
  if ((err = fc_db_query(c->db, &st, "SELECT " LEAD_COLS " FROM leads WHERE id = ?", "s", id))) return err;
  if (fc_stmt_step(st) == 1) *out = lead_row(c, st, s.target_min);
  fc_stmt_done(st);
  return *out ? FC_OK : FC_EDB;
}

/* --- intake */

typedef struct lead_in {
  const char *dealer_id, *source, *channel;
  const char *name, *first_name, *last_name, *email, *phone, *language;
  json_t *interest, *trade_in, *journey; /* borrowed */
  const char *message, *raw;
  /* results */
  const char *customer_id, *lead_id;
  int matched, merged;
} lead_in;

static const char *str_of(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The customer whose car (a trade-in VIN) is known at the dealer, or NULL. */
static const char *customer_by_vin(fc_ctx *c, const char *dealer_id, const char *raw) {
  if (!raw || !*raw) return NULL;
  fc_vin_info v; /* as the vehicle was stored: upper case, no spaces or dashes */
  fc_vin_decode(raw, 2100, &v);
  if (!v.valid) return NULL;
  const char *vin = v.vin;
  fc_stmt *st = NULL;
  if (fc_db_query(c->db, &st,
                  "SELECT o.customer_id FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id "
                  "WHERE o.dealer_id = ? AND v.vin = ? AND o.until IS NULL ORDER BY o.since DESC LIMIT 1",
                  "ss", dealer_id, vin))
    return NULL;
  const char *id = fc_stmt_step(st) == 1 ? fc_arena_strdup(c->arena, fc_col_text(st, 0)) : NULL;
  fc_stmt_done(st);
  return id;
}

/* The user a new lead goes to: the first rule that matches (brand, new/used)
 * names the candidates, else all the dealer's sales staff; round robin. */
static fc_err assign(fc_ctx *c, const char *dealer_id, const settings *s, const char *brand_id, const char *condition,
                     const char **user) {
  *user = NULL;
  json_t *cands = NULL;
  size_t i;
  json_t *r;
  json_array_foreach(s->rules, i, r) {
    const char *rb = str_of(r, "brand_id"), *rc = str_of(r, "condition");
    if (rb && (!brand_id || strcmp(rb, brand_id))) continue;
    if (rc && (!condition || strcmp(rc, condition))) continue;
    cands = json_object_get(r, "users");
    break;
  }
  const char *pool[64];
  int n = 0;
  if (cands) {
    json_array_foreach(cands, i, r) if (n < 64) pool[n++] = fc_arena_strdup(c->arena, json_string_value(r));
  } else {
    fc_stmt *st = NULL;
    fc_err err = fc_db_query(c->db, &st,
                             "SELECT id FROM users WHERE dealer_id = ? AND role = 'sales' AND disabled = 0 ORDER BY id",
                             "s", dealer_id);
    if (err) return err;
    while (n < 64 && fc_stmt_step(st) == 1) pool[n++] = fc_arena_strdup(c->arena, fc_col_text(st, 0));
    fc_stmt_done(st);
  }
  if (n == 0) return FC_OK;
  int64_t now = fc_time_now_ms();
  fc_err err = fc_db_exec(c->db,
                          "INSERT INTO lead_settings (dealer_id, updated_at) VALUES (?, ?) ON CONFLICT (dealer_id) DO NOTHING",
                          "si", dealer_id, now);
  fc_stmt *st = NULL;
  if (!err) err = fc_db_exec(c->db, "UPDATE lead_settings SET next_turn = next_turn + 1 WHERE dealer_id = ?", "s", dealer_id);
  if (!err) err = fc_db_query(c->db, &st, "SELECT next_turn FROM lead_settings WHERE dealer_id = ?", "s", dealer_id);
  if (err) return err;
  long long turn = fc_stmt_step(st) == 1 ? fc_col_int(st, 0) : 1;
  fc_stmt_done(st);
  *user = pool[(turn - 1) % n];
  return FC_OK;
}

static char *lower_dup(fc_ctx *c, const char *s) {
  char *heap = s ? fc_fold(s) : NULL;
  char *a = fc_arena_strdup(c->arena, heap ? heap : "");
  free(heap);
  return a;
}

/* One lead, inside the caller's transaction. */
static fc_err intake(fc_ctx *c, lead_in *in) {
  fc_err err;
  settings s;
  /* Leads of one dealer are taken in one after the other: on PostgreSQL the
   * row lock on the dealer's settings does it (SQLite's write transaction
   * already does), so two copies of one lead sent at once make one lead. */
  if ((err = fc_db_exec(c->db,
                        "INSERT INTO lead_settings (dealer_id, updated_at) VALUES (?, ?) ON CONFLICT (dealer_id) DO NOTHING",
                        "si", in->dealer_id, fc_time_now_ms())) ||
      (err = fc_db_exec(c->db, "UPDATE lead_settings SET next_turn = next_turn WHERE dealer_id = ?", "s", in->dealer_id)))
    return err;
  if ((err = settings_load(c, in->dealer_id, &s))) return err;
  /* 1. The customer: by e-mail or phone, then by the VIN of their car, else new. */
  const char *cust = NULL;
  if ((err = fc_customers_match(c, in->dealer_id, in->email, in->phone, &cust))) goto out;
  if (!cust) cust = customer_by_vin(c, in->dealer_id, str_of(in->trade_in, "vin"));
  if (!cust) cust = customer_by_vin(c, in->dealer_id, str_of(in->interest, "vin"));
  int created = 0;
  if (!cust) {
    err = fc_customers_find_or_create_named(c, in->dealer_id, in->name, in->first_name, in->last_name, in->email,
                                            in->phone, in->language, event_channel(in->channel), &cust, &created);
    /* A number the dealer's country cannot read does not lose a lead that
     * has an e-mail: keep the e-mail, and the number as written in the lead. */
    if (err == FC_EINVAL && in->email && *in->email && c->err.fields && json_object_get(c->err.fields, "customer.phone")) {
      fc_error_clear(&c->err);
      if (in->phone && !in->message)
        in->message = fc_arena_printf(c->arena, "Phone as sent: %s", in->phone);
      else if (in->phone)
        in->message = fc_arena_printf(c->arena, "%s\n(Phone as sent: %s)", in->message, in->phone);
      err = fc_customers_find_or_create_named(c, in->dealer_id, in->name, in->first_name, in->last_name, in->email,
                                              NULL, in->language, event_channel(in->channel), &cust, &created);
    }
    if (err) goto out;
  }
  in->customer_id = cust;
  in->matched = !created;
  /* The car they trade in is theirs: link it so the workshop knows it too. */
  const char *tvin = str_of(in->trade_in, "vin");
  if (tvin && *tvin) {
    const char *vid = NULL;
    if (fc_vehicles_attach(c, in->dealer_id, cust, tvin, NULL, &vid) != FC_OK) fc_error_clear(&c->err); /* a bad VIN is kept as text */
  }
  /* 2. The same lead again within the window is the same lead. */
  const char *condition = str_of(in->interest, "condition");
  const char *make = str_of(in->interest, "make"), *model = str_of(in->interest, "model");
  const char *key = fc_arena_printf(c->arena, "%s|%s|%s|%s|%s", cust, in->source, lower_dup(c, make), lower_dup(c, model),
                                    condition ? condition : "");
  int64_t now = fc_time_now_ms();
  fc_stmt *st = NULL;
  if ((err = fc_db_query(c->db, &st,
                         "SELECT id FROM leads WHERE dealer_id = ? AND dedupe_key = ? AND received_at > ? "
                         "AND status NOT IN ('won', 'lost') ORDER BY received_at DESC LIMIT 1",
                         "ssi", in->dealer_id, key, now - s.window_h * 3600000)))
    goto out;
  const char *existing = fc_stmt_step(st) == 1 ? fc_arena_strdup(c->arena, fc_col_text(st, 0)) : NULL;
  fc_stmt_done(st);
  json_t *payload = json_pack("{sssssOsOss?}", "source", in->source, "channel", in->channel, "vehicle_interest",
                              in->interest ? in->interest : json_null(), "trade_in", in->trade_in ? in->trade_in : json_null(),
                              "message", in->message);
  if (existing) {
    in->lead_id = existing;
    in->merged = 1;
    err = fc_db_exec(c->db, "UPDATE leads SET repeats = repeats + 1, updated_at = ? WHERE dealer_id = ? AND id = ?", "iss",
                     now, in->dealer_id, existing);
    json_object_set_new(payload, "lead_id", json_string(existing));
    if (!err) err = fc_timeline_add(c, in->dealer_id, cust, "lead.repeated", event_channel(in->channel), 0, payload, NULL);
    json_decref(payload);
    goto journey;
  }
  /* 3. A new lead, assigned by the dealer's rules. */
  const char *brand_id = NULL, *user = NULL;
  if ((err = fc_dealer_brand_named(c, in->dealer_id, make, &brand_id))) goto out_payload;
  if ((err = assign(c, in->dealer_id, &s, brand_id, condition, &user))) goto out_payload;
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  in->lead_id = fc_arena_strdup(c->arena, id);
  char *interest = in->interest ? json_dumps(in->interest, JSON_COMPACT) : NULL;
  char *trade = in->trade_in ? json_dumps(in->trade_in, JSON_COMPACT) : NULL;
  err = fc_db_exec(c->db,
                   "INSERT INTO leads (dealer_id, id, customer_id, source, channel, status, assigned_to, condition, make, "
                   "model, brand_id, interest_json, trade_in_json, message, dedupe_key, raw_document, received_at, "
                   "version, updated_at) VALUES (?,?,?,?,?,'new',?,?,?,?,?,?,?,?,?,?,?,1,?)",
                   "sssssssssssssssii", in->dealer_id, id, cust, in->source, in->channel, user, condition, make, model,
                   brand_id, interest, trade, in->message, key, in->raw, now, now);
  free(interest);
  free(trade);
  json_object_set_new(payload, "lead_id", json_string(id));
  if (user) json_object_set_new(payload, "assigned_to", json_string(user));
  if (!err) err = fc_timeline_add(c, in->dealer_id, cust, "lead.received", event_channel(in->channel), 0, payload, NULL);
  if (!err) err = fc_audit_record(c, in->dealer_id, "lead.create", "lead", id, NULL, payload);
out_payload:
  json_decref(payload);
  if (err) goto out;
journey:
  /* 4. What the customer did online becomes their history. */
  if (!err && in->journey) {
    size_t i;
    json_t *step;
    json_array_foreach(in->journey, i, step) {
      const char *type = str_of(step, "type"), *at = str_of(step, "at");
      int64_t when = 0;
      if (at) (void)fc_time_parse(at, &when);
      json_t *data = json_object_get(step, "data");
      json_t *p = json_pack("{ssso}", "lead_id", in->lead_id, "data", data ? json_incref(data) : json_object());
      err = fc_timeline_add(c, in->dealer_id, cust, fc_arena_printf(c->arena, "journey.%s", type), "web", when, p, NULL);
      json_decref(p);
      if (err) break;
    }
  }
out:
  json_decref(s.rules);
  return err;
}

/* Checks one journey step: {type, at, data}. */
static fc_err check_journey(fc_ctx *c, json_t *journey) {
  static const char *const keys[] = {"type", "at", "data", NULL};
  if (!journey || json_is_null(journey)) return FC_OK;
  if (!json_is_array(journey)) return fc_fail(&c->err, FC_EBADREQ, "online_journey must be a list of steps");
  if (json_array_size(journey) > MAX_JOURNEY) return fc_fail_field(&c->err, "online_journey", "has more than 100 steps");
  size_t i;
  json_t *step;
  json_array_foreach(journey, i, step) {
    const char *type = NULL, *at = NULL;
    fc_err err;
    if (!json_is_object(step)) return fc_fail(&c->err, FC_EBADREQ, "online_journey steps are objects");
    if ((err = fc_json_only(step, keys, &c->err))) return err;
    if ((err = fc_json_str_req(step, "type", 40, &type, &c->err))) return err;
    if ((err = fc_json_str(step, "at", 40, &at, &c->err))) return err;
    json_t *data = json_object_get(step, "data");
    if (data && !json_is_null(data) && !json_is_object(data)) return fc_fail(&c->err, FC_EBADREQ, "online_journey data is an object");
    for (const char *p = type; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || *p == '_')) return fc_fail_field(&c->err, "online_journey", "step types are lower-case words");
    int64_t ms;
    if (at && fc_time_parse(at, &ms) != 0) return fc_fail_field(&c->err, "online_journey", "times are RFC 3339 with offset");
  }
  return FC_OK;
}

static fc_err check_vehicle(fc_ctx *c, json_t *v, const char *field, int trade) {
  static const char *const keys[] = {"condition", "make", "model", "year", "vin", "stock_number", "trim", NULL};
  static const char *const tkeys[] = {"make", "model", "year", "mileage_km", "vin", NULL};
  if (!v || json_is_null(v)) return FC_OK;
  if (!json_is_object(v)) return fc_fail(&c->err, FC_EBADREQ, "%s must be an object", field);
  fc_err err = fc_json_only(v, trade ? tkeys : keys, &c->err);
  const char *s;
  for (int i = 0; !err && (trade ? tkeys : keys)[i]; i++) {
    const char *k = (trade ? tkeys : keys)[i];
    if (!strcmp(k, "year") || !strcmp(k, "mileage_km")) {
      json_t *n = json_object_get(v, k);
      if (n && !json_is_null(n) && !json_is_integer(n)) err = fc_fail(&c->err, FC_EBADREQ, "%s.%s must be a whole number", field, k);
    } else {
      err = fc_json_str(v, k, 80, &s, &c->err);
    }
  }
  if (err) return err;
  const char *cond = str_of(v, "condition");
  if (cond && strcmp(cond, "new") && strcmp(cond, "used")) return fc_fail_field(&c->err, field, "condition is new or used");
  return FC_OK;
}

/* The dealer a lead goes to: the key's or staff's own dealer; an admin names one. */
static fc_err lead_dealer(fc_ctx *c, const char *given, const char **out) {
  fc_err err = fc_customers_dealer(c, given, out);
  if (err == FC_EFORBIDDEN) return err;
  return err;
}

typedef struct create_job {
  fc_ctx *c;
  lead_in *in;
  int n;
} create_job;

static fc_err create_tx(fc_db *db, void *arg) {
  create_job *j = arg;
  for (int i = 0; i < j->n; i++) {
    fc_err err = intake(j->c, &j->in[i]);
    if (err) {
      if (j->n > 1 && j->c->err.message[0]) {
        char msg[sizeof j->c->err.message];
        snprintf(msg, sizeof msg, "prospect %d: %.150s", i + 1, j->c->err.message);
        snprintf(j->c->err.message, sizeof j->c->err.message, "%s", msg);
      }
      return err;
    }
  }
  return FC_OK;
}

static json_t *intake_result(fc_ctx *c, const lead_in *in) {
  json_t *lead = NULL;
  if (lead_load(c, in->lead_id, &lead) != FC_OK) return NULL;
  json_object_set_new(lead, "matched", json_boolean(in->matched));
  json_object_set_new(lead, "merged", json_boolean(in->merged));
  return lead;
}

fc_err fc_leads_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"source", "channel", "customer", "vehicle_interest", "trade_in", "message",
                                     "online_journey", "dealer_id", NULL};
  static const char *const ckeys[] = {"first_name", "last_name", "name", "email", "phone", "language", NULL};
  lead_in in;
  memset(&in, 0, sizeof in);
  const char *dealer = NULL, *first = NULL, *last = NULL;
  fc_err err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "source", 80, &in.source, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "channel", 16, &in.channel, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "message", 5000, &in.message, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "dealer_id", 64, &dealer, &c->err)) == FC_EBADREQ) return err;
  json_t *cust = json_object_get(doc, "customer");
  if (!json_is_object(cust)) return fc_fail(&c->err, FC_EBADREQ, "customer must be an object with a name and a contact");
  if ((err = fc_json_only(cust, ckeys, &c->err))) return err;
  if ((err = fc_json_str(cust, "first_name", 100, &first, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(cust, "last_name", 100, &last, &c->err)) == FC_EBADREQ) return err;
  in.first_name = first;
  in.last_name = last;
  if ((err = fc_json_str(cust, "name", 200, &in.name, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(cust, "email", 254, &in.email, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(cust, "phone", 64, &in.phone, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(cust, "language", 8, &in.language, &c->err)) == FC_EBADREQ) return err;
  in.interest = json_object_get(doc, "vehicle_interest");
  in.trade_in = json_object_get(doc, "trade_in");
  in.journey = json_object_get(doc, "online_journey");
  if ((err = check_vehicle(c, in.interest, "vehicle_interest", 0)) || (err = check_vehicle(c, in.trade_in, "trade_in", 1)) ||
      (err = check_journey(c, in.journey)))
    return err;
  if (json_is_null(in.interest)) in.interest = NULL;
  if (json_is_null(in.trade_in)) in.trade_in = NULL;
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  if (in.channel && !valid_lead_channel(in.channel))
    fc_fail_field(&c->err, "channel", "must be web, phone, email, walk_in or partner");
  if (!in.name || !*in.name)
    in.name = fc_arena_printf(c->arena, "%s%s%s", first ? first : "", first && last ? " " : "", last ? last : "");
  if (!*in.name) fc_fail_field(&c->err, "customer.name", "give a name (or first_name and last_name)");
  if (!(in.email && *in.email) && !(in.phone && *in.phone)) fc_fail_field(&c->err, "customer.email", "give an e-mail or a phone number");
  if (c->err.code) return c->err.code;
  if ((err = lead_dealer(c, dealer, &in.dealer_id))) return err;
  create_job j = {.c = c, .in = &in, .n = 1};
  if ((err = fc_db_tx(c->db, create_tx, &j))) return err;
  *out = intake_result(c, &in);
  return *out ? FC_OK : FC_EDB;
}

/* --- ADF */

static const char *first_phone(const fc_adf_contact *k) {
  for (int i = 0; i < k->nphones; i++) /* a mobile first: it reaches the person */
    if (k->phones[i].type && !strcmp(k->phones[i].type, "cellphone")) return k->phones[i].number;
  for (int i = 0; i < k->nphones; i++)
    if (!k->phones[i].type || strcmp(k->phones[i].type, "fax")) return k->phones[i].number;
  return NULL;
}

static json_t *adf_vehicle(const fc_adf_vehicle *v, int trade) {
  json_t *o = json_object();
  if (!trade && v->status) json_object_set_new(o, "condition", json_string(strcmp(v->status, "used") ? "new" : "used"));
  if (v->make) json_object_set_new(o, "make", json_string(v->make));
  if (v->model) json_object_set_new(o, "model", json_string(v->model));
  if (v->year && atoi(v->year) > 0) json_object_set_new(o, "year", json_integer(atoi(v->year)));
  if (v->vin) json_object_set_new(o, "vin", json_string(v->vin));
  if (!trade && v->stock) json_object_set_new(o, "stock_number", json_string(v->stock));
  if (!trade && v->trim) json_object_set_new(o, "trim", json_string(v->trim));
  if (trade && v->odometer && atoll(v->odometer) > 0) {
    long long km = atoll(v->odometer);
    if (v->odometer_units && !strcmp(v->odometer_units, "mi")) km = km * 1609 / 1000;
    json_object_set_new(o, "mileage_km", json_integer(km));
  }
  return o;
}

fc_err fc_leads_adf(fc_ctx *c, const char *dealer_id, const char *xml, size_t len, json_t **out) {
  *out = NULL;
  const char *dealer = NULL;
  fc_err err = lead_dealer(c, dealer_id, &dealer);
  if (err) return err;
  fc_adf_doc doc;
  char why[200] = "";
  err = fc_adf_parse_ex(xml, len, c->arena, &doc, why, sizeof why);
  if (err) return fc_fail(&c->err, err, "%s", why[0] ? why : "not an ADF document");
  /* The document as received, for the audit: as text when it is UTF-8, else
   * (ISO-8859-1 and friends) base64, so no store has to accept stray bytes. */
  char *raw = NULL;
  if (u8_check((const uint8_t *)xml, len) == NULL && !memchr(xml, 0, len)) {
    raw = fc_arena_strndup(c->arena, xml, len);
  } else {
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL) + 8;
    raw = fc_arena_alloc(c->arena, cap);
    if (raw) {
      memcpy(raw, "base64:", 7);
      sodium_bin2base64(raw + 7, cap - 7, (const unsigned char *)xml, len, sodium_base64_VARIANT_ORIGINAL);
    }
  }
  lead_in *in = fc_arena_alloc(c->arena, sizeof *in * (size_t)doc.nprospects);
  json_t *keep = json_array(); /* owns the JSON made for the prospects */
  if (!in || !raw) {
    json_decref(keep);
    return FC_ENOMEM;
  }
  for (int i = 0; i < doc.nprospects; i++) {
    const fc_adf_prospect *p = &doc.prospects[i];
    lead_in *l = &in[i];
    l->dealer_id = dealer;
    l->channel = "partner";
    l->source = p->provider_name ? p->provider_name : p->vendor_name ? p->vendor_name : "adf";
    const fc_adf_contact *k = &p->customer;
    l->first_name = k->first_name;
    l->last_name = k->last_name;
    l->name = k->full_name ? k->full_name
                           : fc_arena_printf(c->arena, "%s%s%s", k->first_name ? k->first_name : "",
                                             k->first_name && k->last_name ? " " : "", k->last_name ? k->last_name : "");
    l->email = k->email;
    l->phone = first_phone(k);
    l->message = p->customer_comments;
    l->raw = raw;
    for (int v = 0; v < p->nvehicles; v++) {
      const fc_adf_vehicle *veh = &p->vehicles[v];
      int trade = veh->interest && (!strcmp(veh->interest, "trade-in") || !strcmp(veh->interest, "sell"));
      json_t *o = adf_vehicle(veh, trade);
      json_array_append_new(keep, o);
      if (trade && !l->trade_in) l->trade_in = o;
      else if (!trade && !l->interest) l->interest = o;
    }
  }
  create_job j = {.c = c, .in = in, .n = doc.nprospects};
  err = fc_db_tx(c->db, create_tx, &j);
  if (!err) {
    json_t *items = json_array();
    for (int i = 0; i < doc.nprospects; i++) json_array_append_new(items, intake_result(c, &in[i]));
    *out = json_pack("{so}", "items", items);
  }
  json_decref(keep);
  return err;
}

/* --- reading */

fc_err fc_leads_list(fc_ctx *c, const char *dealer_id, const char *status, const char *assigned_to, int limit,
                     const char *cursor, json_t **out) {
  *out = NULL;
  const char *dealer = NULL;
  fc_err err = fc_customers_dealer(c, dealer_id, &dealer);
  if (err) return err;
  if (status && status_rank(status) < 0 && strcmp(status, "open") != 0)
    return fc_fail(&c->err, FC_EBADREQ, "status is one of new, contacted, qualified, test_drive, offer, won, lost, open");
  if (assigned_to && !strcmp(assigned_to, "me")) assigned_to = c->who->id;
  long offset = 0;
  if (cursor) {
    char *end = NULL;
    offset = cursor[0] == 'o' ? strtol(cursor + 1, &end, 10) : -1;
    if (offset < 0 || offset > 100000 || !end || *end || end == cursor + 1)
      return fc_fail(&c->err, FC_EBADREQ, "cursor is not one this server gave");
  }
  settings s;
  if ((err = settings_load(c, dealer, &s))) return err;
  json_decref(s.rules);
  /* New first, the oldest (most overdue) of them first; then open leads,
   * newest first; closed ones last. */
  const char *open = status && !strcmp(status, "open") ? "1" : NULL;
  fc_stmt *st = NULL;
  err = fc_db_query(c->db, &st,
                    "SELECT " LEAD_COLS ", CASE WHEN status = 'new' THEN 0 WHEN status IN ('won','lost') THEN 2 ELSE 1 END AS tier "
                    "FROM leads WHERE dealer_id = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR status NOT IN ('won','lost')) "
                    "AND (? IS NULL OR assigned_to = ?) "
                    "ORDER BY tier, CASE WHEN status = 'new' THEN received_at ELSE -received_at END, id LIMIT ? OFFSET ?",
                    "ssssssii", dealer, open ? NULL : status, open ? NULL : status, open, assigned_to, assigned_to,
                    (int64_t)limit + 1, (int64_t)offset);
  if (err) return err;
  json_t *items = json_array();
  int n = 0, rc, more = 0;
  while ((rc = fc_stmt_step(st)) == 1) {
    if (n == limit) {
      more = 1;
      break;
    }
    json_array_append_new(items, lead_row(c, st, s.target_min));
    n++;
  }
  fc_stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return FC_EDB;
  }
  /* Names for the inbox, in one pass. */
  size_t i;
  json_t *l;
  json_array_foreach(items, i, l) {
    json_t *cust = NULL;
    if (fc_customers_get(c, json_string_value(json_object_get(l, "customer_id")), &cust) == FC_OK) {
      json_object_set(l, "customer_name", json_object_get(cust, "name"));
      json_decref(cust);
    } else {
      fc_error_clear(&c->err);
    }
  }
  *out = json_pack("{soso}", "items", items, "next_cursor",
                   more ? json_string(fc_arena_printf(c->arena, "o%ld", offset + limit)) : json_null());
  return FC_OK;
}

/* The caller may see lead id; its dealer (arena). */
static fc_err lead_access(fc_ctx *c, const char *id, int write, json_t **lead) {
  fc_err err = lead_load(c, id, lead);
  if (err) return err;
  err = dealer_access(c, json_string_value(json_object_get(*lead, "dealer_id")), write);
  if (err) {
    json_decref(*lead);
    *lead = NULL;
    fc_error_clear(&c->err);
    return fc_fail(&c->err, err == FC_EFORBIDDEN ? FC_EFORBIDDEN : FC_ENOTFOUND,
                   err == FC_EFORBIDDEN ? "you may not see this dealer's leads" : "no such lead");
  }
  return FC_OK;
}

fc_err fc_leads_get(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  json_t *lead = NULL, *cust = NULL, *timeline = NULL;
  fc_err err = lead_access(c, id, 0, &lead);
  if (err) return err;
  const char *cid = json_string_value(json_object_get(lead, "customer_id"));
  if ((err = fc_customers_get(c, cid, &cust)) || (err = fc_timeline_list(c, cid, TIMELINE_SHOWN, NULL, &timeline))) {
    json_decref(lead);
    json_decref(cust);
    return err;
  }
  /* The online journey of this lead first: what the customer already did
   * (read on its own, so a long history never pushes it out). */
  json_t *journey = json_array(), *steps = NULL;
  if ((err = fc_timeline_of_type(c, cid, "journey.", 1000, &steps))) {
    json_decref(journey);
    json_decref(lead);
    json_decref(cust);
    json_decref(timeline);
    return err;
  }
  size_t i;
  json_t *e;
  json_array_foreach(steps, i, e) {
    const char *lid = json_string_value(json_object_get(json_object_get(e, "payload"), "lead_id"));
    if (lid && !strcmp(lid, id)) json_array_append(journey, e);
  }
  json_decref(steps);
  /* Channels the customer has not withdrawn consent for. */
  json_t *channels = json_array();
  json_t *consents = json_object_get(cust, "consents");
  static const char *const chans[] = {"phone", "email", "sms", NULL};
  for (int k = 0; chans[k]; k++) {
    json_t *st = json_object_get(consents, chans[k]);
    int withdrawn = json_is_object(st) && json_is_false(json_object_get(st, "granted"));
    int reachable = !strcmp(chans[k], "email") ? !json_is_null(json_object_get(cust, "email"))
                                               : !json_is_null(json_object_get(cust, "phone"));
    if (!withdrawn && reachable) json_array_append_new(channels, json_string(chans[k]));
  }
  json_object_set_new(lead, "customer", cust);
  json_object_set_new(lead, "journey", journey);
  json_object_set(lead, "timeline", json_object_get(timeline, "items"));
  json_object_set_new(lead, "contact_channels", channels);
  json_decref(timeline);
  *out = lead;
  return FC_OK;
}

/* --- changing */

typedef struct patch_job {
  fc_ctx *c;
  json_t *lead;
  const char *status, *lost_reason, *assigned_to;
  const char *contact_channel, *outcome, *note; /* a contact log entry */
} patch_job;

static fc_err patch_tx(fc_db *db, void *arg) {
  patch_job *j = arg;
  fc_ctx *c = j->c;
  const char *id = json_string_value(json_object_get(j->lead, "id"));
  const char *dealer = json_string_value(json_object_get(j->lead, "dealer_id"));
  const char *cust = json_string_value(json_object_get(j->lead, "customer_id"));
  const char *old = json_string_value(json_object_get(j->lead, "status"));
  int64_t now = fc_time_now_ms();
  fc_err err = FC_OK;
  const char *to = j->status;
  /* A contact while the lead is new moves it on. */
  if (!to && j->contact_channel && !strcmp(old, "new")) to = "contacted";
  int responded = to || j->contact_channel; /* leaving new, or talking to the customer */
  int closing = to && (!strcmp(to, "won") || !strcmp(to, "lost"));
  err = fc_db_exec(db,
                   "UPDATE leads SET status = COALESCE(?, status), lost_reason = COALESCE(?, lost_reason), "
                   "assigned_to = COALESCE(?, assigned_to), "
                   "first_response_at = CASE WHEN first_response_at IS NULL AND ? = 1 THEN ? ELSE first_response_at END, "
                   "test_drive_at = CASE WHEN ? = 1 AND test_drive_at IS NULL THEN ? ELSE test_drive_at END, "
                   "closed_at = CASE WHEN ? = 1 THEN ? ELSE closed_at END, version = version + 1, updated_at = ? "
                   "WHERE dealer_id = ? AND id = ?",
                   "sssiiiiiiiss", to, j->lost_reason, j->assigned_to, (int64_t)responded, now,
                   (int64_t)(to && !strcmp(to, "test_drive")), now, (int64_t)closing, now, now, dealer, id);
  if (!err && j->contact_channel) {
    json_t *p = json_pack("{ssssss?ss?}", "lead_id", id, "channel", j->contact_channel, "outcome", j->outcome, "note", j->note);
    const char *ev = !strcmp(j->contact_channel, "email") ? "email" : !strcmp(j->contact_channel, "walk_in") ? "walk_in" : "phone";
    err = fc_timeline_add(c, dealer, cust, !strcmp(j->contact_channel, "email") ? "email.sent" : "call.logged", ev, 0, p, NULL);
    json_decref(p);
  }
  if (!err && to) {
    json_t *p = json_pack("{ssssssss?}", "lead_id", id, "from", old, "to", to, "lost_reason", j->lost_reason);
    err = fc_timeline_add(c, dealer, cust, "lead.status_changed", "network", 0, p, NULL);
    json_decref(p);
  }
  if (!err && j->assigned_to) {
    json_t *p = json_pack("{ssss}", "lead_id", id, "assigned_to", j->assigned_to);
    err = fc_timeline_add(c, dealer, cust, "lead.assigned", "network", 0, p, NULL);
    json_decref(p);
  }
  if (!err) {
    json_t *before = json_pack("{sssO}", "status", old, "assigned_to", json_object_get(j->lead, "assigned_to"));
    json_t *after = json_pack("{ss?ss?ss?ss?}", "status", to, "lost_reason", j->lost_reason, "assigned_to", j->assigned_to,
                              "contact", j->contact_channel);
    err = fc_audit_record(c, dealer, "lead.update", "lead", id, before, after);
    json_decref(before);
    json_decref(after);
  }
  return err;
}

static fc_err run_patch(fc_ctx *c, patch_job *j, const char *id, json_t **out) {
  fc_err err = fc_db_tx(c->db, patch_tx, j);
  json_decref(j->lead);
  j->lead = NULL;
  if (err) return err;
  return fc_leads_get(c, id, out);
}

fc_err fc_leads_patch(fc_ctx *c, const char *id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"status", "lost_reason", "assigned_to", NULL};
  patch_job j = {.c = c};
  fc_err err = lead_access(c, id, 1, &j.lead);
  if (err) return err;
  if ((err = fc_json_only(doc, keys, &c->err)) || ((err = fc_json_str(doc, "status", 16, &j.status, &c->err)) == FC_EBADREQ) ||
      ((err = fc_json_str(doc, "lost_reason", 200, &j.lost_reason, &c->err)) == FC_EBADREQ) ||
      ((err = fc_json_str(doc, "assigned_to", 64, &j.assigned_to, &c->err)) == FC_EBADREQ))
    goto fail;
  const char *old = json_string_value(json_object_get(j.lead, "status"));
  if (j.status && status_rank(j.status) < 0) fc_fail_field(&c->err, "status", "is not a pipeline status");
  if (j.status && !strcmp(j.status, "lost") && !(j.lost_reason && *j.lost_reason))
    fc_fail_field(&c->err, "lost_reason", "say why the lead was lost");
  if (j.lost_reason && !(j.status && !strcmp(j.status, "lost"))) fc_fail_field(&c->err, "lost_reason", "goes with status lost");
  if (j.assigned_to) {
    fc_stmt *st = NULL;
    if ((err = fc_db_query(c->db, &st, "SELECT 1 FROM users WHERE id = ? AND dealer_id = ? AND disabled = 0", "ss",
                           j.assigned_to, json_string_value(json_object_get(j.lead, "dealer_id")))))
      goto fail;
    int ok = fc_stmt_step(st) == 1;
    fc_stmt_done(st);
    if (!ok) fc_fail_field(&c->err, "assigned_to", "is not staff of this dealer");
  }
  if ((err = c->err.code)) goto fail;
  const char *owner = json_string_value(json_object_get(j.lead, "assigned_to"));
  if (j.assigned_to && (!strcmp(old, "won") || !strcmp(old, "lost")) && !(owner && !strcmp(owner, j.assigned_to))) {
    /* Who won or lost it stays on the record (and in the KPIs). */
    err = fc_fail(&c->err, FC_ECONFLICT, "a %s lead keeps the salesperson who closed it", old);
    goto fail;
  }
  if (j.status && !strcmp(j.status, old)) j.status = NULL; /* the same step again changes nothing */
  else if (j.status && !fc_lead_step_ok(old, j.status)) {
    err = fc_fail(&c->err, FC_ECONFLICT, "a lead that is %s cannot become %s", old, j.status);
    goto fail;
  }
  if (!j.status && !j.assigned_to) {
    json_decref(j.lead);
    return fc_leads_get(c, id, out);
  }
  return run_patch(c, &j, id, out);
fail:
  json_decref(j.lead);
  return err;
}

fc_err fc_leads_contact(fc_ctx *c, const char *id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"channel", "outcome", "note", NULL};
  patch_job j = {.c = c};
  fc_err err = lead_access(c, id, 1, &j.lead);
  if (err) return err;
  if ((err = fc_json_only(doc, keys, &c->err)) ||
      ((err = fc_json_str_req(doc, "channel", 16, &j.contact_channel, &c->err)) == FC_EBADREQ) ||
      ((err = fc_json_str(doc, "outcome", 20, &j.outcome, &c->err)) == FC_EBADREQ) ||
      ((err = fc_json_str(doc, "note", 2000, &j.note, &c->err)) == FC_EBADREQ) || (err = c->err.code))
    goto fail;
  const char *ch = j.contact_channel;
  if (strcmp(ch, "phone") && strcmp(ch, "email") && strcmp(ch, "sms") && strcmp(ch, "walk_in")) {
    err = fc_fail_field(&c->err, "channel", "must be phone, email, sms or walk_in");
    goto fail;
  }
  const char *old = json_string_value(json_object_get(j.lead, "status"));
  if (!strcmp(old, "won") || !strcmp(old, "lost")) { /* a closed lead is not chased */
    err = fc_fail(&c->err, FC_ECONFLICT, "this lead is closed");
    goto fail;
  }
  /* Respect: no contact on a channel the customer withdrew consent for. */
  if (strcmp(ch, "walk_in")) {
    json_t *cust = NULL;
    if ((err = fc_customers_get(c, json_string_value(json_object_get(j.lead, "customer_id")), &cust))) goto fail;
    json_t *st = json_object_get(json_object_get(cust, "consents"), ch);
    int withdrawn = json_is_object(st) && json_is_false(json_object_get(st, "granted"));
    json_decref(cust);
    if (withdrawn) {
      err = fc_fail_field(&c->err, "channel", "the customer withdrew consent for this channel");
      goto fail;
    }
  }
  return run_patch(c, &j, id, out);
fail:
  json_decref(j.lead);
  return err;
}
