/* KPIs: the numbers that show whether leads are answered and converted and
 * whether the workshop is booked online and used (GET /api/v1/kpis).
 *
 * Two halves, as elsewhere: the pure maths (maths.c: periods, percentiles,
 * shares, utilisation capacity; plain data in, plain data out, no database,
 * no allocation the caller sees) and the service (kpi.c), which decides
 * access with the one policy, counts in SQL over the real rows, and
 * assembles the document. The definitions are in docs/kpis.md; the maths
 * here is what they say, and tests/unit/test_kpi.c works it out by hand. */
#ifndef FC_KPI_KPI_H
#define FC_KPI_KPI_H
#include "app.h"
#include "booking/availability.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum {
  FC_KPI_MAX_DAYS = 366,     /* days a period may span */
  FC_KPI_DEFAULT_DAYS = 30,  /* the period when from and to are left out */
  FC_KPI_DEFAULT_TARGET = 60 /* response target (minutes) of a dealer without lead settings */
};

/* --- the pure maths (maths.c) */

/* A period of whole local days: first and last day numbers (core/tz.h day
 * numbers, 0 = 1970-01-01), both included. */
typedef struct fc_kpi_period {
  int64_t first_dn, last_dn;
} fc_kpi_period;

/* Reads the query's from and to (each "YYYY-MM-DD" or NULL) into *out.
 * Both left out: to = today_dn, from = to - 29 (30 days including today);
 * only from: to = from + 29; only to: from = to - 29. Returns NULL, or a
 * message (static text) naming the problem: a date that is not a real
 * YYYY-MM-DD, from after to, or more than FC_KPI_MAX_DAYS days. */
const char *fc_kpi_period_parse(const char *from, const char *to, int64_t today_dn, fc_kpi_period *out);

/* Sorts n durations (ms) ascending. */
void fc_kpi_sort(int64_t *v, size_t n);

/* The p-quantile (0 <= p <= 1) of n ascending values by linear interpolation
 * between closest ranks (Hyndman & Fan type 7, as numpy's default and
 * Excel's PERCENTILE.INC): h = (n - 1) p, q = v[floor h] + (h - floor h)
 * (v[floor h + 1] - v[floor h]). p = 0.5 is the usual median (the mean of
 * the two middle values when n is even). Returns 0 and sets *out, or -1
 * when n is 0, v is NULL or p is outside [0, 1]. */
int fc_kpi_percentile(const int64_t *sorted, size_t n, double p, double *out);

/* num / den: 0 and *out when den > 0, -1 (undefined: nothing to divide by)
 * otherwise. */
int fc_kpi_ratio(int64_t num, int64_t den, double *out);

/* What is counted for one dealer over one period, or summed over a network. */
typedef struct fc_kpi_counts {
  int64_t leads;         /* received in the period */
  int64_t won;           /* of those, status won now */
  int64_t test_drives;   /* leads with test_drive_at in the period */
  int64_t answered;      /* received in the period with a first response */
  int64_t within_target; /* answered no later than target after receipt */
  int64_t measured;      /* answered, or unanswered and older than the target now */
  int64_t overdue_open;  /* status new, no response, older than the target, now */
  int64_t bookings;      /* appointments created in the period */
  int64_t web_bookings;  /* of those, channel web */
  int64_t no_shows;      /* past starts in the period with status no_show */
  int64_t show_base;     /* past starts in the period that came or did not (see docs/kpis.md) */
  int64_t booked_ms;     /* end - start of non-cancelled appointments starting in the period */
  int64_t capacity_min;  /* the workshop's open minutes x resources over the period */
  int workshops;         /* dealers counted that have a workshop (1 or 0 for one dealer) */
} fc_kpi_counts;

/* total += add (booked time only from dealers with a workshop, so that
 * utilisation compares like with like). */
void fc_kpi_counts_add(fc_kpi_counts *total, const fc_kpi_counts *add);

/* The figures derived from counts and the ascending response times (ms) of
 * the answered leads. Each has_* says whether the figure is defined; an
 * undefined one is JSON null. Minutes and shares are unrounded. */
typedef struct fc_kpi_figures {
  int has_median, has_p90, has_within, has_conversion, has_online, has_no_show, has_utilisation;
  double median_min, p90_min; /* first response, minutes */
  double within_target_share; /* within_target / measured */
  double conversion_rate;     /* won / leads */
  double online_share;        /* web_bookings / bookings */
  double no_show_rate;        /* no_shows / show_base */
  double utilisation;         /* booked minutes / capacity minutes; needs a workshop and capacity */
} fc_kpi_figures;

void fc_kpi_derive(const fc_kpi_counts *k, const int64_t *sorted_ms, size_t n, fc_kpi_figures *out);

/* The workshop's capacity in minutes over `days` local days from y-m-d: for
 * each day not on a closure date, the sum over resources of the day's open
 * minutes. An opening interval counts as the elapsed time between its local
 * start and end instants (the rule of booking/availability.h), so a day on
 * which the clock changes inside an interval has an hour more or less.
 * Returns 0 and sets *out, or -1 on bad input (unknown zone, invalid date,
 * days outside 1..FC_KPI_MAX_DAYS, malformed hours). */
int fc_kpi_capacity_min(const fc_av_workshop *w, int y, int m, int d, int days, int64_t *out);

/* --- the service (kpi.c) */

/* GET /api/v1/kpis. dealer_id, brand_id, from, to are the query's (each may
 * be NULL; borrowed). One dealer when dealer_id is given (staff of the dealer,
 * a brand manager of a brand it holds, an administrator), else the dealers
 * holding brand_id (its brand manager, an administrator), else the caller's
 * scope (own dealer, own brand's dealers, every dealer for an administrator).
 * FC_EBADREQ for bad dates, FC_ENOTFOUND for a dealer or brand the caller
 * does not see. *out is a new reference owned by the caller. */
fc_err fc_kpis_get(fc_ctx *c, const char *dealer_id, const char *brand_id, const char *from, const char *to,
                   json_t **out) FC_MUST_CHECK;

#endif
