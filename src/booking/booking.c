/* Bookings: what customers do online (availability, hold, book, view, move,
 * cancel, calendar file) and the shared booking transaction that staff
 * bookings use too. See booking.h. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/audit.h"
#include "auth/auth.h"
#include "booking/booking.h"
#include "booking/internal.h"
#include "booking/ics.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "core/validate.h"
#include "customers/customers.h"
#include "org/currency.h"
#include "org/org.h"
#include "vehicles/vehicles.h"

enum { HOLD_TTL_MS = 5 * 60 * 1000, MAX_DAYS = 31, MAX_SLOTS = 4000, ALTERNATIVES = 6 };

/* --- the dealer and its workshop */

/* The dealer's columns id, slug, name, timezone, locale, country from column at on. */
static fc_err dealer_row_at(fc_ctx *c, fc_stmt *st, int at, fc_bk_dealer_info *d) {
  d->id = fc_arena_strdup(c->arena, fc_col_text(st, at));
  d->slug = fc_arena_strdup(c->arena, fc_col_text(st, at + 1));
  d->name = fc_arena_strdup(c->arena, fc_col_text(st, at + 2));
  d->timezone = fc_arena_strdup(c->arena, fc_col_text(st, at + 3));
  d->locale = fc_arena_strdup(c->arena, fc_col_text(st, at + 4));
  d->country = fc_arena_strdup(c->arena, fc_col_text(st, at + 5)); /* may be NULL */
  return d->id && d->slug && d->name && d->timezone && d->locale ? FC_OK : FC_ENOMEM;
}


fc_err fc_bk_dealer(fc_ctx *c, const char *slug, fc_bk_dealer_info *d) {
  memset(d, 0, sizeof *d);
  if (!fc_valid_slug(slug)) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT id, slug, name, timezone, locale, country FROM dealers WHERE slug = ?", "s", slug);
  if (err) return err;
  int rc = fc_stmt_step(st);
  if (rc == 1) err = dealer_row_at(c, st, 0, d);
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (rc == 0) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  return err;
}

fc_err fc_bk_dealer_by_id(fc_ctx *c, const char *dealer_id, fc_bk_dealer_info *d) {
  memset(d, 0, sizeof *d);
  json_t *dealer = NULL;
  fc_err err = fc_dealer_load(c, dealer_id, &dealer);
  if (err) return err;
  const char *slug = fc_arena_strdup(c->arena, json_string_value(json_object_get(dealer, "slug")));
  json_decref(dealer);
  return fc_bk_dealer(c, slug, d);
}

/* Appointments and live holds that overlap [from, to), as busy entries. */
fc_err fc_bk_busy(fc_ctx *c, const fc_workshop *w, const char *dealer_id, int64_t from, int64_t to,
                  const char *skip_appointment, const char *skip_hold, fc_av_busy **out, int *n) {
  *out = NULL;
  *n = 0;
  int cap = 64;
  fc_av_busy *b = fc_arena_alloc(c->arena, sizeof *b * (size_t)cap);
  if (!b) return FC_ENOMEM;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           /* start_at > from - 1 day bounds the index range: a visit lasts at most a day. */
                           "SELECT start_at, end_at, resource_id FROM appointments WHERE dealer_id = ? AND start_at < ? "
                           "AND start_at > ? AND end_at > ? AND status <> 'cancelled' AND id <> ? "
                           "UNION ALL SELECT start_at, end_at, resource_id FROM holds WHERE dealer_id = ? AND start_at < ? "
                           "AND start_at > ? AND end_at > ? AND expires_at > ? AND token_hash <> ?",
                           "siiissiiiis", dealer_id, to, from - 86400000, from,
                           skip_appointment ? skip_appointment : "", dealer_id, to, from - 86400000, from,
                           fc_time_now_ms(), skip_hold ? skip_hold : "");
  if (err) return err;
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) {
    if (*n == cap) {
      fc_av_busy *nb = fc_arena_alloc(c->arena, sizeof *nb * (size_t)cap * 2);
      if (!nb) {
        fc_stmt_done(st);
        return FC_ENOMEM;
      }
      memcpy(nb, b, sizeof *b * (size_t)cap);
      b = nb;
      cap *= 2;
    }
    b[*n].start_ms = fc_col_int(st, 0);
    b[*n].end_ms = fc_col_int(st, 1);
    b[*n].resource = fc_workshop_resource(w, fc_col_text(st, 2));
    (*n)++;
  }
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  *out = b;
  return FC_OK;
}

int fc_bk_start_plausible(int64_t start_ms) {
  int64_t now = fc_time_now_ms();
  return start_ms > now - 366LL * 86400000 && start_ms < now + 2LL * 366 * 86400000;
}

json_t *fc_bk_slot_doc(const char *tz, int64_t start, int64_t end) {
  char s[40], e[40];
  if (fc_tz_format(tz, start, s, sizeof s) != 0 || fc_tz_format(tz, end, e, sizeof e) != 0) return NULL;
  return json_pack("{ssss}", "start", s, "end", e);
}

/* The free slots for busy (at most max): the pure function, with room for
 * every start a day can have (25 hours on the autumn change, each interval's
 * own first start) and not more: the arena zeroes what it gives. */
static fc_err slots_for(fc_ctx *c, const fc_workshop *w, const fc_av_busy *busy, int nbusy, const fc_av_request *req,
                        int max, fc_av_slot **slots, int *n) {
  *slots = NULL;
  *n = 0;
  int step = w->av.slot_step_min > 0 ? w->av.slot_step_min : 1;
  int64_t most = (int64_t)req->days * (1500 / step + FC_AV_MAX_INTERVALS + 1);
  if (most < max) max = (int)most;
  fc_av_slot *out = fc_arena_alloc(c->arena, sizeof *out * (size_t)(max > 0 ? max : 1));
  if (!out) return FC_ENOMEM;
  *n = fc_av_compute(&w->av, busy, nbusy, req, out, max);
  if (*n < 0) return fc_fail(&c->err, FC_EINTERNAL, "availability could not be computed");
  *slots = out;
  return FC_OK;
}

/* Free slots from the local day of `from` on, for `days` days (at most max), as
 * {start, end} documents. */
static fc_err compute(fc_ctx *c, const fc_workshop *w, const char *dealer_id, const fc_av_request *req, int max,
                      json_t **slots) {
  *slots = NULL;
  int64_t from_ms = 0;
  if (fc_tz_local_to_utc(w->av.timezone, req->from_y, req->from_m, req->from_d, 0, &from_ms) != 0) return FC_EINTERNAL;
  int64_t to_ms = from_ms + (int64_t)(req->days + 1) * 86400000;
  fc_av_busy *busy = NULL;
  fc_av_slot *out = NULL;
  int nbusy = 0, n = 0;
  fc_err err = fc_bk_busy(c, w, dealer_id, from_ms - 86400000, to_ms, NULL, NULL, &busy, &nbusy);
  if (!err) err = slots_for(c, w, busy, nbusy, req, max, &out, &n);
  if (err) return err;
  json_t *a = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(a, fc_bk_slot_doc(w->av.timezone, out[i].start_ms, out[i].end_ms));
  *slots = a;
  return FC_OK;
}

fc_err fc_bk_alternatives(fc_ctx *c, const fc_workshop *w, const char *dealer_id, const fc_av_request *base,
                          int64_t around_ms, json_t **out) {
  fc_av_request req = *base;
  fc_local_time lt;
  if (fc_tz_utc_to_local(w->av.timezone, around_ms > base->now_ms ? around_ms : base->now_ms, &lt) != 0)
    return FC_EINTERNAL;
  req.from_y = lt.y, req.from_m = lt.m, req.from_d = lt.d;
  req.days = 7;
  return compute(c, w, dealer_id, &req, ALTERNATIVES, out);
}

/* --- reading requests */

static fc_err parse_services_csv(fc_ctx *c, const char *csv, json_t **out) {
  *out = NULL;
  if (!csv || !*csv) return fc_fail_field(&c->err, "services", "choose at least one service");
  if (strlen(csv) > 300) return fc_fail(&c->err, FC_EBADREQ, "services is too long");
  json_t *a = json_array();
  const char *p = csv;
  while (*p) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    if (n) json_array_append_new(a, json_stringn(p, n));
    p += n + (comma ? 1 : 0);
  }
  *out = a;
  return FC_OK;
}

static fc_err parse_date(const char *s, int *y, int *m, int *d) {
  int n = 0;
  if (!s || sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) != 3 || n != 10 || s[10] || !fc_tz_date_valid(*y, *m, *d))
    return FC_EINVAL;
  return FC_OK;
}

/* The dealer, its workshop and the busy times around [lo, hi) in one
 * statement (lo = hi = 0: none, the profile): the public availability is the
 * most asked question, and each statement costs SQLite a pair of file-lock
 * calls (PostgreSQL a round trip).
 * The busy rows carry resource ids, mapped to indexes once the workshop is
 * known. The conditions are fc_bk_busy's. */
static fc_err public_read(fc_ctx *c, const char *slug, int64_t lo, int64_t hi, int64_t now, fc_bk_dealer_info *d,
                                fc_workshop *w, fc_av_busy **busy, int *nbusy) {
  memset(d, 0, sizeof *d);
  *busy = NULL;
  *nbusy = 0;
  if (!fc_valid_slug(slug)) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(
      c->db, &st,
      "SELECT 0, d.id, d.slug, d.name, d.timezone, d.locale, d.country, w.version, NULL, w.config_json "
      "FROM dealers d LEFT JOIN workshops w ON w.dealer_id = d.id WHERE d.slug = ? "
      "UNION ALL SELECT 1, a.resource_id, NULL, NULL, NULL, NULL, NULL, a.start_at, a.end_at, NULL "
      "FROM dealers d JOIN appointments a ON a.dealer_id = d.id WHERE d.slug = ? AND a.start_at < ? "
      "AND a.start_at > ? AND a.end_at > ? AND a.status <> 'cancelled' "
      "UNION ALL SELECT 2, h.resource_id, NULL, NULL, NULL, NULL, NULL, h.start_at, h.end_at, NULL "
      "FROM dealers d JOIN holds h ON h.dealer_id = d.id WHERE d.slug = ? AND h.start_at < ? "
      "AND h.start_at > ? AND h.end_at > ? AND h.expires_at > ?",
      "ssiiisiiii", slug, slug, hi, lo - 86400000, lo, slug, hi, lo - 86400000, lo, now);
  if (err) return err;
  int cap = 64, found = 0, rc;
  fc_av_busy *b = fc_arena_alloc(c->arena, sizeof *b * (size_t)cap);
  const char **ids = fc_arena_alloc(c->arena, sizeof *ids * (size_t)cap);
  while (!err && (rc = fc_stmt_step(st)) == 1) {
    if (fc_col_int(st, 0) == 0) {
      found = 1;
      if (!(err = dealer_row_at(c, st, 1, d)))
        err = fc_col_null(st, 7) ? fc_fail(&c->err, FC_ENOTFOUND, "this dealer takes no bookings yet")
                                 : fc_workshop_from_row(c, d->id, fc_col_int(st, 7), fc_col_text(st, 9), d->timezone, w);
      continue;
    }
    if (*nbusy == cap) {
      fc_av_busy *nb = fc_arena_alloc(c->arena, sizeof *nb * (size_t)cap * 2);
      const char **ni = fc_arena_alloc(c->arena, sizeof *ni * (size_t)cap * 2);
      if (nb && b) memcpy(nb, b, sizeof *b * (size_t)cap);
      if (ni && ids) memcpy(ni, ids, sizeof *ids * (size_t)cap);
      b = nb, ids = ni, cap *= 2;
    }
    if (!b || !ids) {
      err = FC_ENOMEM;
      break;
    }
    b[*nbusy].start_ms = fc_col_int(st, 7);
    b[*nbusy].end_ms = fc_col_int(st, 8);
    ids[*nbusy] = fc_arena_strdup(c->arena, fc_col_text(st, 1)); /* NULL: no resource */
    (*nbusy)++;
  }
  fc_stmt_done(st);
  if (err) return err;
  if (rc < 0) return FC_EDB;
  if (!found) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  for (int i = 0; i < *nbusy; i++) b[i].resource = fc_workshop_resource(w, ids[i]);
  *busy = b;
  return FC_OK;
}

fc_err fc_booking_profile(fc_ctx *c, const char *slug, json_t **out) {
  *out = NULL;
  fc_bk_dealer_info d;
  fc_workshop w;
  w.doc = NULL;
  fc_av_busy *busy = NULL;
  int nbusy = 0;
  fc_err err = public_read(c, slug, 0, 0, 0, &d, &w, &busy, &nbusy);
  if (err) {
    fc_workshop_release(&w);
    return err;
  }
  json_t *services = json_array();
  for (int i = 0; i < w.nservices; i++)
    json_array_append_new(services, json_pack("{sssOsisf}", "code", w.services[i].code, "name", w.services[i].name,
                                              "duration_min", w.services[i].duration_min, "price", w.services[i].price));
  json_t *doc = w.doc;
  const char *currency = fc_currency_of(d.country);
  json_t *address = json_object_get(doc, "address"), *phone = json_object_get(doc, "phone"),
         *email = json_object_get(doc, "email");
  *out = json_pack("{ssssssssss?ss?sOsOsOsosOsOsO}", "slug", d.slug, "name", d.name, "timezone", d.timezone, "locale",
                   d.locale, "country", d.country, "currency", currency, "address", address ? address : json_null(),
                   "phone", phone ? phone : json_null(), "email", email ? email : json_null(), "services", services,
                   "slot_step_min", json_object_get(doc, "slot_step_min"), "lead_time_hours",
                   json_object_get(doc, "lead_time_hours"), "horizon_days", json_object_get(doc, "horizon_days"));
  fc_workshop_release(&w);
  return *out ? FC_OK : FC_ENOMEM;
}

/* The answer as text, written straight from the slots: a week is some 80
 * slots, and building them as JSON objects cost more than computing them.
 * Nothing here needs escaping: the zone is an IANA name (letters, digits,
 * "/_-+"), and the codes are the workshop's own ([a-z0-9_-], checked by
 * fc_workshop_visit before this is called). */
static fc_err availability_text(fc_ctx *c, const char *tz, json_t *codes, const fc_av_slot *slots, int n,
                                const char **out, size_t *len) {
  static const char a[] = ",{\"start\":\"", b[] = "\",\"end\":\"", z[] = "\"}";
  enum { SLOT_TEXT = sizeof a - 1 + 25 + sizeof b - 1 + 25 + sizeof z - 1 }; /* ,{"start":"<25>","end":"<25>"} */
  size_t head = 64 + strlen(tz), i;
  json_t *v;
  json_array_foreach(codes, i, v) head += json_string_length(v) + 3;
  size_t cap = head + (size_t)n * SLOT_TEXT;
  char *text = fc_arena_alloc(c->arena, cap);
  if (!text) return FC_ENOMEM;
  int w = snprintf(text, cap, "{\"timezone\":\"%s\",\"services\":[", tz);
  size_t o = w > 0 ? (size_t)w : cap;
  json_array_foreach(codes, i, v) {
    w = o < cap ? snprintf(text + o, cap - o, "%s\"%s\"", i ? "," : "", json_string_value(v)) : -1;
    o = w > 0 ? o + (size_t)w : cap;
  }
  if (o + 11 + (size_t)n * SLOT_TEXT + 3 > cap) return FC_EINTERNAL; /* head was sized for these */
  memcpy(text + o, "],\"slots\":[", 11), o += 11;
  fc_tz_memo memo = {0};
  for (int k = 0; k < n; k++) {
    char s[32], e[32];
    if (fc_tz_format_memo(tz, slots[k].start_ms, &memo, s, sizeof s) ||
        fc_tz_format_memo(tz, slots[k].end_ms, &memo, e, sizeof e))
      return FC_EINTERNAL;
    /* memcpy, not printf: this loop is most of the request's own work. */
    memcpy(text + o, a + !k, sizeof a - 1 - !k), o += sizeof a - 1 - !k;
    memcpy(text + o, s, 25), o += 25;
    memcpy(text + o, b, sizeof b - 1), o += sizeof b - 1;
    memcpy(text + o, e, 25), o += 25;
    memcpy(text + o, z, sizeof z - 1), o += sizeof z - 1;
  }
  memcpy(text + o, "]}", 3), o += 2;
  *out = text;
  *len = o;
  return FC_OK;
}

fc_err fc_booking_availability(fc_ctx *c, const char *slug, const char *services, const char *from, const char *days,
                               const char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  fc_bk_dealer_info d;
  fc_workshop w;
  w.doc = NULL;
  json_t *codes = NULL;
  fc_av_request req = {.now_ms = fc_time_now_ms(), .online = 1, .days = 7};
  fc_err err = FC_OK;
  if (days) {
    char *end = NULL;
    long n = strtol(days, &end, 10);
    if (!*days || *end || n < 1 || n > MAX_DAYS) return fc_fail(&c->err, FC_EBADREQ, "days must be a whole number from 1 to 31");
    req.days = (int)n;
  }
  if (from && parse_date(from, &req.from_y, &req.from_m, &req.from_d))
    return fc_fail(&c->err, FC_EBADREQ, "from must be a date like 2027-04-06");
  /* The busy times of the days asked for, in UTC days wide enough for any
   * zone (offsets are within a day): the pure function takes what it needs. */
  int64_t first = from ? fc_tz_day_number(req.from_y, req.from_m, req.from_d) : req.now_ms / 86400000;
  int64_t lo = (first - 2) * 86400000, hi = (first + req.days + 2) * 86400000;
  fc_av_busy *busy = NULL;
  int nbusy = 0;
  if ((err = public_read(c, slug, lo, hi, req.now_ms, &d, &w, &busy, &nbusy))) {
    fc_workshop_release(&w);
    return err;
  }
  err = parse_services_csv(c, services, &codes);
  if (!err && !from) {
    fc_local_time lt;
    fc_tz_utc_to_local(d.timezone, req.now_ms, &lt);
    req.from_y = lt.y, req.from_m = lt.m, req.from_d = lt.d;
  }
  fc_av_slot *slots = NULL;
  int n = 0;
  if (!err) err = fc_workshop_visit(c, &w, codes, &req.duration_min, &req.skills);
  if (!err) err = slots_for(c, &w, busy, nbusy, &req, MAX_SLOTS, &slots, &n);
  if (!err) err = availability_text(c, d.timezone, codes, slots, n, out, len);
  json_decref(codes);
  fc_workshop_release(&w);
  return err;
}

/* --- the booking transaction, shared by customers and staff */

static const char ref_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void new_reference(char out[12]) {
  unsigned char r[5];
  randombytes_buf(r, sizeof r);
  memcpy(out, "FC-", 3);
  for (int i = 0; i < 5; i++) out[3 + i] = ref_alphabet[r[i] % 32];
  out[8] = 0;
}

fc_err fc_bk_tx(fc_db *db, void *arg) {
  fc_bk_booking *b = arg;
  fc_ctx *c = b->c;
  /* On PostgreSQL this takes the dealer's workshop row lock: bookings of one
   * dealer run one after the other. On SQLite the write transaction already does. */
  fc_err err = fc_db_exec(db, "UPDATE workshops SET version = version WHERE dealer_id = ?", "s", b->dealer->id);
  if (err) return err;
  fc_av_busy *busy = NULL;
  int nbusy = 0;
  int64_t end = b->start + (int64_t)b->req.duration_min * 60000;
  if ((err = fc_bk_busy(c, b->w, b->dealer->id, b->start - 86400000, end + 86400000, b->skip_appointment,
                        b->hold_hash, &busy, &nbusy)))
    return err;
  int resource = -1;
  int fits = fc_av_fits(&b->w->av, busy, nbusy, &b->req, b->start, &resource);
  if (fits < 0) return fc_fail(&c->err, FC_EINTERNAL, "availability could not be checked");
  if (!fits) {
    fc_fail(&c->err, FC_ECONFLICT, "this time is no longer free; here are other times");
    return FC_ECONFLICT;
  }
  b->end = end;
  b->resource_id = b->w->resources[resource].id;
  b->resource_name = b->w->resource_names[resource];
  if (b->move_only) return FC_OK; /* the caller updates the appointment */

  int created = 0;
  if (!b->customer_id &&
      (err = fc_customers_find_or_create(c, b->dealer->id, b->name, b->email, b->phone, b->language, b->channel,
                                         &b->customer_id, &created)))
    return err;
  if ((b->vin && *b->vin) || (b->plate && *b->plate)) {
    if ((err = fc_vehicles_attach(c, b->dealer->id, b->customer_id, b->vin, b->plate, &b->vehicle_id))) {
      if (c->err.fields && json_object_get(c->err.fields, "vin")) {
        fc_error_clear(&c->err);
        return fc_fail_field(&c->err, "vehicle.vin", "is not a valid VIN");
      }
      return err;
    }
  }
  fc_id_new(b->id);
  char *services = json_dumps(b->services, JSON_COMPACT);
  int64_t now = fc_time_now_ms();
  /* Every booking gets a manage link: the online customer sees it in the
   * answer, the phone customer finds it in the confirmation e-mail. */
  fc_token_new("fcb_", b->token);
  fc_auth_keyed_hash(c->app, "manage", b->token, b->token_hash);
  int64_t mileage = b->mileage;
  /* A reference is unique: on a clash, draw again. ON CONFLICT keeps the
   * transaction alive on PostgreSQL (a failed INSERT would abort it). */
  err = FC_ECONFLICT;
  for (int attempt = 0; attempt < 8 && err == FC_ECONFLICT; attempt++) {
    new_reference(b->reference);
    err = fc_db_exec(db,
                     "INSERT INTO appointments (dealer_id, id, reference, manage_hash, customer_id, vehicle_id, "
                     "resource_id, services_json, start_at, end_at, status, channel, language, notes, mileage_km, "
                     "sequence, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,'booked',?,?,?,?,0,?,?) "
                     "ON CONFLICT (dealer_id, reference) DO NOTHING",
                     "ssssssssiisssIii", b->dealer->id, b->id, b->reference, b->token[0] ? b->token_hash : NULL,
                     b->customer_id, b->vehicle_id, b->resource_id, services ? services : "[]", b->start, b->end,
                     b->channel, b->language, b->notes, b->has_mileage ? &mileage : NULL, now, now);
    if (!err && fc_db_changes(db) != 1) err = FC_ECONFLICT;
  }
  if (err == FC_ECONFLICT) b->reference[0] = 0;
  free(services);
  if (err) return err;
  if (b->hold_hash)
    err = fc_db_exec(db, "DELETE FROM holds WHERE dealer_id = ? AND token_hash = ?", "ss", b->dealer->id, b->hold_hash);
  json_t *payload = fc_bk_event_payload(b);
  if (!err) err = fc_timeline_add(c, b->dealer->id, b->customer_id, "booking.created", b->event_channel, 0, payload, NULL);
  if (!err) err = fc_audit_record(c, b->dealer->id, "appointment.create", "appointment", b->id, NULL, payload);
  json_decref(payload);
  if (!err) err = fc_bk_notify(c, b->dealer, b->id, "confirm", b->token);
  return err;
}

json_t *fc_bk_event_payload(const fc_bk_booking *b) {
  json_t *p = json_pack("{sssssOsossssss?ss?}", "appointment_id", b->id, "reference", b->reference, "services",
                        b->services, "start", fc_bk_slot_doc(b->dealer->timezone, b->start, b->end), "channel",
                        b->channel, "resource_id", b->resource_id, "vehicle_id", b->vehicle_id, "notes", b->notes);
  return p;
}

fc_err fc_bk_book(fc_ctx *c, fc_bk_booking *b, json_t **alternatives) {
  *alternatives = NULL;
  fc_err err = fc_db_tx(c->db, fc_bk_tx, b);
  if (err == FC_ECONFLICT && !b->reference[0]) {
    /* Offer fresh times, read after the failed attempt. */
    json_t *alt = NULL;
    if (fc_bk_alternatives(c, b->w, b->dealer->id, &b->req, b->start, &alt) == FC_OK) *alternatives = alt;
  }
  return err;
}

/* Reads the booking request common to customers and staff. */
static fc_err read_visit(fc_ctx *c, json_t *doc, fc_bk_booking *b, int need_start) {
  const char *start = NULL;
  fc_err err;
  b->services = json_object_get(doc, "services");
  if (b->services && !json_is_array(b->services)) return fc_fail(&c->err, FC_EBADREQ, "services must be a list of codes");
  if ((err = fc_json_str(doc, "start", 40, &start, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "notes", 1000, &b->notes, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "language", 8, &b->language, &c->err)) == FC_EBADREQ) return err;
  json_t *cust = json_object_get(doc, "customer"), *veh = json_object_get(doc, "vehicle");
  static const char *const ckeys[] = {"name", "email", "phone", NULL};
  static const char *const vkeys[] = {"plate", "vin", "mileage_km", NULL};
  if (cust && !json_is_null(cust)) {
    if (!json_is_object(cust)) return fc_fail(&c->err, FC_EBADREQ, "customer must be an object");
    if ((err = fc_json_only(cust, ckeys, &c->err))) return err;
    if ((err = fc_json_str(cust, "name", 200, &b->name, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_str(cust, "email", 254, &b->email, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_str(cust, "phone", 64, &b->phone, &c->err)) == FC_EBADREQ) return err;
  }
  if (veh && !json_is_null(veh)) {
    if (!json_is_object(veh)) return fc_fail(&c->err, FC_EBADREQ, "vehicle must be an object");
    if ((err = fc_json_only(veh, vkeys, &c->err))) return err;
    if ((err = fc_json_str(veh, "plate", 20, &b->plate, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_str(veh, "vin", 40, &b->vin, &c->err)) == FC_EBADREQ) return err;
    if ((err = fc_json_int(veh, "mileage_km", &b->mileage, &b->has_mileage, &c->err))) return err;
    if (b->has_mileage && (b->mileage < 0 || b->mileage > 5000000)) fc_fail_field(&c->err, "vehicle.mileage_km", "must be 0 to 5,000,000");
  }
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  if (start && fc_time_parse(start, &b->start) != 0) fc_fail_field(&c->err, "start", "must be an RFC 3339 time with offset");
  else if (start && !fc_bk_start_plausible(b->start)) fc_fail_field(&c->err, "start", "is outside the times anyone can book");
  if (need_start && !start) fc_fail_field(&c->err, "start", "is required");
  if (b->language && !*b->language) b->language = NULL;
  return c->err.code;
}

fc_err fc_booking_create(fc_ctx *c, const char *slug, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"services", "start", "customer", "vehicle", "notes", "language", "hold_token", NULL};
  fc_bk_dealer_info d;
  fc_workshop w;
  fc_bk_booking b;
  memset(&b, 0, sizeof b);
  const char *hold = NULL;
  fc_err err = fc_bk_dealer(c, slug, &d);
  if (err) return err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str(doc, "hold_token", 64, &hold, &c->err)) == FC_EBADREQ) return err;
  if ((err = read_visit(c, doc, &b, 1)) == FC_EBADREQ) return err;
  if (!b.name || !*b.name) fc_fail_field(&c->err, "customer.name", "is required");
  if (!(b.email && *b.email) && !(b.phone && *b.phone)) fc_fail_field(&c->err, "customer.email", "give an e-mail or a phone number");
  if ((err = fc_workshop_load(c, d.id, d.timezone, &w))) return err;
  b.c = c;
  b.dealer = &d;
  b.w = &w;
  b.channel = "web";
  b.event_channel = "web";
  b.req.now_ms = fc_time_now_ms();
  b.req.online = 1;
  if (hold) {
    fc_auth_keyed_hash(c->app, "hold", hold, b.hold_hash_buf);
    b.hold_hash = b.hold_hash_buf;
  }
  fc_err verr = fc_workshop_visit(c, &w, b.services, &b.req.duration_min, &b.req.skills);
  if (verr == FC_EINVAL || c->err.code) {
    fc_workshop_release(&w);
    return c->err.code ? c->err.code : verr;
  }
  json_t *alt = NULL;
  err = fc_bk_book(c, &b, &alt);
  if (err == FC_ECONFLICT && alt) {
    if (!c->err.extra) c->err.extra = json_object();
    json_object_set_new(c->err.extra, "alternatives", alt);
  } else {
    json_decref(alt);
  }
  if (!err) {
    json_t *slot = fc_bk_slot_doc(d.timezone, b.start, b.end);
    /* No customer or vehicle ids to an anonymous caller: they would tell
     * whether a contact or a plate is already known to the dealer. */
    *out = json_pack("{sssssOsOssss}", "id", b.id, "reference", b.reference, "start", json_object_get(slot, "start"),
                     "end", json_object_get(slot, "end"), "status", "booked", "manage_token", b.token);
    json_decref(slot);
  }
  fc_workshop_release(&w);
  return err;
}

/* --- holds */

fc_err fc_booking_hold(fc_ctx *c, const char *slug, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"services", "start", NULL};
  fc_bk_dealer_info d;
  fc_workshop w;
  fc_bk_booking b;
  memset(&b, 0, sizeof b);
  fc_err err = fc_bk_dealer(c, slug, &d);
  if (err) return err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = read_visit(c, doc, &b, 1))) return err;
  if ((err = fc_workshop_load(c, d.id, d.timezone, &w))) return err;
  b.c = c;
  b.dealer = &d;
  b.w = &w;
  b.req.now_ms = fc_time_now_ms();
  b.req.online = 1;
  b.move_only = 1; /* check the slot, keep it as a hold instead of an appointment */
  if (!(err = fc_workshop_visit(c, &w, b.services, &b.req.duration_min, &b.req.skills)) &&
      !(err = fc_db_begin(c->db))) {
    err = fc_bk_tx(c->db, &b);
    char token[80], hash[65], id[FC_ID_LEN + 1];
    fc_token_new("fch_", token);
    fc_auth_keyed_hash(c->app, "hold", token, hash);
    fc_id_new(id);
    int64_t expires = b.req.now_ms + HOLD_TTL_MS;
    if (!err)
      err = fc_db_exec(c->db, "DELETE FROM holds WHERE dealer_id = ? AND expires_at <= ?", "si", d.id, b.req.now_ms);
    if (!err)
      err = fc_db_exec(c->db,
                       "INSERT INTO holds (dealer_id, id, token_hash, resource_id, start_at, end_at, expires_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       "ssssiii", d.id, id, hash, b.resource_id, b.start, b.end, expires);
    if (!err) err = fc_db_commit(c->db);
    else fc_db_rollback(c->db);
    if (!err) {
      char exp[40];
      fc_tz_format(d.timezone, expires, exp, sizeof exp);
      json_t *slot = fc_bk_slot_doc(d.timezone, b.start, b.end);
      *out = json_pack("{sssOsOss}", "hold_token", token, "start", json_object_get(slot, "start"), "end",
                       json_object_get(slot, "end"), "expires_at", exp);
      json_decref(slot);
    } else if (err == FC_ECONFLICT) {
      json_t *alt = NULL;
      if (fc_bk_alternatives(c, &w, d.id, &b.req, b.start, &alt) == FC_OK) {
        if (!c->err.extra) c->err.extra = json_object();
        json_object_set_new(c->err.extra, "alternatives", alt);
      }
    }
  }
  fc_workshop_release(&w);
  return err;
}

fc_err fc_booking_release(fc_ctx *c, const char *slug, const char *token) {
  fc_bk_dealer_info d;
  fc_err err = fc_bk_dealer(c, slug, &d);
  if (err) return err;
  if (!token || strncmp(token, "fch_", 4) != 0 || strlen(token) > 64) return FC_OK; /* nothing held under it */
  char hash[65];
  fc_auth_keyed_hash(c->app, "hold", token, hash);
  return fc_db_exec(c->db, "DELETE FROM holds WHERE dealer_id = ? AND token_hash = ?", "ss", d.id, hash);
}
