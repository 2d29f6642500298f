/* The KPI maths: periods of local days, percentiles, shares and workshop
 * capacity. Pure: plain data in, plain data out; the only outside knowledge
 * is core/tz.h's zone arithmetic (local day -> UTC instants), as in the
 * availability computation whose capacity rule this mirrors.
 *
 * Percentiles interpolate linearly between closest ranks (type 7): the
 * median of an even list is the mean of its two middle values, and a
 * percentile of a list of one is that value. docs/kpis.md explains the
 * choice; tests/unit/test_kpi.c works examples by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"
#include "kpi/kpi.h"

enum { MINUTE_MS = 60000 };

/* --- periods */

/* "YYYY-MM-DD" exactly, a real date within core/tz's years. */
static int parse_date(const char *s, int64_t *dn) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (!fc_tz_date_valid(y, m, d)) return -1;
  *dn = fc_tz_day_number(y, m, d);
  return 0;
}

static int day_valid(int64_t dn) {
  int y, m, d;
  fc_tz_day_date(dn, &y, &m, &d, NULL);
  return fc_tz_date_valid(y, m, d);
}

const char *fc_kpi_period_parse(const char *from, const char *to, int64_t today_dn, fc_kpi_period *out) {
  int64_t a = 0, b = 0;
  out->first_dn = out->last_dn = 0;
  if (from && parse_date(from, &a)) return "from must be a date like 2027-03-01";
  if (to && parse_date(to, &b)) return "to must be a date like 2027-03-31";
  if (!from && !to) b = today_dn;
  if (!from) a = b - (FC_KPI_DEFAULT_DAYS - 1);
  if (!to) b = a + (FC_KPI_DEFAULT_DAYS - 1);
  if (!day_valid(a) || !day_valid(b)) return "the period must lie between 1971 and 2200";
  if (a > b) return "from must not be after to";
  if (b - a + 1 > FC_KPI_MAX_DAYS) return "the period may span at most 366 days";
  out->first_dn = a;
  out->last_dn = b;
  return NULL;
}

/* --- percentiles and shares */

static int cmp_ms(const void *pa, const void *pb) {
  int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
  return (a > b) - (a < b);
}

void fc_kpi_sort(int64_t *v, size_t n) {
  if (v && n > 1) qsort(v, n, sizeof *v, cmp_ms);
}

int fc_kpi_percentile(const int64_t *sorted, size_t n, double p, double *out) {
  if (!sorted || n == 0 || !(p >= 0.0 && p <= 1.0)) return -1; /* NaN fails too */
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo >= n - 1) {
    *out = (double)sorted[n - 1];
    return 0;
  }
  double frac = h - (double)lo;
  *out = (double)sorted[lo] + frac * (double)(sorted[lo + 1] - sorted[lo]);
  return 0;
}

int fc_kpi_ratio(int64_t num, int64_t den, double *out) {
  if (den <= 0) return -1;
  *out = (double)num / (double)den;
  return 0;
}

void fc_kpi_counts_add(fc_kpi_counts *t, const fc_kpi_counts *a) {
  t->leads += a->leads;
  t->won += a->won;
  t->test_drives += a->test_drives;
  t->answered += a->answered;
  t->within_target += a->within_target;
  t->measured += a->measured;
  t->overdue_open += a->overdue_open;
  t->bookings += a->bookings;
  t->web_bookings += a->web_bookings;
  t->no_shows += a->no_shows;
  t->show_base += a->show_base;
  if (a->workshops > 0) {
    t->booked_ms += a->booked_ms;
    t->capacity_min += a->capacity_min;
    t->workshops += a->workshops;
  }
}

void fc_kpi_derive(const fc_kpi_counts *k, const int64_t *sorted_ms, size_t n, fc_kpi_figures *out) {
  memset(out, 0, sizeof *out);
  double q;
  if (fc_kpi_percentile(sorted_ms, n, 0.5, &q) == 0) {
    out->has_median = 1;
    out->median_min = q / MINUTE_MS;
  }
  if (fc_kpi_percentile(sorted_ms, n, 0.9, &q) == 0) {
    out->has_p90 = 1;
    out->p90_min = q / MINUTE_MS;
  }
  out->has_within = fc_kpi_ratio(k->within_target, k->measured, &out->within_target_share) == 0;
  out->has_conversion = fc_kpi_ratio(k->won, k->leads, &out->conversion_rate) == 0;
  out->has_online = fc_kpi_ratio(k->web_bookings, k->bookings, &out->online_share) == 0;
  out->has_no_show = fc_kpi_ratio(k->no_shows, k->show_base, &out->no_show_rate) == 0;
  if (k->workshops > 0 && k->capacity_min > 0) {
    out->has_utilisation = 1;
    out->utilisation = (double)k->booked_ms / MINUTE_MS / (double)k->capacity_min;
  }
}

/* --- capacity */

static int closed_on(const fc_av_workshop *w, int y, int m, int d) {
  char date[16];
  snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
  for (int i = 0; i < w->nclosures; i++)
    if (w->closures[i] && strcmp(w->closures[i], date) == 0) return 1;
  return 0;
}

static int hours_ok(const fc_av_workshop *w) {
  if (!w || !w->timezone || w->nresources < 0 || w->nresources > FC_AV_MAX_RESOURCES) return 0;
  if (w->nclosures < 0 || (w->nclosures > 0 && !w->closures)) return 0;
  for (int wd = 0; wd < 7; wd++) {
    if (w->nhours[wd] < 0 || w->nhours[wd] > FC_AV_MAX_INTERVALS) return 0;
    for (int i = 0; i < w->nhours[wd]; i++) {
      const fc_av_interval *iv = &w->hours[wd][i];
      if (iv->start_min < 0 || iv->start_min >= iv->end_min || iv->end_min > 1440) return 0;
    }
  }
  return 1;
}

int fc_kpi_capacity_min(const fc_av_workshop *w, int y, int m, int d, int days, int64_t *out) {
  if (!out || !hours_ok(w) || days < 1 || days > FC_KPI_MAX_DAYS || !fc_tz_date_valid(y, m, d)) return -1;
  int64_t first = fc_tz_day_number(y, m, d), total = 0;
  for (int64_t dn = first; dn < first + days; dn++) {
    int dy, dm, dd, wd, ny, nm, nd;
    fc_tz_day_date(dn, &dy, &dm, &dd, &wd);
    if (w->nhours[wd] == 0 || closed_on(w, dy, dm, dd)) continue;
    fc_tz_day_date(dn + 1, &ny, &nm, &nd, NULL);
    if (!fc_tz_date_valid(dy, dm, dd) || !fc_tz_date_valid(ny, nm, nd)) return -1;
    int64_t open_ms = 0;
    for (int i = 0; i < w->nhours[wd]; i++) {
      const fc_av_interval *iv = &w->hours[wd][i];
      int64_t a, b;
      if (fc_tz_local_to_utc(w->timezone, dy, dm, dd, iv->start_min, &a) != 0) return -1;
      if (iv->end_min == 1440 ? fc_tz_local_to_utc(w->timezone, ny, nm, nd, 0, &b)
                              : fc_tz_local_to_utc(w->timezone, dy, dm, dd, iv->end_min, &b))
        return -1;
      if (b > a) open_ms += b - a; /* an interval swallowed by a clock change is no time */
    }
    total += open_ms / MINUTE_MS * w->nresources;
  }
  *out = total;
  return 0;
}
