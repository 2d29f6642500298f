/* The staff side: the day board, phone and walk-in bookings, the
 * appointment status flow, mileage at check-in and the tire hotel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/audit.h"
#include "auth/policy.h"
#include "booking/booking.h"
#include "booking/internal.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "customers/customers.h"
#include "notify/outbox.h"
#include "org/org.h"
#include "vehicles/vehicles.h"

/* The status flow: booked -> checked_in -> in_progress -> ready -> collected;
 * a booked appointment may also end as no_show or cancelled, a checked-in
 * one as cancelled. */
int fc_appointment_step_ok(const char *from, const char *to) {
  static const char *const steps[][2] = {
      {"booked", "checked_in"},      {"booked", "no_show"},  {"booked", "cancelled"},
      {"checked_in", "in_progress"}, {"checked_in", "cancelled"},
      {"in_progress", "ready"},      {"ready", "collected"},
  };
  if (!from || !to) return 0;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    if (strcmp(steps[i][0], from) == 0 && strcmp(steps[i][1], to) == 0) return 1;
  return 0;
}

static int known_status(const char *s) {
  static const char *const all[] = {"booked", "checked_in", "in_progress", "ready", "collected", "no_show", "cancelled", NULL};
  for (int i = 0; all[i]; i++)
    if (strcmp(all[i], s) == 0) return 1;
  return 0;
}

#define APPT_COLS                                                                                                \
  "a.id, a.dealer_id, a.reference, a.customer_id, c.name, a.vehicle_id, v.plate, a.resource_id, a.services_json, " \
  "a.start_at, a.end_at, a.status, a.channel, a.notes, a.mileage_km, a.sequence, a.created_at, c.phone, c.email"
#define APPT_FROM                                                                                   \
  " FROM appointments a JOIN customers c ON c.dealer_id = a.dealer_id AND c.id = a.customer_id LEFT JOIN vehicles v ON v.id = a.vehicle_id "

static json_t *appt_row(fc_ctx *c, fc_stmt *st, const char *tz) {
  json_t *slot = fc_bk_slot_doc(tz, fc_col_int(st, 9), fc_col_int(st, 10));
  json_t *services = json_loads(fc_col_text(st, 8) ? fc_col_text(st, 8) : "[]", 0, NULL);
  json_t *o = json_pack("{sssssssssOsOsssssI}", "id", fc_col_text(st, 0), "dealer_id", fc_col_text(st, 1), "reference",
                        fc_col_text(st, 2), "customer_id", fc_col_text(st, 3), "start", json_object_get(slot, "start"),
                        "end", json_object_get(slot, "end"), "status", fc_col_text(st, 11), "channel",
                        fc_col_text(st, 12), "sequence", (json_int_t)fc_col_int(st, 15));
  json_decref(slot);
  if (!o) {
    json_decref(services);
    return NULL;
  }
  json_object_set_new(o, "services", services ? services : json_array());
  json_object_set_new(o, "customer_name", fc_json_str_or_null(fc_col_text(st, 4)));
  json_object_set_new(o, "customer_phone", fc_json_str_or_null(fc_col_text(st, 17)));
  json_object_set_new(o, "customer_email", fc_json_str_or_null(fc_col_text(st, 18)));
  json_object_set_new(o, "vehicle_id", fc_json_str_or_null(fc_col_text(st, 5)));
  json_object_set_new(o, "plate", fc_json_str_or_null(fc_col_text(st, 6)));
  json_object_set_new(o, "resource_id", fc_json_str_or_null(fc_col_text(st, 7)));
  json_object_set_new(o, "notes", fc_json_str_or_null(fc_col_text(st, 13)));
  json_object_set_new(o, "mileage_km", fc_col_null(st, 14) ? json_null() : json_integer(fc_col_int(st, 14)));
  return o;
}

/* The dealer a staff call acts for, with the policy applied. */
static fc_err staff_dealer(fc_ctx *c, const char *dealer_id, fc_bk_dealer_info *d) {
  const char *id = NULL;
  fc_err err = fc_customers_dealer(c, dealer_id, &id);
  if (err) return err;
  return fc_bk_dealer_by_id(c, id, d);
}

fc_err fc_appointments_day(fc_ctx *c, const char *dealer_id, const char *date, json_t **out) {
  *out = NULL;
  fc_bk_dealer_info d;
  fc_workshop w;
  fc_err err = staff_dealer(c, dealer_id, &d);
  if (err) return err;
  int y, m, dd, n = 0;
  if (date) {
    if (sscanf(date, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 || date[10] || !fc_tz_date_valid(y, m, dd))
      return fc_fail(&c->err, FC_EBADREQ, "date must be like 2027-04-06");
  } else {
    fc_local_time lt;
    fc_tz_utc_to_local(d.timezone, fc_time_now_ms(), &lt);
    y = lt.y, m = lt.m, dd = lt.d;
  }
  int64_t from, to;
  int wday;
  int ny, nm, nd;
  fc_tz_day_date(fc_tz_day_number(y, m, dd) + 1, &ny, &nm, &nd, &wday);
  if (fc_tz_local_to_utc(d.timezone, y, m, dd, 0, &from) || fc_tz_local_to_utc(d.timezone, ny, nm, nd, 0, &to))
    return FC_EINTERNAL;
  if ((err = fc_workshop_load(c, d.id, d.timezone, &w))) return err;
  fc_stmt *st = NULL;
  err = fc_db_query(c->db, &st,
                    "SELECT " APPT_COLS APPT_FROM "WHERE a.dealer_id = ? AND a.start_at < ? AND a.end_at > ? "
                    "AND a.status <> 'cancelled' ORDER BY a.start_at, a.id",
                    "sii", d.id, to, from);
  json_t *resources = json_array(), *unassigned = json_array();
  for (int i = 0; i < w.av.nresources; i++)
    json_array_append_new(resources, json_pack("{sssss[]}", "id", w.resources[i].id, "name", w.resource_names[i],
                                               "appointments"));
  if (!err) {
    while (fc_stmt_step(st) == 1) {
      json_t *a = appt_row(c, st, d.timezone);
      int r = fc_workshop_resource(&w, fc_col_text(st, 7));
      json_array_append_new(r >= 0 ? json_object_get(json_array_get(resources, (size_t)r), "appointments") : unassigned, a);
    }
    fc_stmt_done(st);
    char day[11];
    snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, dd);
    *out = json_pack("{sssssoso}", "date", day, "timezone", d.timezone, "resources", resources, "unassigned", unassigned);
  } else {
    json_decref(resources);
    json_decref(unassigned);
  }
  fc_workshop_release(&w);
  return err;
}

/* One appointment the caller may see; *dealer_id from the arena. */
static fc_err staff_appt(fc_ctx *c, const char *id, int write, fc_bk_dealer_info *d, json_t **doc, char **status) {
  *doc = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT dealer_id, status FROM appointments WHERE id = ?", "s", id);
  if (err) return err;
  char *dealer = NULL;
  if (fc_stmt_step(st) == 1) {
    dealer = fc_arena_strdup(c->arena, fc_col_text(st, 0));
    *status = fc_arena_strdup(c->arena, fc_col_text(st, 1));
  }
  fc_stmt_done(st);
  if (!dealer) return fc_fail(&c->err, FC_ENOTFOUND, "no such appointment");
  fc_tenant t;
  if ((err = fc_dealer_tenant(c, dealer, &t))) return err;
  if ((err = fc_policy_check(c->who, write ? FC_ACT_WRITE : FC_ACT_READ, FC_RES_DEALER_DATA, &t)))
    return fc_fail(&c->err, err, err == FC_ENOTFOUND ? "no such appointment" : "you may not see this appointment");
  if ((err = fc_bk_dealer_by_id(c, dealer, d))) return err;
  if ((err = fc_db_query(c->db, &st, "SELECT " APPT_COLS APPT_FROM "WHERE a.id = ?", "s", id))) return err;
  if (fc_stmt_step(st) == 1) *doc = appt_row(c, st, d->timezone);
  fc_stmt_done(st);
  return *doc ? FC_OK : FC_EDB;
}

/* The tire set the customer has in storage (not yet returned), or null. */
static json_t *stored_tires(fc_ctx *c, const char *customer_id) {
  fc_stmt *st = NULL;
  if (fc_db_query(c->db, &st,
                  "SELECT id, size, brand, season, tread_mm_json, location, stored_at, vehicle_id FROM tire_sets "
                  "WHERE customer_id = ? AND returned_at IS NULL ORDER BY stored_at DESC LIMIT 1",
                  "s", customer_id))
    return json_null();
  json_t *o = json_null();
  if (fc_stmt_step(st) == 1) {
    char at[40];
    fc_time_format(fc_col_int(st, 6), at, sizeof at);
    json_t *tread = fc_col_text(st, 4) ? json_loads(fc_col_text(st, 4), 0, NULL) : NULL;
    o = json_pack("{ss}", "id", fc_col_text(st, 0));
    json_object_set_new(o, "size", fc_json_str_or_null(fc_col_text(st, 1)));
    json_object_set_new(o, "brand", fc_json_str_or_null(fc_col_text(st, 2)));
    json_object_set_new(o, "season", fc_json_str_or_null(fc_col_text(st, 3)));
    json_object_set_new(o, "tread_mm", tread ? tread : json_null());
    json_object_set_new(o, "location", fc_json_str_or_null(fc_col_text(st, 5)));
    json_object_set_new(o, "stored_at", json_string(at));
    json_object_set_new(o, "vehicle_id", fc_json_str_or_null(fc_col_text(st, 7)));
  }
  fc_stmt_done(st);
  return o;
}

fc_err fc_appointments_get(fc_ctx *c, const char *id, json_t **out) {
  fc_bk_dealer_info d;
  char *status = NULL;
  fc_err err = staff_appt(c, id, 0, &d, out, &status);
  if (err) return err;
  /* The next seasonal booking shows the set in storage. */
  json_object_set_new(*out, "stored_tires",
                      stored_tires(c, json_string_value(json_object_get(*out, "customer_id"))));
  return FC_OK;
}

fc_err fc_appointments_create(fc_ctx *c, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"dealer_id", "channel", "services", "start", "customer_id", "customer",
                                     "vehicle",   "notes",   "language", NULL};
  static const char *const ckeys[] = {"name", "email", "phone", NULL};
  static const char *const vkeys[] = {"plate", "vin", "mileage_km", NULL};
  const char *dealer_id = NULL, *channel = NULL, *start = NULL;
  fc_bk_booking b;
  memset(&b, 0, sizeof b);
  fc_err err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str(doc, "dealer_id", 64, &dealer_id, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str_req(doc, "channel", 16, &channel, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "start", 40, &start, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "customer_id", 64, &b.customer_id, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "notes", 1000, &b.notes, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "language", 8, &b.language, &c->err)) == FC_EBADREQ) return err;
  json_t *cust = json_object_get(doc, "customer"), *veh = json_object_get(doc, "vehicle");
  if (cust && !json_is_null(cust)) {
    if (!json_is_object(cust)) return fc_fail(&c->err, FC_EBADREQ, "customer must be an object");
    if ((err = fc_json_only(cust, ckeys, &c->err))) return err;
    if ((err = fc_json_str(cust, "name", 200, &b.name, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_str(cust, "email", 254, &b.email, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_str(cust, "phone", 64, &b.phone, &c->err)) == FC_EBADREQ) return err;
  }
  if (veh && !json_is_null(veh)) {
    if (!json_is_object(veh)) return fc_fail(&c->err, FC_EBADREQ, "vehicle must be an object");
    if ((err = fc_json_only(veh, vkeys, &c->err))) return err;
    if ((err = fc_json_str(veh, "plate", 20, &b.plate, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_str(veh, "vin", 40, &b.vin, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_int(veh, "mileage_km", &b.mileage, &b.has_mileage, &c->err))) return err;
  }
  b.services = json_object_get(doc, "services");
  if (b.services && !json_is_array(b.services)) return fc_fail(&c->err, FC_EBADREQ, "services must be a list of codes");
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  int walk_in = channel && strcmp(channel, "walk_in") == 0;
  if (channel && !walk_in && strcmp(channel, "phone") != 0) fc_fail_field(&c->err, "channel", "must be phone or walk_in");
  b.start = fc_time_now_ms();
  if (!walk_in && !start) fc_fail_field(&c->err, "start", "is required for a phone booking");
  if (start && fc_time_parse(start, &b.start) != 0) fc_fail_field(&c->err, "start", "must be an RFC 3339 time with offset");
  else if (start && !fc_bk_start_plausible(b.start)) fc_fail_field(&c->err, "start", "is outside the times anyone can book");
  if (!b.customer_id && !(b.name && *b.name)) fc_fail_field(&c->err, "customer", "give customer_id or a customer with a name");
  if (c->err.code) return c->err.code;

  fc_bk_dealer_info d;
  fc_workshop w;
  if ((err = staff_dealer(c, dealer_id, &d))) return err;
  if (b.customer_id) { /* an existing customer of this very dealer */
    const char *cd = NULL;
    err = fc_customer_access(c, b.customer_id, 1, &cd);
    if (err || strcmp(cd, d.id) != 0) {
      fc_error_clear(&c->err);
      return fc_fail_field(&c->err, "customer_id", "names no customer of this dealer");
    }
  }
  if ((err = fc_workshop_load(c, d.id, d.timezone, &w))) return err;
  b.c = c;
  b.dealer = &d;
  b.w = &w;
  b.channel = channel;
  b.event_channel = channel;
  b.req.now_ms = fc_time_now_ms();
  b.req.online = 0; /* phone and walk-in may use the reserved share */
  b.req.staff = 1;
  if (walk_in) b.start = b.req.now_ms - b.req.now_ms % 60000 + 60000; /* from the next whole minute */
  json_t *alt = NULL;
  if (!(err = fc_workshop_visit(c, &w, b.services, &b.req.duration_min, &b.req.skills))) err = fc_bk_book(c, &b, &alt);
  if (err == FC_ECONFLICT && alt) {
    c->err.extra = json_object();
    json_object_set_new(c->err.extra, "alternatives", alt);
    alt = NULL;
  }
  json_decref(alt);
  fc_workshop_release(&w);
  if (err) return err;
  return fc_appointments_get(c, b.id, out);
}

typedef struct patch_job {
  fc_ctx *c;
  fc_bk_dealer_info *d;
  json_t *cur;
  const char *id, *status, *notes;
  long long mileage;
  int has_mileage;
  json_t *tires;
} patch_job;

static fc_err store_tires(fc_ctx *c, patch_job *j) {
  static const char *const keys[] = {"size", "brand", "season", "tread_mm", "location", NULL};
  const char *size = NULL, *brand = NULL, *season = NULL, *location = NULL;
  fc_err err;
  if ((err = fc_json_only(j->tires, keys, &c->err))) return err;
  if ((err = fc_json_str(j->tires, "size", 40, &size, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(j->tires, "brand", 60, &brand, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(j->tires, "season", 16, &season, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(j->tires, "location", 60, &location, &c->err)) == FC_EBADREQ) return err;
  if (season && strcmp(season, "summer") && strcmp(season, "winter") && strcmp(season, "all_season"))
    fc_fail_field(&c->err, "tire_set.season", "must be summer, winter or all_season");
  json_t *tread = json_object_get(j->tires, "tread_mm");
  if (tread && !json_is_null(tread)) {
    static const char *const wheels[] = {"fl", "fr", "rl", "rr", NULL};
    if (!json_is_object(tread) || fc_json_only(tread, wheels, &c->err))
      return fc_fail(&c->err, FC_EBADREQ, "tire_set.tread_mm is {\"fl\":6.5,\"fr\":6.4,\"rl\":6.0,\"rr\":6.1}");
    const char *k;
    json_t *v;
    json_object_foreach(tread, k, v) {
      if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 20)
        fc_fail_field(&c->err, "tire_set.tread_mm", "depths are 0 to 20 mm");
    }
  }
  if (!size && !location) fc_fail_field(&c->err, "tire_set.size", "give at least the size or the rack location");
  if (c->err.code) return c->err.code;
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  char *t = tread && !json_is_null(tread) ? json_dumps(tread, JSON_COMPACT) : NULL;
  const char *customer = json_string_value(json_object_get(j->cur, "customer_id"));
  /* The set taken in replaces the one in storage, which goes back on the car. */
  err = fc_db_exec(c->db, "UPDATE tire_sets SET returned_at = ? WHERE customer_id = ? AND returned_at IS NULL", "is",
                   fc_time_now_ms(), customer);
  if (!err)
    err = fc_db_exec(c->db,
                     "INSERT INTO tire_sets (dealer_id, id, customer_id, vehicle_id, appointment_id, size, brand, season, "
                     "tread_mm_json, location, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     "ssssssssssi", j->d->id, id, customer, json_string_value(json_object_get(j->cur, "vehicle_id")),
                     j->id, size, brand, season, t, location, fc_time_now_ms());
  free(t);
  return err;
}

static fc_err patch_tx(fc_db *db, void *arg) {
  patch_job *j = arg;
  fc_ctx *c = j->c;
  const char *old = json_string_value(json_object_get(j->cur, "status"));
  const char *customer = json_string_value(json_object_get(j->cur, "customer_id"));
  const char *vehicle = json_string_value(json_object_get(j->cur, "vehicle_id"));
  int64_t m64 = j->mileage;
  fc_err err = fc_db_exec(db,
                          "UPDATE appointments SET status = COALESCE(?, status), notes = COALESCE(?, notes), "
                          "mileage_km = COALESCE(?, mileage_km), sequence = sequence + ?, updated_at = ? "
                          "WHERE dealer_id = ? AND id = ? AND status = ?",
                          "ssIiisss", j->status, j->notes, j->has_mileage ? &m64 : NULL,
                          (int64_t)(j->status && strcmp(j->status, "cancelled") == 0), fc_time_now_ms(), j->d->id, j->id,
                          old);
  /* The status read before is the one changed: of two people clicking at
   * once, the second finds it moved on. If it moved on to what this request
   * asks, the click was the same and changes nothing more. */
  if (!err && fc_db_changes(db) != 1) {
    fc_stmt *st = NULL;
    if ((err = fc_db_query(db, &st, "SELECT status FROM appointments WHERE dealer_id = ? AND id = ?", "ss", j->d->id, j->id)))
      return err;
    int same = fc_stmt_step(st) == 1 && j->status && strcmp(fc_col_text(st, 0), j->status) == 0;
    fc_stmt_done(st);
    return same ? FC_OK : fc_fail(&c->err, FC_ECONFLICT, "the appointment changed meanwhile; look again");
  }
  /* Mileage entered at check-in becomes a reading of the vehicle. */
  if (!err && j->has_mileage && vehicle) err = fc_vehicles_mileage(c, j->d->id, vehicle, "workshop", j->mileage);
  if (!err && j->tires) err = store_tires(c, j);
  if (!err && j->status) {
    json_t *p = json_pack("{ssssss}", "appointment_id", j->id, "from", old, "to", j->status);
    if (j->has_mileage) json_object_set_new(p, "mileage_km", json_integer(j->mileage));
    err = fc_timeline_add(c, j->d->id, customer, fc_arena_printf(c->arena, "appointment.%s", j->status), "workshop", 0, p,
                          NULL);
    json_decref(p);
  }
  if (!err && j->status && strcmp(j->status, "cancelled") == 0) err = fc_bk_notify(c, j->d, j->id, "cancelled", NULL);
  /* Once the car is here (or will not come), no reminder goes out. */
  if (!err && j->status && strcmp(j->status, "cancelled") != 0) {
    char prefix[64];
    snprintf(prefix, sizeof prefix, "appointment:%s:reminder:", j->id);
    err = fc_outbox_cancel(c, j->d->id, prefix);
  }
  if (!err) {
    json_t *after = json_pack("{ss?ss?}", "status", j->status, "notes", j->notes);
    if (j->has_mileage) json_object_set_new(after, "mileage_km", json_integer(j->mileage));
    if (j->tires) json_object_set(after, "tire_set", j->tires);
    json_t *before = json_pack("{ss}", "status", old);
    err = fc_audit_record(c, j->d->id, "appointment.update", "appointment", j->id, before, after);
    json_decref(before);
    json_decref(after);
  }
  return err;
}

fc_err fc_appointments_patch(fc_ctx *c, const char *id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"status", "start", "mileage_km", "tire_set", "notes", NULL};
  fc_bk_dealer_info d;
  char *status = NULL;
  const char *start = NULL;
  int64_t start_ms = 0;
  patch_job j = {.c = c, .d = &d, .id = id};
  fc_err err = staff_appt(c, id, 1, &d, &j.cur, &status);
  if (err) return err;
  /* Decide on the status of the document the UPDATE will compare with (a
   * second read could already be newer than the first). */
  status = fc_arena_strdup(c->arena, json_string_value(json_object_get(j.cur, "status")));
  if ((err = fc_json_only(doc, keys, &c->err)) ||
      ((err = fc_json_str(doc, "status", 16, &j.status, &c->err)) == FC_EBADREQ) ||
      ((err = fc_json_str(doc, "notes", 1000, &j.notes, &c->err)) == FC_EBADREQ) ||
      ((err = fc_json_str(doc, "start", 40, &start, &c->err)) == FC_EBADREQ) ||
      (err = fc_json_int(doc, "mileage_km", &j.mileage, &j.has_mileage, &c->err)))
    goto out;
  j.tires = json_object_get(doc, "tire_set");
  if (j.tires && json_is_null(j.tires)) j.tires = NULL;
  if (j.tires && !json_is_object(j.tires)) {
    err = fc_fail(&c->err, FC_EBADREQ, "tire_set must be an object");
    goto out;
  }
  if (j.status && !known_status(j.status)) fc_fail_field(&c->err, "status", "is not a known status");
  if (j.has_mileage && (j.mileage < 0 || j.mileage > 5000000)) fc_fail_field(&c->err, "mileage_km", "must be 0 to 5,000,000");
  if (start && (fc_time_parse(start, &start_ms) != 0 || !fc_bk_start_plausible(start_ms)))
    fc_fail_field(&c->err, "start", "must be an RFC 3339 time with offset, within the bookable range");
  if (start && (j.status || j.has_mileage || j.tires))
    err = fc_fail(&c->err, FC_EBADREQ, "move an appointment on its own, not together with a status, mileage or tires");
  if (err || (err = c->err.code)) goto out;
  if (start && (err = fc_bk_staff_move(c, &d, id, start_ms))) goto out; /* a move, then the notes if any */
  if (j.status && strcmp(j.status, status) == 0) j.status = NULL; /* a repeated step changes nothing */
  else if (j.status && !fc_appointment_step_ok(status, j.status)) {
    err = fc_fail(&c->err, FC_ECONFLICT, "an appointment that is %s cannot become %s", status, j.status);
    goto out;
  }
  const char *effective = j.status ? j.status : status;
  if ((j.has_mileage || j.tires) && strcmp(effective, "checked_in") != 0 && strcmp(effective, "in_progress") != 0) {
    err = fc_fail(&c->err, FC_ECONFLICT, "mileage and tires are recorded at check-in");
    goto out;
  }
  if (j.has_mileage && json_is_null(json_object_get(j.cur, "vehicle_id"))) {
    err = fc_fail_field(&c->err, "mileage_km", "this appointment has no vehicle");
    goto out;
  }
  if (j.status || j.notes || j.has_mileage || j.tires) err = fc_db_tx(c->db, patch_tx, &j);
  if (!err) err = fc_appointments_get(c, id, out);
out:
  json_decref(j.cur);
  return err;
}
