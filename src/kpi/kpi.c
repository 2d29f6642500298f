/* The KPI service: who sees which dealers, the SQL that counts, and the
 * document. See kpi.h and docs/kpis.md.
 *
 * Design. Every figure is counted in SQL over the real rows, one dealer at a
 * time, because each dealer's period is made of its own local days (a
 * network spans zones, so one instant range would cut some dealers' days in
 * two). Each query walks one index range: leads_received (dealer_id,
 * received_at), leads_inbox (dealer_id, status, received_at),
 * appointments_created (dealer_id, created_at) and appointments_time
 * (dealer_id, start_at); the counts come back as a handful of rows. The only
 * per-row work in C is the list of first-response times (ms), which
 * percentiles need: it is kept in one growing buffer for the whole request,
 * each dealer's part sorted on its own for the dealer's median, and the whole
 * buffer sorted at the end for the network's (a median over all the network's
 * leads, never an average of medians).
 *
 * The SQL is portable: BIGINT epoch-ms arithmetic, CASE sums, GROUP BY; no
 * date functions. The tables are the leads' and the workshop's; this module
 * only reads them (a report, like a read replica would serve). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/policy.h"
#include "booking/workshop.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "kpi/kpi.h"
#include "org/org.h"

enum {
  DAY_MS = 86400000,
  MINUTE_MS = 60000,
  MAX_DEALERS = 5000,      /* dealers in one answer */
  MAX_RESPONSES = 5000000, /* first-response times held for one answer (40 MB) */
  MAX_SOURCES = 200,       /* distinct lead sources shown per dealer; the rest add up in "other" */
  MAX_ID = 64
};

static const char *const lead_channels[] = {"web", "phone", "email", "walk_in", "partner", NULL};
static const char *const booking_channels[] = {"web", "phone", "walk_in", NULL};

typedef struct dealer {
  const char *id, *name, *timezone; /* arena */
} dealer;

/* The first-response times of the request, malloc'd (it may be large). */
typedef struct times {
  int64_t *v;
  size_t n, cap;
} times;

/* --- who is asked about */

static fc_err dealer_row(fc_ctx *c, const char *id, dealer *out) {
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT id, name, timezone FROM dealers WHERE id = ?", "s", id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  if (rc == 1) {
    out->id = fc_arena_strdup(c->arena, fc_col_text(st, 0));
    out->name = fc_arena_strdup(c->arena, fc_col_text(st, 1));
    out->timezone = fc_arena_strdup(c->arena, fc_col_text(st, 2));
  }
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (rc == 0) return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  return out->id && out->name && out->timezone ? FC_OK : FC_ENOMEM;
}

/* One dealer the caller may read; with brand_id, it must hold that brand. */
static fc_err one_dealer(fc_ctx *c, const char *dealer_id, const char *brand_id, dealer **list, int *n) {
  fc_tenant t;
  fc_err err = strlen(dealer_id) > MAX_ID ? FC_ENOTFOUND : fc_dealer_tenant(c, dealer_id, &t);
  if (err == FC_ENOTFOUND) {
    fc_error_clear(&c->err);
    return fc_fail(&c->err, FC_ENOTFOUND, "no such dealer");
  }
  if (err) return err;
  err = fc_policy_check(c->who, FC_ACT_READ, FC_RES_DEALER, &t);
  if (err)
    return fc_fail(&c->err, err,
                   err == FC_ENOTFOUND ? "no such dealer" : "you may not see this dealer's numbers");
  if (brand_id) {
    int holds = 0;
    for (int i = 0; i < t.ndealer_brands; i++)
      holds |= strcmp(t.dealer_brands[i], brand_id) == 0;
    if (!holds) return fc_fail(&c->err, FC_ENOTFOUND, "this dealer does not hold that brand");
  }
  *list = fc_arena_alloc(c->arena, sizeof **list);
  if (!*list) return FC_ENOMEM;
  *n = 1;
  return dealer_row(c, t.dealer_id, *list);
}

/* The dealers of a query (brand_id NULL: every dealer), each checked with the
 * policy; ordered by name. */
static fc_err many_dealers(fc_ctx *c, const char *brand_id, dealer **list, int *n) {
  fc_stmt *st = NULL;
  fc_err err = brand_id
                   ? fc_db_query(c->db, &st,
                                 "SELECT d.id, d.name, d.timezone FROM dealers d "
                                 "JOIN dealer_brands b ON b.dealer_id = d.id WHERE b.brand_id = ? "
                                 "ORDER BY d.name, d.id",
                                 "s", brand_id)
                   : fc_db_query(c->db, &st, "SELECT id, name, timezone FROM dealers ORDER BY name, id", "");
  if (err) return err;
  size_t cap = 16;
  dealer *v = fc_arena_alloc(c->arena, cap * sizeof *v);
  int count = 0, rc = 0;
  while (v && (rc = fc_stmt_step(st)) == 1) {
    if (count == MAX_DEALERS) {
      fc_stmt_done(st);
      return fc_fail(&c->err, FC_EINVAL, "more than %d dealers: ask for one brand or one dealer",
                     MAX_DEALERS);
    }
    const char *id = fc_col_text(st, 0);
    const char *const held[1] = {brand_id};
    fc_tenant t = {
        .dealer_id = id, .dealer_brands = brand_id ? held : NULL, .ndealer_brands = brand_id ? 1 : 0};
    if (fc_policy_check(c->who, FC_ACT_READ, FC_RES_DEALER, &t) != FC_OK) continue;
    if ((size_t)count == cap) {
      dealer *w = fc_arena_alloc(c->arena, 2 * cap * sizeof *w);
      if (w) memcpy(w, v, cap * sizeof *v);
      v = w;
      cap *= 2;
      if (!v) break;
    }
    v[count].id = fc_arena_strdup(c->arena, id);
    v[count].name = fc_arena_strdup(c->arena, fc_col_text(st, 1));
    v[count].timezone = fc_arena_strdup(c->arena, fc_col_text(st, 2));
    if (!v[count].id || !v[count].name || !v[count].timezone)
      v = NULL;
    else
      count++;
  }
  fc_stmt_done(st);
  if (!v) return FC_ENOMEM;
  if (rc < 0) return FC_EDB;
  *list = v;
  *n = count;
  return FC_OK;
}

/* A brand the caller may read the network of. */
static fc_err brand_visible(fc_ctx *c, const char *brand_id) {
  fc_tenant t = {.brand_id = brand_id};
  fc_err err = fc_policy_check(c->who, FC_ACT_READ, FC_RES_DEALER, &t);
  if (!err) err = strlen(brand_id) > MAX_ID ? FC_ENOTFOUND : fc_brand_exists(c, brand_id);
  if (err == FC_ENOTFOUND) return fc_fail(&c->err, FC_ENOTFOUND, "no such brand");
  if (err) return fc_fail(&c->err, err, "you may not see this brand's numbers");
  return FC_OK;
}

static fc_err resolve(fc_ctx *c, const char *dealer_id, const char *brand_id, dealer **list, int *n,
                      const char **brand_out) {
  *list = NULL;
  *n = 0;
  *brand_out = NULL;
  fc_err err;
  if (brand_id && (err = brand_visible(c, brand_id))) return err;
  *brand_out = brand_id;
  if (dealer_id) return one_dealer(c, dealer_id, brand_id, list, n);
  if (brand_id) return many_dealers(c, brand_id, list, n);
  fc_scope s = fc_policy_scope(c->who);
  switch (s.kind) {
  case FC_SCOPE_DEALER:
    return one_dealer(c, s.id, NULL, list, n);
  case FC_SCOPE_BRAND:
    *brand_out = s.id;
    return many_dealers(c, s.id, list, n);
  case FC_SCOPE_ALL:
    return many_dealers(c, NULL, list, n);
  default:
    return fc_fail(&c->err, FC_ENOTFOUND, "no numbers to show");
  }
}

/* --- counting one dealer */

/* by[key] += n, keeping at most cap keys (then "other" takes the rest). */
static void tally(json_t *by, const char *key, int64_t n, size_t cap) {
  if (!key) key = "other";
  json_t *v = json_object_get(by, key);
  if (!v && json_object_size(by) >= cap) {
    key = "other";
    v = json_object_get(by, key);
  }
  if (v)
    json_integer_set(v, json_integer_value(v) + n);
  else
    json_object_set_new(by, key, json_integer(n));
}

static json_t *zeros(const char *const *keys) {
  json_t *o = json_object();
  for (int i = 0; o && keys[i]; i++)
    json_object_set_new(o, keys[i], json_integer(0));
  return o;
}

static fc_err response_target(fc_ctx *c, const char *dealer_id, int64_t *target_min) {
  *target_min = FC_KPI_DEFAULT_TARGET;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT response_target_min FROM lead_settings WHERE dealer_id = ?",
                           "s", dealer_id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  if (rc == 1 && !fc_col_null(st, 0) && fc_col_int(st, 0) > 0) *target_min = fc_col_int(st, 0);
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}

/* Leads received in [from, to): counts by source and channel, won, answered,
 * answered within target, and measured (answered, or older than the target
 * by now). */
static fc_err count_leads(fc_ctx *c, const char *dealer_id, int64_t from, int64_t to, int64_t target_ms,
                          int64_t now, fc_kpi_counts *k, json_t *by_source, json_t *by_channel) {
  fc_stmt *st = NULL;
  fc_err err =
      fc_db_query(c->db, &st,
                  "SELECT source, channel, COUNT(*), "
                  "SUM(CASE WHEN status = 'won' THEN 1 ELSE 0 END), "
                  "SUM(CASE WHEN first_response_at IS NOT NULL THEN 1 ELSE 0 END), "
                  "SUM(CASE WHEN first_response_at IS NOT NULL AND first_response_at - received_at <= ? THEN "
                  "1 ELSE 0 END), "
                  "SUM(CASE WHEN first_response_at IS NOT NULL OR received_at < ? THEN 1 ELSE 0 END) "
                  "FROM leads WHERE dealer_id = ? AND received_at >= ? AND received_at < ? "
                  "GROUP BY source, channel",
                  "iisii", target_ms, now - target_ms, dealer_id, from, to);
  if (err) return err;
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) {
    int64_t n = fc_col_int(st, 2);
    tally(by_source, fc_col_text(st, 0), n, MAX_SOURCES);
    tally(by_channel, fc_col_text(st, 1), n, MAX_SOURCES);
    k->leads += n;
    k->won += fc_col_int(st, 3);
    k->answered += fc_col_int(st, 4);
    k->within_target += fc_col_int(st, 5);
    k->measured += fc_col_int(st, 6);
  }
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;

  if ((err = fc_db_query(
           c->db, &st,
           "SELECT COUNT(*) FROM leads WHERE dealer_id = ? AND test_drive_at >= ? AND test_drive_at < ?",
           "sii", dealer_id, from, to)))
    return err;
  if ((rc = fc_stmt_step(st)) == 1) k->test_drives = fc_col_int(st, 0);
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;

  if ((err = fc_db_query(c->db, &st,
                         "SELECT COUNT(*) FROM leads WHERE dealer_id = ? AND status = 'new' "
                         "AND received_at < ? AND first_response_at IS NULL",
                         "si", dealer_id, now - target_ms)))
    return err;
  if ((rc = fc_stmt_step(st)) == 1) k->overdue_open = fc_col_int(st, 0);
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}

/* Appends the first-response times (ms, negative ones as 0) of the leads
 * received in [from, to) that have one. */
static fc_err fetch_times(fc_ctx *c, const char *dealer_id, int64_t from, int64_t to, times *t) {
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT first_response_at - received_at FROM leads "
                           "WHERE dealer_id = ? AND received_at >= ? AND received_at < ? "
                           "AND first_response_at IS NOT NULL",
                           "sii", dealer_id, from, to);
  if (err) return err;
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) {
    if (t->n == t->cap) {
      size_t cap = t->cap ? t->cap * 2 : 4096;
      int64_t *v = t->n < MAX_RESPONSES ? realloc(t->v, cap * sizeof *v) : NULL;
      if (!v) {
        fc_stmt_done(st);
        if (t->n >= MAX_RESPONSES)
          return fc_fail(&c->err, FC_EINVAL,
                         "the period holds too many leads; choose a shorter one or fewer dealers");
        return FC_ENOMEM;
      }
      t->v = v;
      t->cap = cap;
    }
    int64_t ms = fc_col_int(st, 0);
    t->v[t->n++] = ms > 0 ? ms : 0;
  }
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}

/* Appointments created in [from, to) by channel; starting in [from, to):
 * booked time, no-shows and their base (past starts only). */
static fc_err count_bookings(fc_ctx *c, const char *dealer_id, int64_t from, int64_t to, int64_t now,
                             fc_kpi_counts *k, json_t *by_channel) {
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT channel, COUNT(*) FROM appointments "
                           "WHERE dealer_id = ? AND created_at >= ? AND created_at < ? GROUP BY channel",
                           "sii", dealer_id, from, to);
  if (err) return err;
  int rc;
  while ((rc = fc_stmt_step(st)) == 1) {
    const char *ch = fc_col_text(st, 0);
    int64_t n = fc_col_int(st, 1);
    tally(by_channel, ch, n, MAX_SOURCES);
    k->bookings += n;
    if (ch && strcmp(ch, "web") == 0) k->web_bookings += n;
  }
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;

  if ((err = fc_db_query(
           c->db, &st,
           "SELECT COALESCE(SUM(CASE WHEN status <> 'cancelled' THEN end_at - start_at ELSE 0 END), 0), "
           "COALESCE(SUM(CASE WHEN start_at < ? AND status = 'no_show' THEN 1 ELSE 0 END), 0), "
           "COALESCE(SUM(CASE WHEN start_at < ? AND status IN "
           "('checked_in', 'in_progress', 'ready', 'collected', 'no_show') THEN 1 ELSE 0 END), 0) "
           "FROM appointments WHERE dealer_id = ? AND start_at >= ? AND start_at < ?",
           "iisii", now, now, dealer_id, from, to)))
    return err;
  if ((rc = fc_stmt_step(st)) == 1) {
    k->booked_ms = fc_col_int(st, 0);
    k->no_shows = fc_col_int(st, 1);
    k->show_base = fc_col_int(st, 2);
  }
  fc_stmt_done(st);
  return rc < 0 ? FC_EDB : FC_OK;
}

/* The workshop's capacity over the period; k->workshops stays 0 without one. */
static fc_err count_capacity(fc_ctx *c, const dealer *d, const fc_kpi_period *p, fc_kpi_counts *k) {
  fc_workshop w;
  fc_err err = fc_workshop_load(c, d->id, d->timezone, &w);
  if (err == FC_ENOTFOUND) {
    fc_error_clear(&c->err);
    return FC_OK;
  }
  if (err) return err;
  int y, m, day;
  fc_tz_day_date(p->first_dn, &y, &m, &day, NULL);
  int64_t minutes = 0;
  int rc = fc_kpi_capacity_min(&w.av, y, m, day, (int)(p->last_dn - p->first_dn + 1), &minutes);
  fc_workshop_release(&w);
  if (rc != 0) return fc_fail(&c->err, FC_EINTERNAL, "the workshop's capacity could not be computed");
  k->workshops = 1;
  k->capacity_min = minutes;
  return FC_OK;
}

/* --- the document */

static json_t *number_or_null(int has, double v, double scale) {
  return has ? json_real(round(v * scale) / scale) : json_null();
}

/* The four blocks of a dealer or of the total, added to o. target_min < 0:
 * dealers with different targets (null). by_* are taken. */
static void add_blocks(json_t *o, const fc_kpi_counts *k, const fc_kpi_figures *f, int64_t target_min,
                       json_t *by_source, json_t *by_channel, json_t *booking_by_channel) {
  json_object_set_new(
      o, "leads",
      json_pack("{sIsoso}", "total", (json_int_t)k->leads, "by_source", by_source, "by_channel", by_channel));
  json_t *r = json_object();
  json_object_set_new(r, "median_min", number_or_null(f->has_median, f->median_min, 100));
  json_object_set_new(r, "p90_min", number_or_null(f->has_p90, f->p90_min, 100));
  json_object_set_new(r, "within_target_share", number_or_null(f->has_within, f->within_target_share, 10000));
  json_object_set_new(r, "target_min", target_min >= 0 ? json_integer(target_min) : json_null());
  json_object_set_new(r, "overdue_open", json_integer(k->overdue_open));
  json_object_set_new(r, "answered", json_integer(k->answered));
  json_object_set_new(r, "within_target", json_integer(k->within_target));
  json_object_set_new(r, "measured", json_integer(k->measured));
  json_object_set_new(o, "response", r);
  json_t *cv = json_pack("{sI}", "won", (json_int_t)k->won);
  json_object_set_new(cv, "rate", number_or_null(f->has_conversion, f->conversion_rate, 10000));
  json_object_set_new(cv, "test_drives", json_integer(k->test_drives));
  json_object_set_new(o, "conversion", cv);
  json_t *b = json_pack("{sIso}", "total", (json_int_t)k->bookings, "by_channel", booking_by_channel);
  json_object_set_new(b, "online_share", number_or_null(f->has_online, f->online_share, 10000));
  json_object_set_new(b, "phone_calls_saved", json_integer(k->web_bookings));
  json_object_set_new(b, "no_show_rate", number_or_null(f->has_no_show, f->no_show_rate, 10000));
  json_object_set_new(b, "no_shows", json_integer(k->no_shows));
  json_object_set_new(b, "no_show_base", json_integer(k->show_base));
  json_object_set_new(b, "utilisation", number_or_null(f->has_utilisation, f->utilisation, 10000));
  json_object_set_new(b, "booked_min", k->workshops ? json_integer(k->booked_ms / MINUTE_MS) : json_null());
  json_object_set_new(b, "capacity_min", k->workshops ? json_integer(k->capacity_min) : json_null());
  json_object_set_new(o, "bookings", b);
}

static void merge_into(json_t *total, json_t *part) {
  const char *key;
  json_t *v;
  json_object_foreach(part, key, v) tally(total, key, json_integer_value(v), (size_t)-1);
}

static const char *date_text(fc_ctx *c, int64_t dn) {
  int y, m, d;
  fc_tz_day_date(dn, &y, &m, &d, NULL);
  return fc_arena_printf(c->arena, "%04d-%02d-%02d", y, m, d);
}

/* The instant of 00:00 local on day dn. */
static fc_err local_midnight(fc_ctx *c, const dealer *d, int64_t dn, int64_t *ms) {
  int y, m, day;
  fc_tz_day_date(dn, &y, &m, &day, NULL);
  if (fc_tz_local_to_utc(d->timezone, y, m, day, 0, ms) != 0)
    return fc_fail(&c->err, FC_EINTERNAL, "the time zone %.63s of dealer %.40s is unknown", d->timezone,
                   d->id);
  return FC_OK;
}

typedef struct totals {
  fc_kpi_counts k;
  json_t *sources, *channels, *bookings;
  int64_t target_min; /* the common target, -1 when dealers differ, -2 before the first */
} totals;

/* Counts dealer d over period p, appends its document to dealers and adds to tot. */
static fc_err one(fc_ctx *c, const dealer *d, const fc_kpi_period *p, int64_t now, times *t, totals *tot,
                  json_t *dealers) {
  int64_t from, to, target_min;
  fc_err err;
  if ((err = local_midnight(c, d, p->first_dn, &from)) || (err = local_midnight(c, d, p->last_dn + 1, &to)))
    return err;
  if ((err = response_target(c, d->id, &target_min))) return err;
  fc_kpi_counts k;
  memset(&k, 0, sizeof k);
  json_t *sources = json_object(), *channels = zeros(lead_channels), *bookings = zeros(booking_channels);
  size_t first = t->n;
  err = count_leads(c, d->id, from, to, target_min * MINUTE_MS, now, &k, sources, channels);
  if (!err) err = fetch_times(c, d->id, from, to, t);
  if (!err) err = count_bookings(c, d->id, from, to, now, &k, bookings);
  if (!err) err = count_capacity(c, d, p, &k);
  if (err) {
    json_decref(sources);
    json_decref(channels);
    json_decref(bookings);
    return err;
  }
  int64_t *mine = t->v ? t->v + first : NULL; /* this dealer's part of the list */
  fc_kpi_sort(mine, t->n - first);
  fc_kpi_figures f;
  fc_kpi_derive(&k, mine, t->n - first, &f);

  fc_kpi_counts_add(&tot->k, &k);
  merge_into(tot->sources, sources);
  merge_into(tot->channels, channels);
  merge_into(tot->bookings, bookings);
  tot->target_min = tot->target_min == -2 || tot->target_min == target_min ? target_min : -1;

  char start[40], end[40];
  if (fc_tz_format(d->timezone, from, start, sizeof start) || fc_tz_format(d->timezone, to, end, sizeof end))
    start[0] = end[0] = 0;
  json_t *o = json_pack("{ssssss}", "dealer_id", d->id, "name", d->name, "timezone", d->timezone);
  json_object_set_new(o, "period", json_pack("{ssss}", "start", start, "end", end));
  add_blocks(o, &k, &f, target_min, sources, channels, bookings);
  json_array_append_new(dealers, o);
  return FC_OK;
}

/* Today's local date in the zone of the only dealer, or in UTC for a network. */
static int64_t today_of(const dealer *list, int n, int64_t now) {
  fc_local_time lt;
  if (n == 1 && fc_tz_utc_to_local(list[0].timezone, now, &lt) == 0)
    return fc_tz_day_number(lt.y, lt.m, lt.d);
  return now >= 0 ? now / DAY_MS : (now - DAY_MS + 1) / DAY_MS;
}

fc_err fc_kpis_get(fc_ctx *c, const char *dealer_id, const char *brand_id, const char *from, const char *to,
                   json_t **out) {
  *out = NULL;
  if (dealer_id && !*dealer_id) dealer_id = NULL;
  if (brand_id && !*brand_id) brand_id = NULL;
  dealer *list = NULL;
  int n = 0;
  const char *brand = NULL;
  fc_err err = resolve(c, dealer_id, brand_id, &list, &n, &brand);
  if (err) return err;

  int64_t now = fc_time_now_ms();
  fc_kpi_period p;
  const char *problem = fc_kpi_period_parse(from, to, today_of(list, n, now), &p);
  if (problem) return fc_fail(&c->err, FC_EBADREQ, "%s", problem);

  times t = {0};
  totals tot = {.sources = json_object(),
                .channels = zeros(lead_channels),
                .bookings = zeros(booking_channels),
                .target_min = -2};
  json_t *dealers = json_array();
  for (int i = 0; i < n && !err; i++)
    err = one(c, &list[i], &p, now, &t, &tot, dealers);
  if (!err) {
    fc_kpi_sort(t.v, t.n);
    fc_kpi_figures f;
    fc_kpi_derive(&tot.k, t.v, t.n, &f);
    json_t *total = json_pack("{si}", "dealer_count", n);
    add_blocks(total, &tot.k, &f, tot.target_min >= 0 ? tot.target_min : -1, tot.sources, tot.channels,
               tot.bookings);
    tot.sources = tot.channels = tot.bookings = NULL;
    *out = json_pack("{sssssoso}", "from", date_text(c, p.first_dn), "to", date_text(c, p.last_dn), "dealers",
                     dealers, "total", total);
    dealers = NULL;
    if (*out)
      json_object_set_new(*out, "brand_id", brand ? json_string(brand) : json_null());
    else
      err = FC_ENOMEM;
  }
  free(t.v);
  json_decref(tot.sources);
  json_decref(tot.channels);
  json_decref(tot.bookings);
  json_decref(dealers);
  return err;
}
