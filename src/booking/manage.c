/* The customer's own booking, reached by the secret manage token: view,
 * move, cancel, calendar file; and the e-mails that go with each step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/audit.h"
#include "auth/auth.h"
#include "booking/booking.h"
#include "booking/ics.h"
#include "booking/internal.h"
#include "booking/mail.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "customers/customers.h"
#include "notify/outbox.h"

enum { REMINDER_BEFORE_MS = 24 * 3600 * 1000 };

typedef struct appt {
  const char *dealer_id, *id, *reference, *customer_id, *vehicle_id, *resource_id, *status, *channel, *language, *notes;
  json_t *services; /* owned */
  int64_t start, end;
  long long sequence;
} appt;

static fc_err appt_load(fc_ctx *c, const char *where_col, const char *value, appt *a) {
  memset(a, 0, sizeof *a);
  const char *sql = strcmp(where_col, "manage_hash") == 0
                        ? "SELECT dealer_id, id, reference, customer_id, vehicle_id, resource_id, status, channel, "
                          "language, notes, services_json, start_at, end_at, sequence FROM appointments WHERE manage_hash = ?"
                        : "SELECT dealer_id, id, reference, customer_id, vehicle_id, resource_id, status, channel, "
                          "language, notes, services_json, start_at, end_at, sequence FROM appointments WHERE id = ?";
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, sql, "s", value);
  if (err) return err;
  int rc = fc_stmt_step(st);
  if (rc == 1) {
    const char **f[] = {&a->dealer_id, &a->id, &a->reference, &a->customer_id, &a->vehicle_id,
                        &a->resource_id, &a->status, &a->channel, &a->language, &a->notes};
    for (int i = 0; i < 10; i++) *f[i] = fc_arena_strdup(c->arena, fc_col_text(st, i));
    a->services = json_loads(fc_col_text(st, 10) ? fc_col_text(st, 10) : "[]", 0, NULL);
    a->start = fc_col_int(st, 11);
    a->end = fc_col_int(st, 12);
    a->sequence = fc_col_int(st, 13);
  }
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (rc == 0) return fc_fail(&c->err, FC_ENOTFOUND, "no such booking");
  return FC_OK;
}

static fc_err by_token(fc_ctx *c, const char *token, appt *a) {
  if (!token || strncmp(token, "fcb_", 4) != 0 || strlen(token) > 64) return fc_fail(&c->err, FC_ENOTFOUND, "no such booking");
  char h[65];
  fc_auth_keyed_hash(c->app, "manage", token, h);
  return appt_load(c, "manage_hash", h, a);
}

/* The name of a service in the customer's language (or the dealer's, or any). */
static const char *service_name(const fc_workshop *w, const char *code, const char *lang) {
  for (int i = 0; i < w->nservices; i++) {
    if (strcmp(w->services[i].code, code) != 0) continue;
    json_t *n = w->services[i].name;
    char two[3] = {lang ? lang[0] : 0, lang && lang[0] ? lang[1] : 0, 0};
    const char *v = json_string_value(json_object_get(n, lang ? lang : "en"));
    if (!v) v = json_string_value(json_object_get(n, two));
    if (!v) v = json_string_value(json_object_get(n, "en"));
    if (!v) {
      const char *k;
      json_t *x;
      json_object_foreach(n, k, x) {
        v = json_string_value(x);
        break;
      }
    }
    return v ? v : code;
  }
  return code;
}

static json_t *services_doc(const fc_workshop *w, json_t *codes, const char *lang) {
  json_t *a = json_array();
  size_t i;
  json_t *v;
  json_array_foreach(codes, i, v) {
    const char *code = json_string_value(v);
    if (code) json_array_append_new(a, json_pack("{ssss}", "code", code, "name", service_name(w, code, lang)));
  }
  return a;
}

static const char *summary_of(fc_ctx *c, const fc_workshop *w, const appt *a, const fc_bk_dealer_info *d) {
  const char *lang = a->language ? a->language : d->locale;
  const char *first = json_string_value(json_array_get(a->services, 0));
  return fc_arena_printf(c->arena, "%s – %s (%s)", first ? service_name(w, first, lang) : "Service", d->name, a->reference);
}

fc_err fc_bk_ics(fc_ctx *c, const fc_bk_dealer_info *d, const char *appointment_id, char **ics) {
  *ics = NULL;
  appt a;
  fc_workshop w;
  fc_err err = appt_load(c, "id", appointment_id, &a);
  if (err) return err;
  if ((err = fc_workshop_load(c, d->id, d->timezone, &w))) {
    json_decref(a.services);
    return err;
  }
  const char *address = json_string_value(json_object_get(w.doc, "address"));
  fc_ics_event e = {
      .uid = fc_arena_printf(c->arena, "%s@forecourt", a.id),
      .summary = summary_of(c, &w, &a, d),
      .description = fc_arena_printf(c->arena, "Booking %s at %s", a.reference, d->name),
      .location = address ? fc_arena_printf(c->arena, "%s, %s", d->name, address) : d->name,
      .start_ms = a.start,
      .end_ms = a.end,
      .stamp_ms = fc_time_now_ms(),
      .sequence = (int)a.sequence,
      .cancelled = strcmp(a.status, "cancelled") == 0,
  };
  *ics = fc_ics_render(&e);
  fc_workshop_release(&w);
  json_decref(a.services);
  return *ics ? FC_OK : FC_ENOMEM;
}

/* The customer's e-mail, when there is one (these are transactional
 * messages: they need no marketing consent). */
static const char *customer_email(fc_ctx *c, const char *customer_id, const char **name) {
  fc_stmt *st = NULL;
  *name = NULL;
  if (fc_db_query(c->db, &st, "SELECT email, name FROM customers WHERE id = ? AND erased_at IS NULL", "s", customer_id))
    return NULL;
  const char *email = NULL;
  if (fc_stmt_step(st) == 1) {
    email = fc_arena_strdup(c->arena, fc_col_text(st, 0));
    *name = fc_arena_strdup(c->arena, fc_col_text(st, 1));
  }
  fc_stmt_done(st);
  return email;
}

fc_err fc_bk_notify(fc_ctx *c, const fc_bk_dealer_info *d, const char *appointment_id, const char *what,
                    const char *token) {
  appt a;
  fc_err err = appt_load(c, "id", appointment_id, &a);
  if (err) return err;
  const char *name = NULL;
  const char *to = customer_email(c, a.customer_id, &name);
  char *ics = NULL;
  if (!to) goto out; /* phone-only customers get no e-mail */
  if ((err = fc_bk_ics(c, d, appointment_id, &ics))) goto out;
  char when[40], date[11], time[6];
  fc_tz_format(d->timezone, a.start, when, sizeof when);
  snprintf(date, sizeof date, "%.10s", when);
  snprintf(time, sizeof time, "%.5s", when + 11);
  const char *base = c->app->cfg.public_url;
  fc_bk_mail_in m = {.lang = a.language ? a.language : d->locale, .name = name, .reference = a.reference,
                     .dealer = d->name, .date = date, .time = time,
                     .manage_url = token && base ? fc_arena_printf(c->arena, "%s/manage/%s", base, token) : NULL};
  m.what = strcmp(what, "cancelled") == 0 ? FC_BK_MAIL_CANCELLED
           : strcmp(what, "moved") == 0   ? FC_BK_MAIL_MOVED
                                          : FC_BK_MAIL_CONFIRM;
  enum { SUBJECT_CAP = 400, BODY_CAP = 4000 };
  char *subject = fc_arena_alloc(c->arena, SUBJECT_CAP), *text = fc_arena_alloc(c->arena, BODY_CAP);
  if (!subject || !text) {
    err = FC_ENOMEM;
    goto out;
  }
  fc_bk_mail_text(&m, subject, SUBJECT_CAP, text, BODY_CAP); /* a cut text still goes out */
  char key[80];
  snprintf(key, sizeof key, "appointment:%s:%s:%lld", a.id, what, a.sequence);
  err = fc_outbox_email(c, d->id, to, subject, text, ics, "transactional", 0, key);
  /* One reminder a day before, replaced whenever the appointment moves. */
  char prefix[64];
  snprintf(prefix, sizeof prefix, "appointment:%s:reminder:", a.id);
  if (!err) err = fc_outbox_cancel(c, d->id, prefix);
  int64_t remind_at = a.start - REMINDER_BEFORE_MS;
  if (!err && m.what != FC_BK_MAIL_CANCELLED && remind_at > fc_time_now_ms()) {
    m.what = FC_BK_MAIL_REMINDER;
    fc_bk_mail_text(&m, subject, SUBJECT_CAP, text, BODY_CAP);
    snprintf(key, sizeof key, "appointment:%s:reminder:%lld", a.id, a.sequence);
    err = fc_outbox_email(c, d->id, to, subject, text, ics, "transactional", remind_at, key);
  }
out:
  free(ics);
  json_decref(a.services);
  return err;
}

/* --- public manage link */

static json_t *public_doc(fc_ctx *c, const appt *a, const fc_bk_dealer_info *d, const fc_workshop *w) {
  json_t *slot = fc_bk_slot_doc(d->timezone, a->start, a->end);
  const char *lang = a->language ? a->language : d->locale;
  int changeable = strcmp(a->status, "booked") == 0 && a->start > fc_time_now_ms();
  json_t *dealer = json_pack("{sssssssO*sO*}", "slug", d->slug, "name", d->name, "timezone", d->timezone, "address",
                             json_object_get(w->doc, "address"), "phone", json_object_get(w->doc, "phone"));
  json_t *o = json_pack("{sssssOsOsssOsosb}", "id", a->id, "reference", a->reference, "start", json_object_get(slot, "start"),
                        "end", json_object_get(slot, "end"), "status", a->status, "services_codes", a->services,
                        "dealer", dealer, "can_change", changeable);
  json_object_set_new(o, "services", services_doc(w, a->services, lang));
  json_object_del(o, "services_codes");
  json_decref(slot);
  return o;
}

/* Loads the appointment, its dealer and workshop for a manage-link call. */
static fc_err manage_load(fc_ctx *c, const char *token, appt *a, fc_bk_dealer_info *d, fc_workshop *w) {
  fc_err err = by_token(c, token, a);
  if (err) return err;
  if ((err = fc_bk_dealer_by_id(c, a->dealer_id, d)) || (err = fc_workshop_load(c, d->id, d->timezone, w))) {
    json_decref(a->services);
    return err;
  }
  return FC_OK;
}

fc_err fc_booking_view(fc_ctx *c, const char *token, json_t **out) {
  *out = NULL;
  appt a;
  fc_bk_dealer_info d;
  fc_workshop w;
  fc_err err = manage_load(c, token, &a, &d, &w);
  if (err) return err;
  *out = public_doc(c, &a, &d, &w);
  fc_workshop_release(&w);
  json_decref(a.services);
  return *out ? FC_OK : FC_ENOMEM;
}

typedef struct change_job {
  fc_ctx *c;
  appt *a;
  const fc_bk_dealer_info *d;
  fc_bk_booking *b; /* a move: the checked new slot */
  const char *what;  /* moved | cancelled */
  const char *token; /* the customer's manage token (for the link in the e-mail), or NULL (staff) */
} change_job;

static fc_err change_tx(fc_db *db, void *arg) {
  change_job *j = arg;
  fc_ctx *c = j->c;
  fc_err err;
  json_t *before = json_pack("{sssI}", "status", j->a->status, "start", (json_int_t)j->a->start);
  json_t *after = NULL;
  if (j->b) { /* the slot is re-checked inside this transaction */
    j->b->move_only = 1;
    if ((err = fc_bk_tx(db, j->b))) goto out;
    err = fc_db_exec(db,
                     "UPDATE appointments SET start_at = ?, end_at = ?, resource_id = ?, sequence = sequence + 1, "
                     "updated_at = ? WHERE dealer_id = ? AND id = ? AND status = 'booked' AND sequence = ?",
                     "iisissi", j->b->start, j->b->end, j->b->resource_id, fc_time_now_ms(), j->a->dealer_id, j->a->id,
                     (int64_t)j->a->sequence);
    if (!err && fc_db_changes(db) != 1) err = fc_fail(&c->err, FC_ECONFLICT, "the booking changed meanwhile; look again");
    after = json_pack("{sssIss}", "status", j->a->status, "start", (json_int_t)j->b->start, "resource_id", j->b->resource_id);
  } else {
    err = fc_db_exec(db,
                     "UPDATE appointments SET status = 'cancelled', sequence = sequence + 1, updated_at = ? "
                     "WHERE dealer_id = ? AND id = ? AND status = 'booked'",
                     "iss", fc_time_now_ms(), j->a->dealer_id, j->a->id);
    if (!err && fc_db_changes(db) != 1) err = fc_fail(&c->err, FC_ECONFLICT, "the booking changed meanwhile; look again");
    after = json_pack("{ss}", "status", "cancelled");
  }
  if (err) goto out;
  json_t *payload = json_pack("{sssssO}", "appointment_id", j->a->id, "reference", j->a->reference, "services", j->a->services);
  if (j->b) json_object_set_new(payload, "start", fc_bk_slot_doc(j->d->timezone, j->b->start, j->b->end));
  err = fc_timeline_add(c, j->a->dealer_id, j->a->customer_id, j->b ? "booking.moved" : "booking.cancelled",
                        c->who ? "workshop" : "web", 0, payload, NULL);
  json_decref(payload);
  if (!err)
    err = fc_audit_record(c, j->a->dealer_id, j->b ? "appointment.move" : "appointment.cancel", "appointment", j->a->id,
                          before, after);
  if (!err) err = fc_bk_notify(c, j->d, j->a->id, j->what, j->token);
out:
  json_decref(before);
  json_decref(after);
  return err;
}

/* Moves booked appointment a to start in its own transaction (the slot is
 * checked again there): for the customer (staff 0: online rules, token for
 * the link in the e-mail) or for staff (staff 1: reserved share, no lead time
 * or horizon, off the grid). On a taken time, FC_ECONFLICT with alternatives
 * in c->err.extra. */
static fc_err move_to(fc_ctx *c, appt *a, const fc_bk_dealer_info *d, const fc_workshop *w, int64_t start, int staff,
                      const char *token) {
  fc_bk_booking b;
  memset(&b, 0, sizeof b);
  b.c = c;
  b.dealer = d;
  b.w = w;
  b.services = a->services;
  b.start = start;
  b.req.now_ms = fc_time_now_ms();
  b.req.online = !staff;
  b.req.staff = staff;
  b.skip_appointment = a->id;
  fc_err err = fc_workshop_visit(c, w, a->services, &b.req.duration_min, &b.req.skills);
  if (err) return err;
  change_job j = {.c = c, .a = a, .d = d, .b = &b, .what = "moved", .token = token};
  err = fc_db_tx(c->db, change_tx, &j);
  if (err == FC_ECONFLICT && !c->err.extra) {
    json_t *alt = NULL;
    if (fc_bk_alternatives(c, w, d->id, &b.req, start, &alt) == FC_OK) {
      c->err.extra = json_object();
      json_object_set_new(c->err.extra, "alternatives", alt);
    }
  }
  return err;
}

fc_err fc_booking_move(fc_ctx *c, const char *token, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"start", NULL};
  appt a;
  fc_bk_dealer_info d;
  fc_workshop w;
  fc_err err = manage_load(c, token, &a, &d, &w);
  if (err) return err;
  const char *start = NULL;
  int64_t start_ms = 0;
  if ((err = fc_json_only(doc, keys, &c->err)) || (err = fc_json_str_req(doc, "start", 40, &start, &c->err))) goto done;
  if (fc_time_parse(start, &start_ms) != 0 || !fc_bk_start_plausible(start_ms)) {
    err = fc_fail_field(&c->err, "start", "must be an RFC 3339 time with offset, within the bookable range");
    goto done;
  }
  if (strcmp(a.status, "booked") != 0 || a.start <= fc_time_now_ms()) {
    err = fc_fail(&c->err, FC_ECONFLICT, "this booking can no longer be changed online; please call the dealer");
    goto done;
  }
  if (start_ms == a.start) { /* the same time: nothing moves, nothing is sent */
    *out = public_doc(c, &a, &d, &w);
    goto done;
  }
  if (!(err = move_to(c, &a, &d, &w, start_ms, 0, token))) {
    json_decref(a.services);
    if (!(err = appt_load(c, "id", a.id, &a))) *out = public_doc(c, &a, &d, &w);
  }
done:
  fc_workshop_release(&w);
  json_decref(a.services);
  return err;
}

fc_err fc_bk_staff_move(fc_ctx *c, const fc_bk_dealer_info *d, const char *id, int64_t start) {
  appt a;
  fc_workshop w;
  fc_err err = appt_load(c, "id", id, &a);
  if (err) return err;
  if (strcmp(a.dealer_id, d->id) != 0) { /* the caller's policy check named this dealer */
    json_decref(a.services);
    return fc_fail(&c->err, FC_ENOTFOUND, "no such appointment");
  }
  if (strcmp(a.status, "booked") != 0) {
    err = fc_fail(&c->err, FC_ECONFLICT, "only a booked appointment can be moved; this one is %s", a.status);
    json_decref(a.services);
    return err;
  }
  if (start == a.start) { /* the same time: nothing moves, nothing is sent */
    json_decref(a.services);
    return FC_OK;
  }
  if ((err = fc_workshop_load(c, d->id, d->timezone, &w))) {
    json_decref(a.services);
    return err;
  }
  err = move_to(c, &a, d, &w, start, 1, NULL);
  fc_workshop_release(&w);
  json_decref(a.services);
  return err;
}

fc_err fc_booking_cancel(fc_ctx *c, const char *token, json_t **out) {
  *out = NULL;
  appt a;
  fc_bk_dealer_info d;
  fc_workshop w;
  fc_err err = manage_load(c, token, &a, &d, &w);
  if (err) return err;
  if (strcmp(a.status, "cancelled") == 0) { /* cancelling twice is the same cancellation */
    *out = public_doc(c, &a, &d, &w);
  } else if (strcmp(a.status, "booked") != 0 || a.start <= fc_time_now_ms()) {
    err = fc_fail(&c->err, FC_ECONFLICT, "this booking is under way and cannot be cancelled online; please call the dealer");
  } else {
    change_job j = {.c = c, .a = &a, .d = &d, .what = "cancelled", .token = token};
    err = fc_db_tx(c->db, change_tx, &j);
    if (!err || err == FC_ECONFLICT) { /* a double click: the other one cancelled it */
      json_decref(a.services);
      fc_err e2 = appt_load(c, "id", a.id, &a);
      if (!e2 && (!err || strcmp(a.status, "cancelled") == 0)) {
        fc_error_clear(&c->err);
        err = FC_OK;
        *out = public_doc(c, &a, &d, &w);
      } else if (e2) {
        err = e2;
      }
    }
  }
  fc_workshop_release(&w);
  json_decref(a.services);
  return err;
}

fc_err fc_booking_ics(fc_ctx *c, const char *token, char **ics) {
  *ics = NULL;
  appt a;
  fc_bk_dealer_info d;
  fc_err err = by_token(c, token, &a);
  if (err) return err;
  json_decref(a.services);
  if ((err = fc_bk_dealer_by_id(c, a.dealer_id, &d))) return err;
  return fc_bk_ics(c, &d, a.id, ics);
}
